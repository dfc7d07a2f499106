"""Module docstring with an invalid escape: \d."""
import re

PATTERN = "\d+\.\d+"


class Escapes:
    """Matches \d+ digits (an invalid escape in a docstring)."""

    def m(self):
        """Splits on \s and \[."""
        # a comment with \d is just text
        return self.re.compile("\w+\(")

    def raw(self):
        r"""Raw: \d is fine here."""
        return re.compile(r"\d")

"Module docstring " "concatenated."


class Concat:
    "First part " \
        "second part."

    def f(self):
        ("parenthesized "
         "docstring")
        return 1


class Bytes:
    b"""Bytes are not a docstring."""

    def f(self):
        b"bytes"
        return 2


class FString:
    f"""F-strings are not a docstring {1}."""

    def f(self):
        f"not {self} a docstring"
        return 3


class Raw:
    r"""Raw \n docstring with a backslash."""

    def f(self):
        u"""Unicode prefix docstring."""

    def g(self):
        """

        First non-blank line after blanks.
        """

    def h(self):
        """Escapes\tand \u00e9 and \N{BULLET} and \x41."""

    def i(self):
        """Line continuation \
inside the docstring."""

    def j(self): "one-line def docstring"

    def k(self):
        "docstring"; x = 1

    def m(self):
        x = 1
        "not a docstring"

    def n(self):
        """	Tab-indented	docstring first line.
            second line
        """

    def o(self):
        'single-quoted docstring ' 'and more'

    def p(self):
        "mixed " f"{1} concat"


class Empty:
    """"""


class WhitespaceOnly:
    """   

    """


class Only:
    ...

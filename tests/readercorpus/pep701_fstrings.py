"""PEP 701 f-strings (Python 3.12): the same quote, a "#" and comments inside replacement fields.

Python 3.11's ast rejects this file (the reader then falls back to libcst); 3.12's ast reads it.
"""


class P:
    def m(self, d):
        a = f"{d["k"].get()}"  # a comment after
        b = f"{d["#"].size()}"
        c = f"{"nested " + f"{d["x"].name()}"}"
        e = f"{
            d["multi"].value()  # a comment inside a replacement field
        }"
        g = f"{(self.a or self.b).c()!r:{d["w"]}}"
        return a, b, c, e, g


ALIAS = f"{"a"}"
CONCAT = f"{"a"}" "b"

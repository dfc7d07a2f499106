"""PEP 701 f-strings on single lines (Python 3.12+ ast reads them; 3.11's rejects the file)."""


class P:
    def m(self, d):
        a = f"{d["k"].get()}"  # a comment after
        b = f"{d["#"].size()}"
        c = f"{"nested " + f"{d["x"].name()}"}"
        g = f"{(self.a or self.b).c()!r:{d["w"]}}"
        return a, b, c, g


ALIAS = f"{"a"}"
CONCAT = f"{"a"}" "b"

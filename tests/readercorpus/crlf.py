class Crlf:
    """First line of a CRLF docstring.

    More.
    """

    def m(self, a,
          b):  # crlf comment
        x = self.a(
            b)
        s = """multi
line string"""
        return x, s

ALIAS = (
    1
)

"""A multi-line string in its own parentheses with a comment before it."""


class Docs:
    def m(self):
        (  # a comment before a parenthesized docstring-like string
            """first
            second
            third"""
        )
        x = (
            # the message, on its own line
            """a
            b"""
        )
        return self.f(x)  # after the string

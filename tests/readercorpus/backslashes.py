import os, \
    sys

LIMIT = 1 + \
    2
PATH = \
    os.sep


class \
        Continued(
            Base):
    def \
            spaced(self, a, \
                   b) \
            -> int:
        x = self.a \
            .b \
            .c()
        assert x, \
            "message on the next line"
        raise ValueError( \
            "x")  \
            from None

    async \
    def later(self):
        return self \
            .value

    @property
    def tail(self):
        return 1 + \
            2

    def name_then_paren \
            (self, x):
        return x

"""An assert followed by a semicolon and a backslash continuation before the next statement."""


class Semi:
    def m(self, x):
        assert x; \
            y = self.a()
        raise ValueError(y); \
            pass

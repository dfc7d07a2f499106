"""A method whose last statement ends with a semicolon and a backslash continuation."""


class Semi:
    def m(self):
        x = self.a()
        return x; \

    def n(self):
        return self.b()

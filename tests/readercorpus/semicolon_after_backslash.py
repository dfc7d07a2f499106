"""A method's last statement continued with a backslash onto the line of its trailing semicolon."""


class Semi:
    def m(self, y):
        return y \
            ;

    def n(self):
        return self.b()

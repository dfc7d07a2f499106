"""Backslash continuations after `del` and after `as`, where libcst visits the whitespace after the target."""


class Store:
    def drop(self):
        del \
            self.gone
        with open("x") as \
                self.handle:
            pass
        return self.after()

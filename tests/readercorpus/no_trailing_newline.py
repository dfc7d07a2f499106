class NoNewline:
    def m(self):
        x = self.a()
        return x  # last line has no newline
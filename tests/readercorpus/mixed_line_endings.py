class Mixed:
    def m(self):
        x = self.a()
        return x

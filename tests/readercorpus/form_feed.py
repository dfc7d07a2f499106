import os

class Paged:
    def one(self):
        return self.a.b()

    def two(self):
        x = self.c()    # form feed before a comment
        return x
# comment after form feed
def three():
    return os.sep

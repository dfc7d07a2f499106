"""Comments inside a lambda's parameter list: libcst does not visit parameter lists."""


class Sorter:
    def order(self, xs):
        pick = (lambda a,  # inside lambda params
                b=self.b: a.c)
        key = (lambda  # after the lambda keyword
               x: x)
        return pick, key

def f():
    x = g()
    Y = 2


class A:
    def m(self):
        return self.a()
  
    def n(self):
        return self.b()

class Edge:
    def f(self):
        return 1 \

    def g(self):
        x = 1; \
        y = 2
        return self.b() \
            .c()

    def numbers(self):
        return (1).bit_length(), 1 .real, 1.0.hex(), ("a" "b").join(self.x), b"x".decode()

    def semicolon_end(self): x = self.a(); y = 2;
    def semicolon_comment(self): pass;  # c

    def calls_on_literals(self):
        return [1, 2].index(1), {1: 2}.get(1), (1, 2).count(1), "{}".format(self.v), None.__class__

    def named_constants(self):
        t = True
        n = None
        f = False
        e = ...
        return t, n, f, e, True(), None.x, self.none is None

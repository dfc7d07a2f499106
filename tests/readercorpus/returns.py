class Returner:
    def plain(self):
        return self.pool

    def call(self):
        return Pool.create(self.size)

    def conditional(self, c):
        return self.a if c else Other.make()

    def boolean(self):
        return self.a or self.b

    def nested_return(self):
        def inner():
            return self.hidden()

        class Inner:
            def m(self):
                return Hidden()
        return inner

    def lambda_return(self):
        return lambda: self.x

    def bare(self):
        if self:
            return
        return None

    def tuple_return(self):
        return self.a, self.b

    def passthrough(self):
        return list(self.items)

    def item(self):
        return max(self.items)

    def generator(self):
        yield self.a
        yield from self.b
        return self.c

    def await_return(self):
        return (self.z)

    def dup(self, c):
        if c:
            return self.pool
        return self.pool

    def super_return(self):
        return super().value()

    def super_plain(self):
        return super()

class Sorter:
    def order(self, xs):
        key = lambda x, y=self.default(), *a, z=len(xs), **k: x.size(y)
        xs.sort(key=lambda item: item.rank)
        return sorted(xs, key=lambda x: (x.a, x.b.c())), key

    def defaults(self, f=lambda: None):
        return f()

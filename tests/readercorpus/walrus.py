class Reader:
    def read(self, xs):
        if (n := len(xs)) > 0:
            pass
        while (chunk := self.stream.read(n)):
            self.buf.append(chunk)
        ys = [y for x in xs if (y := self.convert(x))]
        total = (acc := self.accumulate(ys))
        self.last = (saved := self.make_saved())
        out = {k: v for k, v in self.pairs() if (w := v.weight)}
        return ys, total, acc, saved, out, w

    def ordered(self):
        a = (b := self.first()) or (c := self.second())
        for item in (items := self.all()):
            item.use()
        return a, b, c, items

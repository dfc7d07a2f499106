class Formatter:
    def single(self, width):
        a = f"{self.name} has {self.count()} of {self.total.value!r:>{width}}"
        b = f"{self.x=} {self.y.z:{self.fmt.spec}.{self.prec()}f}"
        c = f'{"nested" if self.flag() else self.other.text}'
        d = rf"\d{self.pattern.text}"
        e = f"{ {'k': self.v.w}['k'] }"
        return a, b, c, d, e

    def multi(self):
        text = f"""
        first line {self.head.title()}
        second line {self.body.render(
            self.opts.width,
        )}
        third {self.tail!s:^{self.pad.size}}
        """
        return text

    def concatenated(self):
        msg = ("start "
               f"{self.a.b}"
               "middle"
               f"{self.c.d()}"
               f"""{
                   self.e.f
               }""")
        raise ValueError(f"bad {self.value.name}: "
                         f"{self.describe()}")

    def in_assert(self, n):
        assert n > 0, f"n must be positive, got {n} for {self.owner.name}"
        assert self.ok(), (
            f"multi {self.reason()}"
            f" line"
        )

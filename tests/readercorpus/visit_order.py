class Order:
    def if_exp(self):
        return self.body_a if self.test_b else self.orelse_c

    def dicts(self):
        return {self.k1: self.v1, **self.spread, self.k2: self.v2}

    def calls_mixed(self):
        f(x=self.kw_a, *self.star_b, **self.dstar_c)
        f(key=self.g(), *self.h(), **self.i())
        f(self.pos, *self.star, kw=self.kw, **self.dstar)

    def comps(self):
        a = [self.elt(x) for x in self.it() if self.cond(x)]
        b = {self.key(x): self.val(x) for x in self.it2()}
        return a, b

    def assigns(self):
        self.target_a.attr = self.value_b
        self.ann_t.x: self.ann_a.T = self.ann_v
        self.aug_t.y += self.aug_v
        self.s1[self.s2] = self.s3
        return self.s1[self.s2:self.s3:self.s4]

    def lambdas(self):
        return lambda a=self.default: self.body.call(a)

    def with_for(self):
        with self.ctx_a() as v, self.ctx_b():
            for i in self.iter_c:
                pass
            else:
                self.else_d()

    def compare(self):
        return self.c1 < self.c2 <= self.c3() in self.c4

    def slices(self):
        return self.arr[self.lo():self.hi()], self.arr[self.i(), self.j()]

    def try_order(self):
        try:
            self.t1()
        except self.E1 as e:
            self.t2()
        except (self.E2, self.E3):
            self.t3()
        else:
            self.t4()
        finally:
            self.t5()

    def nested_ann(self) -> self.ret.Type:
        def inner(a: self.pa.T) -> self.pr.T:
            return self.inner_body
        return inner

    def starred_assign(self):
        a, *self.rest_t = self.source_v
        return a

    def fstring_order(self):
        return f"{self.f1:{self.f2}}{self.f3!r}"

    def same_line_calls(self):
        return a(b(c(), d()), e()).f(g()).h()

    def dict_calls(self):
        return {k(): v() for k in l()}, {m(): n(), **o(), p(): q()}

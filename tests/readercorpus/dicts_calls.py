class Builder:
    def __init__(self, cpu: "CpuAlloc", gpu: "GpuAlloc", extra: dict, spare: list):
        self.by_device = {Device.CPU: cpu, **extra, Device.GPU: gpu}
        self.merged = {**self.base, **make_more(), "k": make_v()}
        self.listed = [*spare, cpu, *make_list(), make_item()]
        self.setted = {*spare, gpu}
        self.tupled = (*spare, cpu)
        self.nested = [[make_a()], (make_b(),)]
        self.comp = [make_c(x) for x in spare]
        self.dcomp = {k: make_d(k) for k in spare}
        self.gen = tuple(make_e(x) for x in spare)
        self.lst = list(make_f(x) for x in spare)
        self.srt = sorted([make_g(), make_h()])

    def calls(self, *args, **kw):
        f(*args, x=self.a, **kw)
        f(x=self.b, *args)
        f(**kw, y=self.c)
        f(1, *args, 2, *kw, z=3, **kw)
        f(key=g(), *h(), **i())
        self.obj.m(*self.items, **self.opts)
        g(x=1)(y=2)(z=3)
        (lambda: 1)()
        self.fns[0]()
        self.fns[0].call()
        getattr(self, "x")()
        "sep".join(self.parts)
        super().close()
        super(Builder, self).close()
        type(self).create()
        self.a.b().c().d()
        return f(g(h(self.x.y)))

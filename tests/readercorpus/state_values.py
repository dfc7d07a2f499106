from typing import List


class Values:
    shared: List[int] = []
    counter = 0

    def __init__(self, allocator: "Allocator", pools: "List[Pool]", raw, *extras: "Extra", **named: "Named"):
        self.allocator = allocator
        self.pools = pools
        self.raw = raw
        self.extras = extras
        self.named = named
        self.byte = b"data"
        self.flag = True
        self.nothing = None
        self.ell = ...
        self.cplx = 1j
        self.neg = -1
        self.fl = 1.5
        self.s = "s" "t"
        self.fs = f"{raw}"
        self.tup = (allocator, raw)
        self.cond = allocator if raw else Fallback()
        self.either = raw or make_default()
        self.walrus = (w := make_w())
        self.sub = pools[0]
        self.path = self.allocator.pool.blocks
        self.listed = list(self.pools)
        self.first = min(self.pools)
        self.nxt = next(iter(self.pools))
        self.by_name = {"a": allocator, "p": pools}
        self.in_list = [allocator, *pools]
        self.in_set = {allocator}
        self.comp = [Pool(p) for p in pools]
        self.q = Queue[int]()
        self.await_like = make()[0]
        local = self.allocator.pool
        self.from_local = local
        alias: "Alias" = make_alias()
        self.from_alias = alias
        self._setup()

    def _setup(self):
        self.set_up = Setup.create()
        self._more()

    def _more(self):
        self.more = 1

    def late(self):
        self.late_attr = Late()
        self.counter = 1

    @staticmethod
    def static(self):
        self.static_attr = 1

    def other_self(this):
        this.via_this = 1
        self.not_mine = 1

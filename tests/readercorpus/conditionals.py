class Chooser:
    def pick(self, flag):
        a = self.left() if self.test() else self.right()
        b = (self.p.q
             if flag
             else self.r.s)
        c = self.x or self.make_y() and self.z
        d = (self.one or
             self.two())
        if self.cond() if flag else self.alt():
            pass
        return a if flag else b

    def returns(self, flag):
        if flag:
            return self.make_a() if flag else Fallback.create()
        elif flag is None:
            return self.pool or self.backup
        return None if flag else (self.cache.get(flag) or build(flag))

    def ret_literals(self, k):
        if k == 1:
            return []
        if k == 2:
            return {}
        if k == 3:
            return (1, 2)
        if k == 4:
            return "s" "t"
        if k == 5:
            return b"bytes"
        if k == 6:
            return 1j
        if k == 7:
            return f"{k}"
        if k == 8:
            return True
        if k == 9:
            return ...
        if k == 10:
            return -1
        if k == 11:
            return 1.5
        if k == 12:
            return (yield k)
        return not k

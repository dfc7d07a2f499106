class Store:
    value: int
    x = y = 0
    a, b = 1, 2
    [c, d] = 3, 4
    (e) = 5
    if True:
        in_if: int = 1
    else:
        in_else = make_else()
    try:
        in_try = make_try()
    except ImportError:
        in_except = None
    finally:
        in_finally = []
    for loop_var in range(2):
        in_for = loop_var
    with open("f") as handle:
        in_with = handle

    def __init__(self, blocks: list, pool: "Pool"):
        self.x = self.y = make_xy()
        self.a, self.b = blocks
        self.first, *self.rest = blocks
        [self.l1, [self.l2, self.l3]] = blocks
        self.annotated: int = 0
        self.declared: "Pool"
        self.pool = pool
        self.blocks = blocks
        self.counter += 1
        self.table[0] = 1
        self.sub.field = 2
        self.mat @= 3
        local = other = pool
        p, q = r = blocks
        with open("x") as self.handle, open("y") as (self.h2):
            pass
        with self.lock:
            pass
        del self.gone, self.table[0]
        del (self.paren_gone)
        try:
            pass
        except ValueError as err:
            self.err = err
        self.copy = local
        self.other = other

    def later(self):
        self.late_one = Store.make()
        self.x = 2

    @staticmethod
    def static(self):
        self.not_state = 1

    @classmethod
    def klass(cls):
        cls.class_assigned = 1

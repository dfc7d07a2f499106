import functools


class Decorated:
    @functools.lru_cache(maxsize=None)
    def cached(self):
        return 1

    @deco.with_args(
        a=1,
        b=make_b(),
    )
    def multi(self):
        return 2

    @registry.register("name", priority=compute())
    @another
    def stacked(self):
        return 3

    @(lambda f: f)
    def lambda_deco(self):
        return 4

    @handlers[0]
    def subscript_deco(self):
        return 5

    @a.b(c).d
    def call_then_attr(self):
        return 6

    @torch.no_grad()
    def no_grad(self):
        return self.model.run()

    @torch.inference_mode(mode=True)
    @property
    def prop_after_call(self):
        return 7


@functools.wraps(print)
def module_decorated():
    return 8

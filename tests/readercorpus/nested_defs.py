import functools
import torch


class Engine:
    def __init__(self, config):
        self.config = config

        @functools.lru_cache(maxsize=self.config.cache_size)
        def helper(x: torch.Tensor = torch.zeros(1), *, k: int = len("ab")) -> torch.dtype:
            self.helped = helper_factory(x)
            return x.dtype

        class Local(torch.nn.Module, metaclass=make_meta(self.config)):
            limit: int = 3
            scale = compute_scale(self.config.scale)

            def forward(self, x) -> torch.Size:
                self.inner_state = x
                return x.shape

        self.local = Local()
        self.helper = helper

    def run(self, items):
        def key(item) -> torch.types.Number:
            return item.weight

        async def fetch(url: str = "x") -> bytes:
            return await self.client.get(url)

        items.sort(key=key)
        return self.local.forward(items)

    def factory(self):
        def make(a, b=lambda: self.default()):
            def deeper():
                return self.deepest.call()
            return deeper
        return make


def module_func():
    def inner():
        return outer_call()
    class Inner:
        def m(self):
            return self.q.r()
    return inner(), Inner().m()

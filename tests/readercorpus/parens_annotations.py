from typing import Dict, List

X = (1 << 20)
Y = (1)
Z = (
    -1
)
NAME = ("a"
        "b")
OPT = (int | None)
TABLE = (
    Dict[str, int]
)


@(staticmethod)
def top(x: (int), y: (List[int]) = (3), *rest: (str), **kw: (float)) -> (Dict[str, int]):
    z: (int) = (x)
    w: (
        List[int]
    ) = []
    return (z)


class Holder:
    cap: (int) = (4)
    names: (List[str])

    def __init__(self, n: (int)) -> (None):
        self.n: (int) = (n)
        self.m: (
            Dict[str, int]
        ) = {}

    @(property)
    def size(self) -> (
        int
    ):
        return (self.n)

    def get(self) -> (os.PathLike):
        return (self.m)

import typing
from typing import Dict, List, NewType, Optional, TypeAlias, TypeVar, Union

__all__ = ["A"]
__version__ = "1.0"
A = None
B = ...
C = -1
D = 1j
E = b""
F = 1.5
G = "text"
H = f"fmt{A}"
I = "a" "b"
J = "a" f"{B}"
K = True
L = not A
M = ~0
N = +1
O = -1.5e3
P = 10_000
Q = 0x_FF
R = 2 ** 20
S = (1 << 20)
T = 1, 2
U = [1, 2]
V = {"k": 1}
W = int | None
X = int | str | None
Y = Optional[int]
Z = typing.Dict
lower = 1
Mixed = 2
_PRIVATE = 3
__DUNDER = 4
_lower_private = 5
BlockId = NewType("BlockId", int)
Other = typing.NewType("Other", str)
T_co = TypeVar("T_co", covariant=True)
T2 = typing.TypeVar("T2")
Table: TypeAlias = Dict[str, List[int]]
table_alias: TypeAlias = "Dict[str, int]"
typed_alias: typing.TypeAlias = int
Annotated: int = 5
ann_lower: int = 5
ANN_ONLY: int
Alias = List
Alias2 = _private_name
Alias3 = a.b
Alias4 = a[0]
Alias5 = call()
Alias6 = Union[
    int,  # comment inside
    str,
]
CHAIN1 = CHAIN2 = 7
TUP1, TUP2 = 1, 2
LONG = "0123456789" "0123456789" "0123456789" "0123456789" "0123456789" "0123456789" "0123456789" "0123456789" "tail"
LAMBDA = lambda: 1
GEN = (x for x in [])
COMP = [x for x in []]
NEG_NAME = -A
NOT_NAME = not A
MULTI = (
    -1
)
STR_MULTI = """
multi
"""
if typing.TYPE_CHECKING:
    GUARDED = Dict[str, int]
try:
    TRIED = 1
except ImportError:
    TRIED = 2
for _i in range(1):
    LOOPED = 1
with open("x") as _f:
    WITHED = 1
X += 1
AUG: int
(PAREN) = 3
DOTTED.ATTR = 4

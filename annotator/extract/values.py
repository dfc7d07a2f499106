"""The plain values a reader hands the builders (extract/build.py) instead of its syntax nodes.

Both readers (libcst: extract/nodes.py, `ast`: extract/astnodes.py) compute these from their own trees.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True, slots=True)
class Value:
    """An assigned or bound expression, as the builders need it."""

    bindings: tuple[str, ...]  # "call:X", "path:X", "type:X" (both arms of a conditional)
    items: tuple[str, ...] = ()  # call targets of the items of a display or comprehension
    name: str | None = None  # the name, when the expression is a bare name
    item_names: tuple[str, ...] = ()  # bare names among the items of a display

    @property
    def calls(self) -> list[str]:
        return [b[5:] for b in self.bindings if b.startswith("call:")]


@dataclass(frozen=True, slots=True)
class Target:
    """One assignment target after unpacking tuples, lists and stars."""

    key: int  # identity of the target node (an assigned attribute is not a read)
    line: int
    name: str | None = None  # `x = ...`
    base: str | None = None  # `self.x = ...`: "self" (a name with one attribute)
    attr: str | None = None  # ... and "x"


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    annotation: str  # as written, on one line; "" without one
    star: Literal["", "*", "**"] = ""

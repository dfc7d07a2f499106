"""A readable, field-level difference between two extracted models (for reader-equivalence tests)."""

from __future__ import annotations

import dataclasses
from typing import Any


def model_diff(left: Any, right: Any, where: str = "", limit: int = 40) -> list[str]:
    """Lines `where: left != right` for every differing leaf field, at most `limit` of them.

    Tuples of model objects are matched by their key (qualname, name or position) rather than by
    index, so one missing method reads as one line, not as a shifted tail of differences.
    """
    out: list[str] = []
    _diff(left, right, where, out)
    return out if len(out) <= limit else [*out[:limit], f"... and {len(out) - limit} more"]


def _label(item: Any, index: int) -> str:
    if dataclasses.is_dataclass(item):
        for name in ("key", "qualname", "name"):
            value = getattr(item, name, None)
            if isinstance(value, str):
                return value
        line = getattr(item, "lineno", None)
        if line is not None:
            return f"#{index}@{line}"
    return f"#{index}"


def _diff(left: Any, right: Any, where: str, out: list[str]) -> None:
    if left == right:
        return
    if dataclasses.is_dataclass(left) and type(left) is type(right):
        for f in dataclasses.fields(left):
            _diff(getattr(left, f.name), getattr(right, f.name), f"{where}.{f.name}", out)
        return
    if isinstance(left, tuple) and isinstance(right, tuple) and _records(left) and _records(right):
        lkeys = [_label(x, i) for i, x in enumerate(left)]
        rkeys = [_label(x, i) for i, x in enumerate(right)]
        if len(set(lkeys)) == len(lkeys) and len(set(rkeys)) == len(rkeys) and lkeys != rkeys:
            by_right = dict(zip(rkeys, right, strict=True))
            for key, item in zip(lkeys, left, strict=True):
                if key in by_right:
                    _diff(item, by_right[key], f"{where}[{key}]", out)
                else:
                    out.append(f"{where}[{key}]: only on the left: {item!r}")
            for k, x in zip(rkeys, right, strict=True):
                if k not in lkeys:
                    out.append(f"{where}[{k}]: only on the right: {x!r}")
            if [k for k in lkeys if k in by_right] != [k for k in rkeys if k in lkeys]:
                out.append(f"{where}: order differs: {lkeys} != {rkeys}")
            return
        for i, (a, b) in enumerate(zip(left, right, strict=False)):
            _diff(a, b, f"{where}[{lkeys[i]}]", out)
        if len(left) != len(right):
            longer, side = (left, "left") if len(left) > len(right) else (right, "right")
            extra = longer[min(len(left), len(right)) :]
            out.append(f"{where}: {len(extra)} more on the {side}: {extra!r}")
        return
    out.append(f"{where}: {left!r} != {right!r}")


def _records(items: tuple[Any, ...]) -> bool:
    return bool(items) and all(dataclasses.is_dataclass(x) for x in items)

"""What both syntax readers share: text helpers and the decisions that do not depend on a syntax tree.

The allocator files are read with libcst (extract/visitor.py, extract/nodes.py), caller and hand-off files
with the stdlib `ast` and `tokenize` (extract/astvisitor.py, extract/astnodes.py); both hand the builders
of extract/build.py the same plain values, so the model is the same whichever reader made it.
"""

from __future__ import annotations

import re

from annotator.links import module_name
from annotator.model import FunctionKind

TEXT_LIMIT = 120
_PRAGMA = re.compile(r"#\s*(type:|noqa|pragma|pylint:|yapf:|fmt:|mypy:|isort:|ruff:|SPDX-)")
# Builtins that give their argument back (`list(xs)`) or an item of it (`min(xs)`)
SAME = frozenset({"list", "tuple", "sorted", "reversed", "set", "frozenset", "iter", "deque"})
ITEM_OF = frozenset({"min", "max", "next"})
ALIAS_CALLS = frozenset({"NewType", "typing.NewType", "TypeVar", "typing.TypeVar"})


def one_line(text: str, limit: int = TEXT_LIMIT) -> str:
    """Collapse whitespace to single spaces and cut to `limit` characters (with an ellipsis)."""
    flat = re.sub(r"\s+", " ", text).strip()
    flat = flat.replace("( ", "(").replace("[ ", "[").replace(", )", ")").replace(", ]", "]")
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def function_kind(decorators: tuple[str, ...], in_class: bool) -> FunctionKind:
    if not in_class:
        return "function"
    names = {d.split("(")[0] for d in decorators}
    if any(n.endswith((".setter", ".deleter")) for n in names):
        return "setter"
    if names & {"overload", "typing.overload"}:
        return "overload"
    if any(n.split(".")[-1] in ("property", "cached_property", "abstractproperty") for n in names):
        return "property"
    if names & {"staticmethod"}:
        return "staticmethod"
    if names & {"classmethod"}:
        return "classmethod"
    return "method"


def is_abstract(decorators: tuple[str, ...]) -> bool:
    return any(d.split("(")[0].split(".")[-1].startswith("abstract") for d in decorators)


def is_pragma(comment: str) -> bool:
    return bool(_PRAGMA.match(comment))


def comment_text(comment: str) -> str:
    return one_line(comment.lstrip("#").strip())


def doc_line(doc: str | None) -> str:
    """The first non-blank line of a cleaned docstring, on one line."""
    if not doc:
        return ""
    return one_line(next((line for line in doc.splitlines() if line.strip()), ""))


def passed_through(name: str | None, path: str) -> list[str]:
    """The binding of `list(xs)` / `min(xs)` given the called name and the first argument's path."""
    if (name not in SAME and name not in ITEM_OF) or not path:
        return []
    return [f"path:{path}[]" if name in ITEM_OF else f"path:{path}"]


def is_alias_name(name: str, annotation: str | None) -> bool | None:
    """The part of the alias decision the name alone settles: False, True, or None (ask the value)."""
    if name.startswith("__"):
        return False
    if annotation is not None and annotation.split(".")[-1] == "TypeAlias":
        return True
    return None


def package_name(path: str) -> str:
    """The package relative imports start from: "vllm/core/block/x.py" -> "vllm.core.block"."""
    name = module_name(path)
    return name if path.endswith("/__init__.py") else name.rpartition(".")[0]


def from_module(package: str, written: str, level: int) -> str:
    """The module `from <level dots><written> import ...` names, seen from `package`."""
    if not level:
        return written
    parts = package.split(".") if package else []
    parts = parts[: len(parts) - (level - 1)]
    return ".".join([*parts, written] if written else parts)

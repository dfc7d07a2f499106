"""Annotation text -> the names it can stand for, with container depth ("List[X]" -> X at depth 1)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(r"[A-Za-z_][\w.]*|\.\.\.|[\[\],|]|\S")
_PREFIXES = ("typing.", "typing_extensions.", "collections.abc.", "collections.", "builtins.")
_UNIONS = {"Optional", "Union"}
_FIRST = {"Annotated", "Final", "ClassVar", "Required", "NotRequired", "ReadOnly"}
_ITEMS = {
    "List", "list", "Sequence", "MutableSequence", "Deque", "deque", "Set", "set", "FrozenSet",
    "frozenset", "AbstractSet", "MutableSet", "Iterable", "Iterator", "Generator", "Collection",
    "Tuple", "tuple", "Reversible",
}  # fmt: skip
_MAPPINGS = {"Dict", "dict", "DefaultDict", "defaultdict", "Mapping", "MutableMapping", "OrderedDict"}
_TYPES = {"Type", "type"}
_NOTHING = {"None", "Literal", "..."}


@dataclass(frozen=True, slots=True)
class TypeName:
    """One name an annotation refers to: `depth` container levels deep; `is_class` for Type[X]."""

    name: str
    depth: int = 0
    is_class: bool = False


@dataclass
class _Node:
    name: str
    args: list[_Node]


def type_names(text: str) -> list[TypeName]:
    """The names a type annotation can stand for, looking through Optional, Union, containers."""
    tokens = _TOKEN.findall(text.replace('"', " ").replace("'", " "))
    try:
        nodes, _ = _union(tokens, 0)
    except IndexError:
        return []
    out: list[TypeName] = []
    for node in nodes:
        _interpret(node, 0, False, out)
    return out


def _union(tokens: list[str], i: int) -> tuple[list[_Node], int]:
    nodes = []
    while True:
        node, i = _atom(tokens, i)
        nodes.append(node)
        if i < len(tokens) and tokens[i] == "|":
            i += 1
            continue
        return nodes, i


def _atom(tokens: list[str], i: int) -> tuple[_Node, int]:
    tok = tokens[i]
    if tok == "[":  # a bare list of types, as in Callable[[A, B], C]
        args, i = _args(tokens, i + 1)
        return _Node("...", args), i
    node = _Node(tok, [])
    i += 1
    if i < len(tokens) and tokens[i] == "[":
        node.args, i = _args(tokens, i + 1)
    return node, i


def _args(tokens: list[str], i: int) -> tuple[list[_Node], int]:
    args: list[_Node] = []
    while tokens[i] != "]":
        nodes, i = _union(tokens, i)
        args.append(nodes[0] if len(nodes) == 1 else _Node("Union", nodes))
        if tokens[i] == ",":
            i += 1
    return args, i + 1


def _interpret(node: _Node, depth: int, is_class: bool, out: list[TypeName]) -> None:
    name = node.name
    for prefix in _PREFIXES:
        name = name.removeprefix(prefix)
    if name in _NOTHING:
        return
    if not node.args and name[:1].isalpha():  # a bare name: `Sequence` may be vLLM's own class
        out.append(TypeName(name, depth, is_class))
    elif name in _UNIONS:
        for arg in node.args:
            _interpret(arg, depth, is_class, out)
    elif name in _FIRST:
        for arg in node.args[:1]:
            _interpret(arg, depth, is_class, out)
    elif name in _ITEMS:
        for arg in node.args:
            _interpret(arg, depth + 1, is_class, out)
    elif name in _MAPPINGS:
        for arg in node.args[-1:]:
            _interpret(arg, depth + 1, is_class, out)
    elif name in _TYPES:
        for arg in node.args:
            _interpret(arg, depth, True, out)
    elif name[:1].isalpha() or name[:1] == "_":
        out.append(TypeName(name, depth, is_class))

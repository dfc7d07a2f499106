"""Source-order children of stdlib `ast` nodes, as libcst visits them, for the `ast` reader.

`ast` lists some children out of source order (a conditional's test before its body, a def's return
annotation after its body, dict keys apart from their values, keyword arguments after positional ones)
and some that libcst does not visit at all here (decorators and parameter lists: libcst's reader skips
them). `children` gives the rest in the order libcst meets them, so events fire in the same order.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator


def unstar(expr: ast.expr) -> ast.expr:
    return expr.value if isinstance(expr, ast.Starred) else expr


def _in_order(nodes: list[ast.expr | ast.keyword]) -> list[ast.expr | ast.keyword]:
    return sorted(nodes, key=lambda x: (x.lineno, x.col_offset))


def children(node: ast.AST) -> Iterator[ast.AST]:
    """The children libcst would visit, in source order (`ast` keeps some out of it)."""
    special = _SPECIAL.get(type(node))
    if special is not None:
        yield from special(node)
        return
    for name in _FIELDS.get(type(node)) or _fields(type(node)):
        value = getattr(node, name, None)
        if isinstance(value, list):
            yield from (v for v in value if isinstance(v, ast.AST))
        elif isinstance(value, ast.AST):
            yield value


_NOT_VISITED = frozenset(("ctx", "op", "ops", "type_comment", "type_params", "decorator_list"))
_FIELDS: dict[type, tuple[str, ...]] = {}


def _fields(kind: type) -> tuple[str, ...]:
    _FIELDS[kind] = found = tuple(f for f in getattr(kind, "_fields", ()) if f not in _NOT_VISITED)
    return found


def _def_children(node: ast.AST) -> Iterator[ast.AST]:
    assert isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    if node.returns is not None:
        yield node.returns
    yield from node.body


def _class_children(node: ast.AST) -> Iterator[ast.AST]:
    assert isinstance(node, ast.ClassDef)
    yield from _in_order([*node.bases, *node.keywords]) if node.keywords else node.bases
    yield from node.body


def _call_children(node: ast.AST) -> Iterator[ast.AST]:
    assert isinstance(node, ast.Call)
    yield node.func
    both = node.args and node.keywords
    yield from _in_order([*node.args, *node.keywords]) if both else node.args or node.keywords


def _if_exp_children(node: ast.AST) -> Iterator[ast.AST]:
    assert isinstance(node, ast.IfExp)
    yield from (node.body, node.test, node.orelse)


def _dict_children(node: ast.AST) -> Iterator[ast.AST]:
    assert isinstance(node, ast.Dict)
    for key, value in zip(node.keys, node.values, strict=True):
        if key is not None:
            yield key
        yield value


def _mapping_children(node: ast.AST) -> Iterator[ast.AST]:
    assert isinstance(node, ast.MatchMapping)
    for key, pattern in zip(node.keys, node.patterns, strict=True):
        yield key
        yield pattern


def _lambda_children(node: ast.AST) -> Iterator[ast.AST]:
    assert isinstance(node, ast.Lambda)
    yield node.body


_SPECIAL: dict[type, Callable[[ast.AST], Iterator[ast.AST]]] = {
    ast.FunctionDef: _def_children,
    ast.AsyncFunctionDef: _def_children,
    ast.ClassDef: _class_children,
    ast.Call: _call_children,
    ast.IfExp: _if_exp_children,
    ast.Dict: _dict_children,
    ast.MatchMapping: _mapping_children,
    ast.Lambda: _lambda_children,
}

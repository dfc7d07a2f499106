"""Small pure helpers over stdlib `ast` nodes, for the `ast` reader (extract/astvisitor.py).

They mirror extract/nodes.py (the same helpers over libcst nodes) and must give the same values. Where the
trees differ, these helpers bend `ast` to libcst's shape: `True`, `False` and `None` are names in libcst,
a starred item is its value, keyword and positional arguments are one list in source order.
"""

from __future__ import annotations

import ast
from typing import Literal

from annotator.extract.astwalk import unstar
from annotator.extract.common import ALIAS_CALLS, SAME, is_alias_name, passed_through
from annotator.extract.values import Value

_CONTAINERS = (ast.List, ast.Tuple, ast.Set)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.GeneratorExp)
_NAMED_CONSTANTS = (True, False, None)


def name_of(expr: ast.AST) -> str | None:
    """The name of a bare name (`True`, `False` and `None` included, as libcst has them), else None."""
    if isinstance(expr, ast.Name):
        return expr.id
    if isinstance(expr, ast.Constant) and any(expr.value is c for c in _NAMED_CONSTANTS):
        return str(expr.value)
    return None


def dotted(expr: ast.AST) -> str | None:
    """`a.b.c` for a chain of names and attributes, else None."""
    name = name_of(expr)
    if name is not None:
        return name
    if isinstance(expr, ast.Attribute):
        head = dotted(expr.value)
        return None if head is None else f"{head}.{expr.attr}"
    return None


def path_of(expr: ast.AST) -> str:
    """Names, attributes and subscripts as a path ("self.scheduler[]"); "super()"; else ""."""
    name = name_of(expr)
    if name is not None:
        return name
    if isinstance(expr, ast.Attribute):
        head = path_of(expr.value)
        return f"{head}.{expr.attr}" if head else ""
    if isinstance(expr, ast.Subscript):
        head = path_of(expr.value)
        return f"{head}[]" if head else ""
    if isinstance(expr, ast.Call):
        if isinstance(expr.func, ast.Name) and expr.func.id == "super":
            return "super()"
        head = path_of(expr.func)
        return f"{head}()" if head else ""
    return ""


def first_arg(call: ast.Call) -> ast.expr | None:
    """The value of the call's first argument in source order, positional or keyword, star or not."""
    values: list[ast.expr] = [*call.args, *(k.value for k in call.keywords)]
    if not values:
        return None
    first = min(values, key=lambda v: (v.lineno, v.col_offset)) if call.args and call.keywords else values[0]
    return first.value if isinstance(first, ast.Starred) else first


def bindings(expr: ast.AST) -> list[str]:
    """What an expression gives, for `locals`/`returned`: "call:X", "path:X"; both arms of a conditional."""
    if isinstance(expr, ast.IfExp):
        return bindings(expr.body) + bindings(expr.orelse)
    if isinstance(expr, ast.BoolOp):
        return [b for v in expr.values for b in bindings(v)]
    literal = _literal_type(expr)
    if literal:
        return [f"type:{literal}"]
    if isinstance(expr, ast.Call):
        arg = first_arg(expr)
        passed = passed_through(dotted(expr.func), path_of(arg) if arg is not None else "")
        if passed:
            return passed
        func = expr.func.value if isinstance(expr.func, ast.Subscript) else expr.func  # Queue[int]()
        target = dotted(func)
        if target:
            return [f"call:{target}"]
    path = path_of(expr)
    return [f"path:{path}"] if path and path != "super()" else []


def _literal_type(expr: ast.AST) -> str:
    """The builtin type of a display or literal (`[]` -> "list"), else ""."""
    if isinstance(expr, (ast.List, ast.ListComp)):
        return "list"
    if isinstance(expr, (ast.Dict, ast.DictComp)):
        return "dict"
    if isinstance(expr, (ast.Set, ast.SetComp)):
        return "set"
    if isinstance(expr, ast.Tuple):
        return "tuple"
    if isinstance(expr, ast.JoinedStr):
        return "str"
    if isinstance(expr, ast.Constant):
        value = expr.value
        if isinstance(value, (str, bytes)):
            return "str"
        if isinstance(value, int) and not isinstance(value, bool):
            return "int"
        if isinstance(value, float):
            return "float"
    return ""


def _elements(expr: ast.AST) -> list[ast.expr]:
    if isinstance(expr, _CONTAINERS):
        return [unstar(e) for e in expr.elts]
    if isinstance(expr, ast.Dict):
        return [v for k, v in zip(expr.keys, expr.values, strict=True) if k is not None]
    return []


def value(expr: ast.expr) -> Value:
    """What an assigned expression gives: bindings, call targets of its items, a bare name."""
    elements: list[ast.expr]
    if isinstance(expr, (*_CONTAINERS, ast.Dict)):
        elements = _elements(expr)
    elif isinstance(expr, _COMPREHENSIONS):
        elements = [expr.elt]
    elif isinstance(expr, ast.DictComp):
        elements = [expr.value]
    elif isinstance(expr, ast.Call) and dotted(expr.func) in SAME and (arg := first_arg(expr)) is not None:
        elements = [arg.elt] if isinstance(arg, _COMPREHENSIONS) else []
    else:
        elements = []
    items = [b[5:] for el in elements for b in bindings(el) if b.startswith("call:")]
    names = [n for n in (name_of(v) for v in _elements(expr)) if n is not None]
    return Value(tuple(bindings(expr)), tuple(items), name_of(expr), tuple(names))


def targets(node: ast.expr) -> list[ast.expr]:
    """Flatten tuple/list/starred assignment targets."""
    if isinstance(node, (ast.Tuple, ast.List)):
        out: list[ast.expr] = []
        for el in node.elts:
            out.extend(targets(el))
        return out
    if isinstance(node, ast.Starred):
        return targets(node.value)
    return [node]


def params(args: ast.arguments) -> list[tuple[ast.arg, Literal["", "*", "**"]]]:
    """Every parameter in order with its star."""
    out: list[tuple[ast.arg, Literal["", "*", "**"]]] = [(a, "") for a in (*args.posonlyargs, *args.args)]
    if args.vararg is not None:
        out.append((args.vararg, "*"))
    out.extend((a, "") for a in args.kwonlyargs)
    if args.kwarg is not None:
        out.append((args.kwarg, "**"))
    return out


def first_param(args: ast.arguments) -> str | None:
    ps = [*args.posonlyargs, *args.args]
    return ps[0].arg if ps else None


def is_alias_value(name: str, value: ast.expr, annotation: str | None, concatenated: bool) -> bool:
    """Module-level assignments worth a reader's attention: type aliases, NewTypes and constants."""
    settled = is_alias_name(name, annotation)
    if settled is not None:
        return settled
    if isinstance(value, ast.Call):
        return dotted(value.func) in ALIAS_CALLS
    bare = name_of(value)
    if bare is not None or isinstance(value, (ast.Subscript, ast.Attribute)):
        return name[:1].isupper() and (bare is None or bare[:1].isalpha())
    if isinstance(value, ast.BinOp) and isinstance(value.op, ast.BitOr):
        return name[:1].isupper()
    constant = isinstance(value, ast.UnaryOp) or concatenated or _literal_type(value) in ("int", "float")
    if isinstance(value, ast.Constant) and isinstance(value.value, (str, bytes)):
        constant = True
    return constant and name.lstrip("_").isupper()

"""Small pure helpers over single libcst nodes, used by the extraction visitor (extract/visitor.py)."""

from __future__ import annotations

import re

import libcst as cst

from annotator.model import FunctionKind

TEXT_LIMIT = 120
_PRAGMA = re.compile(r"#\s*(type:|noqa|pragma|pylint:|yapf:|fmt:|mypy:|isort:|ruff:|SPDX-)")
_CONTAINERS = (cst.List, cst.Tuple, cst.Set)
_COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.GeneratorExp)
_SAME = {"list", "tuple", "sorted", "reversed", "set", "frozenset", "iter", "deque"}
_ITEM_OF = {"min", "max", "next"}
_LITERALS: tuple[tuple[type | tuple[type, ...], str], ...] = (
    ((cst.List, cst.ListComp), "list"),
    ((cst.Dict, cst.DictComp), "dict"),
    ((cst.Set, cst.SetComp), "set"),
    (cst.Tuple, "tuple"),
    ((cst.SimpleString, cst.ConcatenatedString, cst.FormattedString), "str"),
    (cst.Integer, "int"),
    (cst.Float, "float"),
)


def one_line(text: str, limit: int = TEXT_LIMIT) -> str:
    """Collapse whitespace to single spaces and cut to `limit` characters (with an ellipsis)."""
    flat = re.sub(r"\s+", " ", text).strip()
    flat = flat.replace("( ", "(").replace("[ ", "[").replace(", )", ")").replace(", ]", "]")
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def dotted(expr: cst.BaseExpression) -> str | None:
    """`a.b.c` for a chain of names and attributes, else None."""
    if isinstance(expr, cst.Name):
        return expr.value
    if isinstance(expr, cst.Attribute):
        head = dotted(expr.value)
        return None if head is None else f"{head}.{expr.attr.value}"
    return None


def path_of(expr: cst.BaseExpression) -> str:
    """Names, attributes and subscripts as a path ("self.scheduler[]"); "super()"; else ""."""
    if isinstance(expr, cst.Name):
        return expr.value
    if isinstance(expr, cst.Attribute):
        head = path_of(expr.value)
        return f"{head}.{expr.attr.value}" if head else ""
    if isinstance(expr, cst.Subscript):
        head = path_of(expr.value)
        return f"{head}[]" if head else ""
    if isinstance(expr, cst.Call):
        if isinstance(expr.func, cst.Name) and expr.func.value == "super":
            return "super()"
        head = path_of(expr.func)
        return f"{head}()" if head else ""
    return ""


def bindings(expr: cst.BaseExpression) -> list[str]:
    """What an expression gives, for `locals`/`returned`: "call:X", "path:X"; both arms of a conditional."""
    if isinstance(expr, cst.IfExp):
        return bindings(expr.body) + bindings(expr.orelse)
    if isinstance(expr, cst.BooleanOperation):
        return bindings(expr.left) + bindings(expr.right)
    literal = _literal_type(expr)
    if literal:
        return [f"type:{literal}"]
    if isinstance(expr, cst.Call):
        passed = _passed_through(expr)
        if passed:
            return passed
        func = expr.func.value if isinstance(expr.func, cst.Subscript) else expr.func  # Queue[int]()
        target = dotted(func)
        if target:
            return [f"call:{target}"]
    path = path_of(expr)
    return [f"path:{path}"] if path and path != "super()" else []


def _passed_through(call: cst.Call) -> list[str]:
    """Builtins that give their argument back (`list(xs)`, `sorted(xs)`) or an item of it (`min(xs)`)."""
    name = dotted(call.func)
    if (name not in _SAME and name not in _ITEM_OF) or not call.args:
        return []
    path = path_of(call.args[0].value)
    if not path:
        return []
    return [f"path:{path}[]" if name in _ITEM_OF else f"path:{path}"]


def _literal_type(expr: cst.BaseExpression) -> str:
    """The builtin type of a display or literal (`[]` -> "list"), else ""."""
    for kinds, name in _LITERALS:
        if isinstance(expr, kinds):
            return name
    return ""


def value_calls(expr: cst.BaseExpression) -> tuple[list[str], list[str]]:
    """Call targets assigned (`X(...)`, both arms of a conditional) and those of container items."""
    calls = [b[5:] for b in bindings(expr) if b.startswith("call:")]
    items: list[str] = []
    if isinstance(expr, _CONTAINERS):
        elements = [el.value for el in expr.elements]
    elif isinstance(expr, _COMPREHENSIONS):
        elements = [expr.elt]
    elif isinstance(expr, cst.DictComp):
        elements = [expr.value]
    elif isinstance(expr, cst.Dict):
        elements = [el.value for el in expr.elements if isinstance(el, cst.DictElement)]
    elif isinstance(expr, cst.Call) and dotted(expr.func) in _SAME and expr.args:  # tuple(f(x) for x in y)
        arg = expr.args[0].value
        elements = [arg.elt] if isinstance(arg, _COMPREHENSIONS) else []
    else:
        elements = []
    for el in elements:
        items.extend(b[5:] for b in bindings(el) if b.startswith("call:"))
    return calls, items


def item_names(expr: cst.BaseExpression) -> list[str]:
    """Bare names among the items of a list/tuple/set display or the values of a dict display."""
    if isinstance(expr, _CONTAINERS):
        values = [el.value for el in expr.elements]
    elif isinstance(expr, cst.Dict):
        values = [el.value for el in expr.elements if isinstance(el, cst.DictElement)]
    else:
        return []
    return [v.value for v in values if isinstance(v, cst.Name)]


def targets(node: cst.BaseExpression) -> list[cst.BaseExpression]:
    """Flatten tuple/list/starred assignment targets."""
    if isinstance(node, (cst.Tuple, cst.List)):
        out: list[cst.BaseExpression] = []
        for el in node.elements:
            out.extend(targets(el.value))
        return out
    if isinstance(node, cst.StarredElement):
        return targets(node.value)
    return [node]


def self_attr(node: cst.BaseExpression, self_name: str) -> str | None:
    """ "x" for `self.x` (with `self_name` as the receiver), else None."""
    if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name) and node.value.value == self_name:
        return node.attr.value
    return None


def doc_line(node: cst.ClassDef | cst.FunctionDef | cst.Module) -> str:
    doc = node.get_docstring(clean=True)
    if not doc:
        return ""
    first = next((line for line in doc.splitlines() if line.strip()), "")
    return one_line(first)


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


def params_of(node: cst.FunctionDef) -> list[cst.Param]:
    p = node.params
    star = [p.star_arg] if isinstance(p.star_arg, cst.Param) else []
    kwarg = [p.star_kwarg] if p.star_kwarg is not None else []
    return [*p.posonly_params, *p.params, *star, *p.kwonly_params, *kwarg]


def first_param(node: cst.FunctionDef) -> str | None:
    ps = [*node.params.posonly_params, *node.params.params]
    return ps[0].name.value if ps else None


def is_alias_value(name: str, value: cst.BaseExpression, annotation: str | None) -> bool:
    """Module-level assignments worth a reader's attention: type aliases, NewTypes and constants."""
    if name.startswith("__"):
        return False
    if annotation is not None and annotation.split(".")[-1] == "TypeAlias":
        return True
    if isinstance(value, cst.Call):
        return dotted(value.func) in ("NewType", "typing.NewType", "TypeVar", "typing.TypeVar")
    if isinstance(value, (cst.Subscript, cst.Name, cst.Attribute)):
        return name[:1].isupper() and (not isinstance(value, cst.Name) or value.value[:1].isalpha())
    if isinstance(value, cst.BinaryOperation) and isinstance(value.operator, cst.BitOr):
        return name[:1].isupper()
    constant = (cst.Integer, cst.Float, cst.SimpleString, cst.ConcatenatedString, cst.UnaryOperation)
    return isinstance(value, constant) and name.lstrip("_").isupper()

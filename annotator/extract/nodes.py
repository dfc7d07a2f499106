"""Small pure helpers over single libcst nodes, used by the libcst reader (extract/visitor.py).

extract/astnodes.py holds the same helpers over stdlib `ast` nodes; the two must give the same values.
"""

from __future__ import annotations

from collections.abc import Callable

import libcst as cst

from annotator.extract.common import ALIAS_CALLS, SAME, doc_line, is_alias_name, passed_through
from annotator.extract.values import Param, Value

_CONTAINERS = (cst.List, cst.Tuple, cst.Set)
_COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.GeneratorExp)
_LITERALS: tuple[tuple[type | tuple[type, ...], str], ...] = (
    ((cst.List, cst.ListComp), "list"),
    ((cst.Dict, cst.DictComp), "dict"),
    ((cst.Set, cst.SetComp), "set"),
    (cst.Tuple, "tuple"),
    ((cst.SimpleString, cst.ConcatenatedString, cst.FormattedString), "str"),
    (cst.Integer, "int"),
    (cst.Float, "float"),
)


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
    return passed_through(dotted(call.func), path_of(call.args[0].value) if call.args else "")


def _literal_type(expr: cst.BaseExpression) -> str:
    """The builtin type of a display or literal (`[]` -> "list"), else ""."""
    for kinds, name in _LITERALS:
        if isinstance(expr, kinds):
            return name
    return ""


def value(expr: cst.BaseExpression) -> Value:
    """What an assigned expression gives: bindings, call targets of its items, a bare name."""
    if isinstance(expr, _CONTAINERS):
        elements = [el.value for el in expr.elements]
    elif isinstance(expr, _COMPREHENSIONS):
        elements = [expr.elt]
    elif isinstance(expr, cst.DictComp):
        elements = [expr.value]
    elif isinstance(expr, cst.Dict):
        elements = [el.value for el in expr.elements if isinstance(el, cst.DictElement)]
    elif isinstance(expr, cst.Call) and dotted(expr.func) in SAME and expr.args:  # tuple(f(x) for x in y)
        arg = expr.args[0].value
        elements = [arg.elt] if isinstance(arg, _COMPREHENSIONS) else []
    else:
        elements = []
    items = [b[5:] for el in elements for b in bindings(el) if b.startswith("call:")]
    return Value(
        tuple(bindings(expr)),
        tuple(items),
        expr.value if isinstance(expr, cst.Name) else None,
        tuple(item_names(expr)),
    )


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


def docstring(node: cst.ClassDef | cst.FunctionDef) -> str:
    doc = node.get_docstring(clean=True)
    return doc_line(doc if isinstance(doc, str) else None)


def params(node: cst.FunctionDef, code: Callable[[cst.CSTNode], str]) -> list[Param]:
    """Every parameter in order, with its annotation as written."""
    p = node.params
    star = p.star_arg if isinstance(p.star_arg, cst.Param) else None
    out = []
    for q in (*p.posonly_params, *p.params, *([star] if star else []), *p.kwonly_params):
        ann = code(q.annotation.annotation) if q.annotation else ""
        out.append(Param(q.name.value, ann, "*" if q is star else ""))
    if p.star_kwarg is not None:
        kw = p.star_kwarg
        out.append(Param(kw.name.value, code(kw.annotation.annotation) if kw.annotation else "", "**"))
    return out


def first_param(node: cst.FunctionDef) -> str | None:
    ps = [*node.params.posonly_params, *node.params.params]
    return ps[0].name.value if ps else None


def is_alias_value(name: str, value: cst.BaseExpression, annotation: str | None) -> bool:
    """Module-level assignments worth a reader's attention: type aliases, NewTypes and constants."""
    settled = is_alias_name(name, annotation)
    if settled is not None:
        return settled
    if isinstance(value, cst.Call):
        return dotted(value.func) in ALIAS_CALLS
    if isinstance(value, (cst.Subscript, cst.Name, cst.Attribute)):
        return name[:1].isupper() and (not isinstance(value, cst.Name) or value.value[:1].isalpha())
    if isinstance(value, cst.BinaryOperation) and isinstance(value.operator, cst.BitOr):
        return name[:1].isupper()
    constant = (cst.Integer, cst.Float, cst.SimpleString, cst.ConcatenatedString, cst.UnaryOperation)
    return isinstance(value, constant) and name.lstrip("_").isupper()

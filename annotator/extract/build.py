"""Mutable builders the extraction visitor fills, and their assembly into the frozen model.

Builders see the visitor only through the small `Collector` protocol, so they never import it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

import libcst as cst

from annotator.extract import nodes as n
from annotator.model import (
    Alias,
    CallSite,
    ClassInfo,
    Evidence,
    FileModel,
    FileRole,
    Function,
    FunctionKind,
    StateVar,
)

INIT_METHODS = ("__init__", "__post_init__", "__new__")
_Located = TypeVar("_Located", Evidence, CallSite)


class Collector(Protocol):
    """What the builders need of the extraction visitor: positions, source text and what it gathered."""

    classes: list[ClassBuilder]
    functions: list[FuncBuilder]
    aliases: list[Alias]
    imports: list[tuple[str, str]]

    def line(self, node: cst.CSTNode) -> int: ...

    def code(self, node: cst.CSTNode) -> str: ...


@dataclass
class Assignment:
    line: int
    method: str  # "" for the class body
    annotation: str | None
    calls: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()


@dataclass
class ClassBuilder:
    name: str
    qualname: str
    lineno: int
    end_lineno: int
    bases: tuple[str, ...]
    decorators: tuple[str, ...]
    doc: str
    methods: list[FuncBuilder] = field(default_factory=list)
    assigns: dict[str, list[Assignment]] = field(default_factory=dict)

    def class_field(self, name: str, line: int, ann: str | None, value: cst.BaseExpression | None) -> None:
        calls, items = n.value_calls(value) if value is not None else ([], [])
        self.assigns.setdefault(name, []).append(Assignment(line, "", ann, tuple(calls), tuple(items)))


@dataclass
class FuncBuilder:
    name: str
    qualname: str
    lineno: int
    end_lineno: int
    signature: str
    doc: str
    decorators: tuple[str, ...]
    kind: FunctionKind
    owner: ClassBuilder | None
    self_name: str | None
    returns: str
    asserts: list[Evidence] = field(default_factory=list)
    raises: list[Evidence] = field(default_factory=list)
    comments: list[Evidence] = field(default_factory=list)
    calls: list[CallSite] = field(default_factory=list)
    reads: list[tuple[int, CallSite]] = field(default_factory=list)  # (id of the Attribute node, site)
    not_reads: set[int] = field(default_factory=set)  # Attribute nodes that are called or assigned
    locals: list[tuple[str, str]] = field(default_factory=list)
    returned: list[str] = field(default_factory=list)

    @classmethod
    def start(cls, node: cst.FunctionDef, c: Collector, owner: ClassBuilder | None) -> FuncBuilder:
        decorators = tuple(n.one_line(c.code(d.decorator)) for d in node.decorators)
        kind = n.function_kind(decorators, owner is not None)
        returns = n.one_line(c.code(node.returns.annotation), 400) if node.returns else ""
        params = n.one_line(c.code(node.params), 400).rstrip(", ")
        func = cls(
            name=node.name.value,
            qualname=f"{owner.qualname}.{node.name.value}" if owner else node.name.value,
            lineno=0,  # set when the def is left
            end_lineno=0,
            signature=f"{node.name.value}({params})" + (f" -> {returns}" if returns else ""),
            doc=n.doc_line(node),
            decorators=decorators,
            kind=kind,
            owner=owner,
            self_name=n.first_param(node) if owner is not None and kind != "staticmethod" else None,
            returns=returns,
        )
        if kind == "classmethod":
            func.self_name = None
        func.add_params(node, c.code)
        return func

    def add_params(self, node: cst.FunctionDef, code: Callable[[cst.CSTNode], str]) -> None:
        star = node.params.star_arg if isinstance(node.params.star_arg, cst.Param) else None
        for p in n.params_of(node):
            ann = n.one_line(code(p.annotation.annotation), 400) if p.annotation is not None else ""
            if p is star:
                ann = f"Tuple[{ann}, ...]" if ann else "tuple"
            elif p is node.params.star_kwarg:
                ann = f"Dict[str, {ann}]" if ann else "dict"
            if ann:
                self.locals.append((p.name.value, f"type:{ann}"))
            elif p.name.value != self.self_name:
                self.locals.append((p.name.value, "param:"))

    def bind(self, name: str, value: cst.BaseExpression, item: bool = False) -> None:
        for b in n.bindings(value):
            self.locals.append((name, b + ("[]" if item else "")))

    def bind_loop(self, target: cst.BaseExpression, iterable: cst.BaseExpression) -> None:
        """`for x in xs` binds x to an item of xs; `for i, x in enumerate(xs)` too."""
        if isinstance(target, cst.Name):
            self.bind(target.value, iterable, item=True)
        elif (
            isinstance(target, cst.Tuple)
            and len(target.elements) == 2
            and isinstance(target.elements[1].value, cst.Name)
            and isinstance(iterable, cst.Call)
            and n.dotted(iterable.func) == "enumerate"
            and iterable.args
        ):
            self.bind(target.elements[1].value.value, iterable.args[0].value, item=True)

    def assign(
        self, target: cst.BaseExpression, value: cst.BaseExpression | None, ann: str | None, c: Collector
    ) -> None:
        for t in n.targets(target):
            if isinstance(t, cst.Name):
                if ann:
                    self.locals.append((t.value, f"type:{ann}"))
                if value is not None:
                    self.bind(t.value, value)
            self.not_reads.add(id(t))
            attr = n.self_attr(t, self.self_name) if self.self_name else None
            if attr is not None and self.owner is not None:
                self.owner.assigns.setdefault(attr, []).append(self._assignment(c.line(t), ann, value))

    def _assignment(self, line: int, ann: str | None, value: cst.BaseExpression | None) -> Assignment:
        calls, items = n.value_calls(value) if value is not None else ([], [])
        bound = n.bindings(value) if value is not None else []
        types = [b[5:] for b in bound if b.startswith("type:")]
        paths = [b[5:] for b in bound if b.startswith("path:")]
        if isinstance(value, cst.Name):
            types, more = self._name_types(value.value)
            calls.extend(more)
            paths = [b[5:] for n_, b in self.locals if n_ == value.value and b.startswith("path:")]
        for name in n.item_names(value) if value is not None else ():
            # `{Device.CPU: cpu_allocator, ...}` with `cpu_allocator: BlockAllocator`: a list of them
            types.extend(f"List[{t}]" for t in self._name_types(name)[0])
        return Assignment(line, self.name, ann, tuple(calls), tuple(items), tuple(types), tuple(paths))

    def _name_types(self, name: str) -> tuple[list[str], list[str]]:
        """The annotations and the call targets a local name is bound to."""
        bound = [b for n_, b in self.locals if n_ == name]
        types = [b[5:] for b in bound if b.startswith("type:")]
        calls = [b[5:] for b in bound if b.startswith("call:") and not b.endswith("]")]
        return types, calls

    def read(self, node: cst.Attribute, c: Collector) -> None:
        path = n.path_of(node.value)
        if path:
            self.reads.append((id(node), CallSite(c.line(node), path, node.attr.value, path)))

    def call(self, node: cst.Call, c: Collector) -> None:
        func = node.func
        self.not_reads.add(id(func))
        if isinstance(func, cst.Attribute):
            path = n.path_of(func.value)
            simple = path and "[" not in path and "(" not in path
            receiver = path if simple else n.one_line(c.code(func.value))
            self.calls.append(CallSite(c.line(node), receiver, func.attr.value, path))
        elif isinstance(func, cst.Name):
            self.calls.append(CallSite(c.line(node), "", func.value, ""))

    def _inside(self, items: list[_Located]) -> list[_Located]:
        """Evidence and calls of the def itself: not its decorators, not comments after its end."""
        return [x for x in items if self.lineno <= x.lineno <= self.end_lineno]

    def build(self, redefined: bool) -> Function:
        inside = self._inside(self.comments)
        return Function(
            name=self.name,
            qualname=self.qualname,
            lineno=self.lineno,
            end_lineno=self.end_lineno,
            signature=self.signature,
            doc=self.doc,
            public=not self.name.startswith("_"),
            abstract=n.is_abstract(self.decorators),
            decorators=self.decorators,
            kind=self.kind,
            asserts=_by_line(self.asserts),
            raises=_by_line(self.raises),
            comments=_by_line(inside),
            calls=tuple(sorted(self._inside(self.calls), key=lambda s: s.lineno)),
            returns=self.returns,
            returned=tuple(dict.fromkeys(self.returned)),
            locals=tuple(dict.fromkeys(self.locals)),
            redefined=redefined,
            accesses=tuple(self._inside([s for i, s in self.reads if i not in self.not_reads])),
        )


def _by_line(items: list[Evidence]) -> tuple[Evidence, ...]:
    return tuple(sorted(items, key=lambda e: e.lineno))


def build_functions(funcs: list[FuncBuilder]) -> tuple[Function, ...]:
    """Freeze functions in source order; a def replaced by a later one of the same name is `redefined`."""
    last: dict[str, int] = {}
    for i, f in enumerate(funcs):
        if f.kind not in ("setter", "overload"):
            last[f.qualname] = i
    built = [
        f.build(redefined=f.kind not in ("setter", "overload") and last[f.qualname] != i)
        for i, f in enumerate(funcs)
    ]
    return tuple(sorted(built, key=lambda f: (f.lineno, f.name)))


def init_reachable(cls: ClassBuilder) -> set[str]:
    """__init__ (and __post_init__) plus the methods they call on self, transitively."""
    by_name = {m.name: m for m in cls.methods}
    seen: set[str] = set()
    todo = [m for m in INIT_METHODS if m in by_name]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        method = by_name[name]
        todo.extend(s.name for s in method.calls if s.receiver == method.self_name and s.name in by_name)
    return seen


def build_state(cls: ClassBuilder) -> tuple[StateVar, ...]:
    reachable = init_reachable(cls)
    out = []
    for name, assigns in cls.assigns.items():
        lines = sorted({a.line for a in assigns})
        methods = sorted({a.method for a in assigns})
        instance = any(a.method for a in assigns)
        out.append(
            StateVar(
                name=name,
                annotation=next((a.annotation for a in assigns if a.annotation), None),
                lineno=lines[0],
                assigned_at=tuple(lines),
                kind="instance" if instance else "class",
                value_calls=_union(a.calls for a in assigns),
                item_calls=_union(a.items for a in assigns),
                value_types=_union(a.types for a in assigns),
                value_paths=_union(a.paths for a in assigns),
                assigned_in=tuple(methods),
                late=instance and not any(m == "" or m in reachable for m in methods),
            )
        )
    return tuple(sorted(out, key=lambda s: (s.lineno, s.name)))


def _union(groups: Iterable[tuple[str, ...]]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for group in groups:
        seen.update(dict.fromkeys(group))
    return tuple(seen)


def build_file(path: str, role: FileRole, blob: str, lines: int, c: Collector) -> FileModel:
    classes = tuple(
        ClassInfo(
            name=cls.name,
            qualname=cls.qualname,
            lineno=cls.lineno,
            end_lineno=cls.end_lineno,
            bases=cls.bases,
            decorators=cls.decorators,
            doc=cls.doc,
            state=build_state(cls),
            methods=build_functions(cls.methods),
        )
        for cls in c.classes
    )
    return FileModel(
        path=path,
        blob=blob,
        lines=lines,
        role=role,
        classes=tuple(sorted(classes, key=lambda k: (k.lineno, k.qualname))),
        functions=build_functions(c.functions),
        aliases=tuple(sorted(c.aliases, key=lambda a: (a.lineno, a.name))),
        imports=tuple(dict.fromkeys(c.imports)),
    )

"""Mutable builders the extraction readers fill, and their assembly into the frozen model.

The builders see no syntax tree: each reader (libcst in extract/visitor.py, `ast` in
extract/astvisitor.py) turns its nodes into the plain values below (`Value`, `Target`, `Param`), so
every decision about what a binding, an assignment or a call means is made here once, for both.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from annotator.extract.common import function_kind, is_abstract, one_line
from annotator.extract.values import Param, Target, Value
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


class Gathering:
    """What a reader gathers while it walks a module, and the scope it is in. When it is done:
    `classes` (every class, nested ones included, in source order), `functions` (module-level
    functions), `aliases` and `imports`."""

    def __init__(self, package: str) -> None:
        self.package = package  # where relative imports start
        self.classes: list[ClassBuilder] = []
        self.functions: list[FuncBuilder] = []
        self.aliases: list[Alias] = []
        self.imports: list[tuple[str, str]] = []
        self._class_stack: list[ClassBuilder] = []
        self._func: FuncBuilder | None = None
        self._nested = 0  # depth of defs and classes inside the current function

    def finish_def(self, func: FuncBuilder) -> None:
        """A top-level def is done: file it under its class, or as a module function."""
        (func.owner.methods if func.owner is not None else self.functions).append(func)


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

    def class_field(self, name: str, line: int, ann: str | None, value: Value | None) -> None:
        calls, items = (tuple(value.calls), value.items) if value is not None else ((), ())
        self.assigns.setdefault(name, []).append(Assignment(line, "", ann, calls, items))


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
    reads: list[tuple[int, CallSite]] = field(default_factory=list)  # (key of the attribute node, site)
    not_reads: set[int] = field(default_factory=set)  # attribute nodes that are called or assigned
    locals: list[tuple[str, str]] = field(default_factory=list)
    returned: list[str] = field(default_factory=list)

    @classmethod
    def start(
        cls,
        name: str,
        owner: ClassBuilder | None,
        *,
        decorators: tuple[str, ...],
        params_text: str,
        params: Sequence[Param],
        first_param: str | None,
        returns: str,
        doc: str,
    ) -> FuncBuilder:
        """A top-level def (method or module function); texts are as written, not yet on one line."""
        decorators = tuple(one_line(d) for d in decorators)
        kind = function_kind(decorators, owner is not None)
        returns = one_line(returns, 400) if returns else ""
        signature = f"{name}({one_line(params_text, 400).rstrip(', ')})"
        signature += f" -> {returns}" if returns else ""
        func = cls(
            name=name,
            qualname=f"{owner.qualname}.{name}" if owner else name,
            lineno=0,  # set when the def is left
            end_lineno=0,
            signature=signature,
            doc=doc,
            decorators=decorators,
            kind=kind,
            owner=owner,
            self_name=first_param if owner and kind not in ("staticmethod", "classmethod") else None,
            returns=returns,
        )
        func.add_params(params)
        return func

    def add_params(self, params: Sequence[Param]) -> None:
        for p in params:
            ann = one_line(p.annotation, 400) if p.annotation else ""
            if p.star == "*":
                ann = f"Tuple[{ann}, ...]" if ann else "tuple"
            elif p.star == "**":
                ann = f"Dict[str, {ann}]" if ann else "dict"
            if ann:
                self.locals.append((p.name, f"type:{ann}"))
            elif p.name != self.self_name:
                self.locals.append((p.name, "param:"))

    def bind(self, name: str, bindings: Iterable[str], item: bool = False) -> None:
        for b in bindings:
            self.locals.append((name, b + ("[]" if item else "")))

    def assign(self, targets: Iterable[Target], value: Value | None, ann: str | None) -> None:
        for t in targets:
            if t.name is not None:
                if ann:
                    self.locals.append((t.name, f"type:{ann}"))
                if value is not None:
                    self.bind(t.name, value.bindings)
            self.not_reads.add(t.key)
            if self.self_name and t.base == self.self_name and t.attr is not None and self.owner is not None:
                self.owner.assigns.setdefault(t.attr, []).append(self._assignment(t.line, ann, value))

    def _assignment(self, line: int, ann: str | None, value: Value | None) -> Assignment:
        calls = value.calls if value is not None else []
        items = value.items if value is not None else ()
        bound = value.bindings if value is not None else ()
        types = [b[5:] for b in bound if b.startswith("type:")]
        paths = [b[5:] for b in bound if b.startswith("path:")]
        if value is not None and value.name is not None:
            types, more = self._name_types(value.name)
            calls.extend(more)
            paths = [b[5:] for n_, b in self.locals if n_ == value.name and b.startswith("path:")]
        for name in value.item_names if value is not None else ():
            # `{Device.CPU: cpu_allocator, ...}` with `cpu_allocator: BlockAllocator`: a list of them
            types.extend(f"List[{t}]" for t in self._name_types(name)[0])
        return Assignment(line, self.name, ann, tuple(calls), items, tuple(types), tuple(paths))

    def _name_types(self, name: str) -> tuple[list[str], list[str]]:
        """The annotations and the call targets a local name is bound to."""
        bound = [b for n_, b in self.locals if n_ == name]
        types = [b[5:] for b in bound if b.startswith("type:")]
        calls = [b[5:] for b in bound if b.startswith("call:") and not b.endswith("]")]
        return types, calls

    def read(self, key: int, line: int, path: str, attr: str) -> None:
        """An attribute `path.attr` read (a call or an assignment of the same key cancels it)."""
        if path:
            self.reads.append((key, CallSite(line, path, attr, path)))

    def call(self, func_key: int, line: int, receiver: str, name: str, path: str) -> None:
        """A call of `receiver.name(...)` (receiver "" for a bare name); `name` "" for any other callee."""
        self.not_reads.add(func_key)
        if name:
            self.calls.append(CallSite(line, receiver, name, path))

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
            abstract=is_abstract(self.decorators),
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


def build_file(path: str, role: FileRole, blob: str, lines: int, c: Gathering) -> FileModel:
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

"""The extracted model of a commit's allocator files: plain frozen data, no libcst nodes.

Every collection is a tuple sorted by (lineno, name) so that output is deterministic. Kinds are `Literal`
types, so mypy checks every value written and the cache codec checks every value read back.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

EvidenceKind = Literal["assert", "raise", "comment"]
StateKind = Literal["instance", "class"]
FunctionKind = Literal["method", "property", "setter", "overload", "staticmethod", "classmethod", "function"]
Role = Literal["allocator", "caller", "handoff"]
# A file a snapshot holds: a layout file of a role, or a file outside the layout that notes cite
FileRole = Literal["allocator", "caller", "handoff", "cited"]
# "direct"; "dispatch": an override of the abstract method the call names; "property": a read of a
# property (`table.physical_block_ids`) reaching its getter (or an override of it)
EdgeKind = Literal["direct", "dispatch", "property"]


@dataclass(frozen=True, slots=True)
class Evidence:
    """An assert, raise or comment inside a method body: what a student must explain."""

    kind: EvidenceKind
    lineno: int
    text: str  # one line, at most ~120 characters (never a code block)


@dataclass(frozen=True, slots=True)
class StateVar:
    """An instance attribute (or a class-level field) of a class."""

    name: str
    annotation: str | None
    lineno: int  # first assignment (or the class-level declaration)
    assigned_at: tuple[int, ...]  # every line that assigns it, sorted
    kind: StateKind = "instance"
    # Call targets whose result was assigned, as written (e.g. "BlockAllocator",
    # "CpuGpuBlockAllocator.create"): the raw material for resolving `self.x.m()`.
    value_calls: tuple[str, ...] = ()
    # Added by the extraction stage (issue 3):
    item_calls: tuple[str, ...] = ()  # call targets of the items of an assigned list/dict/comprehension
    value_types: tuple[str, ...] = ()  # annotations of parameters assigned as-is (`self.x = x`, `x: T`)
    assigned_in: tuple[str, ...] = ()  # names of the methods that assign it, sorted ("" = class body)
    late: bool = False  # assigned only outside __init__ and the helpers __init__ calls
    value_paths: tuple[str, ...] = ()  # paths assigned as-is (`self.pool = self.coordinator.block_pool`)


@dataclass(frozen=True, slots=True)
class CallSite:
    """A call inside a function body, as written, before resolution."""

    lineno: int
    receiver: str  # "self", "self.block_manager", "scheduler", "" for a bare name call
    name: str  # the called method or function name
    # The receiver as a path of names, attributes and "[]" subscripts ("self.scheduler[]", "super()"),
    # or "" when it is any other expression (a call, a literal...). Added by the extraction stage.
    path: str = ""


@dataclass(frozen=True, slots=True)
class Function:
    """A method, property or module-level function."""

    name: str
    qualname: str  # "Class.method", "Outer.Inner.method" or "function"
    lineno: int  # the `def` line, as ast reports it (decorators excluded)
    end_lineno: int
    signature: str  # "allocate(self, seq_group: SequenceGroup) -> None"
    doc: str  # first docstring line, or ""
    public: bool  # no leading underscore (dunder methods are not public API)
    abstract: bool
    decorators: tuple[str, ...]  # as written without "@", e.g. ("property",), ("x.setter",)
    kind: FunctionKind
    asserts: tuple[Evidence, ...] = ()
    raises: tuple[Evidence, ...] = ()
    comments: tuple[Evidence, ...] = ()
    calls: tuple[CallSite, ...] = ()
    # Added by the extraction stage (issue 3), for resolving calls:
    returns: str = ""  # the return annotation as written, or ""
    returned: tuple[str, ...] = ()  # what `return` statements give: "call:X.create", "path:BlockTable"
    # Local names and what they are bound to: ("seq_group", "type:SequenceGroup") for an annotated
    # parameter or local, ("impl", "call:BlockSpaceManager.get_block_space_manager_class") for a call,
    # ("scheduler", "path:self.scheduler[]") for a path; a trailing "[]" means "an item of it" (for loops);
    # ("seq", "param:") for a parameter without annotation.
    locals: tuple[tuple[str, str], ...] = ()
    redefined: bool = False  # a later def with the same qualname replaces this one in the class body
    # Attribute reads that are not calls (`table.physical_block_ids`): a property is called this way.
    accesses: tuple[CallSite, ...] = ()

    @property
    def key(self) -> str:
        """Unique within a file even for property setters, overloads and redefinitions."""
        special = self.kind in ("setter", "overload") or self.redefined
        return f"{self.qualname}@{self.lineno}" if special else self.qualname


@dataclass(frozen=True, slots=True)
class ClassInfo:
    name: str
    qualname: str  # "Outer.Inner" for nested classes
    lineno: int  # the `class` line, as ast reports it
    end_lineno: int
    bases: tuple[str, ...]
    decorators: tuple[str, ...]
    doc: str
    state: tuple[StateVar, ...]
    methods: tuple[Function, ...]


@dataclass(frozen=True, slots=True)
class Alias:
    """A module-level alias or constant that matters to readers (`BlockTable = List[...]`)."""

    name: str
    lineno: int
    end_lineno: int
    text: str  # the value as written, one line, truncated


@dataclass(frozen=True, slots=True)
class FileModel:
    path: str
    blob: str  # git blob SHA of the file at the commit
    lines: int
    role: FileRole
    classes: tuple[ClassInfo, ...]
    functions: tuple[Function, ...] = ()
    aliases: tuple[Alias, ...] = ()
    imports: tuple[tuple[str, str], ...] = ()  # (local name, "module.Name") pairs

    def callables(self) -> Iterator[tuple[ClassInfo | None, Function]]:
        """Every method (with its class) and then every module-level function, in model order."""
        for cls in self.classes:
            for fn in cls.methods:
                yield cls, fn
        for fn in self.functions:
            yield None, fn


@dataclass(frozen=True, slots=True)
class Edge:
    """A resolved call: caller and callee as "path::Qualname"."""

    caller: str
    callee: str
    lineno: int
    kind: EdgeKind = "direct"


@dataclass(frozen=True, slots=True)
class Unresolved:
    caller: str
    lineno: int
    expression: str  # "self.foo.bar", "scheduler.free"


@dataclass(frozen=True, slots=True)
class CommitModel:
    sha: str
    version: str
    commit_date: str
    layout: str
    files: tuple[FileModel, ...]
    edges: tuple[Edge, ...] = ()
    unresolved: tuple[Unresolved, ...] = ()
    called_from_outside: frozenset[str] = field(default_factory=frozenset)  # "path::Class.method"

"""Structural changes between two commits: layout, files, classes and methods (pure; `annotate diff`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Literal

from annotator.links import node_id
from annotator.model import CommitModel, FileModel, Function
from annotator.regen.renames import Renames
from annotator.regen.spans import MergeContext, Span, renamed_code

ChangeKind = Literal["layout", "added", "removed", "renamed", "moved", "changed"]
Entity = Literal["layout", "file", "class", "method", "function"]


@dataclass(frozen=True, slots=True)
class Change:
    """One structural change. `kind`: layout | added | removed | renamed | moved | changed;
    `entity`: layout | file | class | method | function. `old`/`new` are "path" or "path::Qualname"
    (the layout name for a layout change); lines are (start, end) at each commit, when they exist.
    "moved": same code, other lines; "renamed": same code, other name or file; "changed": other code."""

    kind: ChangeKind
    entity: Entity
    old: str | None
    new: str | None
    old_lines: tuple[int, int] | None = None
    new_lines: tuple[int, int] | None = None

    def explain(self) -> str:
        """One line for a terminal."""
        if self.kind == "layout":
            return f"layout   {self.old} -> {self.new}"
        left = _ref(self.old, self.old_lines)
        right = _ref(self.new, self.new_lines)
        what = left if self.new is None else right if self.old is None else f"{left} -> {right}"
        return f"{self.kind:<8} {self.entity:<8} {what}"


def _ref(name: str | None, lines: tuple[int, int] | None) -> str:
    return f"{name} L{lines[0]}-L{lines[1]}" if name and lines else name or ""


def diff(
    old_model: CommitModel,
    new_model: CommitModel,
    renames: Renames,
    old_ctx: MergeContext | None = None,
    new_ctx: MergeContext | None = None,
) -> list[Change]:
    """The changes from `old_model` to `new_model`, following renames. With the contexts (which carry
    the source text) code is compared as text; without them, by signature and shape only."""
    old_ctx = old_ctx or _bare(old_model)
    new_ctx = new_ctx or _bare(new_model)
    move = renames.mapper(old_ctx.era, new_ctx.era)
    out: list[Change] = []
    if old_model.layout != new_model.layout:
        out.append(Change("layout", "layout", old_model.layout, new_model.layout))
    old_files = {f.path: f for f in old_model.files}
    new_files = {f.path: f for f in new_model.files}
    matched: dict[str, str] = {}
    for path in sorted(old_files):
        target = move(f"file:{path}").removeprefix("file:")
        if target in new_files:
            matched[path] = target
            if target != path:
                out.append(Change("renamed", "file", path, target))
        else:
            out.append(Change("removed", "file", path, None, _file_lines(old_files[path])))
    for path in sorted(set(new_files) - set(matched.values())):
        out.append(Change("added", "file", None, path, None, _file_lines(new_files[path])))
    old_syms = dict(_symbols(old_model))
    new_syms = dict(_symbols(new_model))
    seen_new: set[str] = set()
    for ref, (entity, fn) in old_syms.items():
        target = _target(move, entity, ref)
        if target not in new_syms and "@" in target:  # a setter or overload whose line moved
            same = [r for r in new_syms if r.partition("@")[0] == target.partition("@")[0] and "@" in r]
            target = same[0] if len(same) == 1 else target
        if target in new_syms:
            seen_new.add(target)
            change = _compare(entity, ref, target, fn, new_syms[target][1], old_ctx, new_ctx)
            if change:
                out.append(change)
        else:
            out.append(Change("removed", entity, ref, None, _lines(fn)))
    for ref, (entity, fn) in new_syms.items():
        if ref not in seen_new:
            out.append(Change("added", entity, None, ref, None, _lines(fn)))
    return sorted(out, key=_order)


def _symbols(model: CommitModel) -> Iterator[tuple[str, tuple[Entity, object]]]:
    for f in model.files:
        yield from _file_symbols(f)


def _target(move: Callable[[str], str], entity: str, ref: str) -> str:
    return move(f"{entity}:{ref}").split(":", 1)[1]


def _file_lines(f: FileModel) -> tuple[int, int] | None:
    return (1, f.lines) if f.lines else None


def _lines(sym: object) -> tuple[int, int]:
    return (getattr(sym, "lineno", 0), getattr(sym, "end_lineno", 0))


def _compare(
    entity: Entity, old: str, new: str, a: object, b: object, old_ctx: MergeContext, new_ctx: MergeContext
) -> Change | None:
    then, now = old_ctx.symbols.get(old), new_ctx.symbols.get(new)
    if then is not None and now is not None and then.lines and now.lines:
        rename = _class_rename(then, now)
        same = renamed_code(then.code(q for q, _, _ in then.methods), rename) == now.code(
            q for q, _, _ in now.methods
        )
    else:
        same = _shape(a) == _shape(b)
    lines_a, lines_b = _lines(a), _lines(b)
    if not same:
        return Change("changed", entity, old, new, lines_a, lines_b)
    if old.partition("@")[0] != new.partition("@")[0]:  # "@line" keys (setters) only moved
        return Change("renamed", entity, old, new, lines_a, lines_b)
    if lines_a != lines_b:
        return Change("moved", entity, old, new, lines_a, lines_b)
    return None


def _class_rename(then: Span, now: Span) -> dict[str, str]:
    a, b = then.qualname.split(".")[0], now.qualname.split(".")[0]
    return {a: b} if a != b else {}


def _shape(sym: object) -> tuple[object, ...]:
    """What can be compared without the source: a function's signature, evidence and length."""
    if isinstance(sym, Function):
        rel = [(e.kind, e.lineno - sym.lineno, e.text) for e in (*sym.asserts, *sym.raises, *sym.comments)]
        return (sym.signature, sym.end_lineno - sym.lineno, tuple(sorted(rel)))
    bases = getattr(sym, "bases", ())
    state = tuple(sorted(v.name for v in getattr(sym, "state", ())))
    return (bases, state)


def _bare(model: CommitModel) -> MergeContext:
    files: Mapping[str, int] = {f.path: f.lines for f in model.files}
    spans: dict[str, Span] = {}
    for f in model.files:
        for ref, (_entity, sym) in _file_symbols(f):
            start, end = _lines(sym)
            spans[ref] = Span(f.path, ref.split("::", 1)[1], start, end, ())
    return MergeContext(model.sha, model.version, model.layout, files, spans)


def _file_symbols(f: FileModel) -> Iterator[tuple[str, tuple[Entity, object]]]:
    for cls in f.classes:
        yield node_id(f.path, cls.qualname), ("class", cls)
        for fn in cls.methods:
            yield node_id(f.path, fn.key), ("method", fn)
    for fn in f.functions:
        yield node_id(f.path, fn.key), ("function", fn)


def _order(c: Change) -> tuple[int, str, int]:
    rank = {"layout": 0, "file": 1}.get(c.entity, 2)
    ref = c.new or c.old or ""
    path = ref.split("::")[0]
    line = (c.new_lines or c.old_lines or (0, 0))[0]
    return (rank, path, line)


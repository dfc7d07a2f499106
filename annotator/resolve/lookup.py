"""Exact citations for graders: where a symbol is at a commit, and which lines hold a string. Pure."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from annotator.links import match_files, permalink
from annotator.model import CommitModel, Function, FunctionKind
from annotator.snapshot.files import Snapshot

MAX_TEXT_HITS = 200

# A class, a module-level alias (`BlockTable = ...`), or a function of one of the model's kinds
SymbolKind = Literal["class", "alias"] | FunctionKind


@dataclass(frozen=True, slots=True)
class Symbol:
    """A class or function of the model with the line range ast gives (decorators excluded)."""

    path: str
    qualname: str
    kind: SymbolKind
    lineno: int
    end_lineno: int
    decorators: int = 0  # number of decorator lines above `lineno` (a citation may include them)

    def link(self, sha: str) -> str:
        return permalink(sha, self.path, self.lineno, self.end_lineno)

    def contains(self, start: int, end: int) -> bool:
        return self.lineno - self.decorators <= start and end <= self.end_lineno


@dataclass(frozen=True, slots=True)
class TextHit:
    path: str
    lineno: int
    text: str  # the line, stripped and cut to 160 characters

    def link(self, sha: str) -> str:
        return permalink(sha, self.path, self.lineno)


def symbols(model: CommitModel) -> list[Symbol]:
    """Every class, method, module-level function and alias (`BlockTable`), by path then line."""
    out: list[Symbol] = []
    for f in model.files:
        for cls in f.classes:
            out.append(Symbol(f.path, cls.qualname, "class", cls.lineno, cls.end_lineno, len(cls.decorators)))
            out.extend(_fn(f.path, fn) for fn in cls.methods)
        out.extend(_fn(f.path, fn) for fn in f.functions)
        out.extend(Symbol(f.path, a.name, "alias", a.lineno, a.end_lineno) for a in f.aliases)
    return sorted(out, key=lambda s: (s.path, s.lineno, s.qualname))


def _fn(path: str, fn: Function) -> Symbol:
    return Symbol(path, fn.qualname, fn.kind, fn.lineno, fn.end_lineno, len(fn.decorators))


def lookup(model: CommitModel, query: str) -> list[Symbol]:
    """Symbols a name designates: `Class`, `Class.method`, `function`, `path::Class.method`.

    The path (before "::") may be a suffix such as `block_manager.py`. An exact qualname wins;
    otherwise every qualname ending in "." + name matches (`allocate` finds all `*.allocate`).
    """
    path, sep, name = query.rpartition("::")
    name = name.strip().removesuffix("()")
    pool = symbols(model)
    if sep:
        files = set(match_files(path.strip(), sorted({s.path for s in pool})))
        pool = [s for s in pool if s.path in files]
    exact = [s for s in pool if s.qualname == name]
    if exact:
        return exact
    return [s for s in pool if s.qualname.endswith("." + name)]


def find_text(snap: Snapshot, needle: str, limit: int = MAX_TEXT_HITS) -> tuple[list[TextHit], int]:
    """Lines of the commit's files that contain `needle` (case-sensitive): the first `limit`, and
    how many there are in all."""
    hits: list[TextHit] = []
    total = 0
    if not needle:
        return hits, 0
    for f in sorted(snap.files, key=lambda f: f.path):
        for no, line in enumerate(f.text.splitlines(), 1):
            if needle in line:
                total += 1
                if len(hits) < limit:
                    hits.append(TextHit(f.path, no, line.strip()[:160]))
    return hits, total


def by_file(syms: Iterable[Symbol]) -> dict[str, list[Symbol]]:
    table: dict[str, list[Symbol]] = {}
    for s in syms:
        table.setdefault(s.path, []).append(s)
    return table

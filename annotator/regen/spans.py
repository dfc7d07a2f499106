"""What regeneration needs to know about one commit: where each symbol's code is and what it says."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from annotator.links import node_id
from annotator.model import CommitModel
from annotator.regen.renames import Era
from annotator.snapshot.files import Snapshot


@dataclass(frozen=True, slots=True)
class Span:
    """A class or function's code at one commit: lines start..end (1-based, inclusive)."""

    path: str
    qualname: str  # as in notes keys: "Class", "Class.method", "Class.prop@42"
    start: int
    end: int
    lines: tuple[str, ...]
    # For a class: (key, start, end) of its methods, so a class can be compared without them.
    methods: tuple[tuple[str, int, int], ...] = ()

    def code(self, without: Iterable[str] = ()) -> str:
        """The code, normalised: dedented, trailing spaces and blank lines dropped; methods named in
        `without` (qualnames) left out, so a class is compared on its own code only."""
        skip = set(without)
        drop = {n for q, a, b in self.methods if q in skip for n in range(a, b + 1)}
        kept = [line.rstrip() for n, line in enumerate(self.lines, self.start) if n not in drop]
        return textwrap.dedent("\n".join(line for line in kept if line))


@dataclass(frozen=True, slots=True)
class MergeContext:
    """One side of a regeneration: the commit and the code of its symbols ("path::Qualname")."""

    sha: str
    version: str
    layout: str
    files: Mapping[str, int] = field(default_factory=dict)  # path -> line count
    symbols: Mapping[str, Span] = field(default_factory=dict)
    skeleton: str = ""  # the skeleton generated at this commit, when known (exact stubs and keys)

    @property
    def era(self) -> Era:
        return Era(self.layout, frozenset(self.files) | frozenset(self.symbols))

    def span(self, path: str, qualname: str) -> Span | None:
        return self.symbols.get(node_id(path, qualname))


def context(snap: Snapshot, model: CommitModel, skeleton: str = "") -> MergeContext:
    """The MergeContext of a commit, from its snapshot (source text) and model (symbol ranges)."""
    symbols: dict[str, Span] = {}
    files: dict[str, int] = {}
    for f in model.files:
        source = snap.file(f.path)
        lines = tuple(source.text.splitlines()) if source else ()
        files[f.path] = f.lines

        def cut(start: int, end: int, lines: tuple[str, ...] = lines) -> tuple[str, ...]:
            return lines[start - 1 : end]

        for cls in f.classes:
            methods = tuple((fn.key, fn.lineno, fn.end_lineno) for fn in cls.methods)
            symbols[node_id(f.path, cls.qualname)] = Span(
                f.path, cls.qualname, cls.lineno, cls.end_lineno, cut(cls.lineno, cls.end_lineno), methods
            )
            for fn in cls.methods:
                symbols[node_id(f.path, fn.key)] = Span(
                    f.path, fn.key, fn.lineno, fn.end_lineno, cut(fn.lineno, fn.end_lineno)
                )
        for fn in f.functions:
            symbols[node_id(f.path, fn.key)] = Span(
                f.path, fn.key, fn.lineno, fn.end_lineno, cut(fn.lineno, fn.end_lineno)
            )
    return MergeContext(snap.sha, snap.version.version, snap.layout.name, files, symbols, skeleton)


def renamed_code(code: str, renames: Mapping[str, str]) -> str:
    """`code` with class names replaced (old -> new), so a renamed but unchanged class compares equal."""
    for old, new in sorted(renames.items()):
        code = re.sub(rf"\b{re.escape(old)}\b", new, code)
    return code

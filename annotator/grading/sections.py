"""What a heading is about: a file of the commit (a path or a unique suffix), and the classes or
methods it names. Bare citations (`L123`) under a heading are lines of that file, until the next
heading of the same or a higher level (structure.Scope). Resolution needs the commit, so it happens
here, per commit, and each heading is worked out once.
"""

from __future__ import annotations

from dataclasses import dataclass

from annotator.grading.citations import code_names, scan_line
from annotator.grading.structure import Heading, Scope
from annotator.links import match_files
from annotator.resolve.lookup import Symbol

NO_CONTEXT: tuple[str | None, tuple[Symbol, ...]] = (None, ())


@dataclass(frozen=True, slots=True)
class HeadingRefs:
    files: tuple[str, ...]  # file names as written
    names: tuple[str, ...]  # code-like names


MAX_REFS = 5  # files and names read from one heading


def heading_refs(heading: Heading) -> HeadingRefs:
    text = heading.text[:1000]
    _, mentions = scan_line(text, heading.line, names=False)
    files = tuple(m.path for m in mentions[:MAX_REFS])
    return HeadingRefs(files, tuple(code_names(text)[:MAX_REFS]))


class Contexts:
    """Resolves heading scopes to (file, symbols) at one commit; results are cached per heading."""

    def __init__(self, layout: list[str], every: list[str], syms: dict[str, list[Symbol]]) -> None:
        self.layout, self.every, self.syms = layout, every, syms
        self._scope: dict[int, tuple[str | None, tuple[Symbol, ...]]] = {}
        # Symbols by qualname and by last name part, in every file and per file.
        self._exact: dict[tuple[str | None, str], list[Symbol]] = {}
        self._tail: dict[tuple[str | None, str], list[Symbol]] = {}
        for path, found in syms.items():
            for s in found:
                for where in (None, path):
                    self._exact.setdefault((where, s.qualname), []).append(s)
                    if "." in s.qualname:
                        self._tail.setdefault((where, s.qualname.rsplit(".", 1)[1]), []).append(s)

    def file(self, token: str) -> str | None:
        hits = match_files(token, self.layout) or match_files(token, self.every)
        return hits[0] if len(hits) == 1 else None

    def symbol(self, name: str, path: str | None) -> list[Symbol]:
        """Symbols `name` designates: in `path` when given, else in any file, when unique."""
        for table, key in ((self._exact, name), (self._tail, name.rsplit(".", 1)[-1])):
            same = table.get((path, key), [])
            if table is self._tail and "." in name:
                same = [s for s in same if s.qualname.endswith("." + name)]
            if same:
                return same if len({(s.path, s.qualname) for s in same}) == 1 else []
        return []

    def at(self, scope: Scope | None) -> tuple[str | None, tuple[Symbol, ...]]:
        """The file and symbols the innermost headings above a line name (None, () when none does)."""
        if scope is None:
            return NO_CONTEXT
        key = id(scope)
        if key not in self._scope:
            outer = self.at(scope.parent)
            self._scope[key] = self._step(outer, scope.heading)
        return self._scope[key]

    def _step(
        self, outer: tuple[str | None, tuple[Symbol, ...]], heading: Heading
    ) -> tuple[str | None, tuple[Symbol, ...]]:
        refs = heading_refs(heading)
        path = next((p for p in map(self.file, refs.files) if p is not None), None)
        within = path or outer[0]
        found: list[Symbol] = []
        for name in refs.names:
            found.extend(self.symbol(name, within) or ([] if path else self.symbol(name, None)))
        if path is None and found:
            files = {s.path for s in found}
            if len(files) != 1:
                return outer if not within else (within, ())
            path = files.pop()
        if path is None:
            return outer
        return path, tuple(s for s in found if s.path == path)

"""Renames across vLLM's eras (queries/renames.toml): map a notes key at one commit to the same code's
key at another commit, forward or back in time. Pure: the caller says what each commit holds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from annotator import queries

SYMBOL_KINDS = ("class", "method", "function")


@dataclass(frozen=True, slots=True)
class Era:
    """What a commit holds, as far as renames care: its layout and present paths and "path::Qualname"s."""

    layout: str
    present: frozenset[str]


@dataclass(frozen=True, slots=True)
class Event:
    pr: int
    layout: str
    since: str | None
    paths: tuple[tuple[str, str], ...]
    symbols: tuple[tuple[str, str], ...]  # ("path::Class", "path::Class") pairs

    def inverse(self) -> Event:
        return Event(self.pr, self.layout, self.since, _flip(self.paths), _flip(self.symbols))

    def apply(self, path: str, qualname: str) -> tuple[str, str]:
        """Where the symbol `path::qualname` (qualname may be "" for the file itself) goes."""
        for old, new in self.symbols:
            old_path, old_cls = old.split("::", 1)
            if path == old_path and (qualname == old_cls or qualname.startswith(old_cls + ".")):
                new_path, new_cls = new.split("::", 1)
                return new_path, new_cls + qualname[len(old_cls) :]
        for old, new in self.paths:
            if path == old:
                return new, qualname
        return path, qualname


@dataclass(frozen=True, slots=True)
class Renames:
    eras: tuple[str, ...]
    events: tuple[Event, ...]  # chronological

    def happened(self, event: Event, era: Era) -> bool:
        at, of = self._index(era.layout), self._index(event.layout)
        if at < 0 or of < 0:
            return False
        return at > of or (at == of and (event.since is None or event.since in era.present))

    def steps(self, old: Era, new: Era) -> tuple[Event, ...]:
        """The events to apply, in order, to carry a key from `old` to `new`."""
        done_old = [self.happened(e, old) for e in self.events]
        done_new = [self.happened(e, new) for e in self.events]
        undo = [e.inverse() for e, a, b in zip(self.events, done_old, done_new, strict=True) if a and not b]
        redo = [e for e, a, b in zip(self.events, done_old, done_new, strict=True) if b and not a]
        return (*reversed(undo), *redo)

    def mapper(self, old: Era, new: Era) -> Callable[[str], str]:
        steps = self.steps(old, new)

        def move(path: str, qualname: str) -> tuple[str, str]:
            for event in steps:
                path, qualname = event.apply(path, qualname)
            return path, qualname

        return lambda key: map_key(key, move)

    def _index(self, layout: str) -> int:
        return self.eras.index(layout) if layout in self.eras else -1


def _flip(pairs: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    return tuple((b, a) for a, b in pairs)


def map_key(key: str, move: Callable[[str, str], tuple[str, str]]) -> str:
    """Apply a symbol move to a notes key; keys that name no code (header, q:1/answer...) stay."""
    kind, sep, rest = key.partition(":")
    if not sep:
        return key
    if kind == "changed":
        return f"changed:{map_key(rest, move)}"
    if kind == "file":
        return f"file:{move(rest, '')[0]}"
    if kind in SYMBOL_KINDS and "::" in rest:
        path, _, tail = rest.partition("::")
        qual, slash, slot = tail.partition("/")
        name, at, lineno = qual.partition("@")
        new_path, new_name = move(path, name)
        return f"{kind}:{new_path}::{new_name}{at}{lineno}{slash}{slot}"
    return key


def symbol_of(key: str) -> tuple[str, str] | None:
    """("path", "Qualname") of a class/method key (slot suffix dropped, "@line" kept), else None."""
    kind, sep, rest = key.partition(":")
    if not sep or kind not in SYMBOL_KINDS or "::" not in rest:
        return None
    path, _, tail = rest.partition("::")
    return path, tail.partition("/")[0]


def load_renames(path: Path | None = None) -> Renames:
    doc = queries.document("renames.toml", path)
    events = tuple(
        Event(
            pr=t.number("pr"),
            layout=t.text("layout"),
            since=t.text("since") if t.has("since") else None,
            paths=tuple(sorted(t.text_map("paths").items())),
            symbols=tuple(sorted(t.text_map("symbols").items())),
        )
        for t in doc.tables("event")
    )
    return Renames(doc.texts("eras"), events)

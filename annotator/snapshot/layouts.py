"""Declarative layouts (queries/layouts.toml): which files make up the allocator at a commit."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from annotator import queries
from annotator.errors import LayoutError
from annotator.model import Role
from annotator.snapshot.defaults import NONE, Defaults

ROLES = ("allocator", "callers", "handoff")
ROLE_NAMES: dict[str, Role] = {"allocator": "allocator", "callers": "caller", "handoff": "handoff"}


@dataclass(frozen=True, slots=True)
class Layout:
    name: str
    title: str
    require: tuple[str, ...]
    forbid: tuple[str, ...]
    allocator: tuple[str, ...]
    callers: tuple[str, ...]
    handoff: tuple[str, ...]
    # switches of queries/defaults.toml this layout needs ("engine" = "v1"): the default engine decides
    when: tuple[tuple[str, str], ...] = ()
    # the other engine's files at a commit that holds two (read, rendered compact; lifecycle layout name)
    lifecycle: str = ""  # the queries/lifecycle.toml layout of the default engine ("" = this name)
    other_engine: str = ""
    other_allocator: tuple[str, ...] = ()
    other_callers: tuple[str, ...] = ()

    def matches(self, paths: frozenset[str], defaults: Defaults = NONE) -> bool:
        if self.when and not defaults.matches(self.when):
            return False
        return all(p in paths for p in self.require) and not any(p in paths for p in self.forbid)

    def select(self, paths: Iterable[str]) -> tuple[tuple[str, Role], ...]:
        """The (path, role) pairs of this layout present among `paths`, in layout order.

        Raises LayoutError when a required (non-optional) entry has no file.
        """
        available = sorted(set(paths))
        chosen: list[tuple[str, Role]] = []
        seen: set[str] = set()
        lists = [(getattr(self, role), ROLE_NAMES[role]) for role in ROLES]
        lists += [(self.other_allocator, "allocator"), (self.other_callers, "caller")]
        for patterns, role in lists:
            for pattern in patterns:
                optional = pattern.endswith("?")
                pattern = pattern.rstrip("?")
                hits = [p for p in available if _match(pattern, p)]
                if not hits and not optional:
                    raise LayoutError(f"layout {self.name!r} needs {pattern} but the commit has no such file")
                for hit in hits:
                    if hit not in seen:
                        seen.add(hit)
                        chosen.append((hit, role))
        return tuple(chosen)

    def other_paths(self, paths: Iterable[str]) -> frozenset[str]:
        """The non-default engine's files among `paths` (rendered compact, with their own diagram)."""
        patterns = [p.rstrip("?") for p in (*self.other_allocator, *self.other_callers)]
        return frozenset(p for p in paths if any(_match(pat, p) for pat in patterns))


def _match(pattern: str, path: str) -> bool:
    if "*" not in pattern:
        return pattern == path
    # "*" stays within one folder: vllm/core/block/*.py does not match sub-folders.
    return fnmatch.fnmatchcase(path, pattern) and path.count("/") == pattern.count("/")


def load_layouts(path: Path | None = None) -> tuple[Layout, ...]:
    doc = queries.document("layouts.toml", path)
    return tuple(
        Layout(
            name=t.text("name"),
            title=t.text("title"),
            require=t.texts("require"),
            forbid=t.texts("forbid", ()),
            allocator=t.texts("allocator"),
            callers=t.texts("callers", ()),
            handoff=t.texts("handoff", ()),
            when=tuple(sorted(t.text_map("when").items())),
            lifecycle=t.text("lifecycle", t.text("name")),
            other_engine=t.text("other_engine", ""),
            other_allocator=t.texts("other_allocator", ()),
            other_callers=t.texts("other_callers", ()),
        )
        for t in doc.tables("layout")
    )


def choose_layout(
    paths: frozenset[str], layouts: tuple[Layout, ...], where: str, defaults: Defaults = NONE
) -> Layout:
    """The first layout matching the tree and the defaults, or a LayoutError naming what was looked for."""
    for layout in layouts:
        if layout.matches(paths, defaults):
            return layout
    looked = "; ".join(f"{lay.name}: {' + '.join(lay.require)}" for lay in layouts)
    if not any(p.startswith("vllm/") for p in paths):
        raise LayoutError(
            f"{where} has no vllm/ package: this does not look like vLLM's repository "
            "(point --repo at a clone of vLLM)"
        )
    raise LayoutError(
        f"no known layout of the allocator files matches {where} (looked for {looked}); "
        "pick a commit from v0.1.0 onwards (see README)"
    )


def layout_by_name(name: str, layouts: tuple[Layout, ...]) -> Layout:
    for layout in layouts:
        if layout.name == name:
            return layout
    raise LayoutError(f"unknown layout {name!r}")

"""Declarative layouts (queries/layouts.toml): which files make up the allocator at a commit."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from annotator import queries
from annotator.errors import LayoutError
from annotator.model import Role

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

    def matches(self, paths: frozenset[str]) -> bool:
        return all(p in paths for p in self.require) and not any(p in paths for p in self.forbid)

    def select(self, paths: Iterable[str]) -> tuple[tuple[str, Role], ...]:
        """The (path, role) pairs of this layout present among `paths`, in layout order.

        Raises LayoutError when a required (non-optional) entry has no file.
        """
        available = sorted(set(paths))
        chosen: list[tuple[str, Role]] = []
        seen: set[str] = set()
        for role in ROLES:
            for pattern in getattr(self, role):
                optional = pattern.endswith("?")
                pattern = pattern.rstrip("?")
                hits = [p for p in available if _match(pattern, p)]
                if not hits and not optional:
                    raise LayoutError(f"layout {self.name!r} needs {pattern} but the commit has no such file")
                for hit in hits:
                    if hit not in seen:
                        seen.add(hit)
                        chosen.append((hit, ROLE_NAMES[role]))
        return tuple(chosen)


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
        )
        for t in doc.tables("layout")
    )


def choose_layout(paths: frozenset[str], layouts: tuple[Layout, ...], where: str) -> Layout:
    """The first layout that matches the tree, or a LayoutError naming what was looked for."""
    for layout in layouts:
        if layout.matches(paths):
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

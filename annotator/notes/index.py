"""The index appendix: every class and method of the files read that has no section of its own, one
row each with its lines and permalink, and no prompts, so nothing a reader looks for disappears. Pure."""

from __future__ import annotations

from collections.abc import Callable

from annotator.links import lines_label, lines_ref
from annotator.model import ClassInfo, FileModel, Function

INTRO = (
    "Every other class and method of the files read, with its lines: no prompts. A section appears\n"
    "here when it is off the default path at this commit (`annotate --full` expands them all); a\n"
    "section that holds your words keeps its place.\n"
)


def index(
    sha: str,
    files: list[FileModel],
    has_class: Callable[[str, ClassInfo], bool],
    has_method: Callable[[str, ClassInfo | None, Function], bool],
    compact: frozenset[str] = frozenset(),
) -> str:
    """The appendix (empty when every class and method has a section). A class without a section (and
    every class of a `compact` file, the other engine's) is one row, its methods listed in it with their
    lines; a method of a class with a section but without a place there is a row of its own."""
    parts: list[str] = []
    for f in files:
        rows = []
        for cls in sorted(f.classes, key=lambda c: (c.lineno, c.qualname)):
            shown = has_class(f.path, cls)
            methods = [
                m for m in cls.methods if m.kind != "overload" and not (shown and has_method(f.path, cls, m))
            ]
            if f.path in compact or not shown:  # one row for the class, its methods listed in it
                if methods or not shown:
                    inline = ", ".join(f"`{m.name}` {lines_label(m.lineno, m.end_lineno)}" for m in methods)
                    rows.append(
                        _row(sha, f.path, f"class {cls.qualname}", cls.lineno, cls.end_lineno, inline)
                    )
                continue
            for fn in methods:
                rows.append(_row(sha, f.path, f"{fn.qualname}()", fn.lineno, fn.end_lineno))
        for fn in f.functions:
            if not has_method(f.path, None, fn):
                rows.append(_row(sha, f.path, f"{fn.qualname}()", fn.lineno, fn.end_lineno))
        if rows:
            head = "| symbol | lines | its methods |\n|---|---|---|\n"
            parts.append(f"### `{f.path}`\n\n{head}" + "".join(rows) + "\n")
    if not parts:
        return ""
    return "## Index: every other class and method\n\n" + INTRO + "\n" + "".join(parts)


def _row(sha: str, path: str, name: str, first: int, last: int, inline: str | None = None) -> str:
    return f"| `{name}` | {lines_ref(sha, path, first, last)} | {inline or ''} |\n"

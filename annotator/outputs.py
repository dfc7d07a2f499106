"""Where annotate's three files go: one folder (`--out DIR`), or a course repository's lab layout
(`--lab ROOT`, whose paths are declared in queries/lab.toml).

`Outputs` names each file by a path relative to one root, written with `/` on every OS: in a folder
they are the bare names of annotator/links.py; in the lab layout they are the paths lab.toml gives
(the notes under docs/..., the manifest and the README under experiments/...). A plan of writes is
then `{relative path: text}` under the root in both modes, and messages name the files the same way
on macOS, Linux and Windows. `link` is the relative URL from one of the files to another (the
README's link to the notes), which resolves on GitHub and in a local checkout alike. `course_labs`
finds the lab.toml files a course repository holds itself, for `annotate check`'s hint of which
--queries to pass.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from annotator import queries
from annotator.errors import AnnotatorError, QueryError
from annotator.links import MANIFEST_NAME, NOTES_NAME, README_NAME, shown_path

LAB_FILE = "lab.toml"
_KINDS = ("notes", "manifest", "readme")


@dataclass(frozen=True, slots=True)
class Outputs:
    """The root and, relative to it with `/`, the notes, manifest and README paths."""

    root: Path
    notes: str
    manifest: str
    readme: str
    option: str = "--out"  # the option that chose the root, for messages

    def path(self, relative: str) -> Path:
        return self.root.joinpath(*relative.split("/"))

    def link(self, source: str, target: str) -> str:
        """The relative URL from the file `source` to the file `target` (both relative paths)."""
        return relative_link(source, target)


def folder(out: Path) -> Outputs:
    """The three files side by side in one folder (`--out DIR`)."""
    return Outputs(out, NOTES_NAME, MANIFEST_NAME, README_NAME)


def lab(root: Path) -> Outputs:
    """The lab layout under the course repository `root` (which must be an existing folder)."""
    if not root.is_dir():
        raise AnnotatorError(
            f"--lab {shown_path(root)} is not a folder; pass the top folder of the course repository"
        )
    notes, manifest, readme = lab_paths()
    return Outputs(root, notes, manifest, readme, option="--lab")


def lab_paths(file: Path | None = None) -> tuple[str, str, str]:
    """The notes, manifest and README paths of queries/lab.toml (or a course's own copy, or `file`),
    checked."""
    doc = queries.document(LAB_FILE, file)
    table = queries.Fields(doc.data.get("lab"), doc.file, "[lab]")
    paths = tuple(_relative(table, kind) for kind in _KINDS)
    if len(set(paths)) < len(paths):
        raise QueryError("[lab] names one path for two files; give each file its own path", str(doc.file))
    return paths[0], paths[1], paths[2]


def lab_root(notes: Path) -> Path | None:
    """The course repository whose lab layout puts notes at `notes` (a path as given), if it does."""
    try:
        relative = lab_paths()[0].split("/")
    except AnnotatorError:  # a broken lab.toml only matters to `annotate --lab`
        return None
    parts = Path(notes).absolute().parts
    if len(parts) <= len(relative) or list(parts[-len(relative) :]) != relative:
        return None
    return Path(*parts[: -len(relative)])


_SKIP = frozenset({"node_modules", "__pycache__", "site-packages", "venv"})


def course_labs(root: Path, depth: int = 4, folders: int = 2000) -> list[tuple[Path, tuple[str, str, str]]]:
    """The lab.toml files a course repository holds (a course's own queries folder, at most `depth`
    folders down, hidden and vendored folders skipped, at most `folders` folders looked at) that
    declare a valid lab layout, with their paths, in path order. For hints only: `annotate check`
    never takes a course's queries by itself (a submission could ship easier questions)."""
    found: list[tuple[Path, tuple[str, str, str]]] = []
    for seen, (here, dirs, files) in enumerate(os.walk(root), start=1):
        level = len(Path(here).relative_to(root).parts)
        dirs[:] = sorted(d for d in dirs if level < depth and not d.startswith(".") and d not in _SKIP)
        if LAB_FILE in files:
            with contextlib.suppress(AnnotatorError):  # a broken one is no hint
                found.append((Path(here) / LAB_FILE, lab_paths(Path(here) / LAB_FILE)))
        if seen >= folders:
            break
    return sorted(found)


def relative_link(source: str, target: str) -> str:
    """`../../docs/x/notes.md` from `experiments/y/README.md`: up to the common folder, then down;
    percent-encoded, so a space or a `#` in a name still makes a working Markdown link."""
    src, dst = source.split("/")[:-1], target.split("/")
    common = 0
    while common < min(len(src), len(dst) - 1) and src[common] == dst[common]:
        common += 1
    return quote("/".join([".."] * (len(src) - common) + dst[common:]), safe="/")


def _relative(table: queries.Fields, kind: str) -> str:
    """A path relative to the course root, with `/`, that cannot leave it."""
    value = table.text(kind)
    parts = value.split("/")
    bad = (
        not value
        or "\\" in value
        or value.startswith("/")
        or ":" in parts[0]
        or any(p in ("", ".", "..") for p in parts)
        or value.strip() != value
    )
    if bad:
        raise QueryError(
            f"[lab] field {kind!r} must be a path inside the course repository, with / between "
            f"folders (not {value!r}); fix the file",
            str(table.file),
        )
    return value

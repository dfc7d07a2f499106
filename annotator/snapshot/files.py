"""A commit's allocator files, read once: the input of every later stage."""

from __future__ import annotations

from dataclasses import dataclass

from annotator.errors import ExtractError, SourceError
from annotator.model import FileRole
from annotator.snapshot.defaults import NONE, Defaults, evaluate, files_to_read
from annotator.snapshot.layouts import Layout, choose_layout, load_layouts
from annotator.snapshot.versions import VERSION_FILES, Version, detect, release_sha
from annotator.source.local import Source


@dataclass(frozen=True, slots=True)
class SourceFile:
    path: str
    role: FileRole
    blob: str
    text: str

    @property
    def lines(self) -> int:
        return len(self.text.splitlines())


@dataclass(frozen=True, slots=True)
class Snapshot:
    sha: str
    date: str
    version: Version
    layout: Layout
    files: tuple[SourceFile, ...]
    defaults: Defaults = NONE  # which implementation runs when the user sets nothing (queries/defaults.toml)

    def file(self, path: str) -> SourceFile | None:
        return next((f for f in self.files if f.path == path), None)


def take(source: Source, ref: str, layouts: tuple[Layout, ...] | None = None) -> Snapshot:
    """Resolve `ref`, pick the layout from the tree and read its files."""
    sha = resolve(source, ref)
    commit = source.commit(sha)
    tree = source.tree(sha)
    paths = frozenset(tree)
    settings = [tree[p] for p in files_to_read() if p in tree]
    source.prefetch(settings)  # one round trip (a no-op for a local clone)
    defaults = evaluate(paths, commit.date, lambda p: _text(source, tree, p))
    layout = choose_layout(paths, layouts or load_layouts(), f"commit {sha[:12]}", defaults)
    selected = layout.select(tree)
    # One round trip for every blob this function may read (a no-op for a local clone).
    source.prefetch([tree[path] for path, _ in selected] + [tree[p] for p in VERSION_FILES if p in tree])
    version = detect(sha, source.tags_at(sha), tree, source.read)
    files = tuple(
        SourceFile(path, role, tree[path], _decode(path, source.read(tree[path]))) for path, role in selected
    )
    return Snapshot(sha, commit.date, version, layout, files, defaults)


def _text(source: Source, tree: dict[str, str], path: str) -> str | None:
    """A settings file's text for the defaults reader (None: absent or not UTF-8, so not read)."""
    if path not in tree:
        return None
    try:
        return source.read(tree[path]).decode("utf-8")
    except UnicodeDecodeError:
        return None


def resolve(source: Source, ref: str) -> str:
    """The commit `ref` names; a release name missing from a tagless clone goes by the release table."""
    try:
        return source.resolve(ref)
    except SourceError:
        listed = release_sha(ref)
        if listed is None:
            raise
    try:
        return source.resolve(listed)
    except SourceError as exc:
        raise SourceError(f"{exc} (the release table's commit for {ref})") from None


def _decode(path: str, data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ExtractError(f"not UTF-8 at byte {exc.start}; is this a Python source file?", path) from None

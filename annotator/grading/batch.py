"""Check many notes files: read each safely, group them by commit, and read and parse each commit's
vLLM files once (one snapshot, model, copy index and symbol table per commit).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from annotator import outputs
from annotator.errors import AnnotatorError
from annotator.grading.check import Report, inspect_notes, notes_commit
from annotator.grading.citecheck import Placed, place
from annotator.grading.copying import build_index
from annotator.grading.findings import Finding, finding
from annotator.grading.manifest import manifest_sha
from annotator.grading.prose import Structure, student_text
from annotator.grading.sections import heading_refs
from annotator.links import MANIFEST_NAME, match_files, shown_path
from annotator.model import CommitModel
from annotator.notes.markers import Segment, parse
from annotator.resolve.lookup import by_file, symbols
from annotator.snapshot.files import Snapshot, SourceFile, take
from annotator.source.local import Source
from annotator.source.repos import open_source

MAX_NOTES_BYTES = 5_000_000
MAX_MANIFEST_BYTES = 1_000_000
MAX_EXTRA_FILES = 100  # cited files outside the layout, read per commit
MAX_MATCHES = 5  # files read for one ambiguous file name

ModelBuilder = Callable[[Snapshot], CommitModel]


@dataclass(frozen=True, slots=True)
class FileResult:
    path: str
    sha: str | None  # the commit the notes were checked at (or name, when it could not be read)
    report: Report | None  # None when the file could not be read
    findings: tuple[Finding, ...]
    text: str | None = field(default=None, repr=False, compare=False)  # the notes (for the review pages)

    @property
    def ok(self) -> bool:
        """No error-level finding (warnings are allowed)."""
        return not any(f.severity == "error" for f in self.findings)

    def passes(self, strict: bool = False) -> bool:
        return not self.findings if strict else self.ok


@dataclass
class Batch:
    results: list[FileResult] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)  # warnings for stderr
    snapshots: dict[str, Snapshot] = field(default_factory=dict)  # by SHA: the files each commit was read

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.results)

    def passes(self, strict: bool = False) -> bool:
        """Every file passes: no errors (strict: no findings at all)."""
        return all(r.passes(strict) for r in self.results)


@dataclass
class _Notes:
    path: Path
    text: str | None
    manifest: dict[str, Any] | None
    early: list[Finding]  # reading problems, found before any commit is known
    manifest_name: str = MANIFEST_NAME
    sha: str | None = None
    segments: list[Segment] = field(default_factory=list)
    # The student's text and its placed citations, worked out once per file and reused.
    structure: Structure | None = None
    placement: tuple[list[Placed], int] | None = None

    def placed(self) -> tuple[Structure, tuple[list[Placed], int]]:
        if self.structure is None or self.placement is None:
            self.structure = student_text(self.segments)
            self.placement = place(self.structure.lines)
        return self.structure, self.placement


def shown(path: Path) -> str:
    """A path as text that can always be printed (undecodable bytes in file names become U+FFFD), with
    `/` between folders on every OS."""
    return shown_path(path).encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def read_notes(path: Path) -> tuple[str | None, Finding | None]:
    """The text of a notes file, or the finding that says why it cannot be checked."""

    def bad(code: str, message: str) -> tuple[None, Finding]:
        return None, finding(code, shown(path), None, message)

    if not path.is_file():
        return bad("notes-unreadable", "not a regular file; pass the notes .md file")
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_NOTES_BYTES + 1)
    except OSError as exc:
        return bad("notes-unreadable", f"cannot read it: {exc.strerror}")
    if len(data) > MAX_NOTES_BYTES:
        limit = MAX_NOTES_BYTES // 1_000_000
        return bad("notes-too-large", f"larger than {limit} MB; remove pasted logs, data or images")
    if b"\0" in data:
        return bad("notes-binary", "holds NUL bytes: this is a binary file, not Markdown notes")
    try:
        return data.decode("utf-8").removeprefix("\ufeff"), None
    except UnicodeDecodeError as exc:
        return bad("notes-not-utf8", f"not UTF-8 (byte {exc.start}); save the notes as UTF-8")


def manifest_candidates(notes: Path) -> list[Path]:
    """Where the manifest of the notes at `notes` may be, first found wins: the lab layout's manifest
    when the notes sit at the lab's notes path (`annotate --lab`, annotator/outputs.py), then the one
    beside the notes (`--out`)."""
    root = outputs.lab_root(notes)
    lab = [root.joinpath(*outputs.lab_paths()[1].split("/"))] if root is not None else []
    return [*lab, notes.parent / MANIFEST_NAME]


def find_manifest(notes: Path, explicit: Path | None = None) -> Path | None:
    """The manifest to use: `explicit` (--manifest), else the first candidate that exists."""
    if explicit is not None:
        return explicit
    return next((p for p in manifest_candidates(notes) if p.exists() or p.is_symlink()), None)


def read_manifest(target: Path | None) -> tuple[dict[str, Any] | None, Finding | None]:
    """A manifest file: None when there is none, or a `manifest-invalid` finding."""
    if target is None:
        return None, None
    if not target.is_file():  # a folder, or a named pipe that would block the read forever
        return None, finding("manifest-invalid", shown(target), None, "cannot use it: not a regular file")
    try:
        with target.open("rb") as fh:
            data = fh.read(MAX_MANIFEST_BYTES + 1)
        if len(data) > MAX_MANIFEST_BYTES:
            raise ValueError("larger than 1 MB")
        value = json.loads(data.decode("utf-8-sig"))
        if not isinstance(value, dict):
            raise ValueError("not a JSON object")
    except (OSError, ValueError, RecursionError) as exc:
        return None, finding("manifest-invalid", shown(target), None, f"cannot use it: {str(exc)[:120]}")
    return value, None


def grade(
    paths: Sequence[Path],
    repo: str | None,
    sha: str | None = None,
    build_model: ModelBuilder | None = None,
    manifest: Path | None = None,
) -> Batch:
    """Check every notes file; `sha` forces the commit (the notes must then name the same one);
    `manifest` is the manifest of every file (else each file's own, see manifest_candidates)."""
    build = build_model or _default_model
    batch = Batch()
    notes = [_load(p, manifest) for p in paths]
    source: Source | None = None
    forced: Snapshot | None = None
    if sha is not None:
        source = open_source(repo)
        forced = take(source, sha)
    groups: dict[str | None, list[_Notes]] = {}
    for n in notes:
        groups.setdefault(forced.sha if forced else n.sha, []).append(n)
    results: dict[Path, FileResult] = {}
    for commit, members in groups.items():
        snap: Snapshot | None = forced
        if snap is None and commit is not None:
            source = source or open_source(repo)
            try:
                snap = take(source, commit)
            except AnnotatorError as exc:
                for n in members:
                    problem = finding("commit-unresolvable", shown(n.path), None, f"{commit[:12]}: {exc}")
                    n.early.append(problem)
        results.update(_check_group(members, snap, source, build, batch))
    batch.results = [results[n.path] for n in notes]
    return batch


def _load(path: Path, explicit: Path | None) -> _Notes:
    text, problem = read_notes(path)
    where = find_manifest(path, explicit)
    manifest, mproblem = read_manifest(where)
    early = [f for f in (problem, mproblem) if f is not None]
    n = _Notes(path, text, manifest, early, where.name if where is not None else MANIFEST_NAME)
    if text is not None:
        n.segments = parse(text)
        n.sha = notes_commit(text, n.segments)[0] or (manifest_sha(manifest) if manifest else None)
    return n


def _check_group(
    members: list[_Notes], snap: Snapshot | None, source: Source | None, build: ModelBuilder, batch: Batch
) -> dict[Path, FileResult]:
    """Check the notes of one commit: its model and copy index are built once, from the layout's files."""
    model: CommitModel | None = None
    index = None
    readable = [n for n in members if n.text is not None]
    if snap is not None and readable:
        try:
            model = build(snap)
        except (AnnotatorError, ImportError) as exc:
            batch.messages.append(f"warning: no symbol checks at {snap.sha[:12]}: {exc}")
        index = build_index((f.path, f.text) for f in snap.files)
        if source is not None:
            snap = _with_cited_files(source, snap, readable)
        batch.snapshots[snap.sha] = snap
    syms = by_file(symbols(model)) if model is not None else {}
    out: dict[Path, FileResult] = {}
    for n in members:
        if n.text is None:
            out[n.path] = FileResult(shown(n.path), n.sha, None, tuple(n.early))
            continue
        structure, placement = n.placed()
        report = inspect_notes(
            n.text,
            shown(n.path),
            snap,
            model,
            n.manifest,
            index=index,
            syms=syms,
            segments=n.segments,
            structure=structure,
            placement=placement,
            manifest_name=n.manifest_name,
        )
        sha = snap.sha if snap is not None else report.sha
        out[n.path] = FileResult(shown(n.path), sha, report, (*n.early, *report.findings), n.text)
    return out


def _with_cited_files(source: Source, snap: Snapshot, notes: list[_Notes]) -> Snapshot:
    """The snapshot plus the files the notes cite that are not among the layout's files."""
    have = [f.path for f in snap.files]
    wanted: set[str] = set()
    for n in notes:
        structure, (placed, _) = n.placed()
        tokens = {p.target for p in placed if p.target is not None}
        for heading, _ in structure.headings:
            tokens.update(heading_refs(heading).files)
        wanted.update(t for t in tokens if not match_files(t, have))
    if not wanted:
        return snap
    tree = source.tree(snap.sha, ".")  # the whole commit: permalinks may name any file
    paths = sorted(tree)
    chosen: list[str] = []
    for token in sorted(wanted):
        for path in match_files(token, paths)[:MAX_MATCHES]:
            if path not in chosen and len(chosen) < MAX_EXTRA_FILES:
                chosen.append(path)
    source.prefetch([tree[path] for path in chosen])  # one round trip from a remote, not one per file
    extra: dict[str, SourceFile] = {}
    for path in chosen:
        data = source.read(tree[path])
        extra[path] = SourceFile(path, "cited", tree[path], data.decode("utf-8", "replace"))
    return replace(snap, files=snap.files + tuple(extra.values()))


def _default_model(snap: Snapshot) -> CommitModel:
    from annotator.resolve.analyze import analyze  # networkx only when a commit is really read

    return analyze(snap)

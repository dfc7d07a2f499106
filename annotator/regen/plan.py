"""Regenerate notes in place at another commit: merge the student's text into the new skeleton, keep
the previous notes as a backup beside them, record the previous commit in the manifest. Plans only:
the cli writes the plan's files (backup first, manifest last, all or none: annotator/cli/annotate.py).
Files are named by their paths relative to the outputs' root (annotator/outputs.py), so one folder
and a course's lab layout regenerate alike. The notes come back with the line ends they were
saved with (CRLF stays CRLF, LF stays LF) and keep a byte order mark if they had one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.errors import AnnotatorError, NotesError
from annotator.fsio import (
    diff_files,
    like,
    line_end,
    load_json,
    read_text,
    with_line_end,
)
from annotator.links import NOTES_NAME, shown_path
from annotator.model import CommitModel
from annotator.notes.markers import parse, written_sections
from annotator.outputs import Outputs
from annotator.regen.merge import MergeResult, merge
from annotator.regen.renames import load_renames
from annotator.regen.spans import MergeContext, context
from annotator.snapshot import manifest
from annotator.snapshot.files import Snapshot

_HEADER_SHA = re.compile(r"/tree/([0-9a-f]{40})")


@dataclass
class RegenPlan:
    """What regeneration would write (path relative to `out_dir`, with `/` -> text), as a diff too."""

    files: dict[str, str]
    out_dir: Path
    warnings: list[str] = field(default_factory=list)
    old_sha: str = ""
    backup: str | None = None  # the backup's file name, when the notes change
    merge: MergeResult | None = None
    notes: str = NOTES_NAME  # the notes' path among `files`

    @property
    def diff(self) -> str:
        """The unified diff of the plan against the folder (computed on demand: only --dry-run shows it)."""
        return diff_files(self.out_dir, {k: v for k, v in self.files.items() if k != self.backup})

    @property
    def changed(self) -> bool:
        return any(
            not (self.out_dir / name).exists() or read_text(self.out_dir / name) != text
            for name, text in self.files.items()
            if name != self.backup
        )


def regenerate(
    out: Outputs,
    new_snap: Snapshot,
    new_model: CommitModel,
    new_skeleton: str,
    load_old: Callable[[str], tuple[Snapshot, CommitModel]],
    render_old: Callable[[Snapshot, CommitModel], str] | None = None,
    render_keeping: Callable[[frozenset[str]], str] | None = None,
) -> RegenPlan:
    """Plan the regeneration of `out`'s notes at `new_snap`'s commit; nothing is written.

    The old commit comes from `out`'s manifest (else the notes' header; the tool's header wins over a
    manifest that names another commit: a run killed between the two writes); `load_old(sha)` reads
    it (snapshot and model) to find the old symbols' code, and `render_old` (when given) renders its
    skeleton so the old stubs and keys are known exactly. `render_keeping(keys)` renders the new
    skeleton again keeping the sections of `keys` too: the new names of renamed code (renames.toml)
    that holds the student's words, which keep their sections under the new name. At the same commit
    the notes come back unchanged, and manifest.json keeps its `previous`.
    """
    notes_path = out.path(out.notes)
    stored = read_text(notes_path)
    if "\x00" in stored:  # as `annotate check` says: binary, not notes; regenerating would carry the NULs on
        raise NotesError(
            f"cannot regenerate {shown_path(notes_path)}: it holds NUL bytes (a binary file, not notes); "
            f"restore the notes from a backup or pass another {out.option}"
        )
    bom = "\ufeff" if stored.startswith("\ufeff") else ""  # Notepad's; it would hide the first marker
    old_notes = with_line_end(stored.removeprefix(bom), "\n")  # merged as LF, saved as they were
    old_manifest = _read_manifest(out.path(out.manifest))
    warnings: list[str] = []
    manifest_sha, header_sha = str(old_manifest.get("sha") or ""), _tool_header_sha(old_notes)
    if header_sha and manifest_sha and header_sha != manifest_sha:  # killed between notes and manifest
        warnings.append(
            f"{out.manifest} names {manifest_sha[:12]} but the notes were written at {header_sha[:12]} "
            "(a run stopped before its last write): the notes' commit is used"
        )
        version = str(old_manifest.get("vllm_version") or "unknown")
        old_manifest = {"sha": header_sha, "previous": {"sha": manifest_sha, "vllm_version": version}}
    old_sha = str(old_manifest.get("sha") or _sha_from_header(old_notes) or "")
    if not old_sha:
        raise NotesError(
            "cannot tell which commit these notes were written at: no manifest.json and no commit in "
            f"the header; restore {out.manifest} or pass another {out.option}",
            shown_path(notes_path),
        )
    new_ctx = context(new_snap, new_model, new_skeleton)
    if old_sha == new_snap.sha:
        old_ctx, previous = new_ctx, old_manifest.get("previous")
    else:
        old_ctx = _old_context(old_sha, old_manifest, load_old, render_old, warnings)
        previous = {"sha": old_sha, "vllm_version": str(old_manifest.get("vllm_version") or old_ctx.version)}
    renames = load_renames()
    if render_keeping is not None and old_ctx is not new_ctx:
        written = written_sections(old_notes)
        renamed = frozenset(map(renames.mapper(old_ctx.era, new_ctx.era), written)) - written
        if renamed:
            new_skeleton = render_keeping(renamed)
            new_ctx = context(new_snap, new_model, new_skeleton)
    result = merge(old_notes, new_skeleton, renames, old_ctx, new_ctx)
    warnings.extend(_summary(result, new_snap.sha))
    text = bom + with_line_end(result.text, line_end(stored))
    new_manifest = manifest.dumps(manifest.build(new_snap, previous))
    files = {out.notes: text, out.manifest: like(out.path(out.manifest), new_manifest)}
    backup = backup_name(out) if text != stored else None
    if backup:
        files[backup] = stored
    return RegenPlan(files, out.root, warnings, old_sha, backup, result, out.notes)


def backup_name(out: Outputs) -> str:
    """`<notes>.bak` beside the notes, or the first free `<notes>.bak.N`: never a timestamp, never an
    overwrite."""
    name, n = f"{out.notes}.bak", 0
    while out.path(name).exists():
        n += 1
        name = f"{out.notes}.bak.{n}"
    return name


def _old_context(
    sha: str,
    old_manifest: dict[str, Any],
    load_old: Callable[[str], tuple[Snapshot, CommitModel]],
    render_old: Callable[[Snapshot, CommitModel], str] | None,
    warnings: list[str],
) -> MergeContext:
    try:
        snap, model = load_old(sha)
    except AnnotatorError as exc:
        warnings.append(
            f"cannot read the notes' commit {sha[:12]} ({exc}): notes are placed by key only, orphans "
            "carry no line range and no section is checked for code changes"
        )
        version = str(old_manifest.get("vllm_version") or "unknown")
        return MergeContext(sha, version, str(old_manifest.get("layout") or ""))
    return context(snap, model, render_old(snap, model) if render_old else "")


def _summary(result: MergeResult, sha: str, shown: int = 5) -> list[str]:
    """The merge's warnings, the orphans summed up in one line (there can be a hundred)."""
    back = [w for w in result.warnings if "are back in their section" in w]
    lines = [w for w in result.warnings if "moved to Orphaned notes" not in w and w not in back]
    if len(back) > shown:
        lines.insert(0, f"{len(back)} orphaned notes are back in their sections")
    else:
        lines[:0] = back
    if result.orphans:
        names = ", ".join(f"`{k}`" for k in result.orphans[:shown])
        more = f" and {len(result.orphans) - shown} more" if len(result.orphans) > shown else ""
        lines.insert(
            0,
            f"{len(result.orphans)} {'note' if len(result.orphans) == 1 else 'notes'} moved to Orphaned "
            f"notes at the end (their code is gone at "
            f"{sha[:12]}): {names}{more}",
        )
    return lines


def _read_manifest(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        data = load_json(read_text(path))
    except ValueError as exc:
        raise NotesError(f"{shown_path(path)} is not valid JSON ({exc}); fix it or delete it") from None
    return data if isinstance(data, dict) else {}


def _sha_from_header(notes: str) -> str | None:
    m = _HEADER_SHA.search(notes)
    return m[1] if m else None


def _tool_header_sha(notes: str) -> str | None:
    """The commit the tool's own `header` block names (None when edited by hand, or absent): the
    commit these notes were last written at, even when the manifest write did not follow."""
    header = next((s for s in parse(notes) if s.kind == "gen" and s.key == "header"), None)
    return _sha_from_header(header.body) if header is not None and not header.edited else None

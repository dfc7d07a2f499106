"""The annotate job: read a commit, build the outputs, write them atomically (or show them), into one
folder (`--out DIR`) or at a course repository's lab paths (`--lab ROOT`, annotator/outputs.py)."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from annotator import outputs
from annotator.errors import NotesError
from annotator.fsio import (
    check_writable,
    diff_files,
    like,
    load_json,
    locked_folder,
    needs_write,
    prepare_dirs,
    read_text,
    with_line_end,
    write_all,
)
from annotator.links import shown_path
from annotator.model import CommitModel
from annotator.notes.document import experiments_readme, skeleton
from annotator.notes.markers import parse, written_sections
from annotator.outputs import Outputs
from annotator.resolve.analyze import analyze
from annotator.snapshot import manifest
from annotator.snapshot.files import Snapshot, take
from annotator.source.local import Source
from annotator.source.repos import open_source


@dataclass
class JobResult:
    status: int = 0
    stdout: str = ""
    messages: list[str] = field(default_factory=list)


def default_out(snap: Snapshot) -> Path:
    name = snap.version.version if snap.version.exact else snap.sha[:12]
    return Path("out") / name


def annotate(
    repo: str | None,
    ref: str,
    out: Path | None,
    *,
    lab: Path | None = None,
    want_json: bool = False,
    dry_run: bool = False,
    full: bool = False,
) -> JobResult:
    """Write (or, with `dry_run`, diff) the notes, manifest and README of `ref`'s commit into `out`
    (one folder) or at the lab layout's paths under `lab`; notes already there are regenerated."""
    place = outputs.lab(lab) if lab is not None and not want_json else None  # bad lab.toml: fail first
    source = open_source(repo)
    snap = take(source, ref)
    model = analyze(snap)
    result = JobResult()
    if want_json:
        from annotator.notes.modeljson import dumps

        result.stdout = dumps(model)
        return result
    place = place or outputs.folder(out or default_out(snap))
    if dry_run:
        return _write(source, snap, model, place, full, result, dry_run=True)
    notes_dir = place.path(place.notes).parent  # one run at a time: a second one waits, then starts anew
    made = [place.path(name) for name in (place.notes, place.manifest, place.readme)]
    with locked_folder(notes_dir, made, lambda: waiting(notes_dir), place.option):
        return _write(source, snap, model, place, full, result, dry_run=False)


def waiting(folder: Path) -> None:
    """What a run says while another run holds the lock on the folder it writes."""
    print(f"waiting for another annotate writing {shown_path(folder)} ...", file=sys.stderr, flush=True)


def _write(
    source: Source,
    snap: Snapshot,
    model: CommitModel,
    place: Outputs,
    full: bool,
    result: JobResult,
    *,
    dry_run: bool,
) -> JobResult:
    """Regenerate the notes at `place` (or write them the first time), and the other outputs; or, with
    `dry_run`, only show the diff. Runs under the notes folder's lock when it writes, so the old notes
    it reads are the last run's."""
    notes_path = place.path(place.notes)
    # Sections that hold the student's words keep their place whatever their weight at this commit.
    keep = written_sections(read_text(notes_path)) if notes_path.is_file() else frozenset()
    render = partial(skeleton, full=full, keep=keep)
    notes = render(snap, model)
    readme = experiments_readme(
        snap, place.link(place.readme, place.notes), place.link(place.readme, place.manifest)
    )
    files = {
        place.manifest: manifest.dumps(manifest.build(snap)),
        place.notes: notes,
        place.readme: readme,
    }
    plan = None
    if notes_path.is_symlink():  # an atomic replace would turn the link into a copy
        raise NotesError(
            f"{shown_path(notes_path)} is a symbolic link; annotate replaces the notes file, so copy "
            f"the notes to where the link points (or pass the folder they are in as {place.option})"
        )
    if notes_path.is_file():  # notes already there: regenerate them in place
        from annotator.regen import plan as regen

        plan = regen.regenerate(
            place,
            snap,
            model,
            notes,
            lambda sha: _load(source, sha),
            render,
            lambda renamed: skeleton(snap, model, full=full, keep=keep | renamed),
        )
        files = {place.readme: files[place.readme]}
        result.messages.extend(f"warning: {w}" for w in plan.warnings)
    files = _keep_users_files(place, files, result)
    if dry_run:
        result.stdout = (plan.diff if plan else "") + diff_files(place.root, files)
        return result
    folders = {place.path(name).parent for name in (place.notes, place.manifest, place.readme)}
    prepare_dirs(sorted(folders), place.option)
    pending = {**(plan.files if plan else {}), **files}  # all or nothing: refuse before the first write
    check_writable([place.path(n) for n, t in pending.items() if needs_write(place.path(n), t)], place.option)
    # Backup, notes, README, manifest last: the manifest records a finished run, so it is never newer
    # than the README or the notes; a refused write puts back what this run wrote (fsio.write_all).
    backup = plan.backup if plan else None
    order = sorted(pending, key=lambda n: (n != backup, n != place.notes, n == place.manifest, n))
    done = write_all([(place.path(name), pending[name]) for name in order])
    written = [name for name in order if place.path(name) in done]
    if plan and plan.backup and plan.backup in written:
        kept = shown_path(place.path(plan.backup))  # as the user names it, like the "wrote" line
        result.messages.append(f"regenerated from {plan.old_sha[:12]}; old notes kept in {kept}")
    unchanged = [n for n in pending if n not in written]
    result.messages.append(_report(place, snap, written, unchanged))
    return result


def _report(place: Outputs, snap: Snapshot, written: list[str], unchanged: list[str]) -> str:
    """The run's last line, honest about what it changed: `wrote DIR/ for vLLM ...` when every file
    was written, `unchanged: DIR/ ...` when none needed writing, else the files written and the
    files left as they were. A README edited by hand (kept, with its own warning) is in neither."""
    what = (
        f"vLLM {snap.version.version} at {snap.sha[:12]} ({snap.layout.name}, {len(snap.files)} files)"
    )
    ours = (place.notes, place.manifest, place.readme)
    written = [n for n in ours if n in written]
    unchanged = [n for n in ours if n in unchanged]

    def where(names: list[str]) -> str:
        if place.option == "--out" and len(names) == len(ours):
            return shown_path(place.root).rstrip("/") + "/"
        return ", ".join(shown_path(place.path(n)) for n in names)

    if not written:
        return f"unchanged: {where(unchanged)}: already up to date for {what}, nothing written"
    if not unchanged:
        return f"wrote {where(written)} for {what}"
    return f"wrote {where(written)} for {what}; unchanged: {where(unchanged)}"


def _load(source: Source, sha: str) -> tuple[Snapshot, CommitModel]:
    snap = take(source, sha)
    return snap, analyze(snap)


def _keep_users_files(place: Outputs, files: dict[str, str], result: JobResult) -> dict[str, str]:
    """Never overwrite what a user made: refuse, or leave the file alone with a warning. A file that
    is replaced keeps its line ends (a Windows checkout's CRLF stays CRLF)."""
    notes = place.path(place.notes)
    if place.notes in files and notes.exists():  # there, but not a file: a folder, a socket...
        raise NotesError(
            f"{shown_path(notes)} exists and is not a notes file; move it away or pass another {place.option}"
        )
    mfile = place.path(place.manifest)
    if place.manifest in files and mfile.exists() and not _annotates_manifest(read_text(mfile)):
        raise NotesError(
            f"{shown_path(mfile)} was not written by annotate; move it away or pass another {place.option}"
        )
    readme = place.path(place.readme)
    if readme.exists():
        text = with_line_end(read_text(readme), "\n")
        segs = [s for s in parse(text) if s.kind == "gen" or s.body.strip()]
        ours = len(segs) == 1 and segs[0].kind == "gen" and not segs[0].edited
        if not ours and text != files[place.readme]:
            result.messages.append(
                f"warning: kept {shown_path(readme)}: it was edited by hand, so it was not regenerated"
            )
            files = {k: v for k, v in files.items() if k != place.readme}
    return {name: like(place.path(name), text) for name, text in files.items()}


def _annotates_manifest(text: str) -> bool:
    """Whether a manifest.json is one annotate wrote (so it may be replaced), not a file of the user's."""
    try:
        data = load_json(text)
    except ValueError:
        return False
    return isinstance(data, dict) and str(data.get("tool", "")).startswith("vllm-annotator ")

"""The annotate job: read a commit, build the outputs, write them atomically (or show them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from annotator.errors import NotesError
from annotator.fsio import diff_files, prepare_dir, read_text, write_atomic
from annotator.links import MANIFEST_NAME, NOTES_NAME, README_NAME
from annotator.model import CommitModel
from annotator.notes.document import experiments_readme, skeleton
from annotator.notes.markers import parse, written_sections
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
    want_json: bool = False,
    dry_run: bool = False,
    full: bool = False,
) -> JobResult:
    source = open_source(repo)
    snap = take(source, ref)
    model = analyze(snap)
    result = JobResult()
    if want_json:
        from annotator.notes.modeljson import dumps

        result.stdout = dumps(model)
        return result
    target = out or default_out(snap)
    # Sections that hold the student's words keep their place whatever their weight at this commit.
    keep = (
        written_sections(read_text(target / NOTES_NAME)) if (target / NOTES_NAME).is_file() else frozenset()
    )
    render = partial(skeleton, full=full, keep=keep)
    notes = render(snap, model)
    outputs = {
        MANIFEST_NAME: manifest.dumps(manifest.build(snap)),
        NOTES_NAME: notes,
        README_NAME: experiments_readme(snap),
    }
    plan = None
    if (target / NOTES_NAME).is_symlink():  # an atomic replace would turn the link into a copy
        raise NotesError(
            f"{target / NOTES_NAME} is a symbolic link; annotate replaces the notes file, so copy the "
            "notes into --out (or pass the folder they are in as --out)"
        )
    if (target / NOTES_NAME).is_file():  # notes already there: regenerate them in place
        from annotator.regen import plan as regen

        plan = regen.regenerate(target, snap, model, notes, lambda sha: _load(source, sha), render)
        outputs = {README_NAME: outputs[README_NAME]}
        result.messages.extend(f"warning: {w}" for w in plan.warnings)
    outputs = _keep_users_files(target, outputs, result)
    if dry_run:
        result.stdout = (plan.diff if plan else "") + diff_files(target, outputs)
        return result
    prepare_dir(target)
    if plan:
        regen.apply(plan, target)
        if plan.backup:
            result.messages.append(f"regenerated from {plan.old_sha[:12]}; old notes kept in {plan.backup}")
    for name in sorted(outputs):
        write_atomic(target / name, outputs[name])
    result.messages.append(
        f"wrote {target}/ for vLLM {snap.version.version} at {snap.sha[:12]} "
        f"({snap.layout.name}, {len(snap.files)} files)"
    )
    return result


def _load(source: Source, sha: str) -> tuple[Snapshot, CommitModel]:
    snap = take(source, sha)
    return snap, analyze(snap)


def _keep_users_files(target: Path, outputs: dict[str, str], result: JobResult) -> dict[str, str]:
    """Never overwrite what a user made: refuse, or leave the file alone with a warning."""
    notes = target / NOTES_NAME
    if NOTES_NAME in outputs and notes.exists():  # there, but not a file: a folder, a socket...
        raise NotesError(f"{notes} exists and is not a notes file; move it away or pass another --out")
    mfile = target / MANIFEST_NAME
    if MANIFEST_NAME in outputs and mfile.exists() and not _annotates_manifest(read_text(mfile)):
        raise NotesError(f"{mfile} was not written by annotate; move it away or pass another --out")
    readme = target / README_NAME
    if readme.exists():
        segs = [s for s in parse(read_text(readme)) if s.kind == "gen" or s.body.strip()]
        ours = len(segs) == 1 and segs[0].kind == "gen" and not segs[0].edited
        if not ours and read_text(readme) != outputs[README_NAME]:
            result.messages.append(
                f"warning: kept {readme}: it was edited by hand, so it was not regenerated"
            )
            outputs = {k: v for k, v in outputs.items() if k != README_NAME}
    return outputs


def _annotates_manifest(text: str) -> bool:
    """Whether a manifest.json is one annotate wrote (so it may be replaced), not a file of the user's."""
    import json

    try:
        data = json.loads(text)
    except ValueError:
        return False
    return isinstance(data, dict) and str(data.get("tool", "")).startswith("vllm-annotator ")

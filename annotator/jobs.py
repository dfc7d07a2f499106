# The annotate job: read a commit, build the outputs, write them atomically (or show them).
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from annotator import manifest
from annotator.fsio import prepare_dir, write_atomic
from annotator.snapshot import Snapshot, take
from annotator.source import Source

NOTES_NAME = "vllm-block-manager-annotated.md"


@dataclass
class JobResult:
    status: int = 0
    stdout: str = ""
    messages: list[str] = field(default_factory=list)


def default_out(snap: Snapshot) -> Path:
    name = snap.version.version if snap.version.exact else snap.sha[:12]
    return Path("out") / name


def annotate(
    repo: str | None, ref: str, out: Path | None, *, want_json: bool = False, dry_run: bool = False
) -> JobResult:
    source = Source.open(repo)
    snap = take(source, ref)
    outputs = {
        "manifest.json": manifest.dumps(manifest.build(snap)),
        NOTES_NAME: _placeholder_notes(snap),
    }
    target = out or default_out(snap)
    result = JobResult()
    if want_json:
        from annotator.analyze import analyze
        from annotator.modeljson import dumps

        result.stdout = dumps(analyze(snap))
        return result
    if dry_run:
        return result
    prepare_dir(target)
    for name in sorted(outputs):
        write_atomic(target / name, outputs[name])
    result.messages.append(
        f"wrote {target}/ for vLLM {snap.version.version} at {snap.sha[:12]} "
        f"({snap.layout.name}, {len(snap.files)} files)"
    )
    return result


def _placeholder_notes(snap: Snapshot) -> str:
    return (
        f"# vLLM block manager: annotated read\n\n"
        f"vLLM {snap.version.version}, commit `{snap.sha}` ({snap.date}), layout `{snap.layout.name}`.\n"
    )

"""The extraction stage end to end: a Snapshot's files -> extracted (or cached) models -> CommitModel."""

from __future__ import annotations

from annotator.extract.cache import load_or_extract
from annotator.model import CommitModel
from annotator.resolve.graph import resolve
from annotator.snapshot.files import Snapshot


def analyze(snap: Snapshot) -> CommitModel:
    """Extract every file of the snapshot (through the per-file cache) and resolve the call graph."""
    files = tuple(
        sorted((load_or_extract(f.path, f.role, f.blob, f.text) for f in snap.files), key=lambda m: m.path)
    )
    edges, unresolved, outside = resolve(files)
    return CommitModel(
        sha=snap.sha,
        version=snap.version.version,
        commit_date=snap.date,
        layout=snap.layout.name,
        files=files,
        edges=edges,
        unresolved=unresolved,
        called_from_outside=outside,
    )

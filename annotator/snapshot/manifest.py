"""manifest.json: what was read, at which commit, by which tool. Shape documented in README.md."""

from __future__ import annotations

import json
from typing import Any

from annotator import __version__
from annotator.snapshot.files import Snapshot

SCHEMA = 1


def build(snap: Snapshot, previous: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "tool": f"vllm-annotator {__version__}",
        "vllm_version": snap.version.version,
        "version_source": snap.version.source,
        "sha": snap.sha,
        "commit_date": snap.date,
        "layout": snap.layout.name,
        "files": [
            {"path": f.path, "role": f.role, "blob": f.blob, "lines": f.lines}
            for f in sorted(snap.files, key=lambda f: f.path)
        ],
        "defaults": {d.name: d.value for d in snap.defaults.settings},
        "previous": previous,
    }


def dumps(manifest: dict[str, Any]) -> str:
    return json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n"

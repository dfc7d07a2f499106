"""`annotate diff OLD NEW`: print the structural changes between two commits (or JSON for scripts)."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict

from annotator.cli.args import PROG, Parser, common, use_queries
from annotator.source.repos import open_source

USAGE = "annotate diff OLD NEW [--repo R] [--json]"


def parser() -> argparse.ArgumentParser:
    p = Parser(
        prog=f"{PROG} diff",
        description="Structural changes between two commits of vLLM's allocator files: layout change, "
        "files added, removed or renamed, classes and methods added, removed, renamed, moved (same "
        "code, other lines) or changed, with both line ranges. Renames across eras follow "
        "queries/renames.toml.",
    )
    p.add_argument("old", metavar="OLD", help="the earlier commit: SHA, tag or branch")
    p.add_argument("new", metavar="NEW", help="the later commit: SHA, tag or branch")
    common(p, sha=False)
    p.add_argument("--json", action="store_true", help="print the changes as JSON")
    return p


def main(argv: list[str]) -> int:
    """Run `annotate diff`; exit 0 (changes are a report, not a failure), 2 on bad input."""
    from annotator.regen.changes import diff
    from annotator.regen.renames import load_renames
    from annotator.regen.spans import context
    from annotator.resolve.analyze import analyze
    from annotator.snapshot.files import take

    args = parser().parse_args(argv)
    use_queries(args)
    source = open_source(args.repo)
    sides = []
    for ref in (args.old, args.new):
        snap = take(source, ref)
        sides.append((snap, context(snap, model := analyze(snap)), model))
    (old_snap, old_ctx, old_model), (new_snap, new_ctx, new_model) = sides
    changes = diff(old_model, new_model, load_renames(), old_ctx, new_ctx)
    if args.json:
        payload = {
            "old": _side(old_snap.sha, old_snap.version.version, old_snap.layout.name),
            "new": _side(new_snap.sha, new_snap.version.version, new_snap.layout.name),
            "changes": [asdict(c) for c in changes],
        }
        sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
        return 0
    print(
        f"annotate diff {old_snap.sha[:12]} ({old_snap.version.version}, {old_snap.layout.name}) -> "
        f"{new_snap.sha[:12]} ({new_snap.version.version}, {new_snap.layout.name}): {len(changes)} changes"
    )
    for change in changes:
        print(change.explain())
    return 0


def _side(sha: str, version: str, layout: str) -> dict[str, str]:
    return {"sha": sha, "vllm_version": version, "layout": layout}

# `annotate diff OLD NEW`: print the structural changes between two commits (or JSON for scripts).
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from typing import Any

from annotator.errors import AnnotatorError

USAGE = "annotate diff OLD NEW [--repo R] [--json]"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # one line, exit 2 (cli.main maps AnnotatorError)
        raise AnnotatorError(f"{message} (see `annotate diff --help`)")


def parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="annotate diff",
        description="Structural changes between two commits of vLLM's allocator files: layout change, "
        "files added, removed or renamed, classes and methods added, removed, renamed, moved (same "
        "code, other lines) or changed, with both line ranges. Renames across eras follow "
        "queries/renames.toml.",
    )
    p.add_argument("old", metavar="OLD", help="the earlier commit: SHA, tag or branch")
    p.add_argument("new", metavar="NEW", help="the later commit: SHA, tag or branch")
    p.add_argument(
        "--repo",
        metavar="R",
        help="vLLM clone: a path (work tree or bare .git) or a URL; "
        "default $ANNOTATE_REPO, else vLLM's GitHub URL",
    )
    p.add_argument("--json", action="store_true", help="print the changes as JSON")
    return p


def main(argv: list[str]) -> int:
    """Run `annotate diff`; exit 0 (changes are a report, not a failure), 2 on bad input."""
    from annotator.analyze import analyze
    from annotator.diff import diff
    from annotator.renames import load_renames
    from annotator.snapshot import take
    from annotator.source import Source
    from annotator.spans import context

    args = parser().parse_args(argv)
    source = Source.open(args.repo)
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

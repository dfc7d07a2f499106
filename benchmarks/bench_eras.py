"""The cold run against pyreverse at four eras of vLLM: v0.3.3, v0.5.5, v0.10.0 and the newest commit.

    python -m benchmarks.bench_eras --repo PATH [--runs N] [--sha SHA]...

For each commit, in one run: `annotate --sha SHA --out DIR` with an empty model cache (a fresh process
each time, imports included) against `pyreverse -o mmd` on the files the manifest lists, medians of
--runs runs, printed as one Markdown table. The newest commit is the repository's HEAD. Needs the bench
extra (pylint for pyreverse). Ratios are printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from benchmarks.run import (
    Bench,
    fmt_ratio,
    fmt_seconds,
    git_blob,
    git_dir,
    log,
    median_timed,
    repeat,
    run_timed,
)

ERAS = (
    ("v0.3.3", "82091b864af105dbe373353655dc9d8c0a6ba66f"),
    ("v0.5.5", "09c7792610ada9f88bbf87d32b472dd44bf23cc2"),
    ("v0.10.0", "6d8d0a24c02bfd84d46b3016b865a44f048ae84b"),
)
TARGET = 0.6


def head(repo: str) -> str:
    return subprocess.run(
        ["git", "--git-dir", git_dir(repo), "rev-parse", "HEAD"], check=True, capture_output=True, text=True
    ).stdout.strip()


def era_row(b: Bench, name: str) -> str:
    """One table row: the cold run and pyreverse at b.sha."""
    cold = []
    first: Path | None = None
    for _ in range(b.runs):
        out = b.fresh("out")
        first = first or out
        env = b.env(XDG_CACHE_HOME=str(b.fresh("cache")))
        cold.append(run_timed(b.annotate("--repo", b.repo, "--sha", b.sha, "--out", str(out)), env, b.work))
    assert first is not None
    manifest = json.loads((first / "manifest.json").read_text(encoding="utf-8"))
    tree = b.fresh("tree")
    paths = [f["path"] for f in manifest["files"]]
    for f in manifest["files"]:
        target = tree / f["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(git_blob(b.repo, f["blob"]))
    lines = sum(len((tree / p).read_bytes().splitlines()) for p in paths)
    mmd = b.fresh("mmd")
    pyrev = repeat(
        b.runs, lambda: run_timed([b.pyreverse, "-o", "mmd", "-d", str(mmd), *paths], b.env(), tree)
    )
    c, p = median_timed(cold).seconds, median_timed(pyrev).seconds
    log(f"{name}: cold {fmt_seconds(c)}, pyreverse {fmt_seconds(p)}")
    met = "yes" if p > 0 and c / p <= TARGET else "**no**"
    cells = (name, b.sha[:12], f"{len(paths)} files, {lines} lines", fmt_seconds(c), fmt_seconds(p))
    return "| " + " | ".join((*cells, fmt_ratio(c, p), f"≤ {TARGET} x", met)) + " |"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Cold annotate against pyreverse at four eras.")
    parser.add_argument("--repo", required=True, help="a local clone or bare mirror of vLLM's history")
    parser.add_argument("--runs", type=int, default=5, help="runs per timing (median); default 5")
    parser.add_argument("--sha", action="append", default=[], help="one more commit to measure (repeatable)")
    args = parser.parse_args(argv)
    pyreverse = shutil.which("pyreverse", path=str(Path(sys.executable).parent)) or shutil.which("pyreverse")
    if pyreverse is None:
        print("pyreverse not found: pip install -e '.[bench]'", file=sys.stderr)
        return 2
    eras = [*ERAS, ("newest (HEAD)", head(args.repo)), *((sha[:12], sha) for sha in args.sha)]
    rows = [
        "| era | commit | files | cold annotate | pyreverse -o mmd | ratio | target | met? |",
        "|---|---|---|---|---|---|---|---|",
    ]
    with tempfile.TemporaryDirectory(prefix="annotate-eras-") as tmp:
        for name, sha in eras:
            b = Bench(args.repo, sha, args.runs, Path(tmp), pyreverse)
            rows.append(era_row(b, name))
    print("\n".join(rows))
    print(f"\nMedians of {args.runs} runs each, cold and pyreverse of an era measured back to back.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

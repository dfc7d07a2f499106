"""Time `annotate --json` cold and warm against pyreverse and a bare libcst parse, on the same files.

    python -m benchmarks.bench_extract --repo PATH --sha SHA [--runs 5]

Every timing is the wall time of a fresh process (imports included), median of --runs runs:
- cold: `annotate --json` with an empty model cache;
- warm: `annotate --json` again, every file a cache hit;
- pyreverse: `pyreverse -o mmd` on the files annotate reads (and on the allocator files alone);
- libcst: parsing the same files with positions (MetadataWrapper + PositionProvider), nothing else;
- ast: a stdlib-ast listing of classes and defs, for scale.
Needs pylint (`pip install -e '.[bench]'`). Ratios are printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

LIBCST = """
import sys
import libcst
from libcst.metadata import MetadataWrapper, PositionProvider
for path in sys.argv[1:]:
    module = libcst.parse_module(open(path, encoding="utf-8").read())
    MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
"""
AST = """
import ast, sys
for path in sys.argv[1:]:
    tree = ast.parse(open(path, encoding="utf-8").read())
    kinds = (ast.ClassDef, ast.FunctionDef)
    [(n.name, n.lineno, n.end_lineno) for n in ast.walk(tree) if isinstance(n, kinds)]
"""


Timing = tuple[float, float]  # (wall seconds, CPU seconds of the child process)


def run(cmd: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> Timing:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, env=env, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def median(runs: int, once: Callable[[], Timing]) -> Timing:
    timings = [once() for _ in range(runs)]
    return statistics.median(t[0] for t in timings), statistics.median(t[1] for t in timings)


def write_tree(repo: str, sha: str, root: Path) -> tuple[list[str], list[str]]:
    """Write the commit's layout files under root; return (all paths, allocator paths)."""
    from annotator.snapshot.files import take
    from annotator.source.repos import open_source

    snap = take(open_source(repo), sha)
    for f in snap.files:
        target = root / f.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f.text, encoding="utf-8")
    return [f.path for f in snap.files], [f.path for f in snap.files if f.role == "allocator"]


def measure(repo: str, sha: str, runs: int, pyreverse: str, work: Path) -> tuple[dict[str, Timing], int, int]:
    py = sys.executable
    tree = work / "tree"
    files, allocator = write_tree(repo, sha, tree)
    annotate = [py, "-m", "annotator", "--repo", repo, "--sha", sha, "--json"]

    def cold() -> Timing:
        return run(annotate, env={**os.environ, "XDG_CACHE_HOME": tempfile.mkdtemp(dir=work)})

    warm_env = {**os.environ, "XDG_CACHE_HOME": str(work / "warm")}
    run(annotate, env=warm_env)
    (work / "mmd").mkdir()

    def mmd(paths: list[str]) -> Callable[[], Timing]:
        return lambda: run([pyreverse, "-o", "mmd", "-d", str(work / "mmd"), *paths], cwd=tree)

    def script(code: str) -> Callable[[], Timing]:
        return lambda: run([py, "-c", code, *files], cwd=tree)

    times = {
        "annotate --json, cold": median(runs, cold),
        "annotate --json, warm": median(runs, lambda: run(annotate, env=warm_env)),
        "pyreverse -o mmd (same files)": median(runs, mmd(files)),
        "pyreverse -o mmd (allocator files)": median(runs, mmd(allocator)),
        "libcst parse + positions": median(runs, script(LIBCST)),
        "stdlib ast listing": median(runs, script(AST)),
    }
    return times, len(files), len(allocator)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time annotate --json against pyreverse and libcst.")
    parser.add_argument("--repo", required=True, help="a clone (or bare mirror) of vLLM's history")
    parser.add_argument("--sha", required=True, help="the commit to read")
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (median)")
    args = parser.parse_args(argv)
    pyreverse = shutil.which("pyreverse", path=str(Path(sys.executable).parent)) or shutil.which("pyreverse")
    if pyreverse is None:
        print("pyreverse not found: pip install -e '.[bench]'", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        times, nfiles, nalloc = measure(args.repo, args.sha, args.runs, pyreverse, Path(tmp))
    print(f"{args.sha[:12]}: {nfiles} files ({nalloc} allocator), median of {args.runs} runs, load {_load()}")
    print(f"  {'':36} {'wall':>8} {'ratio':>7} {'cpu':>8} {'ratio':>7}   (ratio: x pyreverse)")
    base_wall, base_cpu = times["pyreverse -o mmd (same files)"]
    for name, (wall, cpu) in times.items():
        print(f"  {name:36} {wall:6.2f} s {wall / base_wall:6.2f}x {cpu:6.2f} s {cpu / base_cpu:6.2f}x")
    for label, i, base in (("wall", 0, base_wall), ("cpu", 1, base_cpu)):
        cold, warm = times["annotate --json, cold"][i] / base, times["annotate --json, warm"][i] / base
        print(f"  {label}: cold {cold:.2f}x (target <= 0.75x), warm {warm:.2f}x (target <= 0.30x)")
    return 0


def _load() -> str:
    try:
        return " ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:  # pragma: no cover - platforms without getloadavg
        return "n/a"


if __name__ == "__main__":
    raise SystemExit(main())

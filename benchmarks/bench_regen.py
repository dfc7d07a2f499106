"""How regeneration time grows with the size of the notes: a size-doubling ratio, never an asserted time.

    python -m benchmarks.bench_regen [--max-mb 50] [--runs 3]

Notes are generated at the era-1 fixture commit (tests/fixtures, never vLLM's code), every slot is
filled with invented prose, and the whole file is pasted k times: every copy after the first is text
around misplaced and duplicated markers, the case that used to be quadratic. Each size (k doubling
until --max-mb) is regenerated to the era-2 commit in a fresh process (`annotate --out`, imports
included), median of --runs runs. Printed: size, seconds, and the ratio to the previous size's time.
Linear work gives a ratio near 2 once the fixed cost (imports, reading the commits) is small beside it;
quadratic work gives 4.
"""

from __future__ import annotations

import argparse
import itertools
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTES = "vllm-block-manager-annotated.md"
_SLOT = re.compile(r"(<!-- annotate:slot \S+ -->\n)")


def doubling_ratios(seconds: list[float]) -> list[float | None]:
    """Each time over the one before it (None for the first)."""
    return [None, *(b / a if a > 0 else None for a, b in itertools.pairwise(seconds))]


def sizes(one_copy: int, max_bytes: int) -> list[int]:
    """Copy counts 1, 2, 4, ... up to the first whose text reaches max_bytes."""
    out = [1]
    while out[-1] * one_copy < max_bytes:
        out.append(out[-1] * 2)
    return out


def _annotate(env: dict[str, str], *args: str) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "annotator", *args], cwd=ROOT, env=env, check=True, capture_output=True
    )
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="bench_regen", description=__doc__.split("\n")[0])
    p.add_argument("--max-mb", type=float, default=50.0)
    p.add_argument("--runs", type=int, default=3)
    args = p.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from tests.gitrepo import Step, make_repo
    from tests.notesmaker import prose

    with tempfile.TemporaryDirectory(prefix="bench-regen-") as tmp_name:
        tmp = Path(tmp_name)
        env = {**os.environ, "XDG_CACHE_HOME": str(tmp / "cache"), "GIT_CONFIG_GLOBAL": os.devnull,
               "PYTHONPATH": str(ROOT)}
        repo, _shas = make_repo(tmp, [Step(tree="era1", tag="v0.3.3"), Step(tree="era2", tag="v0.4.0")])
        base = tmp / "base"
        _annotate(env, "--repo", str(repo), "--sha", "v0.3.3", "--out", str(base))
        filled = _SLOT.sub(lambda m: m[1] + prose(80, 3), (base / NOTES).read_text(encoding="utf-8"))
        one = len(filled.encode())
        _annotate(env, "--repo", str(repo), "--sha", "v0.4.0", "--json")  # warm the model cache
        rows: list[tuple[int, float]] = []
        for k in sizes(one, int(args.max_mb * 1e6)):
            runs = []
            for _ in range(args.runs):
                out = tmp / "out"
                shutil.rmtree(out, ignore_errors=True)
                out.mkdir()
                shutil.copy(base / "manifest.json", out)
                (out / NOTES).write_text(filled * k, encoding="utf-8")
                runs.append(_annotate(env, "--repo", str(repo), "--sha", "v0.4.0", "--out", str(out)))
            rows.append((k * one, statistics.median(runs)))
            print(f"  {k * one / 1e6:8.2f} MB: {rows[-1][1]:.2f} s", file=sys.stderr, flush=True)
    ratios = doubling_ratios([s for _n, s in rows])
    print("| notes | regeneration (median) | time ratio to half the size |")
    print("|---:|---:|---:|")
    for (size, secs), ratio in zip(rows, ratios, strict=True):
        print(f"| {size / 1e6:.2f} MB | {secs:.2f} s | {'-' if ratio is None else f'{ratio:.2f}x'} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

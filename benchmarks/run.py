"""The benchmark: every performance figure of the README, each a ratio against a baseline measured in
the same run (median of several runs), printed as one Markdown table.

    python -m benchmarks.run --repo PATH [--quick] [--runs N] [--sha SHA] [--profile DIR]

`--repo` is a local clone or bare mirror of vLLM's history (no tags needed: release commits come from
queries/releases.toml). Needs the bench extra (`pip install -e '.[bench]'`: pylint for pyreverse,
pyinstrument for --profile). The figures:

1. cold `annotate --sha SHA --out DIR` (a fresh process and an empty model cache each run) against
   `pyreverse -o mmd` and a bare libcst parse with positions (benchmarks.bench_extract) of the files
   the manifest lists;
2. warm: the same with every file a cache hit;
3. a sweep over every release of queries/releases.toml the repository holds, in one process calling
   `annotator.cli.main.main` once per release with the same --out (the notes, filled with invented prose,
   are regenerated in place), against one cold run; per commit and per distinct blob;
4. the object bytes a first `annotate` from a `file://` remote stores, against a full
   `git clone --bare` of that remote;
5. `annotate check` of 200 hand-written notes files (invented prose, never vLLM's code) against one;
6. the peak RSS of each (wait4's ru_maxrss: the process and the children it waited for).

Ratios are printed, never asserted. Every process runs the code of this checkout (PYTHONPATH).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from benchmarks.bench_extract import LIBCST

ROOT = Path(__file__).resolve().parent.parent
RELEASES = ROOT / "queries" / "releases.toml"
NOTES = "vllm-block-manager-annotated.md"
DEFAULT_SHA = "82091b864af105dbe373353655dc9d8c0a6ba66f"  # v0.3.3
SERVE_CONFIG = "[uploadpack]\n\tallowFilter = true\n\tallowAnySHA1InWant = true\n"
CHECK_COPIES = 200
QUICK_RELEASES = 6
T = TypeVar("T")

# Invented prose for the notes copies: ordinary words, never vLLM's code.
PROSE = (
    "the allocator keeps a pool of fixed size blocks and hands one out whenever a request grows past "
    "its last block while freeing returns a block to the pool once its reference count drops to zero "
    "so that shared prefixes stay resident a sequence maps logical positions to physical slots through "
    "a table which the scheduler consults before each step to decide whether memory suffices for "
    "another token or whether some group must wait swap or be preempted entirely"
)
WORDS = PROSE.split()


# -- pure helpers (tests/test_benchmarks.py) ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class Timed:
    seconds: float
    rss_kb: int  # peak resident set size, KiB


@dataclass(frozen=True, slots=True)
class Row:
    figure: str
    measured: str
    baseline: str
    ratio: str
    target: str
    met: bool | None  # None: no target
    memory: str = ""


def median_timed(runs: Sequence[Timed]) -> Timed:
    """The median time of the runs, and the highest peak memory any of them reached."""
    if not runs:
        raise ValueError("no runs")
    return Timed(statistics.median(r.seconds for r in runs), max(r.rss_kb for r in runs))


def repeat(n: int, once: Callable[[], T]) -> list[T]:
    return [once() for _ in range(max(1, n))]


def fmt_seconds(s: float) -> str:
    return f"{s * 1000:.0f} ms" if s < 1 else f"{s:.2f} s"


def fmt_bytes(n: float) -> str:
    for unit, size in (("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{n:.0f} B"


def fmt_rss(kb: int) -> str:
    return f"{kb / 1024:.0f} MiB"


def fmt_ratio(measured: float, baseline: float, percent: bool = False) -> str:
    if baseline <= 0:
        return "n/a"
    r = measured / baseline
    return f"{r * 100:.2f} %" if percent else f"{r:.2f} x"


def markdown_table(rows: Sequence[Row]) -> str:
    head = ("figure", "measured", "baseline", "ratio", "target", "met?", "peak RSS (measured / baseline)")
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        met = "—" if r.met is None else ("yes" if r.met else "**no**")
        cells = (r.figure, r.measured, r.baseline, r.ratio, r.target, met, r.memory)
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines)


def count_blobs(manifests: Iterable[Mapping[str, Any]]) -> int:
    """Distinct blob SHAs over the `files` of several manifest.json objects."""
    return len({f["blob"] for m in manifests for f in m.get("files", [])})


def load_releases(text: str) -> list[tuple[str, str]]:
    """(version, sha) of every release in a releases.toml text, in file (chronological) order."""
    return [(r["version"], r["sha"]) for r in tomllib.loads(text).get("release", [])]


def spread(items: Sequence[T], n: int) -> list[T]:
    """n items evenly spread over the sequence, first and last included (all of them if n >= len)."""
    if n >= len(items):
        return list(items)
    if n <= 1:
        return list(items[:n])
    return [items[round(i * (len(items) - 1) / (n - 1))] for i in range(n)]


def invented_prose(rng: random.Random, words: int) -> str:
    out = [rng.choice(WORDS) for _ in range(words)]
    return " ".join(out).capitalize() + "."


def vary_notes(text: str, seed: int, files: Sequence[tuple[str, int]]) -> str:
    """A notes skeleton with invented prose after every slot marker, varied by `seed`; answers and the
    closing paragraph also cite lines (`path:A-B`) of the given (path, line count) files."""
    rng = random.Random(seed)
    out: list[str] = []
    for line in text.splitlines(keepends=True):
        out.append(line)
        m = re.match(r"<!-- annotate:slot (\S+) -->", line)
        if not m:
            continue
        prose = invented_prose(rng, rng.randint(20, 60))
        key = m[1]
        if files and (key.startswith("q:") or key.startswith("closing")):
            path, lines = rng.choice(list(files))
            a = rng.randint(1, max(1, lines))
            b = min(lines, a + rng.randint(0, 20))
            prose += f" See {path}:{a}-{b}."
        out.append(prose + "\n\n")
    return "".join(out)


QUESTION_TITLES = (
    "Page allocation",
    "Eviction",
    "Copy-on-write",
    "Page-table representation",
    "Hand-off of block tables to the kernel",
)


def handwritten_notes(seed: int, files: Sequence[tuple[str, int]], sha: str) -> str:
    """Notes written by hand, not from the skeleton, varied by `seed`: a heading per file with
    invented prose, bare `L10-L20` ranges under it, `path:A-B` citations and a table; then the five
    questions under `## Q1. ...` headings and a closing paragraph. About 2,500 words for 11 files."""
    rng = random.Random(seed)

    def cite(path: str, lines: int, bare: bool) -> str:
        a = rng.randint(1, max(1, lines))
        b = min(lines, a + rng.randint(0, 20))
        return f"L{a}-L{b}" if bare else f"{path.rsplit('/', 1)[-1]}:{a}-{b}"

    out = [f"# My notes on the KV-cache allocator\n\nCommit: {sha}\n\n"]
    for path, lines in files:
        out.append(f"## {path}\n\n")
        for _ in range(3):
            out.append(f"{invented_prose(rng, rng.randint(40, 70))} ({cite(path, lines, True)})\n\n")
        row = f"| {invented_prose(rng, 6)} | {cite(path, lines, True)} |"
        out.append(f"| what | where |\n|---|---|\n{row}\n\n")
    for qid, title in enumerate(QUESTION_TITLES, 1):
        path, lines = rng.choice(list(files))
        out.append(f"## Q{qid}. {title}\n\n{invented_prose(rng, rng.randint(80, 140))} ")
        out.append(f"See {cite(path, lines, False)} and {cite(path, lines, False)}.\n\n")
    out.append(f"## Closing: back to the theory\n\n{invented_prose(rng, 200)}\n")
    return "".join(out)


def dir_bytes(path: Path) -> int:
    """On-disk size of the regular files under path (apparent size, like `du -sb`)."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def machine_info() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor() or "unknown"
    try:
        load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        load = "n/a"
    git_version = subprocess.run(["git", "--version"], capture_output=True, text=True).stdout.strip()
    head = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short=12", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        [
            "git",
            "-C",
            str(ROOT),
            "status",
            "--porcelain",
            "--untracked-files=no",
            "--",
            "annotator",
            "queries",
        ],
        capture_output=True,
        text=True,
    ).stdout.strip()
    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()}",
        "git": git_version,
        "checkout": (head or "unknown") + (" with uncommitted changes" if dirty else ""),
        "load": load,
    }


# -- running things ---------------------------------------------------------------------------


def run_timed(
    cmd: Sequence[str],
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    ok: tuple[int, ...] = (0,),
) -> Timed:
    """Wall time and peak RSS (wait4: the process and every child it waited for) of one command."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        list(cmd), env=dict(env) if env else None, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    assert proc.stderr is not None
    err = proc.stderr.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    proc.stderr.close()
    if proc.returncode not in ok:
        raise RuntimeError(
            f"{' '.join(cmd)} exited {proc.returncode}: {err.decode(errors='replace')[-2000:]}"
        )
    return Timed(seconds, int(usage.ru_maxrss))


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


@dataclass
class Bench:
    repo: str
    sha: str
    runs: int
    work: Path
    pyreverse: str
    profile: Path | None = None
    remote_repo: str = ""  # the repository served over file:// (default: repo)

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k != "ANNOTATE_REPO"}
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
        env.update(extra)
        return env

    def fresh(self, name: str) -> Path:
        return Path(tempfile.mkdtemp(prefix=f"{name}-", dir=self.work))

    def annotate(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "annotator", *args]

    def profiled(
        self, name: str, cmd: Sequence[str], env: Mapping[str, str], ok: tuple[int, ...] = (0,)
    ) -> None:
        """Run cmd (a `python -m MODULE ...` or `python -c ...`) once more under pyinstrument."""
        if self.profile is None:
            return
        self.profile.mkdir(parents=True, exist_ok=True)
        out = self.profile / f"{name}.txt"
        run_timed(
            [sys.executable, "-m", "pyinstrument", "-r", "text", "-o", str(out), *cmd[1:]], env, self.work, ok
        )
        log(f"profile: {out}")


def cold_and_warm(b: Bench) -> tuple[dict[str, Timed], dict[str, Any], Path]:
    """Figures 1, 2 and their baselines; also the manifest and the notes folder of one cold run."""
    sha_args = ["--repo", b.repo, "--sha", b.sha]
    cold_runs: list[Timed] = []
    first_out: Path | None = None
    for _ in range(b.runs):
        out = b.fresh("cold-out")
        first_out = first_out or out
        cold_runs.append(
            run_timed(
                b.annotate(*sha_args, "--out", str(out)), b.env(XDG_CACHE_HOME=str(b.fresh("cache"))), b.work
            )
        )
    assert first_out is not None
    manifest = json.loads((first_out / "manifest.json").read_text(encoding="utf-8"))
    b.profiled(
        "cold", b.annotate(*sha_args, "--out", str(b.fresh("o"))), b.env(XDG_CACHE_HOME=str(b.fresh("c")))
    )
    log(f"cold annotate: {fmt_seconds(median_timed(cold_runs).seconds)}")

    warm_env = b.env(XDG_CACHE_HOME=str(b.fresh("warm-cache")))
    run_timed(b.annotate(*sha_args, "--out", str(b.fresh("o"))), warm_env, b.work)
    warm = repeat(
        b.runs, lambda: run_timed(b.annotate(*sha_args, "--out", str(b.fresh("o"))), warm_env, b.work)
    )
    b.profiled("warm", b.annotate(*sha_args, "--out", str(b.fresh("o"))), warm_env)
    log(f"warm annotate: {fmt_seconds(median_timed(warm).seconds)}")

    tree = b.work / "tree"  # the manifest's files, as they are at the commit
    paths = [f["path"] for f in manifest["files"]]
    for f in manifest["files"]:
        target = tree / f["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(git_blob(b.repo, f["blob"]))
    mmd = b.work / "mmd"
    mmd.mkdir(exist_ok=True)
    pyrev = repeat(
        b.runs, lambda: run_timed([b.pyreverse, "-o", "mmd", "-d", str(mmd), *paths], b.env(), tree)
    )
    log(f"pyreverse: {fmt_seconds(median_timed(pyrev).seconds)}")
    libcst = repeat(b.runs, lambda: run_timed([sys.executable, "-c", LIBCST, *paths], b.env(), tree))
    log(f"libcst parse: {fmt_seconds(median_timed(libcst).seconds)}")
    times = {
        "cold": median_timed(cold_runs),
        "warm": median_timed(warm),
        "pyreverse": median_timed(pyrev),
        "libcst": median_timed(libcst),
    }
    return times, manifest, first_out


def git_blob(repo: str, blob: str) -> bytes:
    return subprocess.run(
        ["git", "--git-dir", git_dir(repo), "cat-file", "blob", blob], check=True, capture_output=True
    ).stdout


def git_dir(repo: str) -> str:
    path = Path(repo)
    return str(path / ".git") if (path / ".git").exists() else str(path)


def present_releases(repo: str) -> list[tuple[str, str]]:
    """The releases of queries/releases.toml whose commit the repository holds, in order."""
    releases = load_releases(RELEASES.read_text(encoding="utf-8"))
    proc = subprocess.run(
        ["git", "--git-dir", git_dir(repo), "cat-file", "--batch-check"],
        input="".join(f"{sha}^{{commit}}\n" for _, sha in releases),
        capture_output=True,
        text=True,
        check=True,
    )
    found = [not line.endswith("missing") for line in proc.stdout.splitlines()]
    return [r for r, ok in zip(releases, found, strict=True) if ok]


# -- the sweep: one process, annotator.cli.main.main once per release --------------------------------

SWEEP_CODE = (
    "import sys; from benchmarks.run import sweep_worker; raise SystemExit(sweep_worker(sys.argv[1]))"
)


def sweep_worker(spec_path: str) -> int:
    """Run in its own process: annotate every SHA of the spec into the same --out, in order; the first
    notes get invented prose, every later call regenerates them in place. Writes the results JSON."""
    import io
    from contextlib import redirect_stderr

    from annotator.cli.main import main

    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    out = Path(spec["out"])
    steps: list[dict[str, Any]] = []
    for i, sha in enumerate(spec["shas"]):
        err = io.StringIO()
        start = time.perf_counter()
        with redirect_stderr(err):
            status = main(["--repo", spec["repo"], "--sha", sha, "--out", str(out)])
        seconds = time.perf_counter() - start
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8")) if status == 0 else {}
        steps.append(
            {
                "sha": sha,
                "status": status,
                "seconds": seconds,
                "manifest": manifest,
                "stderr": err.getvalue()[-1000:],
            }
        )
        if i == 0 and status == 0:
            notes = out / NOTES
            files = [(f["path"], f["lines"]) for f in manifest["files"]]
            notes.write_text(vary_notes(notes.read_text(encoding="utf-8"), 0, files), encoding="utf-8")
    Path(spec["result"]).write_text(json.dumps(steps), encoding="utf-8")
    return 0


@dataclass(frozen=True, slots=True)
class Sweep:
    total: Timed
    commits: int
    blobs: int
    lines: int  # lines of the distinct blobs
    libcst: Timed  # a bare libcst parse (with positions) of every distinct blob, in one process
    failed: list[str]
    regenerated: int  # steps that regenerated notes in place (a backup was written)


def distinct_files(manifests: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """Blob SHA -> line count of every distinct file version over several manifest.json objects."""
    return {f["blob"]: int(f["lines"]) for m in manifests for f in m.get("files", [])}


def sweep(b: Bench, shas: Sequence[str], runs: int) -> Sweep:
    results: list[tuple[Timed, list[dict[str, Any]]]] = []

    def spec() -> tuple[list[str], Path]:
        path = b.fresh("sweep") / "spec.json"
        result = path.parent / "result.json"
        data = {"repo": b.repo, "shas": list(shas), "out": str(path.parent / "notes"), "result": str(result)}
        path.write_text(json.dumps(data), encoding="utf-8")
        return [sys.executable, "-c", SWEEP_CODE, str(path)], result

    for _ in range(max(1, runs)):
        cmd, result = spec()
        timed = run_timed(cmd, b.env(XDG_CACHE_HOME=str(b.fresh("sweep-cache"))), b.work)
        results.append((timed, json.loads(result.read_text(encoding="utf-8"))))
        log(f"sweep of {len(shas)}: {fmt_seconds(timed.seconds)}")
    cmd, _ = spec()
    b.profiled("sweep", cmd, b.env(XDG_CACHE_HOME=str(b.fresh("c"))))
    steps = results[0][1]
    failed = [
        f"{s['sha'][:12]} (exit {s['status']}: {s['stderr'].strip()[-200:]})" for s in steps if s["status"]
    ]
    regenerated = sum("regenerated from" in s["stderr"] for s in steps)
    blobs = distinct_files(s["manifest"] for s in steps)
    folder = b.fresh("sweep-blobs")
    for blob in blobs:
        (folder / f"{blob}.py").write_bytes(git_blob(b.repo, blob))
    names = sorted(f"{blob}.py" for blob in blobs)
    parse = repeat(runs, lambda: run_timed([sys.executable, "-c", LIBCST, *names], b.env(), folder))
    log(f"libcst parse of the sweep's {len(blobs)} blobs: {fmt_seconds(median_timed(parse).seconds)}")
    return Sweep(
        median_timed([t for t, _ in results]),
        len(shas),
        count_blobs(s["manifest"] for s in steps),
        sum(blobs.values()),
        median_timed(parse),
        failed,
        regenerated,
    )


# -- remote bytes ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Remote:
    first: Timed
    cache_bytes: int
    full: Timed | None
    full_bytes: int
    full_note: str
    commits: int  # commits of the served repository


def remote(b: Bench) -> Remote:
    config = b.work / "serve.gitconfig"
    config.write_text(SERVE_CONFIG, encoding="utf-8")
    served = b.remote_repo or b.repo
    url = f"file://{Path(git_dir(served)).resolve()}"
    cache = b.fresh("remote-cache")
    env = b.env(XDG_CACHE_HOME=str(cache), GIT_CONFIG_GLOBAL=str(config))
    first = run_timed(b.annotate("--repo", url, "--sha", b.sha, "--out", str(b.fresh("o"))), env, b.work)
    (clone,) = [p for p in (cache / "vllm-annotator" / "repos").iterdir() if p.is_dir()]
    cache_bytes = dir_bytes(clone / "objects")
    log(f"remote first run: {fmt_bytes(cache_bytes)} in {fmt_seconds(first.seconds)}")
    target = b.work / "full.git"
    try:
        full: Timed | None = run_timed(["git", "clone", "--quiet", "--bare", url, str(target)], env, b.work)
        full_bytes, note = dir_bytes(target / "objects"), "full `git clone --bare`"
    except RuntimeError as exc:  # a mirror missing some objects (a partial copy) cannot be cloned
        full, full_bytes = None, dir_bytes(Path(git_dir(served)) / "objects")
        reason = "missing objects" if "unable to read" in str(exc) else "clone failed"
        note = f"the remote's own objects (`git clone --bare` failed: {reason})"
    shutil.rmtree(target, ignore_errors=True)
    log(f"full clone: {fmt_bytes(full_bytes)} ({note})")
    count = subprocess.run(
        ["git", "--git-dir", git_dir(served), "rev-list", "--all", "--count"], capture_output=True, text=True
    ).stdout.strip()
    return Remote(first, cache_bytes, full, full_bytes, note, int(count or 0))


# -- check: 200 notes files vs one ------------------------------------------------------------


def check(b: Bench, notes_dir: Path, manifest: Mapping[str, Any]) -> tuple[Timed, Timed]:
    files = [(f["path"], int(f["lines"])) for f in manifest["files"]]
    root = b.work / "check"
    dirs: list[Path] = []
    for i in range(CHECK_COPIES):
        d = root / f"n{i:03d}"
        d.mkdir(parents=True)
        shutil.copyfile(notes_dir / "manifest.json", d / "manifest.json")
        (d / NOTES).write_text(handwritten_notes(i, files, manifest["sha"]), encoding="utf-8")
        dirs.append(d)
    env = b.env(XDG_CACHE_HOME=str(b.fresh("check-cache")))
    base = ["check", "--repo", b.repo]
    run_timed(b.annotate(*base, str(dirs[0])), env, b.work, ok=(0, 1))  # warm the model cache
    one = repeat(b.runs, lambda: run_timed(b.annotate(*base, str(dirs[0])), env, b.work, ok=(0, 1)))
    many = repeat(b.runs, lambda: run_timed(b.annotate(*base, *map(str, dirs)), env, b.work, ok=(0, 1)))
    b.profiled("check-200", b.annotate(*base, *map(str, dirs)), env, ok=(0, 1))
    log(
        f"check: 1 file {fmt_seconds(median_timed(one).seconds)}, {CHECK_COPIES} files "
        f"{fmt_seconds(median_timed(many).seconds)}"
    )
    return median_timed(one), median_timed(many)


# -- the table --------------------------------------------------------------------------------


def rows(
    times: Mapping[str, Timed], files: int, sw: Sweep, rem: Remote, check1: Timed, check200: Timed
) -> list[Row]:
    cold, warm, pyrev, cst = times["cold"], times["warm"], times["pyreverse"], times["libcst"]

    def mem(a: Timed, base: Timed | None) -> str:
        return fmt_rss(a.rss_kb) + (f" / {fmt_rss(base.rss_kb)}" if base else "")

    def timed_row(fig: str, a: Timed, base: Timed, base_name: str, target: float | None) -> Row:
        r = a.seconds / base.seconds
        return Row(
            fig,
            fmt_seconds(a.seconds),
            f"{fmt_seconds(base.seconds)} ({base_name})",
            f"{r:.2f} x",
            "—" if target is None else f"<= {target:g} x",
            None if target is None else r <= target,
            mem(a, base),
        )

    sweep_name = f"sweep, {sw.commits} releases, notes regenerated in place"
    per_commit = Timed(sw.total.seconds / max(1, sw.commits), sw.total.rss_kb)
    per_blob = Timed(sw.total.seconds / max(1, sw.blobs), sw.total.rss_kb)
    parse_per_blob = Timed(sw.libcst.seconds / max(1, sw.blobs), sw.libcst.rss_kb)
    out = [
        timed_row(f"cold `annotate --sha` ({files} files)", cold, pyrev, "pyreverse -o mmd", 0.75),
        timed_row(f"cold `annotate --sha` ({files} files)", cold, cst, "libcst parse + positions", None),
        timed_row("warm `annotate --sha` (cache hit)", warm, pyrev, "pyreverse -o mmd", 0.3),
        timed_row("warm `annotate --sha` (cache hit)", warm, cst, "libcst parse + positions", None),
        timed_row(sweep_name, sw.total, cold, "one cold run", 20),
        timed_row("sweep: time per commit", per_commit, cold, "one cold run", None),
        timed_row(
            f"sweep: time per distinct blob ({sw.blobs} blobs, {sw.lines:,} lines)",
            per_blob,
            parse_per_blob,
            "libcst parse + positions of the same blobs, per blob",
            None,
        ),
    ]
    ratio = rem.cache_bytes / rem.full_bytes if rem.full_bytes else float("inf")
    out.append(
        Row(
            f"bytes stored by a first `annotate` from a `file://` remote ({rem.commits:,} commits)",
            fmt_bytes(rem.cache_bytes),
            f"{fmt_bytes(rem.full_bytes)} ({rem.full_note})",
            f"{ratio * 100:.2f} %",
            "< 1 % and < 2 MB",
            ratio < 0.01 and rem.cache_bytes < 2_000_000,
            mem(rem.first, rem.full),
        )
    )
    out.append(
        timed_row(f"`annotate check`, {CHECK_COPIES} notes files", check200, check1, "one notes file", 10)
    )
    return out


def report(info: Mapping[str, str], table: str, command: str, notes: Sequence[str]) -> str:
    lines = [
        f"Measured {info['date']} on {info['nproc']} CPUs ({info['cpu']}), Python {info['python']}, "
        f"{info['os']}, {info['git']}; checkout {info['checkout']}; load average {info['load']}.",
        "",
        f"`{command}`",
        "",
        table,
    ]
    if notes:
        lines += ["", *notes]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Every performance figure as a ratio to a baseline.")
    parser.add_argument("--repo", required=True, help="a local clone or bare mirror of vLLM's history")
    parser.add_argument(
        "--sha", default=DEFAULT_SHA, help="the commit of figures 1, 2, 4, 5 (default v0.3.3)"
    )
    parser.add_argument(
        "--quick", action="store_true", help=f"3 runs, {QUICK_RELEASES} releases in the sweep"
    )
    parser.add_argument("--runs", type=int, help="runs per timing (median); default 5, or 3 with --quick")
    parser.add_argument("--sweep-runs", type=int, help="sweeps (median); default 3, or 1 with --quick")
    parser.add_argument(
        "--remote-repo",
        metavar="PATH",
        help="the repository served over file:// for figure 4 (default --repo)",
    )
    parser.add_argument("--profile", type=Path, metavar="DIR", help="also write pyinstrument profiles to DIR")
    args = parser.parse_args(argv)
    pyreverse = shutil.which("pyreverse", path=str(Path(sys.executable).parent)) or shutil.which("pyreverse")
    if pyreverse is None:
        print("pyreverse not found: pip install -e '.[bench]'", file=sys.stderr)
        return 2
    runs = args.runs or (3 if args.quick else 5)
    sweep_runs = args.sweep_runs or (1 if args.quick else 3)
    info_start = machine_info()
    releases = present_releases(args.repo)
    chosen = spread(releases, QUICK_RELEASES) if args.quick else releases
    with tempfile.TemporaryDirectory(prefix="annotate-bench-") as tmp:
        b = Bench(args.repo, args.sha, runs, Path(tmp), pyreverse, args.profile, args.remote_repo or "")
        times, manifest, notes_dir = cold_and_warm(b)
        sw = sweep(b, [sha for _, sha in chosen], sweep_runs)
        rem = remote(b)
        check1, check200 = check(b, notes_dir, manifest)
    table = markdown_table(rows(times, len(manifest["files"]), sw, rem, check1, check200))
    info = {**info_start, "load": f"{info_start['load']} at the start, {machine_info()['load']} at the end"}
    notes = [
        f"Sweep: {len(chosen)} of the {len(releases)} releases of queries/releases.toml in the repository "
        f"({chosen[0][0]} .. {chosen[-1][0]}), {sw.regenerated} regenerations in place; "
        f"median of {sweep_runs} sweep(s), every other timing median of {runs} runs.",
    ]
    if sw.failed:
        notes.append("Sweep steps that failed: " + "; ".join(sw.failed))
    command = " ".join(["python -m benchmarks.run", *(argv if argv is not None else sys.argv[1:])])
    print(report(info, table, command, notes), end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

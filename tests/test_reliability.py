"""Issue 13: kill -9 in the middle of a fetch, damaged caches and JSON, binary notes, two runs on one
--out, and the smaller ones (--out '', no .bak when a write is refused, one cache root, leftovers of a
killed run). Remotes are file:// URLs of fixture repositories; nothing here is vLLM's code."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from annotator import fsio, locking, userdirs
from annotator.cli.main import main
from annotator.errors import AnnotatorError
from annotator.extract import cache as model_cache
from annotator.source import clonecache, gitcmd, remote
from tests.gitrepo import Step, git, make_repo

ROOT = Path(__file__).resolve().parent.parent
NOTES = "vllm-block-manager-annotated.md"
DEEP = "[" * 100_000 + "]" * 100_000
posix_only = pytest.mark.skipif(sys.platform == "win32", reason="kill -9, a shell hook, flock")


@pytest.fixture
def history(tmp_path: Path) -> tuple[Path, list[str]]:
    """Two commits (era 1 tagged v0.3.3, era 2 tagged v0.4.0), served as GitHub serves: filtered
    fetches and fetches by SHA allowed."""
    repo, shas = make_repo(
        tmp_path / "server", [Step(tree="era1", tag="v0.3.3"), Step(tree="era2", tag="v0.4.0")]
    )
    git(repo, "config", "uploadpack.allowFilter", "true")
    git(repo, "config", "uploadpack.allowAnySHA1InWant", "true")
    return repo, shas


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    status = main(list(args))
    _out, err = capsys.readouterr()
    return status, err


def one_error_line(status: int, err: str) -> None:
    assert status == 2 and err.startswith("annotate: error: ") and err.count("\n") == 1, err


def cache_repo() -> Path:
    (path,) = [p for p in clonecache.cache_root().iterdir() if p.is_dir() and not p.name.startswith(".")]
    return path


def spawn(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "annotator", *args],
        cwd=ROOT,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group: killpg kills annotate and its git children
    )


# -- kill -9 with git children in the middle of a fetch --------------------------------------------


@posix_only
@pytest.mark.parametrize("kill_children", [True, False], ids=["with-git-children", "annotate-alone"])
def test_a_kill_during_a_fetch_never_blocks_the_cache(
    history: tuple[Path, list[str]], tmp_path: Path, kill_children: bool
) -> None:
    """A fetch into an existing cache is killed while the server is still packing (a hook holds it).
    Killed together with its git children, annotate leaves git's shallow.lock behind: the next run
    removes it, says so, and fetches. Killed alone, its git fetch lives on holding the cache lock it
    inherited: the next run waits for it, then goes on. Either way the next run succeeds."""
    repo, shas = history
    hook, mark = tmp_path / "hook.sh", tmp_path / "packing"
    hook.write_text('#!/bin/sh\ntouch "$HOOK_MARK"\nsleep "$HOOK_SLEEP"\nexec "$@"\n')
    hook.chmod(0o755)
    config = tmp_path / "gitconfig"  # the hook is only honoured from the global config
    config.write_text(f"[uploadpack]\n\tpackObjectsHook = {hook}\n")
    env = {
        **os.environ,
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "GIT_CONFIG_GLOBAL": str(config),
        "HOOK_MARK": str(mark),
        "HOOK_SLEEP": "0",
        "PYTHONPATH": str(ROOT),
    }
    url = f"file://{repo}"
    first = spawn(env, "--repo", url, "--sha", shas[0], "--out", str(tmp_path / "a"))
    _, first_err = first.communicate(timeout=60)
    assert first.returncode == 0, first_err
    mark.unlink()
    env["HOOK_SLEEP"] = "3"
    victim = spawn(env, "--repo", url, "--sha", shas[1], "--out", str(tmp_path / "b"))
    deadline = time.monotonic() + 30
    while not mark.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert mark.exists(), "the fetch never reached the server"
    time.sleep(0.3)
    if kill_children:
        os.killpg(victim.pid, signal.SIGKILL)
    else:
        os.kill(victim.pid, signal.SIGKILL)
    victim.communicate(timeout=30)
    env["HOOK_SLEEP"] = "0"
    after = subprocess.run(
        [sys.executable, "-m", "annotator", "--repo", url, "--sha", shas[1], "--out", str(tmp_path / "c")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert after.returncode == 0, after.stderr
    assert json.loads((tmp_path / "c" / "manifest.json").read_text())["sha"] == shas[1]
    if kill_children:
        assert (
            "removed what a killed git left in the cache" in after.stderr and "shallow.lock" in after.stderr
        )
    else:
        assert "waiting for another annotate using" in after.stderr
    assert not list(cache_repo().rglob("*.lock"))


def test_git_leftovers_are_removed_under_the_lock(
    history: tuple[Path, list[str]], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    repo, shas = history
    url = f"file://{repo}"
    assert run(capsys, "--repo", url, "--sha", shas[0], "--out", str(tmp_path / "a"))[0] == 0
    path = cache_repo()
    left = [
        path / "shallow.lock",
        path / "refs" / "tags" / "v9.lock",
        path / "objects" / "pack" / "tmp_pack_x1",
    ]
    for p in left:
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(os.urandom(64))
    status, err = run(capsys, "--repo", url, "--sha", shas[1], "--out", str(tmp_path / "b"))
    assert status == 0, err
    assert "removed what a killed git left" in err and "shallow.lock" in err
    assert not any(p.exists() for p in left)


def test_a_git_lock_held_by_another_git_is_named(
    history: tuple[Path, list[str]],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A lock file that appears while annotate holds the cache (a git the user runs in the cache
    folder): the message names the lock, not the SHA."""
    repo, shas = history
    url = f"file://{repo}"
    assert run(capsys, "--repo", url, "--sha", shas[0], "--out", str(tmp_path / "a"))[0] == 0
    real = clonecache._Cache.remove_git_leftovers

    def then_a_foreign_git(self: clonecache._Cache) -> None:
        real(self)
        (self.path / "shallow.lock").write_text("")

    monkeypatch.setattr(clonecache._Cache, "remove_git_leftovers", then_a_foreign_git)
    status, err = run(capsys, "--repo", url, "--sha", shas[1], "--out", str(tmp_path / "b"))
    one_error_line(status, err)
    assert "shallow.lock" in err and "held by another git" in err and "check the SHA" not in err


# -- damaged caches and repositories --------------------------------------------------------------


@pytest.mark.parametrize("damage", ["pack", "config", "packed-refs"])
def test_a_damaged_remote_cache_is_rebuilt_once(
    history: tuple[Path, list[str]], capsys: pytest.CaptureFixture[str], tmp_path: Path, damage: str
) -> None:
    repo, shas = history
    url = f"file://{repo}"
    assert run(capsys, "--repo", url, "--sha", shas[0], "--out", str(tmp_path / "a"))[0] == 0
    path = cache_repo()
    if damage == "pack":
        for pack in (path / "objects" / "pack").glob("*.pack"):
            pack.write_bytes(os.urandom(pack.stat().st_size))
    elif damage == "config":
        (path / "config").write_text("[core\n\x01garbled = \n")
    else:
        (path / "packed-refs").write_text("this is not a packed-refs file\n")
    status, err = run(capsys, "--repo", url, "--sha", shas[0], "--out", str(tmp_path / "b"))
    assert status == 0, err
    assert "Traceback" not in err and "was damaged" in err and "building it again" in err
    assert json.loads((tmp_path / "b" / "manifest.json").read_text())["sha"] == shas[0]
    assert [p.name for p in clonecache.cache_root().iterdir() if p.is_dir()] == [path.name]  # nothing aside
    status, err = run(capsys, "--repo", url, "--sha", shas[0], "--out", str(tmp_path / "c"))
    assert status == 0 and "was damaged" not in err  # rebuilt once, for good


def test_a_garbled_local_repo_is_one_line(
    history: tuple[Path, list[str]], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    repo, _shas = history
    (repo / ".git" / "config").write_text("[core\n")
    status, err = run(capsys, "--repo", str(repo), "--sha", "v0.3.3", "--out", str(tmp_path / "o"))
    one_error_line(status, err)
    assert "git cannot read it" in err and "config" in err
    assert not (tmp_path / "o").exists()


def test_a_failed_fetch_leaves_no_pack(
    history: tuple[Path, list[str]],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What a server that ignores filters leaves when the history fetch then fails: a pack nothing
    refers to. It is removed, and the message says what to pass instead."""
    repo, shas = history
    url = f"file://{repo}"
    assert run(capsys, "--repo", url, "--sha", shas[0], "--out", str(tmp_path / "a"))[0] == 0
    packs = set((cache_repo() / "objects" / "pack").iterdir())
    real = gitcmd._CacheGit.run

    def big_then_broken(self: gitcmd._CacheGit, command: str, *args: str, **kw: Any) -> str:
        if command == "fetch" and "--filter=tree:0" in args:
            for ext in ("pack", "idx", "promisor"):
                (self.path / "objects" / "pack" / f"pack-{'e' * 40}.{ext}").write_bytes(b"x" * 1000)
            raise gitcmd._GitFailed(["fatal: early EOF"])
        return real(self, command, *args, **kw)

    monkeypatch.setattr(gitcmd._CacheGit, "run", big_then_broken)
    status, err = run(capsys, "--repo", url, "--sha", shas[1][:9], "--out", str(tmp_path / "b"))
    one_error_line(status, err)
    assert "early EOF" in err and "pass the full SHA or a tag" in err
    assert set((cache_repo() / "objects" / "pack").iterdir()) == packs


# -- JSON from disk ------------------------------------------------------------------------------


@pytest.mark.parametrize("notes", [True, False], ids=["regeneration", "first-generation"])
def test_a_deeply_nested_manifest_is_one_line(
    history: tuple[Path, list[str]], capsys: pytest.CaptureFixture[str], tmp_path: Path, notes: bool
) -> None:
    repo, _ = history
    out = tmp_path / "out"
    if notes:
        assert run(capsys, "--repo", str(repo), "--sha", "v0.3.3", "--out", str(out))[0] == 0
    else:
        out.mkdir()
    (out / "manifest.json").write_text(DEEP)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    status, err = run(capsys, "--repo", str(repo), "--sha", "v0.4.0", "--out", str(out))
    one_error_line(status, err)
    assert "manifest.json" in err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_a_deeply_nested_model_cache_entry_is_rebuilt(
    history: tuple[Path, list[str]], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    repo, _ = history
    assert run(capsys, "--repo", str(repo), "--sha", "v0.3.3", "--json")[0] == 0
    entries = sorted(model_cache.cache_dir().rglob("*.json"))
    assert entries
    for entry in entries:
        entry.write_text(DEEP)
    status, err = run(capsys, "--repo", str(repo), "--sha", "v0.3.3", "--out", str(tmp_path / "o"))
    assert status == 0, err
    assert all(json.loads(e.read_text())["key"] == e.stem for e in entries)  # rebuilt in place


def test_load_json_turns_deep_nesting_into_a_value_error() -> None:
    with pytest.raises(ValueError, match="nested too deeply"):
        fsio.load_json(DEEP)
    assert fsio.load_json('{"a": [1]}') == {"a": [1]}


# -- notes and --out -----------------------------------------------------------------------------


def test_binary_notes_are_not_regenerated(
    history: tuple[Path, list[str]], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    repo, _ = history
    out = tmp_path / "out"
    assert run(capsys, "--repo", str(repo), "--sha", "v0.3.3", "--out", str(out))[0] == 0
    (out / NOTES).write_text((out / NOTES).read_text() + "My words.\x00\x00\n")
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    status, err = run(capsys, "--repo", str(repo), "--sha", "v0.4.0", "--out", str(out))
    one_error_line(status, err)
    assert "NUL bytes" in err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_an_empty_out_is_an_error(
    history: tuple[Path, list[str]],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    repo, _ = history
    monkeypatch.chdir(tmp_path)
    status, err = run(capsys, "--repo", str(repo), "--out", "")
    one_error_line(status, err)
    assert "--out" in err
    assert not (tmp_path / NOTES).exists() and not (tmp_path / "manifest.json").exists()


@pytest.mark.parametrize(
    "args",
    [
        ["--lab", ""],
        ["--repo", ""],
        ["--sha", ""],
        ["check", "COURSE", "--sha", "v0.3.3", "--html", ""],
        ["check", "COURSE", "--manifest", ""],
        ["check", ""],
        ["diff", "", "v0.4.0"],
    ],
)
def test_an_empty_path_or_ref_is_an_error_and_writes_nothing(
    args: list[str],
    history: tuple[Path, list[str]],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """'' is not the working folder (Path('') is '.'), and --repo '' is not $ANNOTATE_REPO."""
    repo, _ = history
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("ANNOTATE_REPO", str(repo))
    (work / "COURSE").mkdir()
    status, err = run(capsys, "--lab", "COURSE", "--sha", "v0.3.3")
    assert status == 0, err
    before = sorted(p.relative_to(work) for p in work.rglob("*"))
    status, err = run(capsys, *args)
    one_error_line(status, err)
    assert "'' names no" in err
    assert sorted(p.relative_to(work) for p in work.rglob("*")) == before


@pytest.mark.parametrize("where", ["--out", "--lab"])
@pytest.mark.parametrize("refused", [NOTES, "README.md", "manifest.json"])
def test_a_refused_write_changes_nothing(
    refused: str,
    where: str,
    history: tuple[Path, list[str]],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An immutable file (chattr +i: renaming onto it fails; its folder is writable). The files are
    written backup, notes, README, manifest; the one refused write is the one error line, and every
    file written before it is put back (the notes with their BOM and CRLF, the backup removed): the
    notes, the README and the manifest never name different commits (the next regeneration would
    read them as the old commit's), and the manifest is never newer than the README."""
    repo, _ = history
    out = tmp_path / "out"
    out.mkdir()
    assert run(capsys, "--repo", str(repo), "--sha", "v0.3.3", where, str(out))[0] == 0
    notes = next(out.rglob(NOTES))
    notes.write_bytes(b"\xef\xbb\xbf" + notes.read_bytes().replace(b"\n", b"\r\n"))
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    real = os.replace

    def immutable(src: str, dst: str | Path) -> None:
        if Path(dst).name == refused:
            raise PermissionError(1, "Operation not permitted", str(dst))
        real(src, dst)

    monkeypatch.setattr(os, "replace", immutable)
    status, err = run(capsys, "--repo", str(repo), "--sha", "v0.4.0", where, str(out))
    one_error_line(status, err)
    assert f"{refused}: Operation not permitted" in err
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before  # no .bak, nothing else


@pytest.mark.parametrize("where", ["--out", "--lab"])
def test_the_manifest_is_written_last(
    where: str,
    history: tuple[Path, list[str]],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A run killed between two writes never leaves a manifest newer than the README or the notes:
    the order is backup, notes, README, manifest, at the first run and at a regeneration."""
    repo, _ = history
    out = tmp_path / "out"
    out.mkdir()
    replaced: list[str] = []
    real = os.replace

    def record(src: str, dst: str | Path) -> None:
        if Path(dst).is_relative_to(out):
            replaced.append(Path(dst).name)
        real(src, dst)

    monkeypatch.setattr(os, "replace", record)
    assert run(capsys, "--repo", str(repo), "--sha", "v0.3.3", where, str(out))[0] == 0
    assert replaced == [NOTES, "README.md", "manifest.json"]
    replaced.clear()
    assert run(capsys, "--repo", str(repo), "--sha", "v0.4.0", where, str(out))[0] == 0
    assert replaced == [f"{NOTES}.bak", NOTES, "README.md", "manifest.json"]


def test_a_run_killed_between_the_notes_and_the_manifest_is_taken_up(
    history: tuple[Path, list[str]], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """kill -9 after the notes were replaced and before the manifest was: the notes are at v0.4.0, the
    manifest still says v0.3.3. The next run takes the notes' commit (their header), not the manifest's,
    and records the manifest's as `previous`; every word stays."""
    repo, shas = history
    out = tmp_path / "out"
    assert run(capsys, "--repo", str(repo), "--sha", "v0.3.3", "--out", str(out))[0] == 0
    notes = (out / NOTES).read_text(encoding="utf-8").replace(
        "<!-- annotate:slot closing/theory -->\n", "<!-- annotate:slot closing/theory -->\nMY OWN WORDS\n"
    )
    (out / NOTES).write_text(notes, encoding="utf-8")
    old_manifest = (out / "manifest.json").read_bytes()
    assert run(capsys, "--repo", str(repo), "--sha", "v0.4.0", "--out", str(out))[0] == 0
    at_new = (out / NOTES).read_bytes()
    (out / "manifest.json").write_bytes(old_manifest)  # the state a kill -9 leaves
    status, err = run(capsys, "--repo", str(repo), "--sha", "v0.4.0", "--out", str(out))
    assert status == 0 and "the notes' commit is used" in err, err
    assert (out / NOTES).read_bytes() == at_new  # nothing flagged or orphaned a second time
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["sha"] == shas[1] and manifest["previous"]["sha"] == shas[0]
    assert run(capsys, "--repo", str(repo), "--sha", "v0.3.3", "--out", str(out))[0] == 0
    assert "MY OWN WORDS" in (out / NOTES).read_text(encoding="utf-8")


@posix_only
def test_a_folder_that_cannot_be_written_is_refused_before_the_first_write(
    history: tuple[Path, list[str]],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """--lab with the manifest's folder read-only: nothing is written, not even the notes (they were
    regenerated, and the manifest then refused). At the same commit nothing needs writing: status 0."""
    repo, _ = history
    course = tmp_path / "course"
    course.mkdir()
    assert run(capsys, "--repo", str(repo), "--sha", "v0.3.3", "--lab", str(course))[0] == 0
    before = {p: p.read_bytes() for p in course.rglob("*") if p.is_file()}
    experiments = next(p.parent for p in before if p.name == "manifest.json")
    real = fsio.tempfile.mkstemp

    def read_only(*args: Any, **kwargs: Any) -> tuple[int, str]:
        if Path(kwargs.get("dir", "")) == experiments:
            raise PermissionError(13, "Permission denied")
        return real(*args, **kwargs)

    monkeypatch.setattr(fsio.tempfile, "mkstemp", read_only)
    status, err = run(capsys, "--repo", str(repo), "--sha", "v0.4.0", "--lab", str(course))
    one_error_line(status, err)
    assert "Permission denied; make it writable or pick another --lab" in err
    assert {p: p.read_bytes() for p in course.rglob("*") if p.is_file()} == before
    status, err = run(capsys, "--repo", str(repo), "--sha", "v0.3.3", "--lab", str(course))
    assert status == 0, err


def test_temporary_files_of_a_killed_run_are_removed(
    history: tuple[Path, list[str]], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    repo, _ = history
    out = tmp_path / "out"
    assert run(capsys, "--repo", str(repo), "--sha", "v0.3.3", "--out", str(out))[0] == 0
    left = [out / f".{NOTES}.k1ll3d.tmp", out / ".manifest.json.x8y.tmp", out / f".{NOTES}.bak.zz9.tmp"]
    for p in left:
        p.write_text("half a file")
    mine = out / ".my-own.tmp"
    mine.write_text("not annotate's")
    assert run(capsys, "--repo", str(repo), "--sha", "v0.4.0", "--out", str(out))[0] == 0
    assert not any(p.exists() for p in left) and mine.exists()
    assert not (out / fsio.FOLDER_LOCK).exists()


# -- two runs on one --out -----------------------------------------------------------------------


@posix_only
def test_two_runs_on_one_out_take_turns_and_previous_stays_true(
    history: tuple[Path, list[str]], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Both start while the folder is locked; each then regenerates from what it finds, so the last
    manifest's `previous` is the other run's commit, never the original v0.3.3."""
    repo, shas = history
    (repo / "vllm" / "core" / "extra_era3.py").write_text("X = 1\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "third")
    third = git(repo, "rev-parse", "HEAD")
    out = tmp_path / "out"
    assert run(capsys, "--repo", str(repo), "--sha", "v0.3.3", "--out", str(out))[0] == 0
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with locking.hold(out / fsio.FOLDER_LOCK, "test", 5):
        procs = [spawn(env, "--repo", str(repo), "--sha", sha, "--out", str(out)) for sha in (shas[1], third)]
        for p in procs:  # both wait for the lock
            assert p.stderr is not None
            assert p.stderr.readline().startswith("waiting for another annotate writing")
    errs = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errs
    final = json.loads((out / "manifest.json").read_text())
    assert final["sha"] in (shas[1], third)
    assert final["previous"]["sha"] == ({shas[1], third} - {final["sha"]}).pop()
    assert len(list(out.glob(f"{NOTES}.bak*"))) == 2


def test_a_folder_locked_too_long_is_one_line_naming_the_lock(
    history: tuple[Path, list[str]],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    repo, _ = history
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.setattr(fsio, "FOLDER_LOCK_TIMEOUT", 0.3)
    lock_file = out / fsio.FOLDER_LOCK
    code = (
        "import sys, time; from pathlib import Path; from annotator import locking\n"
        f"with locking.hold(Path({str(lock_file)!r}), 'x', 5):\n print('held', flush=True); time.sleep(60)\n"
    )
    holder = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        status, err = run(capsys, "--repo", str(repo), "--sha", "v0.3.3", "--out", str(out))
    finally:
        holder.kill()
        holder.communicate()
    assert err.splitlines()[0].startswith("waiting for another annotate writing")
    one_error_line(status, err.split("\n", 1)[1])
    assert str(lock_file) in err and "stayed locked" in err
    assert [p.name for p in out.iterdir()] == [fsio.FOLDER_LOCK]  # nothing written (the holder's lock file)


# -- no fcntl (as on Windows): filelock's soft, pid-stamped locks ---------------------------------


@posix_only
def test_without_fcntl_the_cache_and_notes_locks_work_and_a_killed_holder_never_blocks(
    history: tuple[Path, list[str]],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """fcntl hidden, as on Windows: the locks are filelock's SoftFileLock markers. A process killed with
    -9 while holding both (the cache's and the notes folder's) leaves both markers behind; the next run
    breaks them as stale and writes its notes, and leaves no marker."""
    import filelock

    repo, shas = history
    url = f"file://{repo}"
    out = tmp_path / "out"
    out.mkdir()
    cache_lock = clonecache.cache_root() / f"{remote.cache_name(url)}.lock"
    cache_lock.parent.mkdir(parents=True)
    code = (
        "import sys, time; sys.modules['fcntl'] = None\n"
        "from pathlib import Path; from annotator import locking\n"
        f"with locking.hold(Path({str(cache_lock)!r}), 'c', 5), "
        f"locking.hold(Path({str(out / fsio.FOLDER_LOCK)!r}), 'n', 5):\n"
        " print('held', flush=True); time.sleep(60)\n"
    )
    holder = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    holder.send_signal(signal.SIGKILL)
    holder.communicate()
    assert cache_lock.exists() and (out / fsio.FOLDER_LOCK).exists()  # stale markers
    monkeypatch.setitem(sys.modules, "fcntl", None)
    assert locking.lock_class() is filelock.SoftFileLock
    monkeypatch.setattr(clonecache, "LOCK_TIMEOUT", 10.0)
    monkeypatch.setattr(fsio, "FOLDER_LOCK_TIMEOUT", 10.0)
    status, err = run(capsys, "--repo", url, "--sha", shas[0], "--out", str(out))
    assert status == 0, err
    status, err = run(capsys, "--repo", url, "--sha", shas[1], "--out", str(out))  # a fetch, a regeneration
    assert status == 0, err
    assert json.loads((out / "manifest.json").read_text())["previous"]["sha"] == shas[0]
    assert not cache_lock.exists() and not (out / fsio.FOLDER_LOCK).exists()


def test_a_soft_lock_held_by_a_live_process_still_excludes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "fcntl", None)
    path = tmp_path / "x.lock"
    code = (
        "import sys, time; sys.modules['fcntl'] = None\n"
        "from pathlib import Path; from annotator import locking\n"
        f"with locking.hold(Path({str(path)!r}), 'x', 5):\n print('held', flush=True); time.sleep(60)\n"
    )
    holder = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(locking.LockBusy, match="stayed locked"), locking.hold(path, "the thing", 0.3):
            pass
    finally:
        holder.kill()
        holder.communicate()


# -- one cache root -------------------------------------------------------------------------------


def test_both_caches_share_one_absolute_root_even_with_a_relative_xdg_cache_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    models, repos = model_cache.cache_dir(), clonecache.cache_root()
    assert models.parent == repos.parent == userdirs.cache_root()
    assert models.is_absolute() and repos.is_absolute()
    assert not str(models).startswith(str(tmp_path / "relative"))  # ignored, as the XDG spec says
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "abs"))
    assert (
        model_cache.cache_dir().parent
        == clonecache.cache_root().parent
        == tmp_path / "abs" / "vllm-annotator"
    )


def test_a_local_repo_with_a_damaged_pack_is_one_line(
    history: tuple[Path, list[str]], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    repo, _shas = history
    git(repo, "repack", "-adq")
    for pack in (repo / ".git" / "objects" / "pack").glob("*.pack"):
        pack.write_bytes(os.urandom(pack.stat().st_size))
    status, err = run(capsys, "--repo", str(repo), "--sha", "v0.3.3", "--out", str(tmp_path / "o"))
    one_error_line(status, err)
    assert "does not match its index" in err and "unknown ref" not in err


def test_a_refused_write_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(AnnotatorError, match=r"^cannot write .*/gone/notes\.md: .*; make it writable"):
        fsio.write_atomic(tmp_path / "gone" / "notes.md", "text")

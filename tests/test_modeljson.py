"""`annotate --json` end to end, the JSON shape, and the per-file model cache."""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from annotator.cli.main import main
from annotator.extract import cache
from annotator.extract.codec import decode_file, encode_file
from tests.gitrepo import ERAS, FIXTURES, Step, make_repo
from tests.modelkit import fixture_files

ROOT = Path(__file__).resolve().parent.parent


def run_json(capsys: pytest.CaptureFixture[str], repo: Path, sha: str) -> tuple[int, str, str]:
    status = main(["--repo", str(repo), "--sha", sha, "--json"])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize("era", ERAS)
def test_json_has_the_documented_shape(era: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo, (sha,) = make_repo(tmp_path, [Step(tree=era)])
    status, out, err = run_json(capsys, repo, sha)
    assert status == 0, err
    data = json.loads(out)
    assert set(data) >= {"sha", "version", "layout", "files", "edges", "unresolved"}
    assert data["sha"] == sha
    assert [f["path"] for f in data["files"]] == sorted(f["path"] for f in data["files"])
    f = next(f for f in data["files"] if f["classes"])
    assert set(f) >= {"path", "blob", "role", "classes", "functions", "aliases"}
    c = f["classes"][0]
    assert set(c) >= {"name", "qualname", "lineno", "end_lineno", "bases", "state", "methods"}
    m = next(m for c in f["classes"] for m in c["methods"])
    assert set(m) >= {"name", "lineno", "end_lineno", "public", "called_from_outside", "asserts", "raises"}
    e = data["edges"][0]
    assert set(e) == {"caller", "callee", "lineno", "kind"} and "::" in e["caller"]
    assert out == json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def test_json_is_byte_identical_cold_and_warm(
    era1_repo: tuple[Path, list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    repo, (sha,) = era1_repo
    first = run_json(capsys, repo, sha)[1]
    assert any(cache.cache_dir().rglob("*.json"))
    assert run_json(capsys, repo, sha)[1] == first
    data = json.loads(first)
    bm = next(f for f in data["files"] if f["path"] == "vllm/core/block_manager.py")
    manager = next(c for c in bm["classes"] if c["name"] == "BlockSpaceManager")
    allocate = next(m for m in manager["methods"] if m["name"] == "allocate")
    assert allocate["called_from_outside"] and allocate["public"]
    assert {"name": "block_tables", "annotation": "Dict[int, BlockTable]"}.items() <= next(
        s for s in manager["state"] if s["name"] == "block_tables"
    ).items()


def test_source_that_does_not_parse_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = "class BlockAllocator:\n    def allocate(self:\n        pass\n"
    repo, (sha,) = make_repo(tmp_path, [Step(tree="era1", files={"vllm/block.py": broken})])
    status, out, err = run_json(capsys, repo, sha)
    assert status == 2 and out == ""
    assert err.startswith("annotate: error: vllm/block.py:") and err.count("\n") == 1


@pytest.mark.parametrize("era", ERAS)
def test_codec_round_trips_every_fixture_file(era: str) -> None:
    from annotator.extract.visitor import extract_file

    for path, text in fixture_files(era).items():
        fm = extract_file(path, "allocator", "blob", text)
        assert decode_file(json.loads(json.dumps(encode_file(fm)))) == fm


def _bm_text() -> str:
    return (FIXTURES / "era1/vllm/core/block_manager.py").read_text()


def test_cache_hit_does_not_extract_again(monkeypatch: pytest.MonkeyPatch) -> None:
    first = cache.load_or_extract("vllm/core/block_manager.py", "allocator", "b1", _bm_text())

    def boom(*args: object) -> None:
        raise AssertionError("extracted again")

    monkeypatch.setattr("annotator.extract.cache.extract", boom)
    assert cache.load_or_extract("vllm/core/block_manager.py", "allocator", "b1", _bm_text()) == first
    with pytest.raises(AssertionError):  # another blob, role or path is another entry
        cache.load_or_extract("vllm/core/block_manager.py", "caller", "b1", _bm_text())


@pytest.mark.parametrize("damage", [b"", b"{not json", b'{"key": "x", "model": {}}', b"\xff\xfe", b"[]"])
def test_damaged_entry_is_ignored_and_rebuilt(damage: bytes) -> None:
    args = ("vllm/core/block_manager.py", "allocator", "b2", _bm_text())
    good = cache.load_or_extract(*args)
    (entry,) = cache.cache_dir().rglob("*.json")
    entry.write_bytes(damage)
    assert cache.load_or_extract(*args) == good
    assert json.loads(entry.read_text())["model"]["path"] == "vllm/core/block_manager.py"


def test_concurrent_writers_never_leave_partial_entries() -> None:
    args = ("vllm/core/block_manager.py", "allocator", "b3", _bm_text())
    results: list[object] = []
    threads = [
        threading.Thread(target=lambda: results.append(cache.load_or_extract(*args))) for _ in range(6)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 6 and all(r == results[0] for r in results)
    entries = list(cache.cache_dir().rglob("*"))
    assert [p.suffix for p in entries if p.is_file()] == [".json"]  # no temporary file left behind


def test_unwritable_cache_is_not_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    fm = cache.load_or_extract("vllm/core/block_manager.py", "allocator", "b4", _bm_text())
    assert fm.classes


def test_warm_run_imports_neither_libcst_nor_networkx(
    era1_repo: tuple[Path, list[str]], tmp_path: Path
) -> None:
    repo, (sha,) = era1_repo
    code = (
        "import sys, io, contextlib\n"
        "from annotator.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert main(['--repo', {str(repo)!r}, '--sha', {sha!r}, '--json']) == 0\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'libcst', 'networkx'}))\n"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "warm-cache"), "PYTHONPATH": str(ROOT)}

    def imported() -> str:
        done = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        return done.stdout.strip()

    assert imported() == "['libcst']"  # cold: extraction parses
    assert imported() == "[]"  # warm: every file is a cache hit


def test_json_does_not_depend_on_hash_seed(tmp_path: Path) -> None:
    repo, (sha,) = make_repo(tmp_path, [Step(tree="era2")])
    outputs = set()
    for seed in ("1", "2"):
        env = {
            **os.environ,
            "PYTHONHASHSEED": seed,
            "XDG_CACHE_HOME": str(tmp_path / f"cache{seed}"),
            "PYTHONPATH": str(ROOT),
        }
        cmd = [sys.executable, "-m", "annotator", "--repo", str(repo), "--sha", sha, "--json"]
        outputs.add(subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout)
    assert len(outputs) == 1


def test_temporary_files_of_a_killed_write_are_swept(monkeypatch: pytest.MonkeyPatch) -> None:
    """A run killed between creating its temporary file and renaming it leaves the file behind: the next
    run that writes removes it once it is an hour old, and never a live writer's."""
    monkeypatch.setattr(cache, "_swept", functools.cache(cache._swept.__wrapped__))  # a fresh process
    folder = cache.cache_dir() / "ab"
    folder.mkdir(parents=True)
    old, fresh = folder / ".abcdef123456.k1.tmp", folder / ".abcdef123456.k2.tmp"
    for tmp in (old, fresh):
        tmp.write_text('{"key": "half a', encoding="utf-8")
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    cache.load_or_extract("vllm/core/block_manager.py", "allocator", "b-swept", _bm_text())
    assert not old.exists() and fresh.exists()

"""annotate cite: symbol lookups and text search at a commit (fixture repo; opt-in real history)."""

from __future__ import annotations

import ast
import json
import subprocess
from pathlib import Path

import pytest

from annotator.cli.main import main
from annotator.resolve.analyze import analyze
from annotator.resolve.lookup import find_text, lookup
from annotator.snapshot.files import take
from annotator.source.repos import open_source
from tests.notesmaker import BM

V033 = "82091b864af105dbe373353655dc9d8c0a6ba66f"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_lookups(era1_repo: tuple[Path, list[str]]) -> None:
    repo, (sha,) = era1_repo
    snap = take(open_source(str(repo)), sha)
    model = analyze(snap)

    def found(query: str) -> list[tuple[str, str, int, int]]:
        return [(s.path, s.qualname, s.lineno, s.end_lineno) for s in lookup(model, query)]

    assert found("BlockSpaceManager.allocate") == [(BM, "BlockSpaceManager.allocate", 78, 86)]
    assert found("BlockAllocator") == [(BM, "BlockAllocator", 9, 37)]
    assert found("block_manager.py::BlockAllocator.free") == [(BM, "BlockAllocator.free", 29, 34)]
    assert found(f"{BM}::BlockAllocator.free()") == [(BM, "BlockAllocator.free", 29, 34)]
    both = ["BlockAllocator.allocate", "BlockSpaceManager.allocate"]
    assert [q for _, q, _, _ in found("allocate")] == both
    assert found("vllm/block.py::BlockAllocator") == []
    assert found("BlockTable") == [("vllm/block.py", "BlockTable", 39, 39)]
    assert found("Nothing") == []
    hits, total = find_text(snap, "Double free")
    assert [(h.path, h.lineno) for h in hits] == [(BM, 31)] and total == 1
    assert find_text(snap, "self", limit=3)[0][2].lineno > 0


def test_cli(era1_repo: tuple[Path, list[str]], capsys: pytest.CaptureFixture[str]) -> None:
    repo, (sha,) = era1_repo
    status, out, _ = run(capsys, "cite", "BlockSpaceManager.allocate", "--repo", str(repo), "--sha", "v0.3.3")
    assert status == 0
    assert f"{BM}:78-86" in out and f"/blob/{sha}/{BM}#L78-L86" in out
    status, out, _ = run(capsys, "cite", "allocate", "--repo", str(repo), "--sha", sha, "--json")
    data = json.loads(out)
    assert status == 0 and [s["qualname"] for s in data["symbols"]] == [
        "BlockAllocator.allocate",
        "BlockSpaceManager.allocate",
    ]
    status, out, _ = run(capsys, "cite", "--text", "Double free", "--repo", str(repo), "--sha", sha)
    assert status == 0 and f"{BM}:31" in out
    status, _, err = run(capsys, "cite", "Nope", "--repo", str(repo), "--sha", sha)
    assert status == 1 and "no symbol 'Nope'" in err
    status, _, err = run(capsys, "cite", "--repo", str(repo))
    assert status == 2 and "name a SYMBOL" in err


def _ast_range(repo: Path, sha: str, path: str, cls: str, method: str) -> tuple[int, int]:
    text = subprocess.run(
        ["git", f"--git-dir={repo}" if (repo / "HEAD").is_file() else f"--git-dir={repo}/.git", "show",
         f"{sha}:{path}"],
        capture_output=True, text=True, check=True,
    ).stdout
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.ClassDef) and node.name == cls:
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and item.name == method:
                    assert item.end_lineno is not None
                    return item.lineno, item.end_lineno
    raise AssertionError(f"{cls}.{method} not in {path}")


@pytest.mark.real
def test_real_cite_matches_ast(real_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    start, end = _ast_range(real_repo, V033, BM, "BlockSpaceManager", "allocate")
    where = ("--sha", V033, "--repo", str(real_repo), "--json")
    status, out, _ = run(capsys, "cite", "BlockSpaceManager.allocate", *where)
    assert status == 0
    (sym,) = json.loads(out)["symbols"]
    assert (sym["path"], sym["lineno"], sym["end_lineno"]) == (BM, start, end)
    assert sym["permalink"].endswith(f"/blob/{V033}/{BM}#L{start}-L{end}")
    status, out, _ = run(capsys, "cite", "--text", "Double free", *where)
    assert status == 0 and BM in {h["path"] for h in json.loads(out)["lines"]}

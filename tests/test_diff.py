"""annotate diff: structural changes between two commits, following renames across eras."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.cli.main import main
from annotator.model import ClassInfo, CommitModel, FileModel, Function
from annotator.regen.changes import Change, diff
from annotator.regen.renames import load_renames
from tests.gitrepo import Step, make_repo
from tests.merge_history import contexts

R = load_renames()


def _fn(qual: str, start: int, end: int, sig: str = "f(self)") -> Function:
    name = qual.split(".")[-1]
    return Function(name, qual, start, end, sig, "", True, False, (), "method")


Classes = list[tuple[str, int, int, list[Function]]]


def _model(sha: str, layout: str, files: dict[str, Classes]) -> CommitModel:
    fms = tuple(
        FileModel(
            path, "0" * 40, 100, "allocator",
            tuple(ClassInfo(n, n, a, b, (), (), "", (), tuple(ms)) for n, a, b, ms in classes),
        )
        for path, classes in files.items()
    )
    return CommitModel(sha, "x", "2024-01-01T00:00:00Z", layout, fms)


def test_changes_follow_renames_and_compare_code_not_lines() -> None:
    ctx = contexts()
    a, b = ctx["A"], ctx["B"]
    old = _model(a.sha, a.layout, {
        "vllm/core/block_manager.py": [
            ("BlockAllocator", 4, 14, [_fn("BlockAllocator.allocate", 10, 11),
                                       _fn("BlockAllocator.free", 13, 14)]),
            ("BlockSpaceManager", 22, 39, [_fn("BlockSpaceManager.can_allocate", 29, 30),
                                           _fn("BlockSpaceManager.swap_in", 35, 36)]),
        ],
    })
    new = _model(b.sha, b.layout, {
        "vllm/core/block_manager_v1.py": [
            ("UncachedBlockAllocator", 5, 16, [_fn("UncachedBlockAllocator.allocate", 11, 13),
                                               _fn("UncachedBlockAllocator.free", 15, 16)]),
            ("BlockSpaceManagerV1", 19, 33, [_fn("BlockSpaceManagerV1.can_allocate", 26, 27)]),
        ],
        "vllm/core/block_manager_v2.py": [("BlockSpaceManagerV2", 1, 8, [])],
    })
    changes = {(c.kind, c.entity, c.old, c.new) for c in diff(old, new, R, a, b)}
    bm, v1 = "vllm/core/block_manager.py", "vllm/core/block_manager_v1.py"
    assert ("layout", "layout", "v0-monolithic", "v0-dual-v1-v2") in changes
    assert ("renamed", "file", bm, v1) in changes
    assert ("added", "file", None, "vllm/core/block_manager_v2.py") in changes
    alloc, uncached = f"{bm}::BlockAllocator", f"{v1}::UncachedBlockAllocator"
    assert ("changed", "method", f"{alloc}.allocate", f"{uncached}.allocate") in changes
    assert ("renamed", "method", f"{alloc}.free", f"{uncached}.free") in changes
    assert ("removed", "method", f"{bm}::BlockSpaceManager.swap_in", None) in changes
    assert ("added", "class", None, "vllm/core/block_manager_v2.py::BlockSpaceManagerV2") in changes
    moved = diff(old, old.__class__(b.sha, "x", "", a.layout, old.files), R, a, a)
    assert moved == []


def test_explain_shows_both_ranges() -> None:
    c = Change("moved", "method", "p.py::A.f", "p.py::A.f", (10, 12), (20, 22))
    assert c.explain() == "moved    method   p.py::A.f L10-L12 -> p.py::A.f L20-L22"


@pytest.fixture
def history(tmp_path: Path) -> tuple[Path, list[str]]:
    return make_repo(tmp_path, [Step(tree="era1", tag="v0.3.3"), Step(tree="era2", tag="v0.4.0")])


def test_cli_text_and_json(history: tuple[Path, list[str]], capsys: pytest.CaptureFixture[str]) -> None:
    repo, shas = history
    assert main(["diff", "v0.3.3", "v0.4.0", "--repo", str(repo)]) == 0
    text = capsys.readouterr().out
    assert text.splitlines()[0].startswith(f"annotate diff {shas[0][:12]} (0.3.3, v0-monolithic) -> ")
    assert "layout   v0-monolithic -> v0-dual-v1-v2" in text
    assert "renamed  file     vllm/core/block_manager.py -> vllm/core/block_manager_v1.py" in text
    assert main(["diff", "v0.3.3", "v0.4.0", "--repo", str(repo), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["old"]["sha"] == shas[0] and data["new"]["layout"] == "v0-dual-v1-v2"
    kinds = {(c["kind"], c["entity"]) for c in data["changes"]}
    assert ("renamed", "file") in kinds and ("added", "class") in kinds
    assert all(set(c) == {"kind", "entity", "old", "new", "old_lines", "new_lines"} for c in data["changes"])


def test_cli_bad_input(history: tuple[Path, list[str]], capsys: pytest.CaptureFixture[str]) -> None:
    repo, _ = history
    assert main(["diff", "v0.3.3", "--repo", str(repo)]) == 2
    assert capsys.readouterr().err.startswith("annotate: error:")
    assert main(["diff", "v0.3.3", "nope", "--repo", str(repo)]) == 2
    assert "unknown ref" in capsys.readouterr().err

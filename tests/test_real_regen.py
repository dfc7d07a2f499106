"""Opt-in (marked `real`): notes written at v0.3.3 of a real vLLM clone, regenerated to v0.4.0,
v0.6.3.post1 and v0.10.0 and back, keep every word. Run with
ANNOTATE_VLLM_REPO=/path/to/vllm .venv/bin/pytest -m real tests/test_real_regen.py"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.cli.main import main
from annotator.notes.markers import parse
from tests.conftest import require_commits

pytestmark = pytest.mark.real

V033 = "82091b864af105dbe373353655dc9d8c0a6ba66f"
LATER = {
    "0.4.0": "430530fc18b7dc8076f7df4c3c6718ba8cc303f3",
    "0.6.3.post1": "a2c71c5405fdd8822956bcd785e72149c1cfb655",
    "0.10.0": "6d8d0a24c02bfd84d46b3016b865a44f048ae84b",
}
NOTES = "vllm-block-manager-annotated.md"


def _fill(notes: str) -> tuple[str, list[str]]:
    """Words in every slot and after every gen block, and a preface before the first marker."""
    words = ["My preface — before any marker.\n"]
    out = [words[0]]
    for line in notes.splitlines(keepends=True):
        out.append(line)
        if line.startswith(("<!-- annotate:slot ", "<!-- annotate:/gen ")):
            words.append(f"Words {len(words)} on {line.split()[1]} {line.split()[2]}: ünïcödé.\n")
            out.append(words[-1])
    return "".join(out), words


def _slot(notes: str, key: str) -> str:
    return next(s.body for s in parse(notes) if s.kind == "slot" and s.key == key)


def test_notes_at_v033_survive_three_eras_and_come_back(
    real_repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    require_commits(real_repo, V033, *LATER.values())
    out = tmp_path / "notes"
    run = ["--repo", str(real_repo), "--out", str(out), "--sha"]
    assert main([*run, V033]) == 0
    written, words = _fill((out / NOTES).read_text(encoding="utf-8"))
    (out / NOTES).write_text(written, encoding="utf-8")
    allocate = "WORDS-ALLOCATE\n"
    marker = "<!-- annotate:slot method:vllm/core/block_manager.py::BlockSpaceManager.allocate/does -->\n"
    written = written.replace(marker, marker + allocate)
    (out / NOTES).write_text(written, encoding="utf-8")
    previous = V033
    for version, sha in LATER.items():
        assert main([*run, sha]) == 0
        notes = (out / NOTES).read_text(encoding="utf-8")
        lost = [w for w in words if w not in notes]
        assert not lost, f"{len(lost)} lost at v{version}, e.g. {lost[:3]}"
        manifest = json.loads((out / "manifest.json").read_text())
        assert manifest["sha"] == sha and manifest["previous"]["sha"] == previous
        previous = sha
        if version == "0.4.0":
            v1 = "method:vllm/core/block_manager_v1.py::BlockSpaceManagerV1.allocate"
            assert allocate in _slot(notes, f"{v1}/does")
            assert f"<!-- annotate:gen changed:{v1} -->" in notes  # allocate changed in #3357/#3492
            assert f"https://github.com/vllm-project/vllm/compare/{V033}...{sha}" in notes
        if version == "0.6.3.post1":  # block manager v1 is gone: its notes are orphans, cited at v0.4.0
            orphans = notes[notes.index("## Orphaned notes") :]
            assert allocate in orphans
            assert f"blob/{LATER['0.4.0']}/vllm/core/block_manager_v1.py#L" in orphans
    capsys.readouterr()
    same = {p.name: p.read_bytes() for p in out.iterdir()}
    assert main([*run, LATER["0.10.0"]]) == 0
    assert {p.name: p.read_bytes() for p in out.iterdir()} == same
    assert main([*run, V033]) == 0
    assert (out / NOTES).read_text(encoding="utf-8") == written


def test_diff_across_the_real_eras(real_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    require_commits(real_repo, V033, *LATER.values())

    def changes(old: str, new: str) -> list[dict[str, object]]:
        assert main(["diff", old, new, "--repo", str(real_repo), "--json"]) == 0
        result: list[dict[str, object]] = json.loads(capsys.readouterr().out)["changes"]
        return result

    first = changes(V033, LATER["0.4.0"])
    assert {"kind": "layout", "entity": "layout", "old": "v0-monolithic", "new": "v0-dual-v1-v2"} in [
        {k: c[k] for k in ("kind", "entity", "old", "new")} for c in first
    ]
    bm, v1 = "vllm/core/block_manager.py", "vllm/core/block_manager_v1.py"
    pairs = {(c["kind"], c["old"], c["new"]) for c in first}
    assert ("renamed", bm, v1) in pairs
    assert ("changed", f"{bm}::BlockSpaceManager.allocate", f"{v1}::BlockSpaceManagerV1.allocate") in pairs
    second = {(c["kind"], c["old"], c["new"]) for c in changes(LATER["0.6.3.post1"], LATER["0.10.0"])}
    assert ("renamed", "vllm/core/evictor_v2.py", "vllm/core/evictor.py") in second
    naive = "vllm/core/block/naive_block.py::NaiveBlockAllocator.__init__"
    assert ("moved", naive, naive) in second  # same code, two SPDX lines lower

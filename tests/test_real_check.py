"""Opt-in: annotate check on notes filled into a real v0.3.3 skeleton (ANNOTATE_VLLM_REPO)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from annotator.cli.main import main
from tests.conftest import require_commits
from tests.notesmaker import BM, prose

pytestmark = pytest.mark.real
V033 = "82091b864af105dbe373353655dc9d8c0a6ba66f"
NOTES = "vllm-block-manager-annotated.md"
ALLOCATE = f"method:{BM}::BlockSpaceManager.allocate/does"


def check(capsys: pytest.CaptureFixture[str], repo: Path, *paths: Path) -> tuple[int, dict[str, object]]:
    status = main(["check", *map(str, paths), "--repo", str(repo), "--json"])
    out, err = capsys.readouterr()
    assert status in (0, 1), err
    return status, json.loads(out)


def fill(text: str, answers: dict[str, str]) -> str:
    for key, words in answers.items():
        marker = f"<!-- annotate:slot {key} -->\n"
        assert marker in text, key
        text = text.replace(marker, marker + words, 1)
    return text


@pytest.fixture
def skeleton(real_repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    out = tmp_path / "skel"
    assert main(["--repo", str(real_repo), "--sha", V033, "--out", str(out)]) == 0, capsys.readouterr().err
    capsys.readouterr()
    return out / NOTES


def test_real_skeleton_then_filled_notes(
    real_repo: Path, skeleton: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, data = check(capsys, real_repo, skeleton)
    codes = {f["code"] for f in data["files"][0]["findings"]}  # type: ignore[index]
    assert status == 1
    assert codes == {"prose-short", "question-no-prose", "closing-missing"}  # empty answers: no prose
    lead = f"In `{BM}` the work starts at L123-L164."
    answers = {f"q:{n}/answer": f"{lead}\n\n{prose(150, n)}" for n in range(1, 6)}
    answers["closing/theory"] = prose(300, 9)
    answers["lifecycle/notes"] = prose(600, 10)
    answers[ALLOCATE] = "It walks the logical blocks (L123-L164).\n\n"
    filled = tmp_path / "filled" / NOTES
    filled.parent.mkdir()
    filled.write_text(fill(skeleton.read_text(), answers))
    (filled.parent / "manifest.json").write_text((skeleton.parent / "manifest.json").read_text())
    status, data = check(capsys, real_repo, filled)
    assert status == 0, data

    code = subprocess.run(
        ["git", f"--git-dir={real_repo}", "show", f"{V033}:{BM}"], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    six = "\n".join(code[130:137])  # L131-L137: six non-blank lines (five would pass)
    copied = tmp_path / "copied" / NOTES
    copied.parent.mkdir()
    copied.write_text(fill(filled.read_text(), {ALLOCATE: f"```python\n{six}\n```\n\nAlso L10 here.\n\n"}))
    status, data = check(capsys, real_repo, copied, filled)
    assert status == 1
    first = data["files"][0]  # type: ignore[index]
    assert sorted(f["code"] for f in first["findings"]) == ["cite-outside-symbol", "verbatim-copy"]
    assert data["summary"]["ok"] == 1  # type: ignore[index]


ERAS = [
    ("09c7792610ada9f88bbf87d32b472dd44bf23cc2", "vllm/core/block_manager_v2.py"),
    ("6d8d0a24c02bfd84d46b3016b865a44f048ae84b", "vllm/core/block_manager.py"),
    ("b761df963c2032144468a99bcb39a11e73e16ca4", "vllm/v1/core/kv_cache_manager.py"),
]


@pytest.mark.parametrize(("sha", "path"), ERAS, ids=[e[1] for e in ERAS])
def test_real_filled_notes_pass_in_every_era(
    real_repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], sha: str, path: str
) -> None:
    require_commits(real_repo, sha)
    out = tmp_path / "o"
    assert main(["--repo", str(real_repo), "--sha", sha, "--out", str(out)]) == 0, capsys.readouterr().err
    capsys.readouterr()
    notes = out / NOTES
    answers = {f"q:{n}/answer": f"In `{path}` see L1-L5.\n\n{prose(150, n)}" for n in range(1, 6)}
    answers["closing/theory"] = prose(300, 9)
    answers["lifecycle/notes"] = prose(700, 10) + f"\nThe manager lives in {path}:1.\n"
    notes.write_text(fill(notes.read_text(), answers))
    status, data = check(capsys, real_repo, notes)
    assert status == 0, data


HANDWRITTEN = f"""# vLLM v0.3.3 block manager, by hand

Commit: {V033}

## 1. vllm/block.py

### PhysicalTokenBlock (L50-L68)

A device, a number, a size and a reference count. The page table is a list of these.

## 2. vllm/core/block_manager.py

### BlockAllocator (L10-L51)

The free list is built in the constructor and `allocate` (L36-L41) pops from it, `free` (L43-L48)
pushes back when the count hits zero. The scheduler.py file never touches it directly.

### BlockSpaceManager (L68-L330)

#### can_allocate

The watermark set up in `__init__`, L89 and L92, is what `can_allocate` compares against
(L114-L121).

#### free

`free` hands the table to the private helper `_free_block_table` (L302-L307) and deletes the entry
(L309-L315).

## Q2. Eviction

When a swapped group comes back, the scheduler calls `_append_slot` right after `_swap_in`
(scheduler.py L338-L339). The outputs are packed into `SchedulerOutputs` (scheduler.py:259).

## Q3. Copy-on-write

`fork` (block_manager.py:205-211) shares every block; `append_slot` copies the last one when it is
shared (block_manager.py:173-203), falling back to a fresh block otherwise.
"""


def test_real_handwritten_notes_have_no_false_citation_findings(
    real_repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The habits of the issue's v0.3.3 notes: file and class headings over bare ranges, `__init__`
    lines and a private helper under a method heading, call sites, a construction."""
    require_commits(real_repo, V033)
    notes = tmp_path / "notes.md"
    notes.write_text(HANDWRITTEN)
    _, data = check(capsys, real_repo, notes)
    found = data["files"][0]["findings"]  # type: ignore[index]
    assert [f for f in found if f["code"].startswith(("cite-", "permalink"))] == []
    missing = sorted(f["line"] or 0 for f in found if f["code"] == "question-missing")
    assert len(missing) == 3  # questions 1, 4 and 5; the numbered file headings are not questions

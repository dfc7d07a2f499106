"""Notes written without the skeleton: heading sections, answers found from headings and lead-ins,
symbol precision, student manifests, severities, --strict and --manifest (fixture eras 1 and 2)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from annotator.cli.main import main
from annotator.grading.check import check_notes, inspect_notes
from annotator.grading.findings import Finding
from annotator.grading.words import prose_words
from annotator.model import CommitModel
from annotator.resolve.analyze import analyze
from annotator.snapshot.files import Snapshot, take
from annotator.source.repos import open_source
from tests.gitrepo import Step, make_repo
from tests.notesmaker import Notes, prose


@dataclass
class Era:
    repo: Path
    sha: str
    snap: Snapshot
    model: CommitModel

    def check(self, text: str, manifest: dict[str, Any] | None = None) -> list[Finding]:
        return check_notes(text.replace("{SHA}", self.sha), "n.md", self.snap, self.model, manifest)

    def cites(self, text: str) -> list[tuple[str, int | None]]:
        """(code, line) of the citation findings."""
        return [(f.code, f.line) for f in self.check(text) if f.code.startswith(("cite-", "permalink"))]


def _era(root: Path, tree: str) -> Iterator[Era]:
    old = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(root / "cache")
    try:
        repo, (sha,) = make_repo(root, [Step(tree=tree)])
        snap = take(open_source(str(repo)), sha)
        yield Era(repo, sha, snap, analyze(snap))
    finally:
        if old is None:
            os.environ.pop("XDG_CACHE_HOME", None)
        else:
            os.environ["XDG_CACHE_HOME"] = old


@pytest.fixture(scope="module")
def era1(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Era]:
    yield from _era(tmp_path_factory.mktemp("era1"), "era1")


@pytest.fixture(scope="module")
def era2(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Era]:
    yield from _era(tmp_path_factory.mktemp("era2"), "era2")


def test_bare_lines_take_the_file_of_the_heading_above(era1: Era) -> None:
    text = """Commit: {SHA}

## 2. vllm/core/block_manager.py

### BlockAllocator (L9-L37)

The pop is at L25 – and see what scheduler.py does with the result.
In block.py the alias is at L39.

#### `BlockSpaceManager.can_allocate`

The watermark comes from the constructor, L60 and L61, and the fork is far below (L111-L115).
The allocator's pop at L25 is not in this class.

## Q1. Page allocation

Free blocks leave the list at L25.
"""
    assert era1.cites(text) == [("cite-outside-symbol", 13), ("cite-ambiguous", 17)]


def test_a_file_named_in_the_sentence_beats_the_heading(era1: Era) -> None:
    text = """Commit: {SHA}

## vllm/core/block_manager.py

`PhysicalTokenBlock` lives in block.py, whose constructor is L28-L32.
Back in this file, L25 pops. And on one line: block.py keeps the alias at L39.
"""
    assert era1.cites(text) == []  # L28-L32 and L39 of block.py; L25 of the heading's file


def test_symbol_precision(era1: Era) -> None:
    fine = """Commit: {SHA}

The scheduler calls `_allocate` (scheduler.py:42) once per admitted group.
The manager builds one `BlockAllocator` (block_manager.py:62) per device.
Swapping checks `can_swap_out` falling back to `swap_out` (block_manager.py:133-147).
Lines 120–145? No: `BlockAllocator.free` is block_manager.py lines 29–34, and line 25 of block_manager.py
pops; see block_manager.py, L22-L27 and L29-L34 for both halves.
"""
    assert era1.cites(fine) == []
    wrong = "Commit: {SHA}\n\nFreeing is `BlockAllocator.free` (block_manager.py:22-27).\n"
    found = [f for f in era1.check(wrong) if f.code == "cite-outside-symbol"]
    assert [(f.line, f.severity) for f in found] == [(3, "error")]
    cite = found[0].cite
    assert cite is not None and (cite.path, cite.start, cite.end) == ("vllm/core/block_manager.py", 22, 27)
    line = wrong.splitlines()[2]
    assert line[cite.col : cite.end_col] == cite.text == "block_manager.py:22-27"


def test_a_name_found_twice_is_resolved_by_the_heading(era2: Era) -> None:
    text = """Commit: {SHA}

## Overview

Two files are called interfaces.py: interfaces.py:16 could be either.

## vllm/core/interfaces.py

`BlockSpaceManager` is declared in interfaces.py:16-63, and L30 is its `can_allocate`.
"""
    found = [f for f in era2.check(text) if f.code.startswith("cite-")]
    assert [(f.code, f.line, f.severity) for f in found] == [("cite-ambiguous-file", 5, "warning")]


ANSWER = prose(40, 3).strip()


def test_answers_and_closing_from_headings_and_lead_ins(era1: Era) -> None:
    text = f"""Commit: {{SHA}}

## 1. vllm/block.py

The alias is at L39. {ANSWER}

## 2. vllm/core/block_manager.py

{ANSWER}

## Q1. Page allocation

Blocks leave the list at block_manager.py:25. {ANSWER}

## 3) Copy-on-write

## Questions

### Question 4: page-table representation

A list per sequence, block.py:39. {ANSWER}

**Q5 — Hand-off.** The numbers go out through block_manager.py:169-171. {ANSWER}

**Closing: back to the theory** — {ANSWER}
"""
    found = [(f.code, f.line) for f in era1.check(text) if f.code.startswith(("question", "closing"))]
    assert found == [("question-missing", 15), ("question-no-prose", 15)]


def test_a_range_may_run_past_its_symbol_only_over_blank_lines(era1: Era) -> None:
    """`fork` (L111-L116) holds (a blank line past its end), `fork` (L100-L174) and `fork` (L105-L115)
    take in other methods' code: its own `def fork(` line is not a call of it."""
    text = """Commit: {SHA}

`BlockSpaceManager.fork` (vllm/core/block_manager.py:111-116) shares the parent's blocks.

`BlockSpaceManager.fork` (vllm/core/block_manager.py:100-174) shares the parent's blocks.

`BlockSpaceManager.fork` (vllm/core/block_manager.py:105-115) shares the parent's blocks.

`Scheduler.fork_seq` calls it: `BlockSpaceManager.fork` (vllm/core/scheduler.py:72).
"""
    assert era1.cites(text) == [("cite-outside-symbol", 5), ("cite-outside-symbol", 7)]


def test_parenthesised_numbers_and_italic_question_lead_ins(era1: Era) -> None:
    """`### (1) Page allocation`, `### 2 · Eviction`, `### 3/ Copy-on-write` name their questions
    without a `Questions` heading; `*Q4 — Page tables.*` opens an answer, a plain italic word does not;
    an HTML `<h3>Q5. Hand-off</h3>` line is a heading."""
    text = f"""Commit: {{SHA}}

### (1) Page allocation

Blocks leave the list at block_manager.py:25. {ANSWER}

### 2 · Eviction

Preemption frees blocks, scheduler.py:93-96. {ANSWER}

### 3/ Copy-on-write

The copy is recorded at block_manager.py:105-109. {ANSWER}

*Q4 — Page tables.* A list per sequence, block.py:39. {ANSWER}

*Theory* says the pool is a stack, block_manager.py:25. {ANSWER}

<h3 id="q5">Q5. Hand-off</h3>

The numbers go out through block_manager.py:169-171. {ANSWER}

## Reflections

{ANSWER}
"""
    found = [(f.code, f.line) for f in era1.check(text) if f.code.startswith(("question", "closing"))]
    assert found == []


def test_a_missing_closing_and_a_deleted_answer(era1: Era) -> None:
    text = f"""Commit: {{SHA}}

## Q1. Page allocation

## Q2. Eviction

Preemption frees blocks, scheduler.py:93-96. {ANSWER}
"""
    found = [(f.code, f.line) for f in era1.check(text) if f.code.startswith(("question", "closing"))]
    assert ("question-no-prose", 3) in found and ("closing-missing", None) in found
    assert not any(code == "question-no-prose" and line == 5 for code, line in found)


def test_citation_tokens_and_identifiers_are_not_words() -> None:
    assert prose_words("block_manager_v1.py:200 gives block, manager") == 3
    assert prose_words("`BlockAllocator` calls free_blocks.pop() and Block.free at L10-L51") == 3
    assert prose_words("The GPU's KV cache, copy-on-write, x86 and it's done.") == 11


def test_student_manifests(era1: Era) -> None:
    notes = Notes(era1.sha, header="# Notes\n").text()

    def codes(manifest: dict[str, Any]) -> list[tuple[str, str]]:
        return sorted((f.code, f.severity) for f in era1.check(notes, manifest))

    for key in ("sha", "commit", "commit_sha", "vllm_commit", "git_sha"):
        assert codes({key: era1.sha}) == []
    assert codes({"commit": era1.sha[:10].upper()}) == []
    assert codes({"commit": "not a sha"}) == [("commit-missing", "error"), ("manifest-invalid", "error")]
    assert codes({"sha": era1.sha, "version": "v0.3.3", "date": "2024-03-01"}) == []
    assert codes({"sha": era1.sha, "version": "0.4.0", "date": "2023-01-01T00:00:00Z"}) == [
        ("manifest-date-mismatch", "warning"),
        ("manifest-version-mismatch", "warning"),
    ]


def test_strict_and_manifest_options(era1: Era, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "docs" / "notes"
    folder.mkdir(parents=True)
    notes = folder / "notes.md"
    notes.write_text(Notes(era1.sha, header="# Notes\n", extra="See __init__.py:1.\n\n").text())
    manifest = tmp_path / "experiments" / "manifest.json"
    manifest.parent.mkdir()
    manifest.write_text(json.dumps({"commit": era1.sha, "version": "0.3.3"}))
    base = ["check", str(notes), "--repo", str(era1.repo)]
    assert main(base) == 1  # no manifest beside the notes: no commit
    assert "commit-missing" in capsys.readouterr().out
    assert main([*base, "--manifest", str(manifest)]) == 0  # only a warning: cite-ambiguous
    out = capsys.readouterr().out
    assert "cite-ambiguous-file" in out and "warning" in out
    assert main([*base, "--manifest", str(manifest), "--strict", "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["strict"] is True and data["summary"]["warnings"] == 1 and data["summary"]["errors"] == 0
    assert main([*base, "--manifest", str(tmp_path / "nothere.json")]) == 2
    assert "--manifest" in capsys.readouterr().err
    # An abbreviated SHA in the manifest is resolved in the repository.
    manifest.write_text(json.dumps({"git_sha": era1.sha[:9]}))
    assert main([*base, "--manifest", str(manifest), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["files"][0]["sha"] == era1.sha


def test_more_ways_to_mark_answers(era1: Era) -> None:
    text = f"""Commit: {{SHA}}

## Part 2: my answers

### 1 — Allocation

Blocks leave the list at block_manager.py:25. {ANSWER}

### Q2 & Q3: eviction and sharing

Preemption frees blocks (scheduler.py:93-96) and fork shares them (block_manager.py:111-115). {ANSWER}

Q4: the table is a list, block.py:39. {ANSWER}

Question 5. Numbers go out through block_manager.py:169-171. {ANSWER}

## In closing

{ANSWER}
"""
    found = [(f.code, f.line) for f in era1.check(text) if f.code.startswith(("question", "closing"))]
    assert found == []


def test_hostile_structure_finishes(era1: Era) -> None:
    """Many headings and lead-ins, huge headings and words: every pass stays linear."""
    sections = (
        f"{'#' * (1 + i % 6)} Q{i % 7} `A.b` x.py\n\nL{i} and **Q{i % 5}.** lead\n\n" for i in range(6_000)
    )
    text = "".join(
        [
            "Commit: {SHA}\n\n",
            "".join(sections),
            "# " + "a/_" * 50_000 + "\n\n",
            "**" + "Q1 " * 30_000 + "**\n\n",
            "w" * 300_000 + "!\n\n",
            "Q1 and " * 30_000 + "\n",
        ]
    )
    found = era1.check(text)
    assert any(f.code == "cite-too-many" for f in found)


def test_answers_as_a_numbered_list_and_numbers_in_words(era1: Era) -> None:
    text = f"""Commit: {{SHA}}

## 1. The allocator and eviction in general

A walkthrough section that is not an answer, and cites nothing. {ANSWER}

## Answers

1. The free list is popped at block_manager.py:25. {ANSWER}
2. Preemption frees every block, scheduler.py:93-96. {ANSWER}

## Page tables (Q4)

A list per sequence, block.py:39. {ANSWER}

## Question Three

Fork shares the blocks, block_manager.py:111-115. {ANSWER}

## Question five

1. The numbers leave through block_manager.py:169-171. {ANSWER}
2. The runner flattens them, model_runner.py:12-19. {ANSWER}

## Conclusions

{ANSWER}
"""
    found = [(f.code, f.line) for f in era1.check(text) if f.code.startswith(("question", "closing"))]
    assert found == []


def test_a_one_word_class_heading_and_ranges_with_to(era1: Era) -> None:
    text = """Commit: {SHA}

## vllm/core/scheduler.py

### Scheduler

Admission stops at the first LATER answer, lines 36 to 37; the free list pops at L25 of
block_manager.py.

### PreemptionMode

The enum is L10 to L12, and the admission loop is at L33.
"""
    assert era1.cites(text) == [("cite-outside-symbol", 12)]


def test_yaml_front_matter_is_neither_prose_nor_a_heading(era1: Era) -> None:
    body = f"""## Q1. Page allocation

Blocks leave the free list at block_manager.py:25. {ANSWER}
"""
    front = (
        "---\ntitle: Notes on the block manager\nauthor: Ada Lovelace\n\n"
        "description: what I found reading vllm/block.py line by line over two long evenings\n---\n"
    )
    plain = inspect_notes(f"Commit: {era1.sha}\n\n{body}", "n.md", era1.snap, era1.model, None)
    with_front = inspect_notes(f"{front}Commit: {era1.sha}\n\n{body}", "n.md", era1.snap, era1.model, None)
    assert with_front.words == plain.words
    shifted = [(f.code, f.line + 6 if f.line else None) for f in plain.findings]
    assert [(f.code, f.line) for f in with_front.findings] == shifted


def test_a_named_symbol_cited_with_most_of_its_file_is_too_wide(era1: Era) -> None:
    """A range that holds a call to the symbol passes; one that is most of the file is a warning."""
    text = "Commit: {SHA}\n\n`BlockAllocator.allocate` is block_manager.py:1-174, all of it.\n"
    text += "Its caller and it: `BlockAllocator.allocate` (block_manager.py:22-84).\n"
    found = [(f.code, f.line, f.severity) for f in era1.check(text) if f.code.startswith("cite-")]
    assert found == [("cite-too-wide", 3, "warning")]
    (finding,) = [f for f in era1.check(text) if f.code == "cite-too-wide"]
    assert "L22-L" in finding.message

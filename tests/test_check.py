"""annotate check: hand-written notes (an honest one, one per defect) against the era-1 fixture repo."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.grading.check import check_notes, inspect_notes, notes_commit
from annotator.grading.prose import count_words, student_lines
from annotator.model import CommitModel
from annotator.notes.markers import gen, parse, slot
from annotator.resolve.analyze import analyze
from annotator.snapshot.files import Snapshot, take
from annotator.source.repos import open_source
from tests.gitrepo import Step, make_repo
from tests.notesmaker import BM, Notes, prose


@dataclass
class Era1:
    repo: Path
    sha: str
    snap: Snapshot
    model: CommitModel

    def codes(self, notes: Notes | str, manifest: dict[str, Any] | None = None) -> list[str]:
        text = notes if isinstance(notes, str) else notes.text()
        return sorted(f.code for f in check_notes(text, "n.md", self.snap, self.model, manifest))


@pytest.fixture
def era1(era1_repo: tuple[Path, list[str]]) -> Era1:
    repo, (sha,) = era1_repo
    snap = take(open_source(str(repo)), sha)
    return Era1(repo, sha, snap, analyze(snap))


def test_honest_notes_pass(era1: Era1) -> None:
    notes = Notes(era1.sha)
    report = inspect_notes(notes.text(), "n.md", era1.snap, era1.model, {"sha": era1.sha})
    assert report.findings == ()
    assert report.sha == era1.sha
    assert report.words >= 1500 and report.answered == 5 and report.citations >= 7


FILLER = prose(150, 7)
DEFECTS: list[tuple[str, dict[str, Any], list[str]]] = [
    ("short", {"words": 700}, ["prose-short"]),
    ("no prose", {"answers": {2: f"See {BM}:137.\n"}}, ["question-no-prose"]),
    ("no citation", {"answers": {2: FILLER}}, ["question-no-citation"]),
    ("stub only", {"answers": {3: ""}}, ["question-no-prose"]),  # empty: no prose, nothing else
    ("no slot", {"answers": {4: None}}, ["question-missing"]),
    ("no closing slot", {"closing": None}, ["closing-missing"]),
    ("short closing", {"closing": "Paging works.\n"}, ["closing-missing"]),
    ("out of range", {"holds": "See vllm/block.py:30-45.\n"}, ["cite-out-of-range"]),
    ("reversed range", {"holds": f"See {BM}:30-20.\n"}, ["cite-out-of-range"]),
    ("line zero", {"holds": "See L0.\n"}, ["cite-out-of-range"]),
    ("missing file", {"holds": "See vllm/core/nothere.py:3.\n"}, ["cite-missing-file"]),
    ("outside section symbol", {"does": "The guard at L30 matters.\n"}, ["cite-outside-symbol"]),
    ("outside named symbol", {"answers": {1: f"`BlockAllocator.free` ({BM}:22-27).\n{FILLER}"}},
     ["cite-outside-symbol"]),
    ("bare line, no file", {"answers": {1: f"See L22.\n\n{FILLER}"}},
     ["cite-ambiguous", "question-no-citation"]),
    ("other commit", {"holds": f"[x](https://github.com/vllm-project/vllm/blob/{'a' * 40}/{BM}#L9-L12)\n"},
     ["permalink-other-commit"]),
    ("moving ref", {"holds": f"[x](https://github.com/vllm-project/vllm/blob/main/{BM}#L9)\n"},
     ["permalink-other-commit"]),
    ("no commit", {"header": "# Annotated read\n\nNo commit here.\n"}, ["commit-missing"]),
]


@pytest.mark.parametrize(("name", "change", "codes"), DEFECTS, ids=[d[0] for d in DEFECTS])
def test_each_defect_has_its_code(era1: Era1, name: str, change: dict[str, Any], codes: list[str]) -> None:
    assert era1.codes(Notes(era1.sha, **change)) == codes


def test_citations_that_hold(era1: Era1) -> None:
    fine = (
        "`BlockAllocator.free` (block_manager.py:29-34) and L29 of `block_manager.py`.\n\n"
        f"In `{BM}` the pop is at L25; `vllm/block.py` L25-L35 is the block itself.\n\n"
        f"| file | lines |\n|---|---|\n| `vllm/block.py` | L7-L22 |\n\n"
        f"[free](https://github.com/vllm-project/vllm/blob/{era1.sha[:10]}/{BM}#L29-L34)\n\n{FILLER}"
    )
    assert era1.codes(Notes(era1.sha, answers={1: fine})) == []
    # In a method section, naming another symbol lets a citation leave the section's range.
    assert era1.codes(Notes(era1.sha, does="It calls `BlockAllocator.allocate` (L22-L27).\n")) == []


def test_commit_from_manifest_and_mismatches(era1: Era1) -> None:
    other = "b" * 40
    assert era1.codes(Notes(era1.sha), {"sha": other}) == ["commit-mismatch"]
    assert era1.codes(Notes(era1.sha), {"sha": 3}) == ["manifest-invalid"]
    no_header = Notes(era1.sha, header="# Notes\n").text()
    assert era1.codes(no_header, {"sha": era1.sha}) == []
    # Checked at another commit (annotate check --sha): the permalink of question 3 is off too.
    assert era1.codes(Notes(other)) == ["commit-mismatch", "permalink-other-commit"]


def test_commit_rule() -> None:
    sha = "c" * 40
    text = gen("header", f"| commit date | 2024 |\n| commit | [`{sha}`](url) |\n")
    assert notes_commit(text) == (sha, 3)
    assert notes_commit(f"My notes\nat commit {sha}\n") == (sha, 2)
    assert notes_commit(f"no word here {sha}\n") == (None, None)
    assert notes_commit(gen("header", f"commit {sha[:12]}\n") + f"commit {sha}\n") == (None, None)


def test_verbatim_copy_six_lines_flagged_five_not(era1: Era1) -> None:
    code = (era1.repo / BM).read_text().splitlines()
    six = "\n".join(code[77:83])  # L78-L83
    five = "\n".join(code[77:82])
    assert era1.codes(Notes(era1.sha, holds=f"```python\n{five}\n```\n\n")) == []
    found = check_notes(Notes(era1.sha, holds=f"```python\n{six}\n```\n\n").text(), "n.md", era1.snap,
                        era1.model, None)
    assert [f.code for f in found] == ["verbatim-copy"]
    assert f"{BM}:78-83" in found[0].message
    # Outside code blocks, re-indented, in a block quote: still copying.
    quoted = "\n".join("> " + " ".join(line.split()) for line in code[77:83])
    assert era1.codes(Notes(era1.sha, does=quoted + "\n\n")) == ["verbatim-copy"]


def test_words_exclude_code_stubs_tables_comments_urls() -> None:
    body = (
        "Four words of prose.\n"
        "_A prompt that is not prose_ <!-- annotate:stub -->\n"
        "```python\nnot counted at all here\n```\n"
        "- a list item:\n\n    ~~~~\n    nor this code\n    ~~~~\n"
        "| a table | is | not |\n|---|---|---|\n| counted | either | x |\n"
        "<!-- a comment\nover lines -->\n"
        "Two `inline code` words [link](https://example.com/a/b) https://x.y/z <b>bold</b> L12-L30.\n"
    )
    lines = student_lines(parse(gen("header", "Generated words.\n") + slot("q:1/answer", body)))
    assert count_words(lines) == 4 + 3 + 4  # a list item; Two, words, link, bold


def test_many_citations_are_bounded(era1: Era1) -> None:
    many = f"In `{BM}`: " + " ".join(f"L{n}" for n in range(1, 12001)) + "\n"
    report = inspect_notes(Notes(era1.sha, extra=many).text(), "n.md", era1.snap, era1.model, None)
    codes = [f.code for f in report.findings]
    assert "cite-too-many" in codes
    assert codes.count("cite-out-of-range") == 26  # 25 listed, then one counting the rest
    assert any("more `cite-out-of-range` findings" in f.message for f in report.findings)


def test_file_names_that_match_several_files(tmp_path: Path) -> None:
    repo, (sha,) = make_repo(tmp_path, [Step(tree="era2")])
    snap = take(open_source(str(repo)), sha)
    answer = (
        "The interface is interfaces.py:9-13, or rather core/interfaces.py:9-13 and "
        f"block/interfaces.py:1-3; `AllocStatus` (core/interfaces.py:30) is not there.\n\n{FILLER}"
    )
    text = gen("header", f"commit {sha}\n") + slot("q:1/answer", answer)
    found = check_notes(text, "n.md", snap, analyze(snap), None)
    cites = [(f.code, f.message.split(":")[0]) for f in found if f.code.startswith("cite")]
    assert cites == [
        ("cite-ambiguous-file", "`interfaces.py"),
        ("cite-outside-symbol", "`core/interfaces.py"),
    ]
    ambiguous = next(f for f in found if f.code == "cite-ambiguous-file")
    assert "vllm/core/block/interfaces.py, vllm/core/interfaces.py" in ambiguous.message


PIECES = st.sampled_from(
    [
        "<!-- annotate:gen header -->\n",
        "<!-- annotate:/gen header sum=00000000 -->\n",
        "<!-- annotate:slot q:1/answer -->\n",
        f"<!-- annotate:slot method:{BM}::BlockAllocator.free/does -->\n",
        "<!-- annotate:stub -->", "```\n", "~~~", "`", "<!--", "-->", "|", "|---|\n", "\n", "\n\n", "> ",
        "L", "L1", "-L", "L29-L34", ":", "#L", BM, "block.py", ".py",
        "https://github.com/vllm-project/vllm/blob/", "a" * 40, "commit ", "[", "](", ")", "`free`",
        "BlockAllocator.free", "()", " ", "word ", "\r\n", "\0", "é",
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.lists(PIECES | st.text(max_size=20), max_size=60))
def test_any_text_gives_findings_never_an_exception(era1: Era1, parts: list[str]) -> None:
    text = "".join(parts)
    for snap, model in ((era1.snap, era1.model), (None, None)):
        for finding in check_notes(text, "n.md", snap, model, None):
            assert finding.code and (finding.line is None or finding.line >= 1)

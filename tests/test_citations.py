"""Citation syntax: forms, file names, permalinks, bare-line context, and linear-time scanning."""

from __future__ import annotations

import pytest

from annotator.grading.citations import same_commit, scan_line
from annotator.grading.citecheck import place, section_target
from annotator.grading.prose import student_lines
from annotator.links import match_files
from annotator.notes.markers import gen, parse, slot

SHA = "82091b864af105dbe373353655dc9d8c0a6ba66f"
LINK = f"https://github.com/vllm-project/vllm/blob/{SHA}/vllm/core/block_manager.py"

FORMS = [
    ("see L123.", [("bare", None, 123, 123)]),
    ("L120-L145 and L7-9", [("bare", None, 120, 145), ("bare", None, 7, 9)]),
    ("L120–L145", [("bare", None, 120, 145)]),
    ("block.py:123", [("path", "block.py", 123, 123)]),
    ("vllm/core/block_manager.py:120-145", [("path", "vllm/core/block_manager.py", 120, 145)]),
    ("vllm/block.py#L120-L145", [("path", "vllm/block.py", 120, 145)]),
    ("`block.py`:12 and `block.py` L3-L4", [("path", "block.py", 12, 12), ("path", "block.py", 3, 4)]),
    ("block.py:L5", [("path", "block.py", 5, 5)]),
    (f"[L78-L86]({LINK}#L78-L86)", [("permalink", "vllm/core/block_manager.py", 78, 86)]),
    (f"{LINK}#L9.", [("permalink", "vllm/core/block_manager.py", 9, 9)]),
    (f"{LINK}#L9C3-L12C1", [("permalink", "vllm/core/block_manager.py", 9, 12)]),
    (f"{LINK}", [("permalink", "vllm/core/block_manager.py", None, None)]),
    ("csrc/attention/attention_kernels.cu:40", [("path", "csrc/attention/attention_kernels.cu", 40, 40)]),
    ("HTML5, L2a, x-L3, v1.5, self.cache, block.py.", []),
    ("version 0.3.3 and 1.py", []),
    ("the GPU's L2 cache and L1/L2 caches", []),
]


@pytest.mark.parametrize(("text", "expected"), FORMS, ids=[f[0][:40] for f in FORMS])
def test_forms(text: str, expected: list[tuple[str, str | None, int | None, int | None]]) -> None:
    cites, _ = scan_line(text, 1)
    assert [(c.form, c.path, c.start, c.end) for c in cites] == expected


def test_mentions_and_named_symbols() -> None:
    text = "`BlockAllocator.free` (L29-L34) is in `vllm/block.py`; see allocate() at L3"
    cites, mentions = scan_line(text, 1)
    assert [m.path for m in mentions] == ["vllm/block.py"]
    assert [c.symbol for c in cites] == ["BlockAllocator.free", "allocate"]
    plain, _ = scan_line("Blocks are free (L30); the Scheduler calls it at L5; `free` at L31", 1)
    assert [c.symbol for c in plain] == [None, None, "free"]  # English words are not symbol names
    row, _ = scan_line("| `BlockAllocator.free` | L29-L34 |", 1)
    assert [c.symbol for c in row] == ["BlockAllocator.free"]
    (link,), _ = scan_line(f"[`Block.fork`]({LINK}#L1)", 1)
    assert link.symbol == "Block.fork" and link.ref == SHA


def test_permalink_commits() -> None:
    assert same_commit(SHA, SHA) and same_commit(SHA[:7], SHA)
    assert not same_commit(SHA[:6], SHA)
    assert not same_commit("main", SHA) and not same_commit("v0.3.3", SHA)
    assert not same_commit("a" * 40, SHA)


def test_match_files() -> None:
    paths = ["vllm/block.py", "vllm/core/block_manager.py", "vllm/v1/core/block.py"]
    assert match_files("vllm/block.py", paths) == ["vllm/block.py"]
    assert match_files("./vllm/block.py", paths) == ["vllm/block.py"]
    assert match_files("block_manager.py", paths) == ["vllm/core/block_manager.py"]
    assert match_files("block.py", paths) == ["vllm/block.py", "vllm/v1/core/block.py"]
    assert match_files("manager.py", paths) == []


def test_section_targets() -> None:
    assert section_target("method:vllm/a/b.py::C.m/does") == ("vllm/a/b.py", "C.m")
    assert section_target("method:vllm/a/b.py::C.x@12/failures") == ("vllm/a/b.py", "C.x")
    assert section_target("class:vllm/a/b.py::Outer.Inner/holds") == ("vllm/a/b.py", "Outer.Inner")
    assert section_target("file:vllm/a/b.py") == ("vllm/a/b.py", None)
    assert section_target("q:3/answer") == (None, None)
    assert section_target("closing/theory") == (None, None)


def _targets(doc: str) -> list[tuple[str, str | None]]:
    placed, _ = place(student_lines(parse(doc)))
    return [(p.cite.text, p.target) for p in placed]


def test_bare_lines_in_questions_take_the_file_named_in_the_paragraph() -> None:
    doc = gen("q:1", "Q\n") + slot(
        "q:1/answer",
        "In `block_manager.py`, L22 pops; then `block.py`:3 and L4.\n"
        "Still this paragraph: L5.\n\nNew paragraph: L6.\n\nL7 of scheduler.py.\n",
    )
    assert _targets(doc) == [
        ("block_manager.py`, L22", "block_manager.py"),
        ("block.py`:3", "block.py"),
        ("L4", "block.py"),
        ("L5", "block.py"),
        ("L6", None),
        ("L7", "scheduler.py"),
    ]


def test_bare_lines_in_symbol_sections_take_the_section_file() -> None:
    key = "method:vllm/core/block_manager.py::BlockSpaceManager.allocate"
    doc = gen(key, "M\n") + slot(
        f"{key}/does",
        "See vllm/sequence.py:3.\nThen L80 allocates; in `block.py` L12 is the block.\n"
        "It is called from L40 of `scheduler.py` and L41-L44 in core/scheduler.py.\n",
    )
    assert _targets(doc) == [
        ("vllm/sequence.py:3", "vllm/sequence.py"),
        ("L80", "vllm/core/block_manager.py"),
        ("block.py` L12", "block.py"),
        ("L40", "scheduler.py"),
        ("L41-L44", "core/scheduler.py"),
    ]


def test_code_stubs_and_comments_hold_no_citations() -> None:
    doc = slot(
        "q:2/answer",
        "_Cite L1 here_ <!-- annotate:stub -->\n```\nblock.py:3\n```\n<!-- block.py:4 -->\n"
        + gen("x", "block.py:5\n"),
    )
    assert _targets(doc) == []


ADVERSARIAL = [
    "a" * 1_000_000 + ".py:1",
    "a." * 500_000,
    "/" * 1_000_000,
    "L" * 1_000_000,
    "L1-" * 300_000,
    "`" * 1_000_000,
    "[" * 1_000_000,
    "](" * 500_000,
    "<" * 1_000_000,
    "https://github.com/vllm-project/vllm/blob/" * 20_000,
    "https://github.com/vllm-project/vllm/blob/" + "a" * 1_000_000,
    "x.py " * 200_000,
    "Name." * 200_000 + " L1",
]


@pytest.mark.parametrize("line", ADVERSARIAL, ids=[a[:12] for a in ADVERSARIAL])
def test_one_megabyte_lines_scan_in_one_pass(line: str) -> None:
    # No timing assertion: a backtracking pattern would take minutes here, not milliseconds.
    doc = slot("q:1/answer", line + "\n")
    placed, _ = place(student_lines(parse(doc)))
    assert len(placed) <= 5000


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("see block_pool.py lines 120–145 here", [("path", "block_pool.py", 120, 145)]),
        ("(kv_cache_utils.py, L200-L214)", [("path", "kv_cache_utils.py", 200, 214)]),
        ("(block_pool.py: L219–L224)", [("path", "block_pool.py", 219, 224)]),
        (
            "(block_pool.py L219–L224 and L231–L263)",
            [("path", "block_pool.py", 219, 224), ("bare", None, 231, 263)],
        ),
        ("line 33 of kv_cache_manager.py", [("bare", "kv_cache_manager.py", 33, 33)]),
        (
            "L120–L145, lines 120 to 145, L7",
            [("bare", None, 120, 145), ("bare", None, 120, 145), ("bare", None, 7, 7)],
        ),
        ("the L2 cache and L1/L2 caches", []),
    ],
)
def test_citation_forms_students_write(text: str, expected: list[tuple[str, str | None, int, int]]) -> None:
    cites, _ = scan_line(text, 1)
    assert [(c.form, c.path, c.start, c.end) for c in cites] == expected
    assert all(text[c.col : c.end_col] == c.text for c in cites)


@pytest.mark.parametrize(
    ("text", "symbol"),
    [
        ("`_preempt` in scheduler.py (L87-L91) picks the mode.", "_preempt"),
        ("`Scheduler._preempt` in `vllm/core/scheduler.py` (L87-91) picks.", "Scheduler._preempt"),
        ("`BlockSpaceManager.fork` at block_manager.py §L111 copies.", "BlockSpaceManager.fork"),
        ("The waiting queue in scheduler.py (L22) holds groups.", None),  # no code-like name
    ],
)
def test_a_name_before_the_file_of_a_bare_citation_is_its_symbol(text: str, symbol: str | None) -> None:
    """`name in file.py (L10)`: the file between the name and the lines does not hide the name, so
    lines outside `name` are caught like those of `name (file.py:10)`."""
    (cite,), _ = scan_line(text, 1)
    assert cite.form == "bare" and cite.symbol == symbol

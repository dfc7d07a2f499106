"""Verbatim copying: more than 5 consecutive non-blank lines of a vLLM file, however formatted."""

from __future__ import annotations

from annotator.grading.copying import build_index, find_copies, normalise, notes_lines
from annotator.notes.markers import gen, slot

SOURCE = "\n".join(
    [
        "def allocate(self) -> Block:",
        "    if not self.free_blocks:",
        "",
        "        raise ValueError('Out of memory')",
        "    block = self.free_blocks.pop()",
        "    block.ref_count = 1",
        "",
        "",
        "    self.count += 1",
        "    return block",
        "",
        "def free(self, block: Block) -> None:",
        "    block.ref_count -= 1",
    ]
)
NONBLANK = [line for line in SOURCE.splitlines() if line.strip()]
INDEX = build_index([("vllm/core/block_manager.py", SOURCE)])


def copies(notes: str) -> list[tuple[int, int, str, int, int, int]]:
    return [
        (c.notes_start, c.notes_end, c.path, c.start, c.end, c.lines)
        for c in find_copies(notes_lines(notes), INDEX)
    ]


def test_six_lines_are_flagged_five_are_not() -> None:
    five = "\n".join(NONBLANK[:5])
    six = "\n".join(NONBLANK[:6])
    assert copies(f"My notes.\n```python\n{five}\n```\n") == []
    assert copies(f"My notes.\n```python\n{six}\n```\n") == [(3, 8, "vllm/core/block_manager.py", 1, 9, 6)]


def test_whitespace_blank_lines_and_quotes_do_not_hide_a_copy() -> None:
    squashed = "\n\n".join("> " + "".join(line.split()) for line in NONBLANK[1:7])
    assert copies(squashed) == [(1, 11, "vllm/core/block_manager.py", 2, 10, 6)]


def test_a_longer_run_is_one_finding_with_both_ranges() -> None:
    everything = "\n".join(NONBLANK)
    assert copies("Intro\n" + everything + "\nOutro\n") == [(2, 10, "vllm/core/block_manager.py", 1, 13, 9)]


def test_generated_blocks_are_skipped_unless_edited() -> None:
    six = "\n".join(NONBLANK[:6]) + "\n"
    untouched = gen("method:x::y", six)
    assert copies(untouched) == []
    hand_edited = gen("method:x::y", "intro\n").replace("intro\n", six)  # checksum no longer matches
    assert len(copies(hand_edited)) == 1
    assert len(copies(slot("q:1/answer", six))) == 1


def test_normalise() -> None:
    assert normalise("  >> x =  1  ") == "x=1"
    assert normalise(" \t ") == ""

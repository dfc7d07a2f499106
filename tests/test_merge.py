"""merge(): the student's text follows its code across commits; nothing is ever dropped."""

from __future__ import annotations

from annotator.notes.markers import parse
from annotator.regen.merge import merge
from annotator.regen.renames import load_renames
from annotator.regen.spans import MergeContext
from tests.merge_history import SHA_A, SHA_B, contexts

CTX = contexts()
A, B, C = CTX["A"], CTX["B"], CTX["C"]
R = load_renames()
BM = "vllm/core/block_manager.py"
V1 = "vllm/core/block_manager_v1.py"


def write(notes: str, key: str, text: str) -> str:
    """`notes` with `text` appended to slot `key` (the student answering it)."""
    marker = f"<!-- annotate:slot {key} -->\n"
    head, sep, tail = notes.partition(marker)
    assert sep, key
    ends = [i for i in (tail.find("\n<!-- annotate:gen "), tail.find("\n<!-- annotate:slot ")) if i >= 0]
    end = min(ends) + 1 if ends else len(tail)
    return head + sep + tail[:end] + text + tail[end:]


def slot_body(notes: str, key: str) -> str:
    return next(s.body for s in parse(notes) if s.kind == "slot" and s.key == key)


def go(notes: str, old: MergeContext, new: MergeContext) -> str:
    return merge(notes, new.skeleton, R, old, new).text


def test_prose_follows_renamed_files_classes_and_moved_symbols() -> None:
    notes = write(A.skeleton, f"method:{BM}::BlockSpaceManager.fork/does", "Fork shares the table.\n")
    notes = write(notes, f"class:{BM}::BlockAllocator/holds", "A free list.\n")
    notes = write(notes, f"class:{BM}::AllocStatus/holds", "Three answers.\n")
    at_b = go(notes, A, B)
    assert "Fork shares the table." in slot_body(at_b, f"method:{V1}::BlockSpaceManagerV1.fork/does")
    assert "A free list." in slot_body(at_b, f"class:{V1}::UncachedBlockAllocator/holds")
    assert "Three answers." in slot_body(at_b, "class:vllm/core/interfaces.py::AllocStatus/holds")


def test_v2_manager_becomes_self_attn_manager() -> None:
    v2 = "method:vllm/core/block_manager_v2.py::BlockSpaceManagerV2"
    notes = write(B.skeleton, f"{v2}.can_allocate/does", "V2!\n")
    at_c = go(notes, B, C)
    assert "V2!" in slot_body(at_c, f"method:{BM}::SelfAttnBlockSpaceManager.can_allocate/does")


def test_deleted_method_moves_to_orphans_with_old_citation_and_comes_back() -> None:
    notes = write(A.skeleton, f"method:{BM}::BlockSpaceManager.swap_in/does", "Swaps blocks in.\n")
    result = merge(notes, B.skeleton, R, A, B)
    assert result.orphans == (f"method:{BM}::BlockSpaceManager.swap_in/does",)
    orphans = result.text[result.text.index("## Orphaned notes") :]
    assert "Swaps blocks in." in orphans
    assert f"https://github.com/vllm-project/vllm/blob/{SHA_A}/{BM}#L35-L36" in orphans
    assert any("Orphaned notes" in w for w in result.warnings)
    assert go(result.text, B, A) == notes


def test_round_trip_through_two_eras_gives_the_same_notes() -> None:
    notes = A.skeleton
    for key in [s.key for s in parse(A.skeleton) if s.kind == "slot"]:
        notes = write(notes, key, f"Words for {key} — ünïcödé.\n")
    assert go(go(go(notes, A, B), B, C), C, A) == notes


def test_regenerating_at_the_same_commit_changes_nothing() -> None:
    notes = write(A.skeleton, f"method:{BM}::BlockAllocator.allocate/does", "Pops.\n")
    at_b = go(notes, A, B)
    assert go(at_b, B, B) == at_b
    assert go(notes, A, A) == notes


def test_text_outside_slots_stays_where_it_was() -> None:
    key = f"class:{BM}::BlockSpaceManager"
    gen_end = A.skeleton.index(f"<!-- annotate:/gen {key} ")
    gen_end = A.skeleton.index("\n", gen_end) + 1
    notes = "My preface.\n\n" + A.skeleton[:gen_end] + "Between block and slot.\n" + A.skeleton[gen_end:]
    at_b = go(notes, A, B)
    assert at_b.startswith("My preface.\n\n<!-- annotate:gen header -->")
    section = (f"class:{V1}::BlockSpaceManagerV1", f"changed:class:{V1}::BlockSpaceManagerV1")
    after = "".join(s.body for s in parse(at_b) if s.kind == "after" and s.key in section)
    assert after == "Between block and slot.\n\n"


def test_an_empty_slot_takes_the_new_stub() -> None:
    at_b = go(A.skeleton, A, B)
    assert "BlockSpaceManager` hold?" not in at_b
    holds = slot_body(at_b, f"class:{V1}::BlockSpaceManagerV1/holds")
    assert holds.startswith("_What does `BlockSpaceManagerV1`")
    assert at_b == B.skeleton


def test_a_hand_edited_block_is_kept_with_a_warning_until_emptied() -> None:
    title = "### class `BlockAllocator` L4-L14\n"
    notes = A.skeleton.replace(title, "### class `BlockAllocator` (my title)\n")
    result = merge(notes, B.skeleton, R, A, B)
    assert "(my title)" in result.text
    assert any("edited it by hand" in w for w in result.warnings)
    assert go(result.text, B, B) == result.text  # still edited, still kept
    emptied = result.text.replace("### class `BlockAllocator` (my title)\n\n", "")
    assert "### class `UncachedBlockAllocator`" in go(emptied, B, B)


def test_changed_code_is_flagged_moved_code_is_not() -> None:
    notes = write(A.skeleton, f"method:{BM}::BlockAllocator.allocate/does", "Pops the last block.\n")
    notes = write(notes, f"method:{BM}::BlockSpaceManager.can_allocate/does", "Compares counts.\n")
    notes = write(notes, f"method:{BM}::BlockAllocator.free/does", "Appends.\n")
    result = merge(notes, B.skeleton, R, A, B)
    allocate = f"method:{V1}::UncachedBlockAllocator.allocate"
    assert allocate in result.changed_sections
    assert f"method:{V1}::BlockSpaceManagerV1.can_allocate" not in result.changed_sections  # moved only
    assert f"method:{V1}::UncachedBlockAllocator.free" not in result.changed_sections  # moved only
    assert f"method:{V1}::BlockSpaceManagerV1.allocate" not in result.changed_sections  # changed, no prose
    flag = next(s.body for s in parse(result.text) if s.key == f"changed:{allocate}")
    assert f"blob/{SHA_A}/{BM}#L10-L11" in flag and f"blob/{SHA_B}/{V1}#L11-L13" in flag
    assert f"https://github.com/vllm-project/vllm/compare/{SHA_A}...{SHA_B}" in flag
    at_c_and_back = go(go(result.text, B, C), C, A)
    assert "Code changed since these notes" not in at_c_and_back  # back at the code they were written for
    assert at_c_and_back == notes


def test_a_flag_stays_until_deleted() -> None:
    notes = write(A.skeleton, f"method:{BM}::BlockAllocator.allocate/does", "Pops the last block.\n")
    at_b = go(notes, A, B)
    assert go(at_b, B, B) == at_b
    start = at_b.index("<!-- annotate:gen changed:")
    end = at_b.index("\n", at_b.index("<!-- annotate:/gen changed:")) + 1
    acknowledged = at_b[:start] + at_b[end:]
    assert go(acknowledged, B, B) == acknowledged


def test_typed_marker_lines_stay_the_students_text() -> None:
    typed = (
        "See also:\n<!-- annotate:slot x -->\n<!-- annotate:slot q:1/answer -->\n"
        "_not a prompt_ <!-- annotate:stub -->\n<!-- annotate:gen foo -->\nend.\n"
    )
    notes = write(A.skeleton, "lifecycle/notes", typed)
    for at in (go(notes, A, B), go(go(notes, A, B), B, A)):
        assert typed in at
        assert at.count("_Your answer, with line citations._") == 1


def test_a_slot_of_only_a_lookalike_stub_is_not_empty() -> None:
    notes = write(A.skeleton, "closing/theory", "_my own italic line_ <!-- annotate:stub -->\n")
    assert "_my own italic line_" in go(notes, A, B)


def test_repeated_and_misplaced_real_markers_lose_no_line() -> None:
    key = f"method:{BM}::BlockSpaceManager.fork"
    typed = f"before\n<!-- annotate:slot {key}/failures -->\nafter\n"
    notes = write(A.skeleton, f"{key}/does", typed)
    at_b = go(notes, A, B)
    back = go(at_b, B, A)
    for line in ("before\n", "after\n"):
        assert line in at_b and line in back


def test_crlf_line_ends_are_not_hand_edits() -> None:
    notes = write(A.skeleton, f"method:{BM}::BlockAllocator.allocate/does", "Pops.\n").replace("\n", "\r\n")
    result = merge(notes, B.skeleton, R, A, B)
    assert not any("edited it by hand" in w for w in result.warnings)
    assert "Pops.\r\n" in result.text and "### class `UncachedBlockAllocator`" in result.text

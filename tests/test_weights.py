"""The weighted skeleton: which sections and prompts a method gets, the index appendix, --full, and
regeneration that keeps every word when a section moves between full, one prompt and the index."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from annotator.cli.main import main
from annotator.notes.markers import parse, prose
from tests.gitrepo import FIXTURES, Step, make_repo
from tests.sizes import measure

NOTES = "vllm-block-manager-annotated.md"
SCHED = "vllm/core/scheduler.py"
NO_SWAP_OUT = ("self.block_manager.swap_out(seq_group)", "{}")  # a scheduler that never frees:
NO_FREE = ("self.block_manager.free(seq)", "pass")


def _run(capsys: pytest.CaptureFixture[str], repo: Path, *args: str) -> str:
    status = main(["--repo", str(repo), *args])
    _, err = capsys.readouterr()
    assert status == 0, err
    return err


def _fill(path: Path) -> dict[str, str]:
    """Write a sentence into every slot of the notes; the sentences by slot key."""
    words: dict[str, str] = {}
    out = []
    for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
        out.append(line)
        if line.startswith("<!-- annotate:slot "):
            key = line.split()[2]
            words[key] = f"My words on {key}, ünïcödé.\n"
            out.append(words[key])
    path.write_text("".join(out), encoding="utf-8")
    return words


def _slots(path: Path) -> dict[str, str]:
    return {s.key: prose(s.body) for s in parse(path.read_text(encoding="utf-8")) if s.kind == "slot"}


def _assert_every_word_at_its_key(path: Path, words: dict[str, str]) -> None:
    slots = _slots(path)
    misplaced = [k for k, w in words.items() if w not in slots.get(k, "")]
    assert not misplaced, misplaced
    assert "## Orphaned notes" not in path.read_text(encoding="utf-8")


def _era1_never_freeing() -> str:
    return (FIXTURES / "era1" / SCHED).read_text(encoding="utf-8").replace(*NO_SWAP_OUT).replace(*NO_FREE)


def test_weighted_skeleton_prompts_follow_the_path_and_index_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, _ = make_repo(tmp_path, [Step(tree="era2")])
    _run(capsys, repo, "--sha", "HEAD", "--out", str(tmp_path / "w"))
    _run(capsys, repo, "--sha", "HEAD", "--out", str(tmp_path / "f"), "--full")
    weighted, full = (tmp_path / "w" / NOTES).read_text(), (tmp_path / "f" / NOTES).read_text()
    assert measure(weighted).stubs < measure(full).stubs
    slots = _slots(tmp_path / "w" / NOTES)
    # on the default path (BlockSpaceManagerV1, v1 is the default), private helpers included: three prompts
    v1 = "method:vllm/core/block_manager_v1.py::BlockSpaceManagerV1"
    assert {f"{v1}.allocate/{p}" for p in ("does", "invariants", "failures")} <= set(slots)
    # the v2 manager is off the default path: no section, a row of the index instead
    assert not any("block_manager_v2.py::" in k for k in slots)
    index = weighted.split("## Index: every other class and method", 1)[1]
    assert "`class BlockSpaceManagerV2`" in index
    # nothing disappears: every class of the allocator files is a section or a row of the index
    classes = re.findall(r"^class (\w+)", (FIXTURES / "era2/vllm/core/block_manager_v2.py").read_text(), re.M)
    assert all(f"`class {c}`" in index or f"class `{c}`" in weighted for c in classes)
    # --full: every public method with three prompts, no index
    assert "## Index" not in full and f"<!-- annotate:slot {v1}.get_block_table/failures -->" in full


@pytest.mark.parametrize("first", ["--full", "weighted"])
def test_regeneration_between_full_and_weighted_keeps_every_word_at_its_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], first: str
) -> None:
    repo, _ = make_repo(tmp_path, [Step(tree="era1", tag="v0.3.3")])
    out = tmp_path / "notes"
    flags = ["--full"] if first == "--full" else []
    _run(capsys, repo, "--sha", "v0.3.3", "--out", str(out), *flags)
    words = _fill(out / NOTES)
    other = [] if flags else ["--full"]
    _run(capsys, repo, "--sha", "v0.3.3", "--out", str(out), *other)
    _assert_every_word_at_its_key(out / NOTES, words)
    _run(capsys, repo, "--sha", "v0.3.3", "--out", str(out), *flags)
    _assert_every_word_at_its_key(out / NOTES, words)


def test_a_method_that_leaves_the_path_keeps_its_words_and_gets_them_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, _ = make_repo(
        tmp_path,
        [Step(tree="era1", tag="v0.3.3"), Step(files={SCHED: _era1_never_freeing()}, tag="v0.3.4")],
    )
    key = "method:vllm/core/block_manager.py::BlockSpaceManager._free_block_table/invariants"
    fresh = tmp_path / "fresh"
    _run(capsys, repo, "--sha", "v0.3.4", "--out", str(fresh))
    assert key not in _slots(fresh / NOTES)  # off the path at v0.3.4: no such prompt in a new skeleton
    out = tmp_path / "notes"
    _run(capsys, repo, "--sha", "v0.3.3", "--out", str(out))
    assert key in _slots(out / NOTES)
    words = _fill(out / NOTES)
    _run(capsys, repo, "--sha", "v0.3.4", "--out", str(out))  # off the path: the words keep their slot
    _assert_every_word_at_its_key(out / NOTES, words)
    _run(capsys, repo, "--sha", "v0.3.3", "--out", str(out))  # back on the path
    _assert_every_word_at_its_key(out / NOTES, words)


def test_words_under_renamed_code_keep_their_section_under_the_new_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """block_manager.py::BlockSpaceManager becomes block_manager_v1.py::BlockSpaceManagerV1 (renames.toml):
    words a weighted skeleton would put in the index at the new commit keep a section there, renamed."""
    repo, _ = make_repo(tmp_path, [Step(tree="era1", tag="v0.3.3"), Step(tree="era2", tag="v0.4.0")])
    old = "method:vllm/core/block_manager.py::BlockSpaceManager.fork/invariants"
    new = "method:vllm/core/block_manager_v1.py::BlockSpaceManagerV1.fork/invariants"
    fresh = tmp_path / "fresh"
    _run(capsys, repo, "--sha", "v0.4.0", "--out", str(fresh))
    assert new not in _slots(fresh / NOTES)  # a new skeleton has no such prompt
    out = tmp_path / "notes"
    _run(capsys, repo, "--sha", "v0.3.3", "--out", str(out), "--full")
    words = _fill(out / NOTES)
    _run(capsys, repo, "--sha", "v0.4.0", "--out", str(out))
    assert words[old] in _slots(out / NOTES).get(new, "")
    orphaned = (out / NOTES).read_text(encoding="utf-8").partition("## Orphaned notes")[2]
    assert "BlockSpaceManager.fork" not in orphaned

"""`annotate --sha NEW --out DIR` regenerates DIR's notes in place: every word kept, backup, manifest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.cli.main import main
from annotator.notes import markers
from annotator.notes.markers import parse
from tests.gitrepo import Step, make_repo

NOTES = "vllm-block-manager-annotated.md"


@pytest.fixture
def history(tmp_path: Path) -> tuple[Path, list[str]]:
    """Fixture eras 1, 2 and 3 as three tagged commits."""
    tags = {"era1": "v0.3.3", "era2": "v0.4.0", "era3": "v0.6.3.post1"}
    return make_repo(tmp_path, [Step(tree=era, tag=tag) for era, tag in tags.items()])


def annotate(capsys: pytest.CaptureFixture[str], repo: Path, *args: str) -> tuple[int, str, str]:
    status = main(["--repo", str(repo), *args])
    out, err = capsys.readouterr()
    return status, out, err


def fill(notes: str) -> tuple[str, dict[str, str]]:
    """The notes with a sentence written into every slot, and those sentences by key."""
    words: dict[str, str] = {}
    lines = notes.splitlines(keepends=True)
    out = []
    for line in lines:
        out.append(line)
        if line.startswith("<!-- annotate:slot "):
            key = line.split()[2]
            words[key] = f"My words on {key}: ünïcödé <b>html</b> `code`.\n"
            out.append(words[key])
    return "".join(out), words


def test_regenerate_across_eras_and_back_keeps_every_word(
    history: tuple[Path, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, shas = history
    out = tmp_path / "notes"
    assert annotate(capsys, repo, "--sha", "v0.3.3", "--out", str(out))[0] == 0
    written, words = fill((out / NOTES).read_text(encoding="utf-8"))
    (out / NOTES).write_text(written, encoding="utf-8")

    status, _, err = annotate(capsys, repo, "--sha", "v0.4.0", "--out", str(out))
    assert status == 0, err
    at_b = (out / NOTES).read_text(encoding="utf-8")
    assert all(w in at_b for w in words.values())
    assert "## Orphaned notes" in at_b and "Code changed since these notes" in at_b
    assert (out / f"{NOTES}.bak").read_text(encoding="utf-8") == written
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["sha"] == shas[1]
    assert manifest["previous"] == {"sha": shas[0], "vllm_version": "0.3.3"}
    assert f"old notes kept in {out.as_posix()}/vllm-block-manager-annotated.md.bak\n" in err
    assert "vLLM 0.4.0" in (out / "README.md").read_text(encoding="utf-8")  # ours, so regenerated

    assert annotate(capsys, repo, "--sha", "v0.6.3.post1", "--out", str(out))[0] == 0
    assert (out / f"{NOTES}.bak.1").read_text(encoding="utf-8") == at_b
    assert all(w in (out / NOTES).read_text(encoding="utf-8") for w in words.values())

    assert annotate(capsys, repo, "--sha", "v0.3.3", "--out", str(out))[0] == 0
    assert (out / NOTES).read_text(encoding="utf-8") == written  # every word back in its own section


def test_regenerating_twice_at_the_same_commit_changes_nothing(
    history: tuple[Path, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, _ = history
    out = tmp_path / "notes"
    assert annotate(capsys, repo, "--sha", "v0.3.3", "--out", str(out))[0] == 0
    (out / NOTES).write_text(fill((out / NOTES).read_text(encoding="utf-8"))[0], encoding="utf-8")
    assert annotate(capsys, repo, "--sha", "v0.4.0", "--out", str(out))[0] == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert annotate(capsys, repo, "--sha", "v0.4.0", "--out", str(out))[0] == 0
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_dry_run_prints_a_diff_and_writes_nothing(
    history: tuple[Path, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, _ = history
    out = tmp_path / "notes"
    assert annotate(capsys, repo, "--sha", "v0.3.3", "--out", str(out))[0] == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    status, stdout, _ = annotate(capsys, repo, "--sha", "v0.4.0", "--out", str(out), "--dry-run")
    assert status == 0
    assert f"--- {out / NOTES} (now)" in stdout and "+++" in stdout
    assert "+<!-- annotate:gen file:vllm/core/block_manager_v1.py -->" in stdout
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_without_manifest_the_commit_comes_from_the_header(
    history: tuple[Path, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, shas = history
    out = tmp_path / "notes"
    assert annotate(capsys, repo, "--sha", "v0.3.3", "--out", str(out))[0] == 0
    (out / "manifest.json").unlink()
    assert annotate(capsys, repo, "--sha", "v0.4.0", "--out", str(out))[0] == 0
    assert json.loads((out / "manifest.json").read_text())["previous"]["sha"] == shas[0]


def test_notes_of_unknown_origin_are_refused(
    history: tuple[Path, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, _ = history
    out = tmp_path / "notes"
    out.mkdir()
    (out / NOTES).write_text("my own notes, no markers\n", encoding="utf-8")
    status, _, err = annotate(capsys, repo, "--sha", "v0.4.0", "--out", str(out))
    assert status == 2 and "annotate: error:" in err and "which commit" in err
    assert (out / NOTES).read_text(encoding="utf-8") == "my own notes, no markers\n"


def test_a_hand_edited_block_is_kept_and_warned_about(
    history: tuple[Path, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, _ = history
    out = tmp_path / "notes"
    assert annotate(capsys, repo, "--sha", "v0.3.3", "--out", str(out))[0] == 0
    notes = (out / NOTES).read_text(encoding="utf-8")
    lifecycle = next(s for s in parse(notes) if s.key == "lifecycle")
    edited = notes.replace(lifecycle.body, lifecycle.body + "My own arrow.\n", 1)
    (out / NOTES).write_text(edited, encoding="utf-8")
    status, _, err = annotate(capsys, repo, "--sha", "v0.4.0", "--out", str(out))
    assert status == 0 and "edited it by hand" in err
    regenerated = (out / NOTES).read_text(encoding="utf-8")
    assert lifecycle.body + "My own arrow.\n" in regenerated
    assert next(s for s in parse(regenerated) if s.key == "lifecycle").edited


def test_an_unreadable_old_commit_still_keeps_every_word(
    history: tuple[Path, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, _ = history
    out = tmp_path / "notes"
    assert annotate(capsys, repo, "--sha", "v0.3.3", "--out", str(out))[0] == 0
    written, words = fill((out / NOTES).read_text(encoding="utf-8"))
    manifest = json.loads((out / "manifest.json").read_text())
    header = next(s.body for s in parse(written) if s.key == "header")  # notes and manifest agree on
    moved = header.replace(manifest["sha"], "0123456789" * 4)  # a commit this clone does not have
    written = written.replace(markers.gen("header", header), markers.gen("header", moved))
    assert moved in written
    (out / NOTES).write_text(written, encoding="utf-8")
    manifest["sha"] = "0123456789" * 4
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    status, _, err = annotate(capsys, repo, "--sha", "v0.4.0", "--out", str(out))
    assert status == 0 and "cannot read the notes' commit 012345678901" in err
    notes = (out / NOTES).read_text(encoding="utf-8")
    assert all(w in notes for w in words.values())
    key = "method:vllm/core/block_manager_v1.py::BlockSpaceManagerV1.allocate/does"
    placed = next(s.body for s in parse(notes) if s.kind == "slot" and s.key == key)
    assert words["method:vllm/core/block_manager.py::BlockSpaceManager.allocate/does"] in placed


def test_a_rerun_that_changes_nothing_says_so_and_touches_nothing(
    history: tuple[Path, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The last line says what the run did: `wrote` only for files it wrote. A rerun with identical
    output writes no file (mtimes kept), makes no backup, and says `unchanged`; a run that only
    restores a deleted README names it alone."""
    import os

    repo, _ = history
    out = tmp_path / "notes"
    status, _, err = annotate(capsys, repo, "--sha", "v0.3.3", "--out", str(out))
    assert status == 0 and f"wrote {out.as_posix()}/ for vLLM 0.3.3 at " in err, err
    (out / NOTES).write_text(fill((out / NOTES).read_text(encoding="utf-8"))[0], encoding="utf-8")
    for p in out.iterdir():  # in the past, so that a rewrite cannot keep the same time
        os.utime(p, ns=(1_000_000_000, 1_000_000_000))
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.iterdir()}

    status, _, err = annotate(capsys, repo, "--sha", "v0.3.3", "--out", str(out))
    assert status == 0, err
    assert "wrote" not in err and "regenerated" not in err
    assert f"unchanged: {out.as_posix()}/: already up to date for vLLM 0.3.3 at " in err
    assert {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.iterdir()} == before  # no .bak

    (out / "README.md").unlink()
    status, _, err = annotate(capsys, repo, "--sha", "v0.3.3", "--out", str(out))
    assert status == 0, err
    assert f"wrote {out.as_posix()}/README.md for vLLM 0.3.3 at " in err
    assert f"; unchanged: {out.as_posix()}/{NOTES}, {out.as_posix()}/manifest.json\n" in err
    assert (out / "README.md").read_bytes() == before["README.md"][0]

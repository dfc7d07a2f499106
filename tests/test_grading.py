"""annotate check on files: many notes in one call, JSON, exit codes, and hostile input."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from annotator.cli.main import main
from annotator.grading import batch as grading
from annotator.model import CommitModel
from annotator.snapshot.files import Snapshot
from annotator.snapshot.files import take as real_take
from annotator.source.local import Source
from tests.gitrepo import Step, make_repo
from tests.notesmaker import BM, Notes, prose


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_honest_notes_exit_0_and_defects_exit_1(
    era1_repo: tuple[Path, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, (sha,) = era1_repo
    good = write(tmp_path / "good" / "notes.md", Notes(sha).text())
    status, out, err = run(capsys, "check", str(good), "--repo", str(repo))
    assert status == 0, out + err
    assert "ok" in out and "Summary" in out
    bad = write(tmp_path / "bad" / "notes.md", Notes(sha, words=400, closing=None).text())
    status, out, _ = run(capsys, "check", str(good), str(bad), "--repo", str(repo))
    assert status == 1
    assert "prose-short" in out and "closing-missing" in out


def test_many_files_read_each_commit_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo, shas = make_repo(tmp_path, [Step(tree="era1"), Step(files={"vllm/core/x.py": "X = 1\n"})])
    taken: list[str] = []
    built: list[str] = []
    real_model = grading._default_model

    def take(source: Source, ref: str) -> Snapshot:
        taken.append(ref)
        return real_take(source, ref)

    def model(snap: Snapshot) -> CommitModel:
        built.append(snap.sha)
        return real_model(snap)

    monkeypatch.setattr(grading, "take", take)
    monkeypatch.setattr(grading, "_default_model", model)
    paths = [str(write(tmp_path / f"s{i}" / "notes.md", Notes(shas[i % 2]).text())) for i in range(6)]
    status, out, _ = run(capsys, "check", *paths, "--repo", str(repo), "--json")
    assert status == 0
    assert sorted(taken) == sorted(shas) and sorted(built) == sorted(shas)
    data = json.loads(out)
    assert [f["path"] for f in data["files"]] == paths
    assert data["summary"] == {"files": 6, "ok": 6, "findings": 0, "errors": 0, "warnings": 0, "codes": {}}


def test_json_shape(
    era1_repo: tuple[Path, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, (sha,) = era1_repo
    notes = write(tmp_path / "n" / "notes.md", Notes(sha, holds="See vllm/block.py:90.\n").text())
    write(tmp_path / "n" / "manifest.json", json.dumps({"sha": sha}))
    status, out, _ = run(capsys, "check", str(notes.parent / "notes.md"), "--repo", str(repo), "--json")
    assert status == 1
    data = json.loads(out)
    assert data["schema"] == 1 and data["ok"] is False
    (entry,) = data["files"]
    assert set(entry) == {"path", "sha", "ok", "words", "answered", "questions", "citations", "findings"}
    assert data["strict"] is False
    assert entry["sha"] == sha and entry["answered"] == 5
    (finding,) = entry["findings"]
    assert finding["code"] == "cite-out-of-range" and isinstance(finding["line"], int)
    assert set(finding) == {"code", "path", "line", "message", "severity", "cite"}
    assert finding["severity"] == "error"
    # The citation as written, its column span in the notes line, and what it resolved to.
    line = notes.read_text().splitlines()[finding["line"] - 1]
    cite = finding["cite"]
    assert line[cite["col"] : cite["end_col"]] == cite["text"] == "vllm/block.py:90"
    assert (cite["path"], cite["start"], cite["end"]) == ("vllm/block.py", 90, 90)
    assert data["summary"]["codes"] == {"cite-out-of-range": 1}
    assert data["summary"]["errors"] == 1 and data["summary"]["warnings"] == 0
    status, out, _ = run(capsys, "check", str(notes.parent / "notes.md"), "--repo", str(repo))
    assert "— 1 error, 0 warnings" in out  # the table's title for the same file


def test_commit_unresolvable_and_forced_sha(
    era1_repo: tuple[Path, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, (sha,) = era1_repo
    lost = write(tmp_path / "a" / "notes.md", Notes("1" * 40).text())
    status, out, _ = run(capsys, "check", str(lost), "--repo", str(repo), "--json")
    codes = {f["code"] for f in json.loads(out)["files"][0]["findings"]}
    assert status == 1 and "commit-unresolvable" in codes
    good = write(tmp_path / "b" / "notes.md", Notes(sha).text())
    status, out, _ = run(capsys, "check", str(good), "--repo", str(repo), "--sha", "v0.3.3", "--json")
    assert status == 0, out
    status, _, err = run(capsys, "check", str(good), "--repo", str(repo), "--sha", "nope")
    assert status == 2 and "unknown ref" in err


def test_cited_file_outside_the_layout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo, (sha,) = make_repo(tmp_path, [Step(tree="era1", files={"README.md": "# vLLM\n"})])
    blob = f"https://github.com/vllm-project/vllm/blob/{sha}"
    holds = (
        "A sequence is vllm/sequence.py:1-5, and sequence.py:400 is past its end. "
        f"See [the README]({blob}/README.md), [the core]({blob.replace('/blob/', '/tree/')}/vllm/core) "
        f"and [nothing]({blob}/vllm/nothing.py).\n"
    )
    notes = write(tmp_path / "n" / "notes.md", Notes(sha, holds=holds).text())
    status, out, _ = run(capsys, "check", str(notes), "--repo", str(repo), "--json")
    assert status == 1
    findings = json.loads(out)["files"][0]["findings"]
    assert [f["code"] for f in findings] == ["cite-missing-file", "cite-out-of-range"], findings
    assert "vllm/nothing.py" in findings[0]["message"] and "vllm/sequence.py" in findings[1]["message"]


def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "check", str(tmp_path / "missing.md"))
    assert status == 2 and "does not exist" in err and err.count("\n") == 1
    status, _, err = run(capsys, "check")
    assert status == 2 and err.startswith("annotate: error:")


HOSTILE: list[tuple[str, bytes, str]] = [
    ("binary", b"# notes\n\0\0\0\x01\x02", "notes-binary"),
    ("latin-1", "Notes écrites\n".encode("latin-1"), "notes-not-utf8"),
    ("huge", b"word " * 1_000_001, "notes-too-large"),
]


@pytest.mark.parametrize(("name", "data", "code"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_unreadable_notes_are_findings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, data: bytes, code: str
) -> None:
    path = write(tmp_path / name / "notes.md", data)
    status, out, err = run(capsys, "check", str(path), "--json")
    assert status == 1, err
    assert [f["code"] for f in json.loads(out)["files"][0]["findings"]] == [code]


ADVERSARIAL = [
    ">" * 100_000,
    "[" * 100_000 + "](" * 50_000,
    "`" * 100_000,
    "<!--" * 50_000,
    "https://" * 50_000,
    "a.py:" * 100_000,
    "a" * 1_000_000 + ".py:1",
    "L" * 500_000 + "1",
    "https://github.com/vllm-project/vllm/blob/" * 20_000,
    "|---" * 100_000,
    "```" + "~" * 100_000,
]


def test_adversarial_lines_finish(
    era1_repo: tuple[Path, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, (sha,) = era1_repo
    body = "\n".join(["> " * 2000 + "x"] * 100) + "\n" + "\n".join(ADVERSARIAL) + "\n"
    path = write(tmp_path / "n" / "notes.md", Notes(sha, answers={1: body}).text())
    status, out, err = run(capsys, "check", str(path), "--repo", str(repo))
    assert status == 1 and "Traceback" not in err
    assert "question-no-prose" in out  # nothing in the hostile answer is prose


def test_control_characters_never_reach_the_terminal(
    era1_repo: tuple[Path, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, (sha,) = era1_repo
    evil = f"See [red]{BM}:900\x1b[31m and [bold]x[/bold].\n"
    path = write(tmp_path / "n\x1b[31m[red]x" / "notes.md", Notes(sha, holds=evil).text())
    status, out, _ = run(capsys, "check", str(path), "--repo", str(repo))
    assert status == 1 and "\x1b" not in out
    assert "[red]x" in out  # shown as text, not taken as rich markup


def test_fresh_skeleton_then_filled(
    era1_repo: tuple[Path, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The generated parts of a skeleton never raise findings; the student's missing parts do."""
    repo, (sha,) = era1_repo
    out = tmp_path / "o"
    assert main(["--repo", str(repo), "--sha", sha, "--out", str(out)]) == 0, capsys.readouterr().err
    capsys.readouterr()
    status, text, _ = run(capsys, "check", str(out), "--repo", str(repo), "--json")
    codes = {f["code"] for f in json.loads(text)["files"][0]["findings"]}
    assert status == 1
    assert codes == {"prose-short", "question-no-prose", "closing-missing"}  # empty answers: no prose
    notes = out / "vllm-block-manager-annotated.md"
    filled = notes.read_text()
    for key, words in [(f"q:{n}/answer", 120) for n in range(1, 6)] + [("closing/theory", 400),
                                                                        ("lifecycle/notes", 600)]:
        marker = f"<!-- annotate:slot {key} -->\n"
        filled = filled.replace(marker, f"{marker}In `{BM}`, see L78-L86.\n\n{prose(words, len(key))}")
    notes.write_text(filled)
    status, text, _ = run(capsys, "check", str(out), "--repo", str(repo), "--json")
    assert status == 0, text


def test_adversarial_structure_finishes(
    era1_repo: tuple[Path, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Many lines, segments and tables: every pass over the notes stays linear."""
    repo, (sha,) = era1_repo
    body = "".join(
        [
            "a | b\n" + "|-|\n" * 100_000 + "\n",
            "<!-- annotate:stub -->\n" * 20_000,
            "<!--\n" * 20_000 + "-->\n",
            "".join(f"<!-- annotate:gen q:{n} -->\n" for n in range(6, 3006)),
            "".join(f"<!-- annotate:slot q:{n}/answer -->\nL{n}\n" for n in range(6, 3006)),
            f"In {BM}: " + "L1 " * 20_000 + "\n",
        ]
    )
    path = write(tmp_path / "n" / "notes.md", Notes(sha, extra=body).text())
    status, out, err = run(capsys, "check", str(path), "--repo", str(repo), "--json")
    assert status == 1 and "Traceback" not in err
    codes = json.loads(out)["summary"]["codes"]
    assert codes["question-no-prose"] == 26


def test_undecodable_file_names_print(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / os.fsdecode(b"caf\xe9")
    path = write(folder / "notes.md", b"\0")
    for extra in ([], ["--json"]):
        status, out, err = run(capsys, "check", str(path), *extra)
        assert status == 1 and "Traceback" not in err
        assert "caf\ufffd" in out


def test_bom_and_crlf_notes_pass(
    era1_repo: tuple[Path, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, (sha,) = era1_repo
    text = Notes(sha).text()
    path = write(tmp_path / "n" / "notes.md", ("\ufeff" + text.replace("\n", "\r\n")).encode("utf-8"))
    status, out, _ = run(capsys, "check", str(path), "--repo", str(repo), "--json")
    assert status == 0, out

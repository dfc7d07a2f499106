"""Adversarial review: failures while writing, and notes that are symbolic links."""

from __future__ import annotations

import errno
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest

from annotator.cli.main import main
from tests.gitrepo import Step, make_repo

NOTES = "vllm-block-manager-annotated.md"


@pytest.fixture
def history(tmp_path: Path) -> tuple[Path, list[str]]:
    tags = {"era1": "v0.3.3", "era2": "v0.4.0"}
    return make_repo(tmp_path, [Step(tree=era, tag=tag) for era, tag in tags.items()])


def annotate(capsys: pytest.CaptureFixture[str], repo: Path, *args: str) -> tuple[int, str, str]:
    status = main(["--repo", str(repo), *args])
    out, err = capsys.readouterr()
    return status, out, err


def _read_only(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """Writes into `folder` fail as on a read-only file system (the tests may run as root)."""
    real = tempfile.mkstemp

    def mkstemp(*args: Any, **kwargs: Any) -> tuple[int, str]:
        if Path(kwargs.get("dir") or "").resolve() == folder.resolve():
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(folder / ".x.tmp"))
        return real(*args, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)


@pytest.mark.parametrize("regenerate", [False, True])
def test_a_read_only_out_is_one_error_line_and_the_notes_survive(
    history: tuple[Path, list[str]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    regenerate: bool,
) -> None:
    repo, _ = history
    out = tmp_path / "out"
    out.mkdir()
    if regenerate:
        assert annotate(capsys, repo, "--sha", "v0.3.3", "--out", str(out))[0] == 0
        (out / NOTES).write_text((out / NOTES).read_text() + "\nMy own words.\n")
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    _read_only(monkeypatch, out)
    status, _, err = annotate(capsys, repo, "--sha", "v0.4.0", "--out", str(out))
    assert status == 2
    assert err.startswith("annotate: error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err and str(out) in err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


@pytest.mark.parametrize("target", ["file", "folder"])
def test_notes_that_are_a_symbolic_link_are_refused_and_left_alone(
    history: tuple[Path, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str], target: str
) -> None:
    """Regeneration replaces files atomically, which would turn a link into a copy of what it pointed
    at (a link to /etc/passwd: its lines merged into the notes): refuse, write nothing."""
    repo, _ = history
    out = tmp_path / "out"
    assert annotate(capsys, repo, "--sha", "v0.3.3", "--out", str(out))[0] == 0
    elsewhere = tmp_path / "elsewhere"
    if target == "file":
        elsewhere.write_text("root:x:0:0:root:/root:/bin/bash\n")
    else:
        elsewhere.mkdir()
    (out / NOTES).unlink()
    (out / NOTES).symlink_to(elsewhere)
    before = {p.name: p.read_bytes() for p in out.iterdir() if not p.is_symlink()}
    status, _, err = annotate(capsys, repo, "--sha", "v0.4.0", "--out", str(out))
    assert status == 2
    assert err.startswith("annotate: error: ") and err.count("\n") == 1, err
    assert "symbolic link" in err
    assert (out / NOTES).is_symlink()
    assert {p.name: p.read_bytes() for p in out.iterdir() if not p.is_symlink()} == before


@pytest.mark.parametrize(
    "command",
    [
        ["--sha", "v0.3.3", "--out", "{long}"],
        ["--sha", "v0.3.3", "--out", "{long}", "--dry-run"],
        ["--sha", "v0.3.3", "--repo", "{long}"],
        ["check", "{long}"],
        ["cite", "BlockAllocator", "--repo", "{long}"],
        ["diff", "v0.3.3", "v0.4.0", "--repo", "{long}"],
    ],
)
def test_a_path_the_os_refuses_is_one_error_line(
    history: tuple[Path, list[str]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    command: list[str],
) -> None:
    """A name longer than the file system allows (ENAMETOOLONG) is bad input, not a crash."""
    repo, _ = history
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ANNOTATE_REPO", str(repo))
    args = [a.replace("{long}", "n" * 300) for a in command]
    status = main(args)
    _, err = capsys.readouterr()
    assert status == 2
    assert err.startswith("annotate: error: ") and err.count("\n") == 1, err
    assert "too long" in err


@pytest.mark.parametrize("name", ["manifest.json", "README.md"])
@pytest.mark.parametrize("dry_run", [False, True])
def test_a_fifo_in_out_is_refused_not_waited_on(
    history: tuple[Path, list[str]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    dry_run: bool,
) -> None:
    """Opening a named pipe to read it blocks until a writer comes: that was a hang, forever."""
    repo, _ = history
    out = tmp_path / "out"
    assert annotate(capsys, repo, "--sha", "v0.3.3", "--out", str(out))[0] == 0
    (out / NOTES).write_text((out / NOTES).read_text() + "\nMy own words.\n")
    (out / name).unlink()
    os.mkfifo(out / name)
    notes = (out / NOTES).read_bytes()
    status, _, err = annotate(capsys, repo, "--sha", "v0.4.0", "--out", str(out), *(["--dry-run"] * dry_run))
    assert status == 2
    assert err.startswith("annotate: error: ") and err.count("\n") == 1, err
    assert "not a regular file" in err
    assert (out / NOTES).read_bytes() == notes and not list(out.glob("*.bak*"))


def test_check_does_not_wait_on_a_fifo_manifest(
    history: tuple[Path, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, _ = history
    out = tmp_path / "out"
    assert annotate(capsys, repo, "--sha", "v0.3.3", "--out", str(out))[0] == 0
    (out / "manifest.json").unlink()
    os.mkfifo(out / "manifest.json")
    status = main(["check", str(out), "--repo", str(repo), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert status == 1
    assert report["summary"]["codes"].get("manifest-invalid") == 1


@pytest.mark.parametrize(
    "command",
    [
        ["check", "no\nsuch.md"],
        ["--sha", "v0.3.3", "--out", "a\nfile"],
        ["--sha", "v0.3.3", "--repo", "no\nrepo\r"],
    ],
)
def test_an_error_naming_a_path_with_a_newline_is_still_one_line(
    history: tuple[Path, list[str]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    command: list[str],
) -> None:
    repo, _ = history
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ANNOTATE_REPO", str(repo))
    (tmp_path / "a\nfile").write_text("")
    status = main(command)
    _, err = capsys.readouterr()
    assert status == 2
    assert err.startswith("annotate: error: ") and err.count("\n") == 1 and "\r" not in err, repr(err)


def test_a_byte_order_mark_does_not_keep_the_old_header_as_prose(
    history: tuple[Path, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Notepad saves UTF-8 with a BOM: the first marker must still be read as the header block (check
    already ignores a BOM), not as text before the first marker kept with the old commit in it."""
    repo, shas = history
    out = tmp_path / "out"
    assert annotate(capsys, repo, "--sha", "v0.3.3", "--out", str(out))[0] == 0
    notes = (out / NOTES).read_text(encoding="utf-8") + "\nMy own words.\n"
    (out / NOTES).write_text("\ufeff" + notes, encoding="utf-8")
    assert annotate(capsys, repo, "--sha", "v0.4.0", "--out", str(out))[0] == 0
    regenerated = (out / NOTES).read_text(encoding="utf-8")
    assert regenerated.count("<!-- annotate:gen header -->") == 1
    assert shas[0] not in regenerated.split("<!-- annotate:/gen header")[0]
    assert "My own words." in regenerated
    assert (out / f"{NOTES}.bak").read_text(encoding="utf-8") == "\ufeff" + notes


def test_a_closed_pipe_on_stdout_ends_quietly(
    history: tuple[Path, list[str]], tmp_path: Path
) -> None:
    """`annotate diff A B | head -1` is normal use: no 'error: Broken pipe', no traceback."""
    import subprocess
    import sys

    repo, _ = history
    code = "import sys; from annotator.cli.main import main; sys.exit(main(sys.argv[1:]))"
    proc = subprocess.Popen(
        [sys.executable, "-c", code, "diff", "v0.3.3", "v0.4.0", "--repo", str(repo)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # as `head` does once it has its lines
    err = proc.stderr.read().decode()
    proc.stderr.close()
    proc.wait()
    assert err == ""
    assert proc.returncode == 141


def test_a_manifest_json_of_someone_else_is_not_overwritten(
    history: tuple[Path, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--out .` in a project folder: its own manifest.json (a web app's) must survive, as its
    README.md does; one written by annotate is still replaced."""
    repo, _ = history
    out = tmp_path / "project"
    out.mkdir()
    theirs = '{"name": "my-web-app", "icons": []}\n'
    (out / "manifest.json").write_text(theirs)
    status, _, err = annotate(capsys, repo, "--sha", "v0.3.3", "--out", str(out))
    assert status == 2
    assert err.startswith("annotate: error: ") and err.count("\n") == 1 and "manifest.json" in err
    assert (out / "manifest.json").read_text() == theirs and not (out / NOTES).exists()
    (out / "manifest.json").unlink()
    assert annotate(capsys, repo, "--sha", "v0.3.3", "--out", str(out))[0] == 0
    (out / NOTES).unlink()  # notes gone, annotate's manifest.json left: generating again is fine
    assert annotate(capsys, repo, "--sha", "v0.4.0", "--out", str(out))[0] == 0
    assert '"vllm_version": "0.4.0"' in (out / "manifest.json").read_text()


def test_a_release_missing_from_the_clone_is_named_in_the_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--sha v0.11.0` on a clone without that commit said only "unknown ref 'b761df96…'", a SHA the
    user never typed: name the release too."""
    repo, _ = make_repo(tmp_path, [Step(tree="era1")])  # no tags, and not the release's commit
    status, _, err = annotate(capsys, repo, "--sha", "v0.11.0", "--out", str(tmp_path / "o"))
    assert status == 2
    assert err.startswith("annotate: error: ") and err.count("\n") == 1, err
    assert "v0.11.0" in err

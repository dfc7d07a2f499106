"""Query files: shipped with the package, replaceable by a course's own copy, and checked field by field."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from annotator import queries
from annotator.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    from annotator import __version__

    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.strip() == f"annotate {__version__}"


def test_the_shipped_queries_are_found_through_the_package() -> None:
    assert (queries.shipped() / "layouts.toml").is_file()
    assert len(list((queries.shipped() / "questions").glob("*.toml"))) >= 5


def test_a_sixth_question_needs_only_a_course_copy_of_the_questions_folder(
    era1_repo: tuple[Path, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, (sha, *_) = era1_repo
    course = tmp_path / "course"
    shutil.copytree(queries.shipped() / "questions", course / "questions")
    (course / "questions" / "q6_sharing.toml").write_text(
        'id = 6\ntitle = "Sharing between requests"\n'
        'question = "How do two sequences share a block?"\nabsent = "No sharing found."\n'
        '[[lead]]\nsymbol = "BlockSpaceManager.fork"\n',
        encoding="utf-8",
    )
    status, _, err = run(
        capsys, "--repo", str(repo), "--sha", sha, "--out", str(tmp_path / "o"), "--queries", str(course)
    )
    assert status == 0, err
    notes = (tmp_path / "o" / "vllm-block-manager-annotated.md").read_text(encoding="utf-8")
    assert "Sharing between requests" in notes and "q:6/answer" in notes
    # Without --queries the shipped five are used: the course copy changed nothing installed.
    status, _, err = run(capsys, "--repo", str(repo), "--sha", sha, "--out", str(tmp_path / "p"))
    shipped_notes = (tmp_path / "p" / "vllm-block-manager-annotated.md").read_text(encoding="utf-8")
    assert status == 0 and "q:6/answer" not in shipped_notes


@pytest.mark.parametrize(
    ("file", "text", "expected"),
    [
        ("layouts.toml", '[[layout]]\nname = "x"\ntitle = "t"\nrequire = 3\nallocator = []\n',
         "layouts.toml: [[layout]] #1 field 'require' must be a list of strings; fix the file"),
        ("layouts.toml", "[[layout]\n", "layouts.toml: not valid TOML"),
        ("lifecycle.toml", '[[layout]]\nname = "v0-monolithic"\nentries = ["a"]\ndepth = "deep"\n',
         "lifecycle.toml: [[layout]] #1 field 'depth' must be a whole number; fix the file"),
        ("releases.toml", '[[release]]\nversion = "v0.3.3"\n',
         "releases.toml: [[release]] #1 field 'sha' is missing; fix the file"),
        ("questions/q1.toml", 'id = "one"\ntitle = "t"\nquestion = "q"\nabsent = "a"\n',
         "q1.toml: field 'id' must be a whole number; fix the file"),
        ("questions/q1.toml", 'id = 1\ntitle = "t"\nquestion = "q"\nabsent = "a"\n[[lead]]\nwhy = "w"\n',
         "q1.toml: [[lead]] #1 needs exactly one of symbol, attribute, comment, text, call; fix the file"),
    ],
)
def test_a_bad_query_file_is_one_line_naming_file_and_field(
    era1_repo: tuple[Path, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str],
    file: str, text: str, expected: str,
) -> None:
    repo, (sha, *_) = era1_repo
    course = tmp_path / "course"
    (course / file).parent.mkdir(parents=True)
    (course / file).write_text(text, encoding="utf-8")
    out = tmp_path / "o"
    status, _, err = run(capsys, "--repo", str(repo), "--sha", "v9.9.9" if file == "releases.toml" else sha,
                         "--out", str(out), "--queries", str(course))
    assert status == 2
    assert err.count("\n") == 1 and err.startswith("annotate: error: ") and expected in err, err
    assert not out.exists()


def test_a_bad_release_table_is_reported_even_when_a_tag_names_the_commit(
    era1_repo: tuple[Path, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, (sha, *_) = era1_repo
    subprocess.run(["git", "-C", str(repo), "tag", "-f", "v0.3.3", sha], check=True, capture_output=True)
    course = tmp_path / "course"
    course.mkdir()
    (course / "releases.toml").write_text('[[release]]\nversion = "v0.3.3"\n', encoding="utf-8")
    out = tmp_path / "o"
    args = ("--repo", str(repo), "--sha", sha, "--out", str(out), "--queries", str(course))
    status, _, err = run(capsys, *args)
    assert status == 2 and "releases.toml: [[release]] #1 field 'sha' is missing" in err, err
    assert err.count("\n") == 1 and not out.exists()


def test_queries_that_are_not_a_folder_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run(capsys, "--queries", str(tmp_path / "nope"), "--out", str(tmp_path / "o"))
    assert status == 2 and "is not a folder" in err and err.count("\n") == 1
    status, _, err = run(capsys, "check", str(tmp_path), "--queries", str(tmp_path / "nope"))
    assert status == 2 and "is not a folder" in err


def test_a_course_file_where_a_folder_goes_is_refused_not_ignored(
    era1_repo: tuple[Path, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A `questions` file (not a folder) in --queries DIR gave notes with no questions at all."""
    repo, (sha, *_) = era1_repo
    course = tmp_path / "course"
    course.mkdir()
    (course / "questions").write_text("", encoding="utf-8")
    out = tmp_path / "o"
    status, _, err = run(
        capsys, "--repo", str(repo), "--sha", sha, "--out", str(out), "--queries", str(course)
    )
    assert status == 2 and err.count("\n") == 1 and "questions must be a folder" in err, err
    assert not out.exists()


def test_a_query_file_saved_with_a_byte_order_mark_and_crlf_is_read(
    era1_repo: tuple[Path, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, (sha, *_) = era1_repo
    course = tmp_path / "course"
    course.mkdir()
    lab = '[lab]\r\nnotes = "n.md"\r\nmanifest = "m.json"\r\nreadme = "r.md"\r\n'
    (course / "lab.toml").write_bytes(b"\xef\xbb\xbf" + lab.encode())
    root = tmp_path / "root"
    root.mkdir()
    args = ("--repo", str(repo), "--sha", sha, "--lab", str(root), "--queries", str(course))
    status, _, err = run(capsys, *args)
    assert status == 0, err
    assert sorted(p.name for p in root.iterdir()) == ["m.json", "n.md", "r.md"]
    (course / "lab.toml").write_bytes(b"\xff\xfe" + lab.encode("utf-16-le"))
    status, _, err = run(capsys, *args)
    assert status == 2 and "lab.toml" in err and "not UTF-8" in err and err.count("\n") == 1, err


def test_check_asks_a_courses_sixth_question_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Honest notes answering the shipped five are one answer short when the course asks a sixth."""
    import json

    from tests.gitrepo import Step, make_repo

    notes_src = Path(__file__).parent / "handnotes" / "era1-numbered.md"
    repo, (sha,) = make_repo(tmp_path, [Step(tree="era1")])
    notes = tmp_path / "notes.md"
    notes.write_text(notes_src.read_text(encoding="utf-8").replace("__SHA__", sha), encoding="utf-8")
    status, out, _ = run(capsys, "check", str(notes), "--repo", str(repo), "--json")
    shipped = json.loads(out)["files"][0]
    assert status == 0 and shipped["questions"] == 5 and shipped["answered"] == 5
    course = tmp_path / "course"
    shutil.copytree(queries.shipped() / "questions", course / "questions")
    (course / "questions" / "q6-sharing.toml").write_text(
        'id = 6\ntitle = "Sharing blocks between forks"\nquestion = "How do forks share blocks?"\n'
        'absent = "No sharing found."\n',
        encoding="utf-8",
    )
    status, out, _ = run(capsys, "check", str(notes), "--repo", str(repo), "--json", "--queries", str(course))
    asked = json.loads(out)["files"][0]
    assert status == 1 and asked["questions"] == 6 and asked["answered"] == 5
    assert [f["code"] for f in asked["findings"] if f["severity"] == "error"] == ["question-missing"]

"""`annotate --lab ROOT`: the notes, the manifest and the README at a course repository's lab paths
(queries/lab.toml), regenerated in place there, and found there by `annotate check`."""

from __future__ import annotations

import json
import posixpath
from pathlib import Path
from urllib.parse import unquote

import pytest

from tests.gitrepo import git
from tests.test_regen import annotate, fill, history  # noqa: F401  (history is a fixture)

NOTES = "docs/phase-27-modern-attention/notes/vllm-block-manager-annotated.md"
MANIFEST = "experiments/27-paged-attn-reading/manifest.json"
README = "experiments/27-paged-attn-reading/README.md"


@pytest.fixture
def course(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh course repository (a git work tree with only its own README), and the working folder
    elsewhere so that a stray `out/` would show."""
    root = tmp_path / "course"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    (root / "README.md").write_text("# The course\n", encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return root


def readme_link(readme: str) -> str:
    (target,) = [part.split(")")[0] for part in readme.split("](")[1:] if "vllm-block" in part]
    return target


def check_json(capsys: pytest.CaptureFixture[str], repo: Path, *paths: str) -> dict[str, object]:
    from annotator.cli.main import main

    status = main(["check", *paths, "--repo", str(repo), "--json"])
    out, err = capsys.readouterr()
    assert status in (0, 1), err
    data: dict[str, object] = json.loads(out)
    return data


def codes(data: dict[str, object]) -> set[str]:
    (result,) = data["files"]  # type: ignore[misc]
    return {f["code"] for f in result["findings"]}


def test_the_whole_lab_flow_from_a_fresh_course_repository(
    history: tuple[Path, list[str]],  # noqa: F811
    course: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    repo, shas = history
    status, _, err = annotate(capsys, repo, "--sha", "v0.3.3", "--lab", str(course))
    assert status == 0, err
    assert sorted(p.relative_to(course).as_posix() for p in course.rglob("*") if p.is_file()
                  and ".git" not in p.parts) == sorted([NOTES, MANIFEST, README, "README.md"])
    assert not Path("out").exists()
    assert NOTES in err and MANIFEST in err and README in err  # where each file went, with `/`
    status, _, err = annotate(capsys, repo, "--sha", "v0.3.3", "--lab", str(course))
    paths = ", ".join((course / p).as_posix() for p in (NOTES, MANIFEST, README))
    assert status == 0 and f"unchanged: {paths}: already up to date for vLLM 0.3.3" in err, err

    # The README's link resolves on GitHub (relative to its folder, inside the repository) and locally.
    link = readme_link((course / README).read_text(encoding="utf-8"))
    assert not link.startswith(("/", "http")) and "\\" not in link
    assert posixpath.normpath(posixpath.join(posixpath.dirname(README), unquote(link))) == NOTES
    assert (course / README).parent.joinpath(unquote(link)).resolve() == (course / NOTES).resolve()

    # The manifest answers "version, commit SHA, date".
    manifest = json.loads((course / MANIFEST).read_text(encoding="utf-8"))
    assert (manifest["vllm_version"], manifest["sha"]) == ("0.3.3", shas[0])
    assert manifest["commit_date"].endswith("Z") and manifest["previous"] is None

    written, words = fill((course / NOTES).read_text(encoding="utf-8"))
    (course / NOTES).write_text(written, encoding="utf-8")
    status, _, err = annotate(capsys, repo, "--sha", "v0.4.0", "--lab", str(course))
    assert status == 0, err
    regenerated = (course / NOTES).read_text(encoding="utf-8")
    assert all(w in regenerated for w in words.values())
    assert (course / f"{NOTES}.bak").read_text(encoding="utf-8") == written  # beside the notes
    assert f"old notes kept in {(course / NOTES).as_posix()}.bak\n" in err  # a path the user can open
    manifest = json.loads((course / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["sha"] == shas[1] and manifest["previous"] == {"sha": shas[0], "vllm_version": "0.3.3"}
    assert shas[1] in (course / README).read_text(encoding="utf-8")
    assert not (course / NOTES).with_name("manifest.json").exists()
    assert not list((course / "experiments").rglob("*.bak*"))

    # check finds the notes from the course root, from the notes path alone, and from inside the repo.
    for args in ([str(course)], [str(course / NOTES)]):
        data = check_json(capsys, repo, *args)
        (result,) = data["files"]  # type: ignore[misc]
        assert result["path"].endswith(NOTES) and result["sha"] == shas[1]
        assert not codes(data) & {"commit-missing", "commit-mismatch", "manifest-invalid"}
    # ... and the manifest it reads is the lab's, even with a stale copy beside the notes (moved by hand
    # from an --out folder): the lab's naming another commit is a mismatch, the stale copy's is not.
    beside = (course / NOTES).with_name("manifest.json")
    beside.write_text(json.dumps({**manifest, "sha": shas[0]}), encoding="utf-8")
    assert "commit-mismatch" not in codes(check_json(capsys, repo, str(course)))
    beside.unlink()
    manifest["sha"] = shas[0]
    (course / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    assert "commit-mismatch" in codes(check_json(capsys, repo, str(course)))
    assert "commit-mismatch" in codes(check_json(capsys, repo, str(course / NOTES)))


def test_check_reads_the_lab_manifest_when_the_notes_name_no_commit(
    history: tuple[Path, list[str]],  # noqa: F811
    course: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    repo, shas = history
    assert annotate(capsys, repo, "--sha", "v0.4.0", "--lab", str(course))[0] == 0
    text = (course / NOTES).read_text(encoding="utf-8")
    (course / NOTES).write_text(text.replace(shas[1], "0" * 7), encoding="utf-8")
    monkeypatch.chdir(course / "docs")  # a relative notes path, from inside the course repository
    data = check_json(capsys, repo, "phase-27-modern-attention/notes/vllm-block-manager-annotated.md")
    (result,) = data["files"]  # type: ignore[misc]
    assert result["sha"] == shas[1] and "commit-missing" not in codes(data)


def test_a_course_with_other_paths_changes_lab_toml_not_code(
    history: tuple[Path, list[str]],  # noqa: F811
    course: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    repo, _ = history
    queries = tmp_path / "q"
    queries.mkdir()
    (queries / "lab.toml").write_text(
        '[lab]\nnotes = "week 9/notes/kv#cache.md"\nmanifest = "week 9/manifest.json"\n'
        'readme = "labs/9/README.md"\n',
        encoding="utf-8",
    )
    status, _, err = annotate(
        capsys, repo, "--sha", "v0.3.3", "--lab", str(course), "--queries", str(queries)
    )
    assert status == 0, err
    assert (course / "week 9/notes/kv#cache.md").is_file() and (course / "week 9/manifest.json").is_file()
    readme = (course / "labs/9/README.md").read_text(encoding="utf-8")
    assert "[kv#cache.md](../../week%209/notes/kv%23cache.md)" in readme
    assert "(../../week%209/manifest.json)" in readme


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--lab", "{course}", "--out", "x"], "not allowed with argument"),
        (["--lab", "{course}/missing"], "is not a folder; pass the top folder of the course repository"),
    ],
)
def test_bad_lab_arguments_are_one_line_and_write_nothing(
    history: tuple[Path, list[str]],  # noqa: F811
    course: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    repo, _ = history
    status, _, err = annotate(capsys, repo, "--sha", "v0.3.3", *[a.format(course=course) for a in args])
    assert status == 2 and err.startswith("annotate: error: ") and err.count("\n") == 1
    assert message in err
    assert not (course / "docs").exists() and not Path("x").exists()


@pytest.mark.parametrize("bad", ["../elsewhere/notes.md", "/abs/notes.md", "docs\\notes.md", "C:/notes.md"])
def test_a_lab_path_leaving_the_course_is_refused_before_anything_is_read(
    course: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], bad: str
) -> None:
    queries = tmp_path / "q"
    queries.mkdir()
    (queries / "lab.toml").write_text(
        f'[lab]\nnotes = {json.dumps(bad)}\nmanifest = "m/manifest.json"\nreadme = "m/README.md"\n',
        encoding="utf-8",
    )
    # the repository does not exist: the lab file is refused first
    status, _, err = annotate(
        capsys, tmp_path / "no-repo", "--lab", str(course), "--queries", str(queries)
    )
    assert status == 2 and "lab.toml" in err and "'notes'" in err and err.count("\n") == 1, err
    assert sorted(p.name for p in course.iterdir()) == [".git", "README.md"]


def test_a_file_where_a_lab_folder_goes_is_an_error(
    history: tuple[Path, list[str]],  # noqa: F811
    course: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    repo, _ = history
    (course / "experiments").write_text("not a folder\n", encoding="utf-8")
    status, _, err = annotate(capsys, repo, "--sha", "v0.3.3", "--lab", str(course))
    assert status == 2 and "experiments is not a folder" in err and "--lab" in err, err
    assert not (course / "docs").exists()  # no folder made either


def test_dry_run_in_the_lab_writes_nothing_and_names_the_lab_paths(
    history: tuple[Path, list[str]],  # noqa: F811
    course: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    repo, _ = history
    status, out, err = annotate(capsys, repo, "--sha", "v0.3.3", "--lab", str(course), "--dry-run")
    assert status == 0, err
    assert f"+++ {(course / NOTES).as_posix()} (after)" in out and f"{MANIFEST} (after)" in out
    assert not (course / "docs").exists() and not (course / "experiments").exists()


def test_the_docs_name_no_folder_of_a_development_machine() -> None:
    """A reader's machine has no /work or /home/someone: commands in the docs say PATH/TO/vllm.git."""
    import re

    top = Path(__file__).resolve().parent.parent
    texts = [top / "README.md", *sorted((top / "queries").rglob("*.toml"))]
    machine = re.compile(r"(?<![\w.])(/work/|/home/\w|/Users/\w|/root/|[A-Z]:\\Users\\)")
    found = [f"{p.name}: {m[0]}" for p in texts for m in machine.finditer(p.read_text(encoding="utf-8"))]
    assert found == []
    assert "--repo PATH/TO/vllm.git" in (top / "README.md").read_text(encoding="utf-8")


def _own_queries(course: Path, lab: str) -> Path:
    """The course's own copy of the queries, kept in its repository, with this lab.toml."""
    queries = course / "queries"
    queries.mkdir()
    (queries / "lab.toml").write_text(lab, encoding="utf-8")
    return queries


def test_check_on_a_course_with_its_own_lab_toml_names_the_queries_to_pass(
    history: tuple[Path, list[str]],  # noqa: F811
    course: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The notes are where the course's own lab.toml puts them: `check ROOT` without --queries says
    which --queries to pass (one error line), and never takes the course's queries by itself."""
    from annotator.cli.main import main

    repo, shas = history
    queries = _own_queries(
        course,
        '[lab]\nnotes = "week 9/notes/kv.md"\nmanifest = "week 9/manifest.json"\n'
        'readme = "week 9/README.md"\n',
    )
    assert annotate(capsys, repo, "--sha", "v0.3.3", "--lab", str(course), "--queries", str(queries))[0] == 0
    status = main(["check", str(course), "--repo", str(repo)])
    _, err = capsys.readouterr()
    assert status == 2 and err.startswith("annotate: error: ") and err.count("\n") == 1, err
    assert f"puts them at week 9/notes/kv.md; pass --queries {queries.as_posix()}\n" in err
    data = check_json(capsys, repo, str(course), "--queries", str(queries))
    (result,) = data["files"]  # type: ignore[misc]
    assert result["path"].endswith("week 9/notes/kv.md") and result["sha"] == shas[0]
    assert not codes(data) & {"commit-missing", "manifest-invalid"}


def test_check_warns_when_the_courses_lab_toml_moves_only_the_manifest(
    history: tuple[Path, list[str]],  # noqa: F811
    course: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The notes at the shipped path, the manifest elsewhere: the notes are checked, with a warning
    naming the --queries that also finds the course's manifest; with it, no warning."""
    from annotator.cli.main import main

    repo, _ = history
    queries = _own_queries(
        course, f'[lab]\nnotes = "{NOTES}"\nmanifest = "lab27/manifest.json"\nreadme = "lab27/README.md"\n'
    )
    assert annotate(capsys, repo, "--sha", "v0.3.3", "--lab", str(course), "--queries", str(queries))[0] == 0
    assert main(["check", str(course), "--repo", str(repo), "--json"]) in (0, 1)
    _, err = capsys.readouterr()
    assert "manifest at lab27/manifest.json), not the one of the queries in use" in err
    assert f"; pass --queries {queries.as_posix()} to check with the course's queries" in err
    assert main(["check", str(course), "--repo", str(repo), "--json", "--queries", str(queries)]) in (0, 1)
    assert "--queries" not in capsys.readouterr()[1]

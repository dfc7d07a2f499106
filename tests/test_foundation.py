"""The annotate command's foundation: refs, layouts, versions, manifest, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.cli.main import main
from tests.gitrepo import Step, git, make_repo


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_manifest_records_commit_layout_and_files(
    era1_repo: tuple[Path, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, (sha,) = era1_repo
    status, _, err = run(capsys, "--repo", str(repo), "--sha", sha[:8], "--out", str(tmp_path / "o"))
    assert status == 0, err
    manifest = json.loads((tmp_path / "o" / "manifest.json").read_text())
    assert manifest["sha"] == sha
    assert manifest["layout"] == "v0-monolithic"
    assert manifest["vllm_version"] == "0.3.3"
    assert manifest["version_source"] == "tag v0.3.3"
    assert manifest["commit_date"] == "2024-03-01T12:00:00Z"
    paths = {f["path"]: f for f in manifest["files"]}
    assert paths["vllm/core/block_manager.py"]["role"] == "allocator"
    assert paths["vllm/core/scheduler.py"]["role"] == "caller"
    assert paths["vllm/worker/model_runner.py"]["role"] == "handoff"
    blob = git(repo, "rev-parse", f"{sha}:vllm/block.py")
    assert paths["vllm/block.py"]["blob"] == blob
    text = (repo / "vllm/block.py").read_text()
    assert paths["vllm/block.py"]["lines"] == len(text.splitlines())


def test_same_inputs_give_identical_bytes(
    era1_repo: tuple[Path, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, (_sha,) = era1_repo
    for name in ("a", "b"):
        assert run(capsys, "--repo", str(repo), "--sha", "v0.3.3", "--out", str(tmp_path / name))[0] == 0
    for f in sorted((tmp_path / "a").iterdir()):
        assert f.read_bytes() == (tmp_path / "b" / f.name).read_bytes(), f.name


def test_version_from_source_without_tags_and_commits_after_tag(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, shas = make_repo(
        tmp_path,
        [
            Step(tree="era1"),
            Step(files={"vllm/core/x.py": "X = 1\n"}, tag="v0.3.4"),
            Step(files={"vllm/core/y.py": "Y = 1\n"}),
        ],
    )
    out = tmp_path / "o"
    # No tag reaches the first commit: the literal __version__ is used, and said so.
    assert run(capsys, "--repo", str(repo), "--sha", shas[0], "--out", str(out))[0] == 0
    m = json.loads((out / "manifest.json").read_text())
    assert (m["vllm_version"], m["version_source"]) == ("0.3.3", "__version__ in vllm/__init__.py")
    out = tmp_path / "o2"
    assert run(capsys, "--repo", str(repo), "--sha", "main", "--out", str(out))[0] == 0
    m = json.loads((out / "manifest.json").read_text())
    assert m["vllm_version"] == "0.3.4+1"
    assert m["sha"] == shas[2]


def test_unknown_version_says_why(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo, _ = make_repo(tmp_path, [Step(tree="era1", files={"vllm/__init__.py": "\n"})])
    out = tmp_path / "o"
    assert run(capsys, "--repo", str(repo), "--out", str(out), "--sha", "HEAD")[0] == 0
    m = json.loads((out / "manifest.json").read_text())
    assert m["vllm_version"] == "unknown"
    assert "no literal __version__" in m["version_source"]


def test_default_out_uses_version(
    era1_repo: tuple[Path, list[str]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    repo, _ = era1_repo
    monkeypatch.chdir(tmp_path)
    assert run(capsys, "--repo", str(repo), "--sha", "v0.3.3")[0] == 0
    assert (tmp_path / "out" / "0.3.3" / "manifest.json").is_file()


def test_repo_from_environment(
    era1_repo: tuple[Path, list[str]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    repo, _ = era1_repo
    monkeypatch.setenv("ANNOTATE_REPO", str(repo))
    assert run(capsys, "--sha", "v0.3.3", "--out", str(tmp_path / "o"))[0] == 0


def test_bare_git_directory(
    era1_repo: tuple[Path, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, (sha,) = era1_repo
    bare = tmp_path / "bare.git"
    git(tmp_path, "clone", "-q", "--bare", str(repo), str(bare))
    (bare / "config").unlink()  # as the mirrors come: no config file at all
    assert run(capsys, "--repo", str(bare), "--sha", sha, "--out", str(tmp_path / "o"))[0] == 0


BAD = [
    (["--sha", "nope"], "unknown ref 'nope'"),
    (["--sha=--upload-pack=touch PWNED"], "looks like an option"),
    (["--sha", "HEAD~1..HEAD"], "not a commit name"),
    (["--sha=-x"], "looks like an option"),
]


@pytest.mark.parametrize(("args", "message"), BAD)
def test_bad_refs(
    era1_repo: tuple[Path, list[str]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    message: str,
) -> None:
    repo, _ = era1_repo
    monkeypatch.chdir(tmp_path)
    status, _out, err = run(capsys, "--repo", str(repo), "--out", str(tmp_path / "o"), *args)
    assert status == 2
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert not (tmp_path / "o").exists()
    assert not (tmp_path / "PWNED").exists()


def test_hostile_repo_specs_never_run_commands(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    marker = tmp_path / "pwned"
    for spec in (
        f"--upload-pack=touch {marker}",
        f"ext::sh -c touch% {marker}",
        f"ext::sh -c 'touch {marker}'",
        "fd::3",
    ):
        status, _, err = run(capsys, f"--repo={spec}", "--out", str(tmp_path / "o"))
        assert status == 2, spec
        assert err.startswith("annotate: error: ") and err.count("\n") == 1, err
        assert not marker.exists(), spec
    assert not (tmp_path / "o").exists()


def test_repo_missing_or_not_git(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "--repo", str(tmp_path / "nowhere"))
    assert status == 2 and "does not exist" in err
    (tmp_path / "plain").mkdir()
    status, _, err = run(capsys, "--repo", str(tmp_path / "plain"))
    assert status == 2 and "is not a git repository" in err


def test_not_vllm_and_no_layout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other, _ = make_repo(tmp_path / "a", [Step(files={"README": "hello\n"})])
    status, _, err = run(capsys, "--repo", str(other), "--sha", "HEAD")
    assert status == 2 and "does not look like vLLM" in err
    odd, _ = make_repo(tmp_path / "b", [Step(files={"vllm/__init__.py": "\n"})])
    status, _, err = run(capsys, "--repo", str(odd), "--sha", "HEAD")
    assert status == 2 and "no known layout" in err and "vllm/core/block_manager.py" in err


def test_out_is_a_file(
    era1_repo: tuple[Path, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, _ = era1_repo
    (tmp_path / "o").write_text("mine\n")
    status, _, err = run(capsys, "--repo", str(repo), "--sha", "v0.3.3", "--out", str(tmp_path / "o"))
    assert status == 2 and "is not a folder" in err
    assert (tmp_path / "o").read_text() == "mine\n"


def test_layout_selection_per_era(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Renames between commits move the tool to the next era's layout."""
    repo, shas = make_repo(
        tmp_path,
        [
            Step(tree="era1"),
            Step(
                rename={"vllm/core/block_manager.py": "vllm/core/block_manager_v1.py"},
                files={
                    "vllm/core/block_manager_v2.py": "class BlockSpaceManagerV2:\n    pass\n",
                    "vllm/core/interfaces.py": "class BlockSpaceManager:\n    pass\n",
                    "vllm/core/block/__init__.py": "",
                },
            ),
        ],
    )
    got = []
    for sha in shas:
        out = tmp_path / sha
        assert run(capsys, "--repo", str(repo), "--sha", sha, "--out", str(out))[0] == 0
        got.append(json.loads((out / "manifest.json").read_text())["layout"])
    assert got == ["v0-monolithic", "v0-dual-v1-v2"]


def test_release_names_work_in_a_clone_without_tags(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--sha v0.3.3` on a tagless mirror goes by the release table (exact SHAs only)."""
    repo, (sha,) = make_repo(tmp_path, [Step(tree="era1")])
    course = tmp_path / "course-queries"  # a course's own copy: only releases.toml, the rest is shipped
    course.mkdir()
    table = course / "releases.toml"
    table.write_text(f'[[release]]\nversion = "v0.3.3"\nsha = "{sha}"\ndate = "x"\nconfidence = "exact"\n')
    monkeypatch.setenv("ANNOTATE_QUERIES", str(course))
    status, _, err = run(capsys, "--repo", str(repo), "--sha", "v0.3.3", "--out", str(tmp_path / "o"))
    assert status == 0, err
    m = json.loads((tmp_path / "o" / "manifest.json").read_text())
    assert (m["sha"], m["vllm_version"]) == (sha, "0.3.3")
    status, _, err = run(capsys, "--repo", str(repo), "--sha", "v9.9.9", "--out", str(tmp_path / "p"))
    assert status == 2 and "unknown ref 'v9.9.9'" in err

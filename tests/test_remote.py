"""--repo URL: the cached partial clone, its reuse and concurrency, and hostile input. No network:
remotes are file:// URLs of repositories built in temporary folders."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from annotator.cli.main import main
from annotator.errors import SourceError
from annotator.snapshot.files import take
from annotator.source import remote
from annotator.source.repos import open_source
from tests.conftest import require_commits
from tests.gitrepo import Step, git, make_repo

ROOT = Path(__file__).resolve().parent.parent
BIG = 200_000  # bytes of each unrelated file: far more than everything the tool needs


def noise(seed: str, size: int = BIG) -> str:
    """Text that does not compress or delta against other noise."""
    out: list[str] = []
    block = seed.encode()
    while sum(len(b) for b in out) < size:
        block = hashlib.sha256(block).digest()
        out.append(block.hex())
    return "".join(out)[:size]


def serve(repo: Path) -> str:
    """What GitHub allows and a plain repository does not: filtered fetches and fetches by SHA."""
    git(repo, "config", "uploadpack.allowFilter", "true")
    git(repo, "config", "uploadpack.allowAnySHA1InWant", "true")
    return f"file://{repo}"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """A remote with the era-1 tree, big unrelated files in assets/, a tag, and a second commit."""
    return make_repo(
        tmp_path_factory.mktemp("template"),
        [
            Step(tree="era1", files={f"assets/big{i}.bin": noise(f"a{i}") for i in range(3)}, tag="v0.3.3"),
            Step(files={"vllm/core/extra.py": "X = 1\n", "assets/big3.bin": noise("a3")}),
        ],
    )


@pytest.fixture
def served(template: tuple[Path, list[str]], tmp_path: Path) -> tuple[Path, str, list[str]]:
    """A fresh copy of the template remote for each test (tests change it)."""
    repo = tmp_path / "server" / "repo"
    shutil.copytree(template[0], repo, symlinks=True)
    return repo, serve(repo), template[1]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    status = main(list(args))
    _out, err = capsys.readouterr()
    return status, err


def cache_dir() -> Path:
    (path,) = [p for p in remote.cache_root().iterdir() if p.is_dir()]
    return path


def objects(repo: Path) -> dict[str, str]:
    """SHA -> type of every object the repository really holds (lists, never fetches)."""
    out = git(repo, "cat-file", "--batch-all-objects", "--batch-check")
    return {sha: kind for sha, kind, _size in (line.split() for line in out.splitlines())}


def packs(repo: Path) -> set[str]:
    return {p.name for p in (repo / "objects" / "pack").glob("*.pack")}


def blob(repo: Path, sha: str, path: str) -> str:
    return git(repo, "rev-parse", f"{sha}:{path}")


def manifest(out: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((out / "manifest.json").read_text())
    return data


def test_first_run_is_a_shallow_blobless_clone_with_only_the_files_read(
    served: tuple[Path, str, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, url, shas = served
    status, err = run(capsys, "--repo", url, "--sha", "v0.3.3", "--out", str(tmp_path / "o"))
    assert status == 0, err
    assert "fetching" not in err and "\r" not in err  # no progress display off a terminal
    m = manifest(tmp_path / "o")
    assert (m["sha"], m["vllm_version"], m["version_source"]) == (shas[0], "0.3.3", "tag v0.3.3")
    cache = cache_dir()
    assert cache.parent == tmp_path / "cache" / "vllm-annotator" / "repos"
    assert "server_repo-" in cache.name
    held = objects(cache)
    assert [k for k in held.values() if k == "commit"] == ["commit"]
    assert (cache / "shallow").read_text().split() == [shas[0]]
    wanted = {f["blob"] for f in m["files"]} | {blob(repo, shas[0], "vllm/__init__.py")}
    assert {sha for sha, kind in held.items() if kind == "blob"} == wanted
    for i in range(3):
        assert blob(repo, shas[0], f"assets/big{i}.bin") not in held
    size = sum(p.stat().st_size for p in (cache / "objects").rglob("*") if p.is_file())
    assert size < BIG // 4, size


def test_later_runs_reuse_the_cache_without_the_network(
    served: tuple[Path, str, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, url, shas = served
    assert run(capsys, "--repo", url, "--sha", shas[0], "--out", str(tmp_path / "a"))[0] == 0
    before = packs(cache_dir())
    repo.rename(repo.with_name("gone"))  # the remote is unreachable from now on
    for ref, out in ((shas[0], "b"), ("v0.3.3", "c")):
        status, err = run(capsys, "--repo", url, "--sha", ref, "--out", str(tmp_path / out))
        assert status == 0, err
        assert manifest(tmp_path / out) == manifest(tmp_path / "a")
    assert packs(cache_dir()) == before
    # A branch moves, so it is always looked up at the remote: now it cannot be.
    status, err = run(capsys, "--repo", url, "--sha", "main", "--out", str(tmp_path / "d"))
    assert status == 2 and "cannot reach" in err and err.count("\n") == 1
    assert not (tmp_path / "d").exists()


def test_a_new_commit_is_fetched_alone_and_without_unrelated_contents(
    served: tuple[Path, str, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, url, _shas = served
    assert run(capsys, "--repo", url, "--sha", "main", "--out", str(tmp_path / "a"))[0] == 0
    cache = cache_dir()
    before, held_before = packs(cache), objects(cache)
    (repo / "vllm" / "core" / "block_manager.py").write_text(
        (repo / "vllm" / "core" / "block_manager.py").read_text() + "\n# changed\n"
    )
    (repo / "assets" / "big4.bin").write_text(noise("a4"))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "third", date="2024-03-05T12:00:00Z")
    third = git(repo, "rev-parse", "HEAD")
    status, err = run(capsys, "--repo", url, "--sha", "main", "--out", str(tmp_path / "b"))
    assert status == 0, err
    assert manifest(tmp_path / "b")["sha"] == third
    new = {sha: kind for sha, kind in objects(cache).items() if sha not in held_before}
    assert sorted(k for k in new.values() if k != "tree") == ["blob", "commit"]  # block_manager.py only
    assert blob(repo, third, "vllm/core/block_manager.py") in new
    assert blob(repo, third, "assets/big4.bin") not in new
    assert len(packs(cache) - before) == 2  # the commit with its folders, then the one changed file


def test_abbreviated_sha_fetches_commit_history_but_no_contents(
    served: tuple[Path, str, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, url, shas = served
    assert run(capsys, "--repo", url, "--sha", "v0.3.3", "--out", str(tmp_path / "a"))[0] == 0
    status, err = run(capsys, "--repo", url, "--sha", shas[1][:8], "--out", str(tmp_path / "b"))
    assert status == 0, err
    m = manifest(tmp_path / "b")
    # The history is there now (no longer shallow), but the version does not depend on that.
    assert (m["sha"], m["vllm_version"], m["version_source"]) == (
        shas[1],
        "0.3.3",
        "__version__ in vllm/__init__.py",
    )
    cache = cache_dir()
    assert not (cache / "shallow").exists()
    held = objects(cache)
    for i in range(4):
        assert blob(repo, shas[1], f"assets/big{i}.bin") not in held
    status, err = run(capsys, "--repo", url, "--sha", "abcdef12")
    assert status == 2 and "unknown ref 'abcdef12'" in err and "no commit starts with it" in err
    # Same commit, same output, whatever the cache held when it was asked for.
    shutil.rmtree(remote.cache_root())
    assert run(capsys, "--repo", url, "--sha", shas[1], "--out", str(tmp_path / "c"))[0] == 0
    assert (cache_dir() / "shallow").exists()
    assert (tmp_path / "c" / "manifest.json").read_bytes() == (tmp_path / "b" / "manifest.json").read_bytes()


def test_version_of_a_shallow_cache_comes_from_the_remotes_tags(
    served: tuple[Path, str, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _repo, url, shas = served
    assert run(capsys, "--repo", url, "--sha", shas[0], "--out", str(tmp_path / "a"))[0] == 0
    assert manifest(tmp_path / "a")["version_source"] == "tag v0.3.3"  # found by ls-remote --tags
    assert git(cache_dir(), "tag") == "v0.3.3"  # and remembered for offline runs
    assert run(capsys, "--repo", url, "--sha", shas[1], "--out", str(tmp_path / "b"))[0] == 0
    m = manifest(tmp_path / "b")
    # One commit after the tag, but a shallow cache cannot count commits: said, not guessed.
    assert (m["vllm_version"], m["version_source"]) == ("0.3.3", "__version__ in vllm/__init__.py")


def test_concurrent_processes_share_one_cache(served: tuple[Path, str, list[str]], tmp_path: Path) -> None:
    repo, url, shas = served
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "GIT_CONFIG_GLOBAL": os.devnull}
    refs = ["v0.3.3", "main", shas[1], shas[0]]
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "annotator",
                "--repo",
                url,
                "--sha",
                ref,
                "--out",
                str(tmp_path / f"o{i}"),
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i, ref in enumerate(refs)
    ]
    for proc in procs:
        _out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    assert [manifest(tmp_path / f"o{i}")["sha"] for i in range(4)] == [shas[0], shas[1], shas[1], shas[0]]
    cache = cache_dir()
    git(cache, "fsck", "--no-progress")
    assert not list(remote.cache_root().glob(".tmp-*"))
    held = objects(cache)
    assert not any(blob(repo, shas[1], f"assets/big{i}.bin") in held for i in range(4))


HOSTILE_REPOS = [
    "--upload-pack=touch {marker}",
    "ext::sh -c touch% {marker}",
    "-x",
    "ssh://-oProxyCommand=touch%20{marker}/repo",
    "git@-oProxyCommand=touch:repo",
    "fd::17",
    "foo://host/repo",
    "https://host/repo\n[core]\n\tsshCommand = touch {marker}",
]


@pytest.mark.parametrize("spec", HOSTILE_REPOS)
def test_hostile_repos_never_reach_git(
    spec: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    marker = tmp_path / "pwned"
    status, err = run(capsys, f"--repo={spec.format(marker=marker)}", "--out", str(tmp_path / "o"))
    assert status == 2
    assert err.startswith("annotate: error: ") and err.count("\n") == 1, err
    assert not marker.exists() and not (tmp_path / "o").exists()
    assert not remote.cache_root().exists()


def test_hostile_ref_never_reaches_git(
    served: tuple[Path, str, list[str]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _repo, url, _shas = served
    monkeypatch.chdir(tmp_path)
    for ref in (f"--output={tmp_path / 'x'}", f"--upload-pack=touch {tmp_path / 'x'}", "-x"):
        status, err = run(capsys, "--repo", url, f"--sha={ref}", "--out", str(tmp_path / "o"))
        assert status == 2 and "looks like an option" in err and err.count("\n") == 1
    assert not (tmp_path / "x").exists() and not (tmp_path / "o").exists()


def test_git_itself_refuses_remote_helpers_even_past_validation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A URL that passes check_url but that the user's git config rewrites into ext::."""
    marker = tmp_path / "pwned"
    config = tmp_path / "gitconfig"
    config.write_text(f'[url "ext::sh -c touch% {marker}"]\n\tinsteadOf = file:///innocent\n')
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    # The rewrite is real: with ext allowed, plain git would run the command.
    subprocess.run(
        ["git", "-c", "protocol.ext.allow=always", "ls-remote", "file:///innocent"],
        capture_output=True,
        check=False,
    )
    assert marker.exists()
    marker.unlink()
    status, err = run(capsys, "--repo", "file:///innocent", "--sha", "v0.3.3", "--out", str(tmp_path / "o"))
    assert status == 2 and "cannot reach" in err and err.count("\n") == 1
    assert not marker.exists()


def test_unreachable_remote_says_how_to_use_a_local_clone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, err = run(
        capsys, "--repo", "file:///nonexistent", "--sha", "v0.3.3", "--out", str(tmp_path / "o")
    )
    assert status == 2 and err.count("\n") == 1 and "Traceback" not in err
    assert "cannot reach file:///nonexistent" in err
    assert (
        "git clone https://github.com/vllm-project/vllm.git ~/src/vllm" in err and "--repo ~/src/vllm" in err
    )
    assert not (tmp_path / "o").exists()
    assert list(remote.cache_root().iterdir()) == []  # a mistyped URL leaves nothing behind


def test_unknown_refs_at_the_remote(
    served: tuple[Path, str, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _repo, url, _shas = served
    status, err = run(capsys, "--repo", url, "--sha", "nope", "--out", str(tmp_path / "o"))
    assert status == 2 and f"unknown ref 'nope' at {url}" in err and err.count("\n") == 1
    status, err = run(capsys, "--repo", url, "--sha", "ab" * 20, "--out", str(tmp_path / "o"))
    assert status == 2 and f"unknown commit {'ab' * 20}" in err and err.count("\n") == 1
    assert not (tmp_path / "o").exists()
    assert list(remote.cache_root().iterdir()) == []  # no half-made cache either


def test_paths_with_spaces(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo, (sha,) = make_repo(tmp_path / "my vllm", [Step(tree="era1", tag="v0.3.3")])
    status, err = run(capsys, "--repo", str(repo), "--sha", "v0.3.3", "--out", str(tmp_path / "out dir"))
    assert status == 0, err
    url = serve(repo)
    status, err = run(capsys, "--repo", url, "--sha", "v0.3.3", "--out", str(tmp_path / "out 2"))
    assert status == 0, err
    assert manifest(tmp_path / "out 2")["sha"] == sha


def test_repo_that_is_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "notes.txt").write_text("hello\n")
    status, err = run(capsys, "--repo", str(tmp_path / "notes.txt"), "--out", str(tmp_path / "o"))
    assert status == 2 and "is a file, not a folder" in err and err.count("\n") == 1
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/vllm-project/vllm.git",
        "https://user:token@example.com:8443/a/b.git",
        "http://[::1]:8080/repo",
        "ssh://git@github.com/vllm-project/vllm.git",
        "git://example.com/vllm",
        "file:///srv/git/vllm.git",
        "file:///srv/my repos/vllm",
        "git@github.com:vllm-project/vllm.git",
    ],
)
def test_check_url_accepts_plain_transports(url: str) -> None:
    assert remote.check_url(url) == url


@pytest.mark.parametrize(
    "url",
    [
        "ext::sh -c touch% x",
        "EXT::sh",
        "fd::3",
        "ext://x",
        "foo::https://example.com/x",
        "https://example.com/a b",
        "ssh://-oProxyCommand=x/y",
        "ssh://git@-oProxyCommand=x/y",
        "ssh://%2doProxyCommand=x/y",
        "ssh://-user@host/y",
        "git@-oProxyCommand=x:y",
        "https://host/x\ny",
        "gopher://host/x",
        "https://",
    ],
)
def test_check_url_refuses_options_and_helpers(url: str) -> None:
    with pytest.raises(SourceError):
        remote.check_url(url)


def test_cache_name_is_readable_unique_and_has_no_password() -> None:
    a = remote.cache_name("https://user:s3cret@github.com/vllm-project/vllm.git")
    b = remote.cache_name("https://github.com/vllm-project/vllm.git")
    assert b.startswith("github.com_vllm-project_vllm-") and len(b.rsplit("-", 1)[1]) == 12
    assert a != b and "s3cret" not in a
    assert remote.cache_name("git@github.com:vllm-project/vllm.git").startswith(
        "github.com_vllm-project_vllm-"
    )
    assert remote.redact("https://user:s3cret@host/x") == "https://user:***@host/x"


def test_prefetch_fetches_all_blobs_in_one_round_trip(
    served: tuple[Path, str, list[str]], tmp_path: Path
) -> None:
    repo, url, shas = served
    source = open_source(url)
    assert isinstance(source, remote.RemoteSource)
    snap = take(source, "main")
    cache = cache_dir()
    assert len(packs(cache)) == 2  # the commit with its folders, then every file read, at once
    tree = source.tree(snap.sha, "assets")
    source.prefetch([tree["assets/big0.bin"], tree["assets/big1.bin"]])
    assert len(packs(cache)) == 3
    assert source.read(tree["assets/big1.bin"]).decode() == noise("a1")
    source.prefetch([tree["assets/big0.bin"]])  # already there: no fetch
    assert len(packs(cache)) == 3
    assert source.read(blob(repo, shas[1], "assets/big3.bin")).decode() == noise("a3")  # read fetches
    assert len(packs(cache)) == 4


def test_rich_progress_display_on_a_terminal(served: tuple[Path, str, list[str]]) -> None:
    from rich.console import Console

    _repo, url, _shas = served
    stream = io.StringIO()
    display = remote.RichDisplay(Console(file=stream, force_terminal=True, width=100))
    take(open_source(url, progress=display), "v0.3.3")
    shown = stream.getvalue()
    assert "fetching v0.3.3 from" in shown
    assert isinstance(remote.default_display(), remote.QuietDisplay)  # pytest's stderr is no terminal


def test_a_process_waits_for_the_lock_and_stale_temporary_clones_are_removed(
    served: tuple[Path, str, list[str]], tmp_path: Path
) -> None:
    import fcntl

    _repo, url, shas = served
    root = remote.cache_root()
    root.mkdir(parents=True)
    name = remote.cache_name(url)
    stale = root / f".tmp-{name}-killed"  # what a killed first clone leaves
    (stale / "objects").mkdir(parents=True)
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "GIT_CONFIG_GLOBAL": os.devnull}
    cmd = [sys.executable, "-m", "annotator", "--repo", url, "--sha", "v0.3.3", "--out", str(tmp_path / "o")]
    with open(root / f"{name}.lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
        with pytest.raises(subprocess.TimeoutExpired):
            proc.wait(timeout=1.5)
        assert not (root / name).exists() and stale.exists()
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert manifest(tmp_path / "o")["sha"] == shas[0]
    assert not stale.exists()


def test_gitpython_guards_refuse_unsafe_arguments(tmp_path: Path) -> None:
    """A second line of defence inside remote.py, should a future change pass input through."""
    git(tmp_path, "init", "-q", "--bare", "c")
    ops = remote._Ops(remote.open_repo(tmp_path / "c"), "x", remote.QuietDisplay())
    for args in (["--upload-pack=touch pwned", "origin"], ["--upl=touch pwned", "origin"], ["ext::sh -c x"]):
        with pytest.raises(SourceError, match="refused to run git fetch"):
            ops.run("fetch", *args, what="test")
    assert not (tmp_path / "c" / "pwned").exists()


REAL_ERAS = [
    "82091b864af105dbe373353655dc9d8c0a6ba66f",  # v0.3.3, v0-monolithic
    "09c7792610ada9f88bbf87d32b472dd44bf23cc2",  # v0.5.5, v0-dual-v1-v2
    "6d8d0a24c02bfd84d46b3016b865a44f048ae84b",  # v0.10.0, v0-v2-only
    "b761df963c2032144468a99bcb39a11e73e16ca4",  # v0.11.0, v1-engine
]


@pytest.mark.real
def test_real_history_through_a_file_remote_downloads_little(
    real_repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every era from file://ANNOTATE_VLLM_REPO: the same manifests as the local clone gives, from a
    cache of well under 2 MB (the upload-pack serving it reads GIT_CONFIG_GLOBAL, so the clone
    itself needs no config)."""
    require_commits(real_repo, *REAL_ERAS)
    config = tmp_path / "gitconfig"
    config.write_text("[uploadpack]\n\tallowFilter = true\n\tallowAnySHA1InWant = true\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    url = f"file://{real_repo.resolve()}"
    for sha in REAL_ERAS:
        status, err = run(capsys, "--repo", url, "--sha", sha, "--out", str(tmp_path / "remote" / sha))
        assert status == 0, err
        status, err = run(
            capsys, "--repo", str(real_repo), "--sha", sha, "--out", str(tmp_path / "local" / sha)
        )
        assert status == 0, err
        assert manifest(tmp_path / "remote" / sha) == manifest(tmp_path / "local" / sha)
    size = sum(p.stat().st_size for p in (cache_dir() / "objects").rglob("*") if p.is_file())
    assert size < 2_000_000, size


def test_missing_git_is_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("GIT_PYTHON_GIT_EXECUTABLE", raising=False)
    for repo in (str(tmp_path), "https://github.com/vllm-project/vllm.git"):
        status, err = run(capsys, "--repo", repo, "--out", str(tmp_path / "o"))
        assert status == 2 and "git is not installed" in err and err.count("\n") == 1


def test_a_fetch_failing_midway_is_one_line_and_leaves_no_cache(
    served: tuple[Path, str, list[str]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _repo, url, _shas = served

    def broken(self: object, *args: str, what: str, config: tuple[str, ...] = ()) -> None:
        raise remote._GitFailed(["warning: x", "fatal: the connection broke", "fatal: generic"])

    monkeypatch.setattr(remote._Ops, "fetch", broken)
    status, err = run(capsys, "--repo", url, "--sha", "main", "--out", str(tmp_path / "o"))
    assert status == 2 and err.count("\n") == 1
    assert f"fetching main from {url} failed (the connection broke)" in err
    assert list(remote.cache_root().iterdir()) == []

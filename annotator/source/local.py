"""A local git repository (work tree or bare folder): resolve refs, list trees, read blobs.

`remote.RemoteSource` gives the same interface over a cached partial clone; `repos.open_source` picks
one. Like every module of the source package, and no module outside it, it runs git."""

from __future__ import annotations

import configparser
import re
from collections.abc import Iterable
from datetime import UTC
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.errors import SourceError
from annotator.source.refs import FULL_SHA, VLLM_URL, Commit, check_ref, is_url
from annotator.source.urls import check_url

if TYPE_CHECKING:  # gitpython costs ~0.3 s to import: only load it when git is really used
    import git

def check_repo_spec(spec: str) -> str:
    """Reject repository arguments that could reach git as an option or a command."""
    if not spec or spec.startswith("-"):
        raise SourceError(
            f"--repo {spec!r} looks like an option; pass a path to a vLLM clone (./{spec} for a "
            "folder named like that) or an https URL"
        )
    if is_url(spec):
        check_url(spec)
    return spec


class Source:
    """A git repository holding vLLM's history, opened from a path (work tree or bare).

    `Source.open` of a URL gives a `remote.RemoteSource`: the same interface over a cached
    partial clone that fetches commits and blobs as they are asked for.
    """

    def __init__(self, repo: git.Repo | None, label: str) -> None:
        self._repo = repo
        self.label = label

    @property
    def repo(self) -> git.Repo:
        if self._repo is None:  # a remote cache before its first commit was fetched
            raise SourceError(f"no commit of {self.label} has been fetched yet")
        return self._repo

    def prefetch(self, blobs: Iterable[str]) -> None:
        """Make sure the blobs can be read without a round trip each (a local clone has them all)."""
        return None

    def resolve(self, ref: str) -> str:
        """The full 40-hex SHA of the commit `ref` names."""
        check_ref(ref)
        import git

        try:
            out = self.repo.git.rev_parse("--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")
        except git.GitCommandError:
            out = ""
        sha = str(out).strip()
        if not FULL_SHA.fullmatch(sha):
            raise SourceError(
                f"unknown ref {ref!r} in {self.label}; check the SHA, tag or branch "
                "(a fresh clone may need `git fetch --tags`)"
            )
        return sha

    def commit(self, sha: str) -> Commit:
        c = self.repo.commit(sha)
        stamp = c.committed_datetime.astimezone(_utc()).strftime("%Y-%m-%dT%H:%M:%SZ")
        return Commit(sha=c.hexsha, date=stamp)

    def tree(self, sha: str, prefix: str = "vllm") -> dict[str, str]:
        """Path -> blob SHA of every file under `prefix` at the commit."""
        out = self.repo.git.ls_tree("-r", "--full-tree", sha, "--", prefix)
        files: dict[str, str] = {}
        for line in str(out).splitlines():
            meta, _, path = line.partition("\t")
            _mode, kind, blob = meta.split()
            if kind == "blob":
                files[path] = blob
        return files

    def read(self, blob: str) -> bytes:
        """The bytes of a blob (fetched on demand in a partial clone)."""
        import gitdb.exc

        try:
            data: bytes = self.repo.odb.stream(bytes.fromhex(blob)).read()
        except (gitdb.exc.BadObject, ValueError) as exc:
            raise SourceError(f"cannot read blob {blob[:10]} from {self.label}: {exc}") from exc
        return data

    def tags_at(self, sha: str) -> str | None:
        """`git describe --tags` of the commit, or None when the repository has no tags."""
        import git

        try:
            out = self.repo.git.describe("--tags", "--match", "v[0-9]*", sha)
        except git.GitCommandError:
            return None
        return str(out).strip() or None


def unreadable(repo: git.Repo) -> str | None:
    """Why git cannot work in this repository (a garbled config, packed-refs or HEAD), or None."""
    import git

    try:
        repo.git.config("--list")
        repo.git.for_each_ref("--count=1", "--format=%(objectname)")
    except git.GitCommandError as exc:
        text = str(exc.stderr).strip().removeprefix("stderr:").strip().strip("'")
        said = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith(("warn", "hint"))]
        return re.sub(r"^(fatal|error): ", "", (said[:1] or ["git failed"])[0])
    return None


def damaged_pack(git_dir: Path) -> str | None:
    """A pack of the repository whose header or checksum does not match its index (overwritten,
    truncated), or None. Cheap: 12 bytes at the start of each pack and 20 at its end."""
    for pack in sorted((git_dir / "objects" / "pack").glob("*.pack")):
        if not pack.with_suffix(".idx").exists():  # being written by a git right now; git ignores it too
            continue
        try:
            with pack.open("rb") as fh:
                head = fh.read(12)
                fh.seek(-20, 2)
                tail = fh.read(20)
            with pack.with_suffix(".idx").open("rb") as fh:
                fh.seek(-40, 2)
                recorded = fh.read(20)
        except OSError as exc:
            return f"{pack.name}: {exc.strerror}"
        if head[:4] != b"PACK" or tail != recorded:
            return f"{pack.name} does not match its index"
    return None


def open_local(path: Path) -> git.Repo:
    import git

    if not path.exists():
        raise SourceError(f"--repo {path} does not exist; pass a clone of vLLM (git clone {VLLM_URL})")
    if not path.is_dir():
        raise SourceError(
            f"--repo {path} is a file, not a folder; pass a clone of vLLM or its .git directory"
        )
    try:
        repo = git.Repo(path)
    except configparser.Error as exc:
        said = str(exc).splitlines()[0][:200]
        raise SourceError(f"--repo {path}: its git config cannot be read ({said})") from None
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise SourceError(
            f"--repo {path} is not a git repository; pass a clone of vLLM or its .git directory"
        ) from None
    if (path / "HEAD").is_file() and (path / "objects").is_dir():
        # A bare git directory without a config file (as `fetch` leaves them): gitpython takes
        # its parent for a work tree, so tell git where the repository is.
        repo.git.update_environment(GIT_DIR=str(path.resolve()))
    reason = unreadable(repo) or damaged_pack(Path(repo.git_dir))
    if reason is not None:
        raise SourceError(
            f"--repo {path}: git cannot read it ({reason[:200]}); repair that repository or clone it again"
        )
    return repo


def _utc() -> Any:

    return UTC

# The only module that touches git: open a repository, resolve refs, list trees, read blobs.
from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.errors import SourceError

if TYPE_CHECKING:  # gitpython costs ~0.3 s to import: only load it when git is really used
    import git

VLLM_URL = "https://github.com/vllm-project/vllm.git"
DEFAULT_SHA = "82091b864af105dbe373353655dc9d8c0a6ba66f"  # v0.3.3
FULL_SHA = re.compile(r"[0-9a-f]{40}")
# Refs we accept: what git allows in branch and tag names, minus anything option- or range-like.
_REF_OK = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._/+-]*")


@dataclass(frozen=True, slots=True)
class Commit:
    sha: str
    date: str  # committer date, ISO 8601 in UTC


def check_ref(ref: str) -> str:
    """Reject refs that git could take as an option, a range or a revision expression."""
    if not ref or ref.startswith("-"):
        raise SourceError(f"--sha {ref!r} looks like an option, not a commit; pass a SHA, tag or branch name")
    if not _REF_OK.fullmatch(ref) or ".." in ref or ref.endswith((".lock", "/", ".")):
        raise SourceError(
            f"--sha {ref!r} is not a commit name; pass a full or abbreviated SHA, a tag or a branch"
        )
    return ref


def is_url(spec: str) -> bool:
    return "://" in spec or "::" in spec or bool(re.match(r"[A-Za-z0-9_.-]+@[^/]+:", spec))


def check_repo_spec(spec: str) -> str:
    """Reject repository arguments that could reach git as an option or a command."""
    if not spec or spec.startswith("-"):
        raise SourceError(
            f"--repo {spec!r} looks like an option; pass a path to a vLLM clone (./{spec} for a "
            "folder named like that) or an https URL"
        )
    if is_url(spec):
        from annotator.remote_url import check_url

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

    @classmethod
    def open(cls, spec: str | None, progress: Any = None) -> Source:
        """`spec`: a path or URL, else $ANNOTATE_REPO, else vLLM's GitHub URL.

        `progress`: for a URL, a `remote.Display` (None: a rich display when stderr is a terminal).
        """
        spec = spec or os.environ.get("ANNOTATE_REPO") or VLLM_URL
        check_repo_spec(spec)
        if shutil.which(os.environ.get("GIT_PYTHON_GIT_EXECUTABLE") or "git") is None:
            raise SourceError("git is not installed (or not on PATH); install git 2.29 or later")
        if is_url(spec):
            from annotator import remote

            return remote.open_cached_clone(spec, progress)
        return cls(_open_local(Path(spec).expanduser()), spec)

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


def _open_local(path: Path) -> git.Repo:
    import git

    if not path.exists():
        raise SourceError(f"--repo {path} does not exist; pass a clone of vLLM (git clone {VLLM_URL})")
    if not path.is_dir():
        raise SourceError(
            f"--repo {path} is a file, not a folder; pass a clone of vLLM or its .git directory"
        )
    try:
        repo = git.Repo(path)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise SourceError(
            f"--repo {path} is not a git repository; pass a clone of vLLM or its .git directory"
        ) from None
    if (path / "HEAD").is_file() and (path / "objects").is_dir():
        # A bare git directory without a config file (as `fetch` leaves them): gitpython takes
        # its parent for a work tree, so tell git where the repository is.
        repo.git.update_environment(GIT_DIR=str(path.resolve()))
    return repo


def _utc() -> Any:
    from datetime import timezone

    return timezone.utc

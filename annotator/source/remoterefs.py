"""Resolving a ref in a cache repository: locally when the cache can, else at the remote, fetching
only the commit (and its folders) asked for, or the commit history to expand an abbreviation.
"""

from __future__ import annotations

import re

from annotator.errors import SourceError
from annotator.source.gitcmd import _CacheGit, _GitFailed
from annotator.source.refs import FULL_SHA

_SHORT_SHA = re.compile(r"[0-9a-f]{4,39}")


class _Ops(_CacheGit):
    """Git operations on one cache repository: _CacheGit's commands, plus resolving a ref and
    fetching what it needs; callers hold the cache's lock for any change."""

    def resolve(self, ref: str) -> str:
        try:
            sha = self.resolve_locally(ref) or self.resolve_remotely(ref)
        except _GitFailed as exc:  # a fetch of a ref the remote just listed: it went away, or we did
            self.probe()
            raise SourceError(f"fetching {ref} from {self.label} failed ({exc.reason}); try again") from None
        self.ensure_trees(sha)
        return sha

    def resolve_locally(self, ref: str) -> str | None:
        """A full SHA or a tag the cache holds, or an abbreviation it can expand: no network.
        Branches (and HEAD) always ask the remote, since they move."""
        if FULL_SHA.fullmatch(ref):
            return self.rev_parse(ref) if self.present([ref]) else None
        tag = self.rev_parse(f"refs/tags/{ref}")
        if tag or not _SHORT_SHA.fullmatch(ref):
            return tag
        sha = self.rev_parse(ref)
        if sha is None:
            self.check_unambiguous(ref)  # several commits in the cache: more at the remote
        return sha

    def resolve_remotely(self, ref: str) -> str:
        if FULL_SHA.fullmatch(ref):
            return self.fetch_commit(ref)
        candidates = _remote_candidates(ref)
        found = self.ls_remote(
            "--end-of-options",
            "origin",
            *candidates,
            *(f"{c}^{{}}" for c in candidates if "/tags/" in c),
            what=f"looking up {ref} at {self.label}",
        )
        for name in candidates:
            if name in found:
                return self.fetch_ref(name, found[name], ref)
        if _SHORT_SHA.fullmatch(ref):
            self.fetch_history(ref)
            sha = self.rev_parse(ref)
            if sha:
                return sha
            self.check_unambiguous(ref)
        raise SourceError(
            f"unknown ref {ref!r} at {self.label}: no such tag or branch"
            + (", and no commit starts with it" if _SHORT_SHA.fullmatch(ref) else "")
            + "; check the SHA, tag or branch"
        )

    def check_unambiguous(self, prefix: str) -> None:
        import git

        try:
            out = str(self.repo.git.rev_parse(f"--disambiguate={prefix}"))
        except git.GitCommandError:
            return
        if len(out.split()) > 1:
            raise SourceError(
                f"--sha {prefix} is ambiguous: {len(out.split())} objects of {self.label} start with it; "
                "pass more digits or the full SHA"
            )

    def fetch_commit(self, sha: str) -> str:
        try:
            self.fetch(
                "--depth=1",
                "--filter=blob:none",
                "--end-of-options",
                "origin",
                sha,
                what=f"fetching {sha[:12]} from {self.label} (one commit, no file contents)",
            )
        except _GitFailed as exc:
            self.probe()
            raise SourceError(
                f"unknown commit {sha} at {self.label} ({exc.reason}); check the SHA "
                "(the server must also allow fetching commits by SHA, as GitHub does)"
            ) from None
        self.update_ref(f"refs/annotator/commits/{sha}", sha)  # reachable: later fetches send it as a "have"
        found = self.rev_parse(sha)
        if found is None:
            raise SourceError(f"{sha} at {self.label} is not a commit")
        return found

    def fetch_ref(self, remote_ref: str, commit: str, ref: str) -> str:
        local = remote_ref if remote_ref.startswith("refs/tags/") else f"refs/annotator/{remote_ref}"
        if self.present([commit]):
            self.update_ref(local, commit)
        else:
            self.fetch(
                "--depth=1",
                "--filter=blob:none",
                "--end-of-options",
                "origin",
                f"+{remote_ref}:{local}",
                what=f"fetching {ref} from {self.label} (one commit, no file contents)",
            )
        sha = self.rev_parse(local)
        if sha is None:
            raise SourceError(f"{ref} at {self.label} does not name a commit")
        return sha

    def fetch_history(self, ref: str) -> None:
        """All branches' and tags' commits (no trees, no contents): what an abbreviation needs."""
        args = ["--filter=tree:0", *(["--unshallow"] if self.shallow() else [])]
        try:
            self.fetch(
                *args,
                "--end-of-options",
                "origin",
                "+refs/heads/*:refs/annotator/refs/heads/*",
                "+refs/tags/*:refs/tags/*",
                what=f"fetching the commit history of {self.label} to expand {ref} (commits only)",
            )
        except _GitFailed as exc:
            self.probe()
            raise SourceError(
                f"fetching the commit history of {self.label} to expand {ref} failed ({exc.reason}); nothing "
                "was kept: pass the full SHA or a tag, which need no history"
            ) from None

    def ensure_trees(self, sha: str) -> None:
        """The commit's folder listings (missing after a history fetch): one round trip."""
        header = str(self.repo.git.cat_file("commit", sha))  # `rev-parse sha^{tree}` would read the tree
        tree = header.split("\n", 1)[0].removeprefix("tree ")
        if not self.present([tree]):
            self.fetch_objects([tree], f"fetching the folders of {sha[:12]} from {self.label}")


def _remote_candidates(ref: str) -> list[str]:
    """The remote refs `ref` may name, most specific first."""
    if ref == "HEAD":
        return ["HEAD"]
    candidates = [f"refs/tags/{ref}", f"refs/heads/{ref}"]
    if ref.startswith("refs/"):
        candidates.insert(0, ref)
    return candidates

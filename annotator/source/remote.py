"""Remote repositories: a per-user cache of partial clones that download only what a run reads.

A URL is cloned on first use into $XDG_CACHE_HOME/vllm-annotator/repos/<name>-<hash>/, a bare
repository set up as a partial clone of the URL. Nothing is downloaded up front:
- a full SHA, or a tag or branch (looked up with `git ls-remote`), is fetched on its own,
shallow (--depth=1) and blobless (--filter=blob:none): the commit and its trees, no file
contents;
- an abbreviated SHA cannot be looked up at the remote, so the commit history is fetched
(--filter=tree:0: commits only, no trees, no contents) and the SHA resolved locally; then the
trees of that one commit are fetched;
- the few file contents a run reads are fetched in one batch (`RemoteSource.prefetch`).
Later runs reuse the cache: a full SHA or tag the cache has needs no network at all.
Versions come only from exact tags (the remote's, via ls-remote --tags, remembered as local tags),
never from `git describe` counts, which would depend on how much history the cache happens to hold.

Two processes may use one cache: every change to it (the first clone, each fetch, each ref update)
happens under the lock <cache>.lock (annotator/locking.py; the git commands inherit it, so it outlives
a killed annotate until its last git exits), and the first clone is built in a temporary folder that
is renamed into place only once it holds the commit asked for. Reads need no lock (git's object store
is safe to read while another process fetches). A cache damaged from outside (a pack, its config or
refs) is set aside and cloned again once; damage found after that is one line naming the folder.

Security: URLs are checked (check_url) before anything runs, and every git command on a cache runs
with protocol.allow=never plus the plain transports allowed (and GIT_ALLOW_PROTOCOL), so a remote
helper such as ext:: (which runs commands) is refused by git itself even if a URL got past the
check or the user's git config rewrites one (url.<base>.insteadOf). URLs live in the cache's
config, never on a command line; refs are checked (source.check_ref) and passed after
--end-of-options.

The parts: remote_url (checking URLs), remote_cache (the cache folder and its lock), remote_git
(git commands on a cache), remote_resolve (resolving a ref, fetching what it needs),
remote_display (progress); this module holds the Source over them.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from annotator.errors import SourceError
from annotator.source.clonecache import _Cache, cache_root
from annotator.source.gitcmd import _GitFailed as _GitFailed
from annotator.source.gitcmd import open_repo
from annotator.source.local import Source
from annotator.source.progress import Display, QuietDisplay, RichDisplay, default_display
from annotator.source.refs import REF_OK, Commit, check_ref
from annotator.source.remoterefs import _Ops
from annotator.source.urls import LOCAL_CLONE_HINT, cache_name, check_url, redact

__all__ = [
    "Display",
    "QuietDisplay",
    "RemoteSource",
    "RichDisplay",
    "cache_name",
    "cache_root",
    "check_url",
    "default_display",
    "open_cached_clone",
    "open_repo",
    "redact",
]

MIN_GIT = (2, 29)  # --no-write-fetch-head; partial clone and --filter with --depth are older
_RELEASE_TAG = re.compile(r"v[0-9][A-Za-z0-9._+-]*")


class CacheDamaged(SourceError):
    """Git or gitdb failed on a cache that resolve() had made whole: damaged from outside."""

    def __init__(self, path: Path, label: str, reason: str) -> None:
        super().__init__(
            f"the cache {path} of {label} looks damaged ({reason}); delete that folder and run again"
        )
        self.reason = reason


class RemoteSource(Source):
    """A Source over the cached partial clone of a URL: fetches commits and blobs as asked."""

    def __init__(self, url: str, display: Display) -> None:
        super().__init__(None, redact(url))
        self.url = url
        self.display = display
        self.cache = _Cache(url, display)
        self._ops: _Ops | None = None
        self._damage: str | None = None  # why the cache could not even be opened (resolve rebuilds it)
        if self.cache.exists():
            try:
                self._attach(self.cache.path)
            except CacheDamaged as exc:
                self._damage = exc.reason

    def _attach(self, path: Path) -> _Ops:
        with self._damage_reported():
            self._repo = open_repo(path)
        self._ops = _Ops(self._repo, self.label, self.display, lambda: self.cache.fd)
        return self._ops

    def _ops_or_fail(self) -> _Ops:
        if self._ops is None:
            raise SourceError(f"no commit of {self.label} has been fetched yet")
        return self._ops

    def resolve(self, ref: str) -> str:
        check_ref(ref)
        with self.cache.locked():
            if self._ops is None and self.cache.exists() and self._damage is None:  # cloned meanwhile
                self._attach(self.cache.path)
            if self._damage is not None:
                self._set_aside(self._damage)
            elif self._ops is not None:
                reason = self._ops.damage()
                if reason is None:
                    try:
                        with self._damage_reported():
                            return self._ops.resolve(ref)
                    except CacheDamaged as exc:
                        reason = exc.reason
                self._set_aside(reason)
            try:
                return self._first_clone(ref)
            except BaseException:
                self.cache.unlink_if_unused()
                raise

    def _set_aside(self, reason: str) -> None:
        """Move a damaged cache out of the way (under the lock) so that it is built again, once: the
        folder is renamed to a temporary name that the next create() removes."""
        self.display.note(f"note: the cache {self.cache.path} was damaged ({reason}); building it again")
        if self._repo is not None:
            self._repo.close()
        self._repo, self._ops, self._damage = None, None, None
        try:
            aside = tempfile.mkdtemp(prefix=f".tmp-{self.cache.path.name}-", dir=self.cache.root)
            os.rename(self.cache.path, aside)  # replaces the empty folder; the next create() removes it
        except OSError as exc:
            raise SourceError(
                f"the cache {self.cache.path} of {self.label} is damaged ({reason}) and cannot be moved "
                f"aside ({exc.strerror}); delete that folder and run again"
            ) from None

    def _first_clone(self, ref: str) -> str:
        """Clone into a temporary folder, fetch `ref` there, and only then rename it into place."""
        try:
            tmp = self.cache.create()
        except OSError as exc:
            raise SourceError(
                f"cannot write the cache {self.cache.root}: {exc.strerror}; set XDG_CACHE_HOME"
            ) from None
        repo = open_repo(tmp)
        try:
            with self._damage_reported():
                sha = _Ops(repo, self.label, self.display, lambda: self.cache.fd).resolve(ref)
            repo.close()
            os.rename(tmp, self.cache.path)
        except BaseException as exc:
            repo.close()
            shutil.rmtree(tmp, ignore_errors=True)
            if isinstance(exc, OSError):
                raise SourceError(f"cannot write the cache {self.cache.root}: {exc.strerror}") from None
            raise
        self._attach(self.cache.path)
        return sha

    def commit(self, sha: str) -> Commit:
        with self._damage_reported():
            return super().commit(sha)

    def tree(self, sha: str, prefix: str = "vllm") -> dict[str, str]:
        with self._damage_reported():
            return super().tree(sha, prefix)

    @contextmanager
    def _damage_reported(self) -> Iterator[None]:
        """Reads of a commit resolve() fetched fail only if the cache was damaged from outside."""
        import configparser
        import struct
        import zlib

        import git
        import gitdb.exc

        damage = (git.GitCommandError, gitdb.exc.ODBError, configparser.Error, ValueError, OSError)
        try:
            yield
        except (*damage, zlib.error, struct.error) as exc:
            if isinstance(exc, OSError) and exc.filename is None:
                raise
            said = str(getattr(exc, "stderr", "") or exc).strip().splitlines() or [type(exc).__name__]
            if isinstance(exc, configparser.Error):  # its last lines quote the file; the first says why
                reason = f"its config cannot be read: {said[0]}"
            else:
                reason = said[-1].strip(" '")
            raise CacheDamaged(self.cache.path, self.label, reason[-200:]) from None

    def prefetch(self, blobs: Iterable[str]) -> None:
        """Fetch the blobs the cache lacks, all in one round trip."""
        with self._damage_reported():
            self._prefetch(blobs)

    def _prefetch(self, blobs: Iterable[str]) -> None:
        ops = self._ops_or_fail()
        wanted = list(dict.fromkeys(blobs))
        if not wanted or ops.present(wanted) == set(wanted):
            return
        with self.cache.locked():
            have = ops.present(wanted)
            missing = [b for b in wanted if b not in have]
            if missing:
                ops.fetch_objects(missing, f"fetching {len(missing)} files from {self.label}")
            if ops.present(missing) != set(missing):
                raise SourceError(f"{self.label} did not send the contents of {len(missing)} files")

    def read(self, blob: str) -> bytes:
        with self._damage_reported():
            if not self._ops_or_fail().present([blob]):
                self._prefetch([blob])
            return super().read(blob)

    def tags_at(self, sha: str) -> str | None:
        """An exact release tag of the commit: the cache's tags, else the remote's (`git ls-remote
        --tags`), or None. Never "N commits after a tag": a shallow cache cannot count them, and
        whether the cache happens to hold the history (after an abbreviated SHA) must not change
        the output. The release table or `__version__` then says the version, and says so."""
        ops = self._ops_or_fail()
        tag = ops.exact_tag(sha)
        if tag:
            return tag
        try:
            refs = ops.ls_remote(
                "--tags", "--end-of-options", "origin", what=f"looking up tags at {self.label}"
            )
        except SourceError:
            self.display.note(f"note: {self.label} unreachable: the version cannot come from its tags")
            refs = {}
        names = sorted(
            name.removeprefix("refs/tags/")
            for name, commit in refs.items()
            if commit == sha
            and REF_OK.fullmatch(name)
            and _RELEASE_TAG.fullmatch(name.removeprefix("refs/tags/"))
        )
        if names:
            with self.cache.locked():
                ops.update_ref(f"refs/tags/{names[0]}", sha)  # lightweight: later runs need no network
            return names[0]
        return None


def open_cached_clone(url: str, progress: Display | None = None) -> RemoteSource:
    """The Source for a URL: its cache is created (or updated) when a ref is resolved."""
    import git

    check_url(url)
    version = git.Git().version_info
    if version[:2] < MIN_GIT:
        raise SourceError(
            f"git {'.'.join(map(str, version))} is too old for partial clones (need "
            f"{'.'.join(map(str, MIN_GIT))}+); upgrade git, or {LOCAL_CLONE_HINT}"
        )
    return RemoteSource(url, progress or default_display())

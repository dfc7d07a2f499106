"""The per-user cache of remote clones: where it lives (cache_root), and one cached repository
folder with the flock that guards every change to it (_Cache).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from annotator import userdirs
from annotator.errors import AnnotatorError, SourceError
from annotator.source.progress import Display
from annotator.source.urls import LOCAL_CLONE_HINT, cache_name

LOCK_TIMEOUT = 900.0  # seconds to wait for another process's fetch before giving up
CACHE_CONFIG = (
    ("core.repositoryformatversion", "1"),
    ("extensions.partialClone", "origin"),
    ("remote.origin.promisor", "true"),
    ("remote.origin.partialclonefilter", "blob:none"),
    ("remote.origin.tagOpt", "--no-tags"),
    # No automatic gc or maintenance: it would repack under the feet of a concurrent reader.
    ("gc.auto", "0"),
    ("maintenance.auto", "false"),
    ("fetch.writeCommitGraph", "false"),
    ("core.logAllRefUpdates", "false"),
)


def cache_root() -> Path:
    """The folder of cached remote clones, beside the model cache (annotator/userdirs.py)."""
    try:
        return userdirs.cache_root() / "repos"
    except AnnotatorError as exc:
        raise SourceError(f"{exc} (it holds the clones of remote repositories)") from None


def _flock(fd: int) -> None:
    """Take an exclusive flock without waiting (BlockingIOError when another process holds it)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        raise SourceError(f"remote URLs need flock (a POSIX system); {LOCAL_CLONE_HINT}") from None
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


class _Cache:
    """One cached repository folder and the lock next to it."""

    def __init__(self, url: str, display: Display) -> None:
        self.url = url
        self.display = display
        self.root = cache_root()
        self.path = self.root / cache_name(url)
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self._held = False

    def exists(self) -> bool:
        return (self.path / "HEAD").is_file()

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Exclusive use of the cache for changes (re-entrant within this object)."""
        if self._held:
            yield
            return
        fd = self._lock()
        self._held = True
        try:
            yield
        finally:
            self._held = False
            os.close(fd)  # releases the lock

    def _lock(self) -> int:
        """The file descriptor of the lock file, flocked; waits up to LOCK_TIMEOUT for another process."""
        deadline = time.monotonic() + LOCK_TIMEOUT
        waiting = False
        while True:
            fd = self._open_lock_file()
            try:
                _flock(fd)
            except BlockingIOError:
                os.close(fd)
                if not waiting:
                    self.display.note(f"waiting for another annotate using {self.path} ...")
                    waiting = True
                if time.monotonic() > deadline:
                    raise SourceError(
                        f"the cache {self.path} stayed locked by another process for {LOCK_TIMEOUT:.0f} s; "
                        f"try again, or remove {self.lock_path} if no annotate is running"
                    ) from None
                time.sleep(0.05)
                continue
            if self._is_lock_file(fd):
                return fd
            os.close(fd)

    def _open_lock_file(self) -> int:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            return os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise SourceError(
                f"cannot use the cache {self.root}: {exc.strerror}; set XDG_CACHE_HOME"
            ) from None

    def _is_lock_file(self, fd: int) -> bool:
        """Whether `fd` is still the lock file: the holder before us may have removed it (see
        unlink_if_unused)."""
        try:
            return os.stat(self.lock_path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            return False

    def unlink_if_unused(self) -> None:
        """Remove the lock file of a cache that was never created (under the lock): a mistyped URL
        leaves nothing behind."""
        if self._held and not self.exists():
            with contextlib.suppress(OSError):
                self.lock_path.unlink()

    def create(self) -> Path:
        """A new, empty partial-clone repository in a temporary folder beside the cache (under the lock)."""
        import git

        for stale in self.root.glob(f".tmp-{self.path.name}-*"):  # left by a killed process
            shutil.rmtree(stale, ignore_errors=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".tmp-{self.path.name}-", dir=self.root))
        try:
            repo = git.Repo.init(tmp, bare=True)
            for key, value in (("remote.origin.url", self.url), *CACHE_CONFIG):
                repo.git.config("--end-of-options", key, value)
            repo.close()
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return tmp

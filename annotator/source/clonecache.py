"""The per-user cache of remote clones: where it lives (cache_root), and one cached repository
folder with the lock that guards every change to it (_Cache; annotator/locking.py says which lock).
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from annotator import locking, userdirs
from annotator.errors import AnnotatorError, SourceError
from annotator.source.progress import Display
from annotator.source.urls import cache_name

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


# What a git killed in the middle of a change leaves in a repository: its lock files, the temporary files
# of a pack being received, of a shallow list being written, and of loose objects.
GIT_LEFTOVERS = ("*.lock", "refs/**/*.lock", "objects/pack/tmp_*", "objects/??/tmp_obj_*", "shallow_*")


class _Cache:
    """One cached repository folder and the lock next to it."""

    def __init__(self, url: str, display: Display) -> None:
        self.url = url
        self.display = display
        self.root = cache_root()
        self.path = self.root / cache_name(url)
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self.fd: int | None = None  # the flocked descriptor, while held: git children inherit it
        self._held = False

    def exists(self) -> bool:
        return (self.path / "HEAD").is_file()

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Exclusive use of the cache for changes (re-entrant within this object). Git commands run
        under it inherit the lock (gitcmd passes `fd` to them), so a git that outlives a killed annotate
        keeps the cache locked until it exits; what a killed git left behind is removed here."""
        if self._held:
            yield
            return
        stack = contextlib.ExitStack()
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            what = f"the cache {self.path}"
            fd = stack.enter_context(locking.hold(self.lock_path, what, LOCK_TIMEOUT, self._waiting))
        except OSError as exc:
            raise SourceError(
                f"cannot use the cache {self.root}: {exc.strerror}; set XDG_CACHE_HOME"
            ) from None
        with stack:
            self.fd, self._held = fd, True
            try:
                self.remove_git_leftovers()
                yield
            finally:
                self.fd, self._held = None, False

    def _waiting(self) -> None:
        self.display.note(f"waiting for another annotate using {self.path} ...")

    def remove_git_leftovers(self) -> None:
        """Under the lock no git runs in the cache (every git started under it holds it), so a git lock
        file or temporary file found now was left by a killed git: remove it, and say so. On a system
        where git cannot inherit the lock (Windows), a live git's open file cannot be removed: that is
        reported in one line, naming the file."""
        if not self.exists():
            return
        found = sorted({p for pattern in GIT_LEFTOVERS for p in self.path.glob(pattern) if p.is_file()})
        for path in found:
            try:
                path.unlink()
            except FileNotFoundError:
                continue
            except OSError as exc:
                raise SourceError(
                    f"git's {path} is in use by another git ({exc.strerror}); wait for it to finish, or "
                    f"delete {self.path} if no git is running"
                ) from None
        if found:
            names = ", ".join(str(p.relative_to(self.path)) for p in found[:3])
            more = f" and {len(found) - 3} more" if len(found) > 3 else ""
            self.display.note(
                f"note: removed what a killed git left in the cache {self.path}: {names}{more}"
            )

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

"""Inter-process locks on files (the remote clone cache, a notes folder), through the filelock library.

Which lock, by platform:
- POSIX: filelock's UnixFileLock, an flock on the lock file. The kernel drops it when the last
  descriptor of the lock file closes, so a run killed with kill -9 never leaves a lock that blocks the
  next one. `hold` yields that descriptor: git commands started under the lock inherit it
  (`pass_fds`), so the flock stays held until the last git child exits even when annotate itself was
  killed, and a git lock file (`shallow.lock`) found by the next holder is stale by construction.
- Windows: WindowsFileLock (msvcrt), which Windows also drops when the process dies. A handle cannot
  be handed to git the same way, so a git child that outlives a killed annotate is not covered by the
  lock; the next run still removes git's lock files, and Windows itself refuses to delete one that a
  live git holds open, which the cache reports in one line (source/clonecache.py).
- No fcntl at all (some embedded or exotic Pythons): filelock's SoftFileLock, a marker file stamped
  with the holder's pid, host and process start time; a marker whose holder died is broken by the
  next run, so a kill -9 never blocks either.
Waiting is bounded: past `timeout`, LockBusy names the lock file and what it guards, in one line.
"""

from __future__ import annotations

import contextlib
import sys
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from annotator.errors import AnnotatorError

if TYPE_CHECKING:
    from filelock import BaseFileLock

POLL = 0.05  # seconds between two attempts while waiting


class LockBusy(AnnotatorError):
    """Another process held the lock for longer than we wait."""


def _filelock() -> ModuleType:
    """filelock, without its import-time warning on a system without fcntl (we pick the class)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import filelock
    return filelock


def lock_class() -> type[BaseFileLock]:
    """The filelock class for this platform (decided at each call, so tests can hide fcntl)."""
    filelock = _filelock()

    chosen: type[BaseFileLock]
    if sys.platform == "win32":  # pragma: no cover - Windows
        chosen = filelock.WindowsFileLock
    else:
        try:
            import fcntl  # noqa: F401
        except ImportError:
            chosen = filelock.SoftFileLock
        else:
            chosen = filelock.UnixFileLock
    return chosen


@contextmanager
def hold(
    path: Path,
    what: str,
    timeout: float,
    on_wait: Callable[[], None] | None = None,
    *,
    remove: bool = False,
) -> Iterator[int | None]:
    """Hold the lock file `path` (created if missing); `what` names what it guards, for the message.

    Yields the flocked descriptor (POSIX; for `pass_fds`), else None. Calls `on_wait` once when another
    process holds the lock, then waits up to `timeout` seconds: LockBusy after that. OSError when the
    lock file cannot be created (a read-only folder). `remove`: delete the lock file on release (a
    waiter that opened it meanwhile sees it gone and opens a new one: filelock checks), so that a
    folder of the user's is left as it was."""
    filelock = _filelock()
    cls = lock_class()
    fds: list[int] = []
    native = cls is filelock.UnixFileLock  # only a native lock hands out its descriptor
    lock = cls(str(path), on_acquired=fds.append) if native else cls(str(path))
    try:
        lock.acquire(blocking=False)
    except filelock.Timeout:
        if on_wait is not None:
            on_wait()
        try:
            lock.acquire(timeout=timeout, poll_interval=POLL)
        except filelock.Timeout:
            raise LockBusy(
                f"{what} stayed locked by another annotate for {timeout:.0f} s (lock {path}); "
                "wait for that run to finish, then run again"
            ) from None
    try:
        yield fds[-1] if fds else None
    finally:
        if remove and native:  # SoftFileLock and WindowsFileLock remove their file on release
            with contextlib.suppress(OSError):
                path.unlink()
        lock.release()

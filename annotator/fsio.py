"""Atomic file writes (a reader never sees half a file, and a crash never truncates notes), the clean-up
of the temporary files a killed run left, and reading text and JSON from disk with one-line errors.
"""

from __future__ import annotations

import contextlib
import difflib
import errno
import json
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from annotator import locking
from annotator.errors import AnnotatorError, NotesError


def prepare_dir(path: Path) -> None:
    if path.exists() and not path.is_dir():
        raise AnnotatorError(f"--out {path} exists and is not a folder; pick another --out")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise AnnotatorError(f"cannot create --out {path}: {exc.strerror}") from None


FOLDER_LOCK = ".annotate.lock"  # in --out while a run writes there
FOLDER_LOCK_TIMEOUT = 300.0  # seconds a second run on one --out waits for the first


@contextmanager
def locked_folder(path: Path, names: tuple[str, ...], on_wait: Callable[[], None]) -> Iterator[None]:
    """Exclusive use of an output folder by one run, from reading what is there to the last write: a
    second run waits (up to FOLDER_LOCK_TIMEOUT) and then starts from the first one's result, or stops
    with one line naming the lock. The folder is created if missing (and removed again if the run
    fails and leaves it empty); temporary files of `names` a killed run left there are removed."""
    created = not path.exists()
    prepare_dir(path)
    stack = contextlib.ExitStack()
    try:
        stack.enter_context(
            locking.hold(path / FOLDER_LOCK, f"--out {path}", FOLDER_LOCK_TIMEOUT, on_wait, remove=True)
        )
    except OSError as exc:
        if exc.errno not in (errno.EACCES, errno.EPERM, errno.EROFS):
            _remove_if_empty(path, created)
            raise AnnotatorError(f"cannot write --out {path}: {exc.strerror or exc}") from None
        # A folder no file can be created in: no other run can write there either. Go on unlocked;
        # a write the run needs fails with its own one-line error, and one it does not need is skipped.
    except BaseException:
        _remove_if_empty(path, created)
        raise
    try:
        with stack:
            remove_stale_temporaries(path, names)
            yield
    finally:
        _remove_if_empty(path, created)


def _remove_if_empty(path: Path, created: bool) -> None:
    if created:
        with contextlib.suppress(OSError):
            path.rmdir()  # only an empty folder: a run that wrote nothing leaves nothing


def write_atomic(path: Path, text: str) -> None:
    """Write via a temporary file in the same folder and rename it into place; an OS failure (a
    read-only folder, a full disk) is an AnnotatorError and leaves `path` as it was."""
    try:
        _write_atomic(path, text)
    except OSError as exc:
        raise AnnotatorError(f"cannot write {path}: {exc.strerror or exc}") from None


def _write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes the file private (0600); keep an existing file's mode, else honour umask.
        os.chmod(tmp, path.stat().st_mode & 0o7777 if path.exists() else 0o666 & ~_umask())
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def remove_stale_temporaries(folder: Path, names: tuple[str, ...]) -> list[Path]:
    """Remove the temporary files of these names (`.NAME.XXXX.tmp`, as _write_atomic makes them) that a
    killed run left in `folder`. Only safe while holding the folder's lock (annotator/locking.py): no
    other run is writing there then. Returns what was removed."""
    removed = []
    for name in names:
        for tmp in folder.glob(f".{name}.*.tmp"):
            with contextlib.suppress(OSError):
                if tmp.is_file() and not tmp.is_symlink():
                    tmp.unlink()
                    removed.append(tmp)
    return removed


def load_json(text: str) -> Any:
    """JSON from disk: ValueError (never RecursionError) for text that is not JSON or nests too deeply
    (100,000 brackets exhaust the parser's stack)."""
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError("nested too deeply") from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def read_text(path: Path) -> str:
    """A file's text exactly as stored (no newline translation), or a NotesError. Only a regular file
    is read: opened without blocking, so a named pipe is refused rather than waited on forever."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with open(fd, encoding="utf-8", newline="") as fh:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise NotesError(
                    f"cannot read {path}: not a regular file; move it away or pass another --out"
                )
            return fh.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise NotesError(f"cannot read {path}: {exc}; move it away or pass another --out") from None


def diff_files(folder: Path, files: dict[str, str]) -> str:
    """A unified diff from the files in `folder` (missing: empty) to `files` (name -> new text)."""
    chunks: list[str] = []
    for name in sorted(files):
        path = folder / name
        old = read_text(path) if path.exists() else ""
        for line in difflib.unified_diff(
            old.splitlines(keepends=True),
            files[name].splitlines(keepends=True),
            fromfile=f"{path} (now)",
            tofile=f"{path} (after)",
        ):
            chunks.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(chunks)

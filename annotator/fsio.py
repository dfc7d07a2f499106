"""Atomic file writes: a reader never sees half a file, and a crash never truncates notes.

Text is written byte for byte (no newline translation on any OS); `line_end` and `with_line_end`
let a file the tool rewrites keep the line ends it was saved with (CRLF stays CRLF, LF stays LF).
Also: writing a run's files all or none (`write_all`), the lock on an output folder for one run
(`locked_folder`), the clean-up of the temporary files a killed run left, the check that a run can
write all its files before it writes one (`check_writable`), and reading text and JSON from disk with
one-line errors.
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
from annotator.links import shown_path


def prepare_dir(path: Path, option: str = "--out") -> None:
    """Create the folder `path` (and its parents); `option` names the option it came from in errors."""
    prepare_dirs([path], option)


def prepare_dirs(paths: list[Path], option: str = "--out") -> None:
    """Create these folders, after checking that none of them, nor a parent, is a file: a refusal
    leaves no folder made."""
    for path in paths:
        if path.exists() and not path.is_dir():
            raise AnnotatorError(
                f"{option} {shown_path(path)} exists and is not a folder; pick another {option}"
            )
        for parent in path.parents:  # a file where a folder must go, named as itself
            if parent.exists() and not parent.is_dir():
                where = shown_path(parent)
                raise AnnotatorError(f"{where} is not a folder; move it away or pick another {option}")
    for path in paths:
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise AnnotatorError(f"cannot create {option} {shown_path(path)}: {exc.strerror}") from None


def check_writable(paths: list[Path], option: str = "--out") -> None:
    """Refuse, before the first write, when a file of `paths` that must change sits in a folder no file
    can be created in (read-only, immutable): a run then writes nothing rather than half its files.
    Paths whose file already holds `text` need no write and are not passed here."""
    for folder in sorted({path.parent for path in paths}):
        try:
            fd, probe = tempfile.mkstemp(prefix=".annotate-probe.", suffix=".tmp", dir=folder)
        except OSError as exc:
            raise AnnotatorError(
                f"cannot write into {shown_path(folder)}: {exc.strerror or exc}; "
                f"make it writable or pick another {option}"
            ) from None
        os.close(fd)
        os.unlink(probe)


def needs_write(path: Path, text: str) -> bool:
    """Whether writing `text` to `path` changes it (a file that already holds it is left alone)."""
    return not path.exists() or read_text(path) != text


def line_end(text: str) -> str:
    """The line end a text was saved with: "\r\n" when most of its lines end so, else "\n"."""
    crlf = text.count("\r\n")
    return "\r\n" if crlf and crlf > text.count("\n") - crlf else "\n"


def with_line_end(text: str, end: str) -> str:
    """`text` (LF or mixed) with every line ending in `end`; a lone "\r" is left as it is."""
    text = text.replace("\r\n", "\n")
    return text if end == "\n" else text.replace("\n", end)


def like(path: Path, text: str) -> str:
    """`text` with the line ends of the file it will replace (a CRLF checkout on Windows stays CRLF)."""
    if not path.is_file():
        return text
    try:
        with path.open("rb") as fh:
            head = fh.read(1 << 16).decode("utf-8", "replace")
    except OSError:
        return text
    return with_line_end(text, line_end(head))


FOLDER_LOCK = ".annotate.lock"  # in --out while a run writes there
FOLDER_LOCK_TIMEOUT = 300.0  # seconds a second run on one --out waits for the first


@contextmanager
def locked_folder(
    path: Path, files: list[Path], on_wait: Callable[[], None], option: str = "--out"
) -> Iterator[None]:
    """Exclusive use of an output folder (the notes') by one run, from reading what is there to the last
    write: a second run waits (up to FOLDER_LOCK_TIMEOUT) and then starts from the first one's result,
    or stops with one line naming the lock. The folder is created if missing (and removed again if the
    run fails and leaves it empty); the temporary files of `files` a killed run left are removed."""
    existing = next((p for p in (path, *path.parents) if p.exists()), path)  # below it: made here
    prepare_dir(path, option)
    stack = contextlib.ExitStack()
    what = f"{option} {shown_path(path)}"
    try:
        stack.enter_context(locking.hold(path / FOLDER_LOCK, what, FOLDER_LOCK_TIMEOUT, on_wait, remove=True))
    except OSError as exc:
        if exc.errno not in (errno.EACCES, errno.EPERM, errno.EROFS):
            _remove_if_empty(path, existing)
            raise AnnotatorError(f"cannot write {what}: {exc.strerror or exc}") from None
        # A folder no file can be created in: no other run can write there either. Go on unlocked;
        # a write the run needs fails with its own one-line error, and one it does not need is skipped.
    except BaseException:
        _remove_if_empty(path, existing)
        raise
    try:
        with stack:
            for file in files:
                remove_stale_temporaries(file.parent, (file.name,))
            yield
    finally:
        _remove_if_empty(path, existing)


def _remove_if_empty(path: Path, existing: Path) -> None:
    """Remove the folders made for `path` below the `existing` one, as long as they are empty: a run
    that wrote nothing leaves nothing."""
    for folder in (path, *path.parents):
        if folder == existing:
            return
        try:
            folder.rmdir()
        except OSError:
            return


def write_atomic(path: Path, text: str) -> None:
    """Write via a temporary file in the same folder and rename it into place; an OS failure (a
    read-only folder, a full disk) is an AnnotatorError and leaves `path` as it was."""
    try:
        _write_atomic(path, text)
    except OSError as exc:
        raise AnnotatorError(
            f"cannot write {shown_path(path)}: {exc.strerror or exc}; make it writable (or free disk space)"
        ) from None


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


def write_all(files: list[tuple[Path, str]]) -> list[Path]:
    """Write these files in this order, each atomically, skipping a file that already holds its text
    (its mtime is kept). If a write fails, the files already written are put back as they were (a new
    one removed), latest first, and the error is raised: the run changes all its files or none, as
    far as the OS allows. Putting back stops at the first file that cannot be, so what was written
    before it (a backup of the notes) stays. Returns the paths written."""
    done: list[tuple[Path, str | None]] = []
    try:
        for path, text in files:
            old = read_text(path) if path.exists() else None  # read once: notes can be 50 MB
            if old != text:
                write_atomic(path, text)
                done.append((path, old))
    except AnnotatorError:
        for path, old in reversed(done):
            try:
                if old is None:
                    path.unlink()
                else:
                    write_atomic(path, old)
            except (AnnotatorError, OSError):
                break
        raise
    return [path for path, _ in done]


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
    is read: opened without blocking, so a named pipe is refused rather than waited on forever
    (Windows has no O_NONBLOCK, and no named pipes in the file system either)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with open(fd, encoding="utf-8", newline="") as fh:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise NotesError(
                    f"cannot read {shown_path(path)}: not a regular file; move it away or pass another --out"
                )
            return fh.read()
    except (OSError, UnicodeDecodeError) as exc:
        where = shown_path(path)
        raise NotesError(f"cannot read {where}: {exc}; move it away or pass another --out") from None


def diff_files(folder: Path, files: dict[str, str]) -> str:
    """A unified diff from the files in `folder` (missing: empty) to `files` (name -> new text)."""
    chunks: list[str] = []
    for name in sorted(files):
        path = folder / name
        old = read_text(path) if path.exists() else ""
        for line in difflib.unified_diff(
            old.splitlines(keepends=True),
            files[name].splitlines(keepends=True),
            fromfile=f"{shown_path(path)} (now)",
            tofile=f"{shown_path(path)} (after)",
        ):
            chunks.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(chunks)

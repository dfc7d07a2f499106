# Atomic file writes: a reader never sees half a file, and a crash never truncates notes.
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from annotator.errors import AnnotatorError


def prepare_dir(path: Path) -> None:
    if path.exists() and not path.is_dir():
        raise AnnotatorError(f"--out {path} exists and is not a folder; pick another --out")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise AnnotatorError(f"cannot create --out {path}: {exc.strerror}") from None


def write_atomic(path: Path, text: str) -> None:
    """Write via a temporary file in the same folder and rename it into place."""
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


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask

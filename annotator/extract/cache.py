"""Per-file cache of extracted models in the user's cache folder, keyed by content and tool code.

Entries are JSON (never pickle: nothing read from disk is executable), written atomically
(temporary file + os.replace) so that concurrent runs never see half an entry. The key covers the
blob SHA, path, role, the tool version and a digest of the extraction code itself, so an entry
can never be stale. A damaged or foreign entry (even JSON nested too deeply to parse) is ignored and
rebuilt. A reader (libcst for allocator files, `ast` for the others) is imported only when an entry
has to be built: a warm run never pays for it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import time
from functools import cache
from pathlib import Path
from typing import Any

from annotator import __version__
from annotator.errors import AnnotatorError
from annotator.extract.codec import decode_file, encode_file
from annotator.model import FileModel, FileRole
from annotator.userdirs import cache_root

# What shapes an entry: the model, links.py (module_name) and every module of this package (the
# extractor, its helpers, the codec and this file). Listed by package, so a module added or moved here
# is covered without a list.
_SHAPERS = ("links.py", "model.py")


def cache_dir() -> Path:
    return cache_root() / "models"


def code_files() -> list[Path]:
    """The source files whose text is part of every entry's key, in a fixed order."""
    here = Path(__file__).resolve().parent
    return sorted(here.glob("*.py")) + [here.parent / name for name in _SHAPERS]


@cache
def code_digest() -> str | None:
    """A digest of the code that shapes an entry (None when that code cannot be read: no cache then)."""
    h = hashlib.sha256(__version__.encode())
    try:
        for path in code_files():
            h.update(path.name.encode() + b"\0" + path.read_bytes())
    except OSError:  # sources not on disk (a zip import): never risk a stale entry
        return None
    return h.hexdigest()[:16]


def entry_key(path: str, role: str, blob: str) -> str | None:
    digest = code_digest()
    if digest is None:
        return None
    return hashlib.sha256(f"{digest}\0{blob}\0{path}\0{role}".encode()).hexdigest()


def load_or_extract(path: str, role: FileRole, blob: str, text: str) -> FileModel:
    """The cached model of a file, or a fresh extraction that is then cached."""
    key = entry_key(path, role, blob)
    entry = _entry(key)
    if entry is not None:
        cached = _load(entry, path, role, blob)
        if cached is not None:
            return cached
    model = extract(path, role, blob, text)
    if entry is not None:
        _store(entry, {"key": key, "model": encode_file(model)})
    return model


def extract(path: str, role: FileRole, blob: str, text: str) -> FileModel:
    """A fresh model: libcst for allocator files (the design card's), stdlib `ast` for the others.

    Both readers give the same model (tests/test_reader_equivalence.py); each is imported only when a
    file of its kind must be built, so a run that finds every allocator file cached never loads libcst.
    """
    if role == "allocator":
        from annotator.extract.visitor import extract_file

        return extract_file(path, role, blob, text)
    from annotator.extract.astvisitor import extract_file_ast

    return extract_file_ast(path, role, blob, text)


def _entry(key: str | None) -> Path | None:
    """Where the entry of `key` lives; None when there is no key or no cache folder (the run stays cold)."""
    if key is None:
        return None
    try:
        return cache_dir() / key[:2] / f"{key}.json"
    except AnnotatorError:
        return None


def _load(entry: Path, path: str, role: str, blob: str) -> FileModel | None:
    try:
        data = json.loads(entry.read_text(encoding="utf-8"))
        model = decode_file(data["model"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError):
        return None  # missing or damaged: rebuild
    if data.get("key") != entry.stem or (model.path, model.role, model.blob) != (path, role, blob):
        return None
    return model


_STALE_TEMP = 3600.0  # seconds: a write takes milliseconds, so an older temporary file is a killed run's


@cache
def _swept(root: Path) -> None:
    """Once per process, before its first write: remove the temporary files a run killed in the middle
    of a write left in the cache (an hour old or more, so a live writer's is never touched)."""
    cutoff = time.time() - _STALE_TEMP
    with contextlib.suppress(OSError):
        for tmp in root.glob("*/.*.tmp"):
            with contextlib.suppress(OSError):
                if tmp.stat().st_mtime < cutoff:
                    tmp.unlink()


def _store(entry: Path, data: dict[str, Any]) -> None:
    """Write atomically; a cache that cannot be written is not an error (the run just stays cold)."""
    _swept(entry.parent.parent)
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{entry.stem[:12]}.", suffix=".tmp", dir=entry.parent)
    except OSError:
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(json.dumps(data, separators=(",", ":"), sort_keys=True))  # one-shot: faster than dump
        os.replace(tmp, entry)
    except OSError:
        Path(tmp).unlink(missing_ok=True)

# Per-file cache of extracted models in the user's cache folder, keyed by content and tool code.
#
# Entries are JSON (never pickle: nothing read from disk is executable), written atomically
# (temporary file + os.replace) so that concurrent runs never see half an entry. The key covers the
# blob SHA, path, role, the tool version and a digest of the extraction code itself, so an entry
# can never be stale. A damaged or foreign entry is ignored and rebuilt. libcst is imported only
# when an entry has to be built: a warm run never pays for it.
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from annotator import __version__
from annotator.model import FileModel
from annotator.modelcodec import decode_file, encode_file

_CODE = (
    "extract.py",
    "extract_build.py",
    "cstnodes.py",
    "cstlines.py",
    "model.py",
    "modelcodec.py",
    "cache.py",
)


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "vllm-annotator" / "models"


@cache
def code_digest() -> str:
    """A digest of the code that shapes an entry: editing the extractor invalidates old entries."""
    here = Path(__file__).resolve().parent
    h = hashlib.sha256(__version__.encode())
    for name in _CODE:
        try:
            h.update((here / name).read_bytes())
        except OSError:  # pragma: no cover - sources not on disk (zip import): the version alone
            h.update(name.encode())
    return h.hexdigest()[:16]


def entry_key(path: str, role: str, blob: str) -> str:
    return hashlib.sha256(f"{code_digest()}\0{blob}\0{path}\0{role}".encode()).hexdigest()


def load_or_extract(path: str, role: str, blob: str, text: str) -> FileModel:
    """The cached model of a file, or a fresh extraction that is then cached."""
    key = entry_key(path, role, blob)
    entry = cache_dir() / key[:2] / f"{key}.json"
    cached = _load(entry, path, role, blob)
    if cached is not None:
        return cached
    from annotator.extract import extract_file

    model = extract_file(path, role, blob, text)
    _store(entry, {"key": key, "model": encode_file(model)})
    return model


def _load(entry: Path, path: str, role: str, blob: str) -> FileModel | None:
    try:
        data = json.loads(entry.read_text(encoding="utf-8"))
        model = decode_file(data["model"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError):
        return None  # missing or damaged: rebuild
    if data.get("key") != entry.stem or (model.path, model.role, model.blob) != (path, role, blob):
        return None
    return model


def _store(entry: Path, data: dict[str, Any]) -> None:
    """Write atomically; a cache that cannot be written is not an error (the run just stays cold)."""
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

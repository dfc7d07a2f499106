"""Manifests as students write them: the commit under any of several keys, 7 to 40 hex digits, and
a version and a date that should agree with the commit (a disagreement is a warning: the tool cannot
tell which one the student meant)."""

from __future__ import annotations

import re
from typing import Any

from annotator.snapshot.files import Snapshot

SHA_KEYS = ("sha", "commit", "commit_sha", "vllm_commit", "git_sha", "vllm_sha")
VERSION_KEYS = ("vllm_version", "version")
DATE_KEYS = ("commit_date", "date")
_HEX = re.compile(r"[0-9a-fA-F]{7,40}")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def manifest_sha(manifest: dict[str, Any]) -> str | None:
    """The commit a manifest names (lower case), from the first key that holds 7 to 40 hex digits."""
    for key in SHA_KEYS:
        value = manifest.get(key)
        if isinstance(value, str) and _HEX.fullmatch(value.strip()):
            return value.strip().lower()
    return None


def same_sha(a: str, b: str) -> bool:
    """Two SHAs name the same commit: one is a prefix (of at least 7 digits) of the other."""
    return a.startswith(b) or b.startswith(a)


def check_manifest(manifest: dict[str, Any], snap: Snapshot, name: str) -> list[tuple[str, str]]:
    """(code, message) for a version or a date that disagrees with the commit."""
    out: list[tuple[str, str]] = []
    version = next((manifest[k] for k in VERSION_KEYS if isinstance(manifest.get(k), str)), None)
    known = snap.version.version
    if version is not None and known != "unknown":
        written = version.strip().lower().removeprefix("v")
        if written and written != known and not known.startswith(written + "+"):
            message = f"{name} says version {version!r}; the commit is {known}"
            out.append(("manifest-version-mismatch", message))
    date = next((manifest[k] for k in DATE_KEYS if isinstance(manifest.get(k), str)), None)
    if date is not None and _DAY.match(date.strip()) and snap.date and date.strip()[:10] != snap.date[:10]:
        message = f"{name} says date {date!r}; the commit is of {snap.date[:10]}"
        out.append(("manifest-date-mismatch", message))
    return out

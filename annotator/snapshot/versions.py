"""Which vLLM version a commit is: from tags, the release table, or the source; never a guess."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from annotator import queries

VERSION_FILES = ("vllm/version.py", "vllm/__init__.py")
_LITERAL = re.compile(r"""^__version__\s*(?::\s*str\s*)?=\s*["']([^"']+)["']""", re.M)
_DESCRIBE = re.compile(r"(?P<tag>.+)-(?P<n>\d+)-g[0-9a-f]+")


@dataclass(frozen=True, slots=True)
class Version:
    version: str  # "0.3.3", "0.3.3+5" (5 commits after the tag) or "unknown"
    source: str  # how it was found, or why it could not be
    exact: bool  # the commit is the release itself


def from_describe(described: str) -> Version:
    m = _DESCRIBE.fullmatch(described)
    if m is None:
        return Version(described.removeprefix("v"), f"tag {described}", True)
    tag, n = m["tag"], int(m["n"])
    return Version(f"{tag.removeprefix('v')}+{n}", f"{n} commits after tag {tag} (git describe)", False)


def _releases(path: Path | None) -> list[dict[str, str]]:
    rows = queries.document("releases.toml", path).tables("release")
    return [{k: t.text(k) for k in ("version", "sha", "confidence")} for t in rows]


def from_release_table(sha: str, path: Path | None = None) -> Version | None:
    for rel in _releases(path):
        if rel["sha"] == sha:
            how = f"release table ({rel['version']}, confidence {rel['confidence']})"
            return Version(rel["version"].removeprefix("v"), how, True)
    return None


def release_sha(name: str, path: Path | None = None) -> str | None:
    """The main-line SHA of a release name ("v0.3.3" or "0.3.3") in the release table, if listed."""
    wanted = name if name.startswith("v") else f"v{name}"
    return next((rel["sha"] for rel in _releases(path) if rel["version"] == wanted), None)


def from_source(files: dict[str, str], read: Callable[[str], bytes]) -> Version:
    """The literal `__version__` in vllm/version.py or vllm/__init__.py, if there is one."""
    for path in VERSION_FILES:
        if path in files:
            text = read(files[path]).decode("utf-8", "replace")
            m = _LITERAL.search(text)
            if m:
                return Version(m[1], f"__version__ in {path}", False)
    looked = " or ".join(VERSION_FILES)
    return Version(
        "unknown",
        f"no tag, no release-table entry and no literal __version__ in {looked}",
        False,
    )


def detect(sha: str, describe: str | None, files: dict[str, str], read: Callable[[str], bytes]) -> Version:
    """A tag wins, then the release table, then the source. The table is read (so a broken course copy
    is reported) even when a tag settles it."""
    listed = from_release_table(sha)
    if describe:
        return from_describe(describe)
    return listed or from_source(files, read)

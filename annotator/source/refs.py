"""What counts as a commit name and a repository URL: pure rules, no git and no internal imports but errors.

Every other module of the source stage takes its SHA and ref rules from here, so a rule has one home.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from annotator.errors import SourceError

VLLM_URL = "https://github.com/vllm-project/vllm.git"
DEFAULT_SHA = "82091b864af105dbe373353655dc9d8c0a6ba66f"  # v0.3.3
FULL_SHA = re.compile(r"[0-9a-f]{40}")
# Refs we accept: what git allows in branch and tag names, minus anything option- or range-like.
REF_OK = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._/+-]*")


@dataclass(frozen=True, slots=True)
class Commit:
    sha: str
    date: str  # committer date, ISO 8601 in UTC


def check_ref(ref: str) -> str:
    """Reject refs that git could take as an option, a range or a revision expression."""
    if not ref.strip():
        raise SourceError(f"{ref!r} names no commit; pass a SHA, tag or branch name")
    if ref.startswith("-"):
        raise SourceError(f"--sha {ref!r} looks like an option, not a commit; pass a SHA, tag or branch name")
    if not REF_OK.fullmatch(ref) or ".." in ref or ref.endswith((".lock", "/", ".")):
        raise SourceError(
            f"--sha {ref!r} is not a commit name; pass a full or abbreviated SHA, a tag or a branch"
        )
    return ref


def is_url(spec: str) -> bool:
    return "://" in spec or "::" in spec or bool(re.match(r"[A-Za-z0-9_.-]+@[^/]+:", spec))

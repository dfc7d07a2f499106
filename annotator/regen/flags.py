"""The generated parts regeneration adds: "code changed since these notes" flags and orphaned notes.
Both are derived from data that survives the next regeneration (the flag's own text, the orphan's
key), so regenerating again gives the same bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from annotator.links import compare_url, lines_ref, tree_url
from annotator.regen.spans import MergeContext, Span

ORPHANS = "orphans"
ORPHANS_BODY = (
    "## Orphaned notes\n\n"
    "Notes whose code no longer exists at this commit, kept word for word with the citation they were\n"
    "written against. Move what still applies into a section above; an orphan whose text you delete is\n"
    "dropped at the next regeneration.\n\n"
)
_FLAG = re.compile(
    r"written against `(?P<path>[^`]+)` \[L(?P<a>\d+)(?:-L(?P<b>\d+))?\]\(\S+?/blob/(?P<sha>[0-9a-f]{40})/"
    r"[^)]*\) at `[0-9a-f]+` \((?P<version>[^)]*)\)"
)
_ORPHAN = re.compile(
    r"orphan:(?P<sha>[0-9a-f]{40}):(?P<layout>[^:\s]+):(?:L(?P<a>\d+)-L(?P<b>\d+)|-):(?P<key>\S+)"
)


@dataclass(frozen=True, slots=True)
class Baseline:
    """The code a section's notes were written against."""

    sha: str
    version: str
    path: str
    start: int
    end: int


def flag_key(section_key: str) -> str:
    return f"changed:{section_key}"


def flag_body(base: Baseline, now: Span, ctx: MergeContext) -> str:
    then = lines_ref(base.sha, base.path, base.start, base.end)
    at = lines_ref(ctx.sha, now.path, now.start, now.end)
    return (
        f"> **Code changed since these notes.** They were written against `{base.path}` {then} "
        f"at `{base.sha[:12]}` ({base.version}); at `{ctx.sha[:12]}` ({ctx.version}) the code is "
        f"`{now.path}` {at}. [Compare the two commits]({compare_url(base.sha, ctx.sha)}).\n"
        "> Re-read the code and update your notes, then delete this block (its two marker lines and the\n"
        "> text between them).\n\n"
    )


def parse_flag(body: str) -> Baseline | None:
    m = _FLAG.search(body)
    if m is None:
        return None
    a = int(m["a"])
    return Baseline(m["sha"], m["version"], m["path"], a, int(m["b"] or a))


@dataclass(frozen=True, slots=True)
class Orphan:
    """What an orphan's key records: the commit and layout its text was written at, the old line range
    of its code (when known) and its old key."""

    sha: str
    layout: str
    lines: tuple[int, int] | None
    key: str

    @property
    def gen_key(self) -> str:
        rng = f"L{self.lines[0]}-L{self.lines[1]}" if self.lines else "-"
        return f"orphan:{self.sha}:{self.layout or '-'}:{rng}:{self.key}"


def parse_orphan(key: str) -> Orphan | None:
    m = _ORPHAN.fullmatch(key)
    if m is None:
        return None
    rng = (int(m["a"]), int(m["b"])) if m["a"] else None
    return Orphan(m["sha"], "" if m["layout"] == "-" else m["layout"], rng, m["key"])


def orphan_body(key: str) -> str:
    parsed = parse_orphan(key)
    if parsed is None:
        return f"#### Orphaned: `{key}`\n\n"
    sha, rng, old = parsed.sha, parsed.lines, parsed.key
    text = f"#### Orphaned: `{old}`\n\nWritten at [`{sha[:12]}`]({tree_url(sha)})"
    path = _path_of(old)
    if rng and path:
        text += f" against `{path}` {lines_ref(sha, path, rng[0], rng[1])}"
    return text + ".\n\n"


def _path_of(key: str) -> str | None:
    kind, _, rest = key.partition(":")
    if kind == "file":
        return rest
    if kind in ("class", "method", "function") and "::" in rest:
        return rest.split("::", 1)[0]
    return None

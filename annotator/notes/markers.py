"""The marker language that lets a program tell generated text, stubs and a student's prose apart.

A notes file is a sequence of marker lines (HTML comments, invisible on GitHub) and text:

<!-- annotate:gen KEY -->          generated block; the tool owns the lines up to its end marker
...
<!-- annotate:/gen KEY sum=HEX -->  sum: checksum of the block, so hand edits are detected
<!-- annotate:slot KEY -->         the student's text for KEY: every line up to the next marker
_Prompt ..._ <!-- annotate:stub --> a stub: a prompt line inside a slot, not prose

KEY is "<kind>:<path>::<qualname>/<slot>"-shaped and never contains spaces; text before the first
marker belongs to no key (kept in place). Parsing never executes or evaluates anything.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Literal

STUB = "<!-- annotate:stub -->"
_MARKER = re.compile(r"^<!-- annotate:(gen|/gen|slot) (\S+)(?: sum=([0-9a-f]{8}))? -->$")

SegmentKind = Literal["free", "gen", "slot", "after"]


@dataclass(frozen=True, slots=True)
class Segment:
    """One part of a notes file.

    kind: "free" (before any marker), "gen" (generated block), "slot" (student text), or
    "after" (text between a gen block's end and the next marker, keyed by that block).
    body: the lines between the markers, joined with their newlines.
    line: 1-based line of the opening marker (of the first body line for "free").
    edited: for "gen", True when the body no longer matches the recorded checksum.
    """

    kind: SegmentKind
    key: str
    body: str
    line: int
    edited: bool = False


def checksum(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:8]


def gen(key: str, body: str) -> str:
    """A generated block; `body` ends with a newline (or is empty)."""
    return f"<!-- annotate:gen {key} -->\n{body}<!-- annotate:/gen {key} sum={checksum(body)} -->\n"


def slot(key: str, body: str) -> str:
    return f"<!-- annotate:slot {key} -->\n{body}"


def stub(prompt: str) -> str:
    """A prompt line that marks an unanswered slot (rendered in italics)."""
    return f"_{prompt}_ {STUB}\n"


def is_stub(line: str) -> bool:
    return line.rstrip().endswith(STUB)


def is_marker(line: str) -> bool:
    return _MARKER.match(line.rstrip("\r\n")) is not None


def parse(text: str) -> list[Segment]:
    """Split a notes file into segments. An unterminated gen block is treated as prose."""
    lines = text.splitlines(keepends=True)
    out: list[Segment] = []
    i, start, key = 0, 0, ""
    kind: SegmentKind = "free"
    body: list[str] = []

    def flush() -> None:
        if kind != "free" or body:
            out.append(Segment(kind, key, "".join(body), start + 1))

    while i < len(lines):
        m = _MARKER.match(lines[i].rstrip("\r\n"))
        if m is None or m[1] == "/gen":
            body.append(lines[i])
            i += 1
            continue
        if m[1] == "gen":
            end = _find_end(lines, i + 1, m[2])
            if end is None:  # no end marker: not ours to own, keep it as text
                body.append(lines[i])
                i += 1
                continue
            flush()
            inner = "".join(lines[i + 1 : end])
            recorded = _MARKER.match(lines[end].rstrip("\r\n"))
            assert recorded is not None
            out.append(Segment("gen", m[2], inner, i + 1, edited=recorded[3] != checksum(inner)))
            i, kind, key, body, start = end + 1, "after", m[2], [], end + 1
            continue
        flush()
        kind, key, body, start = "slot", m[2], [], i
        i += 1
    flush()
    return out


def _find_end(lines: list[str], start: int, key: str) -> int | None:
    for j in range(start, len(lines)):
        m = _MARKER.match(lines[j].rstrip("\r\n"))
        if m is None:
            continue
        if m[1] == "/gen" and m[2] == key:
            return j
        if m[1] in ("gen", "slot"):
            return None
    return None


def prose(body: str) -> str:
    """The student's own words in a slot body: stub lines removed."""
    return "".join(line for line in body.splitlines(keepends=True) if not is_stub(line))


def written_sections(text: str) -> frozenset[str]:
    """The slot keys ("method:path::Class.m/does") that hold a student's words, and the gen keys whose
    generated block is followed by them: a regeneration keeps those places."""
    out = set()
    for seg in parse(text.removeprefix("\ufeff")):
        if seg.kind in ("slot", "after") and prose(seg.body).strip():
            out.add(seg.key)
    return frozenset(out)

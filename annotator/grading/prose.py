"""The student's own text in a notes file: the non-generated segments (slots, text after a generated
block, text before the first marker), read as Markdown by `structure.read`.
"""

from __future__ import annotations

from annotator.grading.structure import Line, Structure, read
from annotator.notes.markers import Segment

__all__ = ["Line", "Structure", "count_words", "first_body_line", "student_lines", "student_text"]


def first_body_line(seg: Segment) -> int:
    """1-based line number of the first line of a segment's body."""
    return seg.line + 1 if seg.kind in ("gen", "slot") else seg.line


def student_text(segments: list[Segment]) -> Structure:
    """Lines, headings and bold lead-ins of every non-generated segment, in file order."""
    return read([(_body(s.body), first_body_line(s), s.key) for s in segments if s.kind != "gen"])


def _body(body: str) -> str:
    """A segment body with CR LF and lone CR line ends read as LF, so line numbers stay those of LF notes."""
    if "\r" in body:
        body = body.replace("\r\n", "\n").replace("\r", "\n")
    return body.removesuffix("\n")


def student_lines(segments: list[Segment]) -> list[Line]:
    return student_text(segments).lines


def count_words(lines: list[Line]) -> int:
    return sum(ln.words for ln in lines)

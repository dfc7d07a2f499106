"""The student's own text in a notes file: the non-generated segments (slots, text after a generated
block, text before the first marker), read as Markdown by `structure.read`.
"""

from __future__ import annotations

import re

from annotator.grading.structure import Line, Structure, read
from annotator.notes.markers import Segment

__all__ = ["Line", "Structure", "count_words", "first_body_line", "student_lines", "student_text"]


def first_body_line(seg: Segment) -> int:
    """1-based line number of the first line of a segment's body."""
    return seg.line + 1 if seg.kind in ("gen", "slot") else seg.line


def student_text(segments: list[Segment]) -> Structure:
    """Lines, headings and bold lead-ins of every non-generated segment, in file order."""
    parts = []
    for s in segments:
        if s.kind != "gen":
            first = first_body_line(s)
            body = _body(s.body)
            parts.append((_without_front_matter(body) if first == 1 else body, first, s.key))
    return read(parts)


_FRONT_MATTER_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.M)


def _without_front_matter(body: str) -> str:
    """The file's YAML front matter (`---` on line 1 down to `---` or `...`) blanked, lines kept: it is
    neither prose nor a heading (its last line would read as a setext heading over the closing `---`)."""
    if not re.match(r"---[ \t]*\n", body):
        return body
    end = _FRONT_MATTER_END.search(body, body.index("\n") + 1)
    if end is None:
        return body
    return "\n" * body.count("\n", 0, end.end()) + body[end.end() :]


def _body(body: str) -> str:
    """A segment body with CR LF and lone CR line ends read as LF, so line numbers stay those of LF notes."""
    if "\r" in body:
        body = body.replace("\r\n", "\n").replace("\r", "\n")
    return body.removesuffix("\n")


def student_lines(segments: list[Segment]) -> list[Line]:
    return student_text(segments).lines


def count_words(lines: list[Line]) -> int:
    return sum(ln.words for ln in lines)

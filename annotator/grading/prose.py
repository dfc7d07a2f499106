"""The student's own text in a notes file: which lines are prose or tables, by section, and their words.

Everything here is linear in the size of the notes: no regex can rescan a long line from many
starting points (character classes exclude the character that starts the next attempt).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

from annotator.notes.markers import Segment, is_stub

_FENCE = re.compile(r"[ \t]{0,40}(`{3,}|~{3,})")  # any indentation: fences inside list items too
_DELIMITER_ROW = re.compile(r"[\s|:-]+")
_LINK_URL = re.compile(r"\]\([^()\s]*(?:\s+\"[^\"\n]*\")?\)")  # the "(url)" of [text](url)
_AUTOLINK = re.compile(r"<(?:https?|mailto|ftp):[^<>\s]*>")
_BARE_URL = re.compile(r"(?:https?|ftp)://\S+")
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>\n]*>")
_WORD = re.compile(r"\w+(?:['’]\w+)*")
_LINE_REF = re.compile(r"L\d+")
_BACKTICKS = re.compile(r"(`+)")


@dataclass(frozen=True, slots=True)
class Line:
    """A line of the student's own text (never code, stubs, comments or generated blocks)."""

    no: int  # 1-based line number in the notes
    text: str  # HTML comments removed
    kind: str  # "prose" | "table"
    section: str  # slot key, the gen key for text after a generated block, "" before any marker
    para: int  # paragraph number: consecutive non-blank lines, unique over the whole file


def first_body_line(seg: Segment) -> int:
    """1-based line number of the first line of a segment's body."""
    return seg.line + 1 if seg.kind in ("gen", "slot") else seg.line


def student_lines(segments: list[Segment]) -> list[Line]:
    """Prose and table lines of every non-generated segment, in file order."""
    out: list[Line] = []
    para = 0
    for seg in segments:
        if seg.kind == "gen":
            continue
        para += 1
        for no, text, kind in _classify(seg.body, first_body_line(seg)):
            if kind == "blank":
                para += 1
            else:
                out.append(Line(no, text, kind, seg.key, para))
        para += 1
    return _mark_tables(out)


def _classify(body: str, first: int) -> Iterator[tuple[int, str, str]]:
    """(line number, text, "prose" | "blank") for a segment body; code, comments and stubs dropped."""
    fence: str | None = None
    in_comment = False
    for offset, raw in enumerate(body.splitlines()):
        no = first + offset
        if fence is not None:
            stripped = raw.strip()
            if stripped.startswith(fence) and stripped == fence[0] * len(stripped):
                fence = None
            yield no, "", "blank"
            continue
        if is_stub(raw):
            continue
        text, in_comment = strip_comments(raw, in_comment)
        m = _FENCE.match(text)
        if m is not None and not (m[1][0] == "`" and "`" in text[m.end() :]):
            fence = m[1]
            yield no, "", "blank"
            continue
        yield no, text, ("prose" if text.strip() else "blank")


def strip_comments(line: str, in_comment: bool) -> tuple[str, bool]:
    """Remove HTML comments from a line; `in_comment` carries an open `<!--` across lines."""
    parts: list[str] = []
    i = 0
    while i < len(line):
        if in_comment:
            end = line.find("-->", i)
            if end < 0:
                return "".join(parts), True
            i, in_comment = end + 3, False
        else:
            start = line.find("<!--", i)
            if start < 0:
                parts.append(line[i:])
                break
            parts.append(line[i:start])
            i, in_comment = start + 4, True
    return "".join(parts), in_comment


def _mark_tables(lines: list[Line]) -> list[Line]:
    """Lines starting with "|", and GFM tables (header, delimiter row, rows) become kind "table"."""
    table = [ln.text.lstrip().startswith("|") for ln in lines]
    done = 0  # rows before this index already belong to a table found earlier
    for i, ln in enumerate(lines):
        if i == 0 or i < done or not _is_delimiter_row(ln.text):
            continue
        head = lines[i - 1]
        if head.para != ln.para or "|" not in head.text:
            continue
        table[i - 1] = True
        j = i
        while j < len(lines) and lines[j].para == ln.para and "|" in lines[j].text:
            table[j] = True
            j += 1
        done = j
    return [
        Line(ln.no, ln.text, "table", ln.section, ln.para) if is_table else ln
        for ln, is_table in zip(lines, table, strict=True)
    ]


def _is_delimiter_row(text: str) -> bool:
    return "-" in text and "|" in text and _DELIMITER_ROW.fullmatch(text) is not None


def strip_code_spans(text: str) -> str:
    """Remove inline code spans (`x`, ``x`y``): a run of n backticks closes at the next run of n."""
    tokens = _BACKTICKS.split(text)  # odd indexes are backtick runs
    runs: dict[int, list[int]] = {}
    for k in range(1, len(tokens), 2):
        runs.setdefault(len(tokens[k]), []).append(k)
    out: list[str] = []
    k = 0
    while k < len(tokens):
        if k % 2 == 0:
            out.append(tokens[k])
            k += 1
            continue
        same = runs[len(tokens[k])]
        nxt = bisect.bisect_right(same, k)
        if nxt < len(same):
            out.append(" ")
            k = same[nxt] + 1
        else:
            out.append(tokens[k])
            k += 1
    return "".join(out)


def prose_words(text: str) -> int:
    """Words of a prose line: no inline code, link URLs, HTML tags or line references.

    A word is a run of letters and digits (with inner apostrophes) that holds at least one letter.
    """
    # Most prose lines hold none of these: skip the rewrites for them (the count dominates `check`).
    if "`" in text:
        text = strip_code_spans(text)
    if "](" in text:
        text = _LINK_URL.sub("]", text)
    if "<" in text:
        text = _HTML_TAG.sub(" ", _AUTOLINK.sub(" ", text))
    if "://" in text:
        text = _BARE_URL.sub(" ", text)
    words = _WORD.findall(text)
    # isalpha() is the fast path for nearly every word; the slow test keeps mixed words ("x86", "it's").
    return sum(
        1 for w in words if w.isalpha() or (not _LINE_REF.fullmatch(w) and any(c.isalpha() for c in w))
    )


def count_words(lines: list[Line]) -> int:
    return sum(prose_words(ln.text) for ln in lines if ln.kind == "prose")

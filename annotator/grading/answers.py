"""Where the answers and the closing paragraph are in notes written without the skeleton's slots.

A question is a heading or a bold lead-in (`**Q1 — Page allocation.** The pool ...`) that names it:
by number (`Q3`, `Question 3`; a bare `3.` or `3)` when the title words also match, or under a
`Questions` heading), else, for a heading that names no code, by opening with one of the question's
keywords. The closing paragraph is a heading or lead-in holding a closing keyword. The keywords
are declarative: `keywords` in queries/questions/*.toml and queries/closing.toml.

A heading's answer is everything under it up to the next heading of the same or a higher level; a
lead-in's runs to the next question or closing lead-in, or the next heading.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from annotator import queries
from annotator.grading.citations import code_names
from annotator.grading.structure import Scope, Structure

_COUNTED = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
_STRONG_NUMBER = re.compile(
    r"(?:q|question|answer|ans)\s*\.?\s*#?\s*(\d{1,2}|" + "|".join(_COUNTED) + r")\b"
)
_ANYWHERE = re.compile(r"(?:^|[\s(\[])(?:q|question)\s*#?\s*(\d{1,2})\b")  # "Page allocation (Q1)"
_BARE_NUMBER = re.compile(r"\(?(\d{1,2})\s*[.):—–·/-]\s")  # `3.`, `3)`, `(3)`, `3 ·`, `3/`
_MORE = re.compile(r"\s*(?:&|and|/|,|\+)\s*(?:q|question)?\s*\.?\s*(\d{1,2})\b")  # "Q1 & Q2"
_PARENT = re.compile(r"\b(?:questions|answers|q\s*&\s*a)\b")
_DROP = re.compile(r"`[^`]*`|\]\([^)]*\)|\S*[/_]\S*|\S+\.py\b|[*_\[\]#>]")
_SPACE = re.compile(r"[\s—–:,.!?()-]+")


@dataclass(frozen=True, slots=True)
class Topic:
    id: int  # 0 for the closing paragraph
    title: str
    keywords: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Place:
    """Where an answer is: its heading or lead-in line, its last line (exclusive), how it was found."""

    line: int
    end: int  # first line after it
    label_words: int  # words of a lead-in's bold label (not the answer's prose)
    numbered: bool


@lru_cache(maxsize=4)
def _topics(folder: str) -> tuple[tuple[Topic, ...], Topic]:
    out = []
    for path in sorted(Path(folder).glob("*.toml")):
        doc = queries.document(path.name, path)
        title = doc.text("title")
        out.append(Topic(doc.number("id"), title, _words_of(doc.texts("keywords", (title,)))))
    closing_file = queries.path("closing.toml")
    closing = queries.document("closing.toml", closing_file)
    close = Topic(0, closing.text("title"), _words_of(closing.texts("keywords")))
    return tuple(sorted(out, key=lambda t: t.id)), close


def topics() -> tuple[tuple[Topic, ...], Topic]:
    """The questions (by id) and the closing paragraph, with their keywords (lower case)."""
    return _topics(str(queries.path("questions")))


def question_ids() -> tuple[int, ...]:
    """The ids of the questions the notes must answer: every question of the queries (five shipped)."""
    return tuple(sorted(t.id for t in topics()[0]))


def _words_of(phrases: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(p for p in (_norm(x) for x in phrases) if p)


def _norm(text: str) -> str:
    """Lower case, without code, paths and punctuation; a heading's first 300 characters."""
    return " " + _SPACE.sub(" ", _DROP.sub(" ", text[:300].lower())).strip() + " "


def _has(text: str, keywords: tuple[str, ...], opening: bool = False) -> bool:
    """A keyword starts a word of the text (`page table` in `page tables`), or opens the text."""
    if opening:
        return any(text.startswith(k.rstrip()) for k in keywords)
    return any(k.rstrip() in text for k in keywords)


def _id(token: str) -> int:
    return _COUNTED.index(token) + 1 if token in _COUNTED else int(token)


def _numbers(text: str, under_questions: bool, qs: dict[int, Topic]) -> tuple[list[int], int]:
    """The questions a heading or label names by number (`Q1 & Q2` names two), and how surely:
    rank 0 for `Q3` / `Question 3`, 1 for a bare `3.` (a section number that may be a question)."""
    low = text[:300].lower().lstrip(" *_#>`")
    m = _STRONG_NUMBER.match(low)
    if m is None:
        m = _ANYWHERE.search(low)
        if m is not None:
            return [int(m[1])], 0
        m = _BARE_NUMBER.match(low + " ")
        if m is not None:
            topic = qs.get(int(m[1]))
            if topic is not None and (under_questions or _has(_norm(low[m.end() :]), topic.keywords)):
                return [topic.id], 0 if under_questions else 1
        return [], 2
    out = [_id(m[1])]
    at = m.end()
    while (more := _MORE.match(low, at)) is not None and len(out) < 10:
        out.append(int(more[1]))
        at = more.end()
    return out, 0


def _under_questions(scope: Scope | None) -> bool:
    while scope is not None:
        if _PARENT.search(scope.heading.text[:300].lower()):
            return True
        scope = scope.parent
    return False


def locate(structure: Structure) -> tuple[dict[int, Place], Place | None]:
    """The place of each question found, by id, and of the closing paragraph (None: not found)."""
    qs, closing = topics()
    by_id = {t.id: t for t in qs}
    heads = [h for h, _ in structure.headings]
    head_lines = [h.line for h in heads]
    found: dict[int, list[tuple[int, Place]]] = {}  # id -> (rank: 0 numbered, 1 by keywords; place)

    ends = [1 << 30] * len(heads)  # the line of the next heading of the same or a higher level
    open_heads: list[int] = []
    for i, h in enumerate(heads):
        while open_heads and heads[open_heads[-1]].level >= h.level:
            ends[open_heads.pop()] = h.line
        open_heads.append(i)

    numbers = [_numbers(h.text, _under_questions(parent), by_id) for h, parent in structure.headings]
    lead_numbers = [_numbers(lead.label, _under_questions(lead.scope), by_id) for lead in structure.leadins]
    any_numbered = any(ids for ids, _ in numbers) or any(ids for ids, _ in lead_numbers)
    for i, (h, parent) in enumerate(structure.headings):
        under = _under_questions(parent)
        ids, rank = numbers[i]
        norm = _norm(h.text)
        if not ids and (under or not any_numbered) and not code_names(h.text):
            # Unnumbered answers: a heading opening with a question's words (any words under `Questions`).
            ids, rank = [t.id for t in qs if _has(norm, t.keywords, opening=not under)][:1], 2
        if not ids and _has(norm, closing.keywords):
            ids = [0]
        for qid in ids:
            found.setdefault(qid, []).append((rank, Place(h.line, ends[i], 0, rank == 0)))
    marks: list[tuple[int, list[int], int, int]] = []  # (line, ids, rank, label words)
    for lead, (ids, rank) in zip(structure.leadins, lead_numbers, strict=True):
        if lead.plain:
            # A numbered list item without bold is an answer only right under a `Questions` heading.
            direct = lead.scope is not None and _PARENT.search(lead.scope.heading.text[:300].lower())
            ids, rank = (ids, 0) if direct else ([], 2)
        if not ids and _has(_norm(lead.label), closing.keywords, opening=True) and not lead.plain:
            ids, rank = [0], 0
        if ids:
            marks.append((lead.line, ids, rank, lead.label_words))
    for k, (line, ids, rank, label) in enumerate(marks):
        nxt_lead = marks[k + 1][0] if k + 1 < len(marks) else 1 << 30
        at = bisect.bisect_right(head_lines, line)
        nxt_head = head_lines[at] if at < len(head_lines) else 1 << 30
        for qid in ids:
            found.setdefault(qid, []).append((rank, Place(line, min(nxt_lead, nxt_head), label, rank == 0)))
    best: dict[int, Place] = {}
    for qid, options in found.items():
        # A question: the first place found by number; the closing paragraph: the last place.
        options.sort(key=lambda o: (o[0], -o[1].line if qid == 0 else o[1].line))
        best[qid] = options[0][1]
    close = best.pop(0, None)
    return {q: p for q, p in best.items() if q in by_id}, close


def missing_at(qid: int, found: dict[int, Place], closing: Place | None) -> int | None:
    """Where a missing question should have been: the line of the next question found after it, else
    of the closing paragraph; None when that cannot be told."""
    later = [p.line for q, p in found.items() if q > qid]
    if later:
        return min(later)
    return closing.line if closing is not None else None

"""What a review page shows, as frozen data: the notes, their citations with what they cite, the
findings, where the answers are, and the verbatim runs. Built by build.py, rendered by page.py.

Every line number is 1-based; collections are tuples, so page data is hashable and renders the same
bytes whatever order it was built in (page.py sorts).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Status = Literal["ok", "error", "warning"]
Severity = Literal["error", "warning"]



@dataclass(frozen=True, slots=True)
class Citation:
    """One citation as the checker found it in the notes.

    line/col: where it is written (col: a str index in that line, orders several on one line);
    text: exactly as written (`L120-L145`, `x.py:12`, a permalink); path/start/end: the file and lines
    it designates at the commit (path None: unresolved); status, message and code: the finding about
    it (empty when it holds); lines: the cited source lines start..end; permalink: GitHub's.
    """

    line: int
    text: str
    path: str | None
    start: int | None
    end: int | None
    status: Status = "ok"
    message: str = ""
    code: str = ""
    lines: tuple[str, ...] = ()
    permalink: str | None = None
    col: int | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    severity: Severity
    line: int | None  # None: the whole file
    message: str
    cite_col: int | None = None  # a citation finding: the column of its citation on `line`


@dataclass(frozen=True, slots=True)
class VerbatimRun:
    """Notes lines notes_start..notes_end reproduce path:start..end, whose text is `lines`."""

    notes_start: int
    notes_end: int
    path: str
    start: int
    end: int
    lines: tuple[str, ...]
    permalink: str | None = None


@dataclass(frozen=True, slots=True)
class PageData:
    notes_path: str
    text: str
    sha: str
    version: str | None
    citations: tuple[Citation, ...] = ()
    findings: tuple[Finding, ...] = ()
    answers: tuple[tuple[str, int], ...] = ()  # ("1".."5" or "closing", line of its heading or lead-in)
    questions: tuple[str, ...] = ("1", "2", "3", "4", "5")  # the questions asked (the queries' ids)
    verbatim: tuple[VerbatimRun, ...] = ()
    index_href: str | None = "../index.html"


@dataclass(frozen=True, slots=True)
class IndexRow:
    """One submission in the index; `href` is the page's link relative to index.html."""

    notes_path: str
    href: str | None  # None: the notes could not be read, so there is no page
    sha: str
    version: str | None
    words: int
    answers: int  # found, of `questions`
    questions: int
    closing: bool
    citations: int
    wrong: int
    errors: int
    warnings: int
    verbatim: int

"""The index of a review site: one row per submission, sortable by any column (a 26-line script),
each linking to its page, under a summary line."""

from __future__ import annotations

from collections.abc import Iterable

from annotator.grading.review.assets import asset, document
from annotator.grading.review.code import esc
from annotator.grading.review.model import IndexRow, PageData
from annotator.grading.review.parts import DOT

TITLE = "Review of submitted notes"
_COLUMNS = (  # header, sort type, cell class
    ("Notes", "txt", ""),
    ("Commit", "txt", ""),
    ("Words", "num", "n"),
    ("Answers", "num", "n"),
    ("Closing", "num", "n"),
    ("Citations", "num", "n"),
    ("Wrong", "num", "n"),
    ("Errors", "num", "n"),
    ("Warnings", "num", "n"),
    ("Verbatim", "num", "n"),
)


def index_row(data: PageData, href: str | None, words: int) -> IndexRow:
    """The index row of a page (words of prose come from the checker's report)."""
    found = {k for k, _ in data.answers}
    return IndexRow(
        notes_path=data.notes_path,
        href=href,
        sha=data.sha,
        version=data.version,
        words=words,
        answers=sum(q in found for q in data.questions),
        questions=len(data.questions),
        closing="closing" in found,
        citations=len(data.citations),
        wrong=sum(c.status == "error" for c in data.citations),
        errors=sum(f.severity == "error" for f in data.findings),
        warnings=sum(f.severity == "warning" for f in data.findings),
        verbatim=len(data.verbatim),
    )


def _breakable(path: str) -> str:
    """A path, escaped, that may wrap after each slash."""
    return "/<wbr>".join(esc(part) for part in path.split("/"))


def _num(value: int, cls: str, shown: str | None = None) -> str:
    return f'<td class="n{cls}" data-v="{value}">{shown if shown is not None else f"{value:,}"}</td>'


def _row(i: int, r: IndexRow) -> str:
    name = _breakable(r.notes_path)
    link = f'<a href="{esc(r.href)}">{name}</a>' if r.href else f"{name} <em>(not readable: no page)</em>"
    return (
        f'<tr data-i="{i}"><td class="path" data-v="{esc(r.notes_path)}">{link}</td>'
        f'<td data-v="{esc(r.sha)}"><code title="{esc(r.sha)}">{esc(r.sha[:10] or "-")}</code> '
        f"{esc(r.version or '')}</td>"
        + _num(r.words, "")
        + _num(r.answers, " good" if r.answers >= r.questions else " bad", f"{r.answers}/{r.questions}")
        + _num(int(r.closing), " good" if r.closing else " bad", "yes" if r.closing else "no")
        + _num(r.citations, "")
        + _num(r.wrong, " bad" if r.wrong else "")
        + _num(r.errors, " bad" if r.errors else "")
        + _num(r.warnings, " warn" if r.warnings else "")
        + _num(r.verbatim, " warn" if r.verbatim else "")
        + "</tr>"
    )


def render_index(rows: Iterable[IndexRow], title: str = TITLE) -> str:
    """index.html: rows sorted by notes path (the column headers re-sort in the browser)."""
    rs = sorted(rows, key=lambda r: (r.notes_path, r.href or ""))
    full = sum(r.answers >= r.questions and r.closing for r in rs)
    summary = (
        f'<p class="summary"><b>{len(rs)}</b> submissions{DOT}<b>{full}</b> with every answer and a '
        f"closing paragraph{DOT}<b>{sum(r.errors > 0 for r in rs)}</b> with errors{DOT}"
        f"<b>{sum(r.warnings > 0 for r in rs)}</b> with warnings{DOT}"
        f"<b>{sum(r.verbatim > 0 for r in rs)}</b> with verbatim runs{DOT}"
        f"<b>{sum(r.wrong for r in rs):,}</b> of <b>{sum(r.citations for r in rs):,}</b> citations wrong</p>"
    )
    head = "".join(
        f'<th scope="col" data-type="{ty}"'
        + (f' class="{cl}"' if cl else "")
        + f'><button type="button">{name}</button></th>'
        for name, ty, cl in _COLUMNS
    )
    body = "\n".join(_row(i, r) for i, r in enumerate(rs))
    main = (
        f"<main><h1>{esc(title)}</h1>{summary}"
        '<div class="tablewrap"><table id="subs">'
        '<caption class="vh">Submissions; the column headers sort</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>\n{body}\n</tbody></table></div></main>"
    )
    return document(title, main, asset("index.js"), asset("index.css"))

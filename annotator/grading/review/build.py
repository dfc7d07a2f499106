"""check's results as review pages: each notes file's report, with the cited and copied lines read
from the snapshot of its commit (Batch.snapshots), mapped to page data; and the whole site as
{relative file name: HTML}, for the cli layer to write. Pure."""

from __future__ import annotations

from annotator.grading.batch import Batch, FileResult
from annotator.grading.check import CiteResult
from annotator.grading.review.index import index_row, render_index
from annotator.grading.review.model import Citation, Finding, IndexRow, PageData, VerbatimRun
from annotator.grading.review.page import render_page
from annotator.links import GITHUB, permalink, review_page
from annotator.snapshot.files import Snapshot


class _Lines:
    """The lines of a snapshot's files, split once per file."""

    def __init__(self, snap: Snapshot | None) -> None:
        self.snap = snap
        self.split: dict[str, list[str]] = {}

    def get(self, path: str | None, start: int | None, end: int | None) -> tuple[str, ...]:
        """Lines start..end of `path`; none when the file or any of those lines does not exist."""
        if self.snap is None or path is None or start is None or end is None:
            return ()
        if path not in self.split:
            f = self.snap.file(path)
            self.split[path] = f.text.splitlines() if f is not None else []
        lines = self.split[path]
        return tuple(lines[start - 1 : end]) if 1 <= start <= end <= len(lines) else ()


def _citation(cr: CiteResult, sha: str, lines: _Lines) -> Citation:
    c, f = cr.cite, cr.finding
    status = f.severity if f is not None else "ok"
    if c.text.startswith(GITHUB + "/"):
        link: str | None = c.text  # a permalink: the one the student wrote
    else:
        link = permalink(sha, c.path, c.start, c.end) if c.path and sha else None
    other = f is not None and f.code == "permalink-other-commit"  # its lines are not this commit's
    return Citation(
        line=cr.line,
        text=c.text,
        path=c.path,
        start=c.start,
        end=c.end,
        status=status,
        message=f.message if f is not None else "",
        code=f.code if f is not None else "",
        lines=() if other else lines.get(c.path, c.start, c.end),
        permalink=link,
        col=c.col,
    )


def page_data(result: FileResult, snap: Snapshot | None) -> PageData | None:
    """The page of one checked notes file; None when it could not be read (it has no report)."""
    rep = result.report
    if rep is None or result.text is None:
        return None
    sha = result.sha or ""
    lines = _Lines(snap if snap is not None and snap.sha == sha else None)
    findings = tuple(
        Finding(f.code, f.severity, f.line, f.message, f.cite.col if f.cite is not None else None)
        for f in result.findings
    )
    runs = tuple(
        VerbatimRun(
            cp.notes_start,
            cp.notes_end,
            cp.path,
            cp.start,
            cp.end,
            lines.get(cp.path, cp.start, cp.end),
            permalink(sha, cp.path, cp.start, cp.end) if sha else None,
        )
        for cp in rep.copies
    )
    return PageData(
        notes_path=result.path,
        text=result.text,
        sha=sha,
        version=snap.version.version if snap is not None and lines.snap is not None else None,
        citations=tuple(_citation(cr, sha, lines) for cr in rep.cites),
        findings=findings,
        answers=rep.answers,
        questions=tuple(str(q) for q in rep.questions),
        verbatim=runs,
    )


def site(batch: Batch) -> dict[str, str]:
    """index.html and one page per readable notes file, by file name relative to the site's folder."""
    files: dict[str, str] = {}
    rows: list[IndexRow] = []
    for r in batch.results:
        snap = batch.snapshots.get(r.sha) if r.sha else None
        data = page_data(r, snap)
        if data is None:
            errors = sum(f.severity == "error" for f in r.findings)
            warnings = len(r.findings) - errors
            rows.append(IndexRow(r.path, None, r.sha or "", None, 0, 0, 5, False, 0, 0, errors, warnings, 0))
            continue
        name = review_page(r.path)
        files[name] = render_page(data)
        rows.append(index_row(data, name, r.report.words if r.report is not None else 0))
    files["index.html"] = render_index(rows)
    return files

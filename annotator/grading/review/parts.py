"""Small HTML pieces of a review page: a finding's marker, a citation's code panel (a <template> the
script clones on first click), and the verbatim comparison (notes lines beside the vLLM lines)."""

from __future__ import annotations

from annotator.grading.review.code import MAX_PANEL_LINES, code_block, code_rows, esc, highlight_lines
from annotator.grading.review.markdown import safe_url
from annotator.grading.review.model import Citation, Finding, VerbatimRun

DOT = " \u00b7 "


def span(start: int | None, end: int | None) -> str:
    """`L12`, `L12–L20`, or "" without lines."""
    if start is None:
        return ""
    return f"L{start}" if end is None or end == start else f"L{start}\u2013L{end}"


def sev(status: str) -> str:
    """The CSS class of a status or severity."""
    return {"error": "err", "warning": "warn", "ok": "ok"}.get(status, "note")


def fmark(f: Finding, anchor: str) -> str:
    s = sev(f.severity)
    where = f"{DOT}L{f.line}" if f.line is not None else ""
    return (
        f'<div class="fmark {s}" id="{anchor}" tabindex="-1"><span class="sev {s}">{esc(f.severity)}</span>'
        f"<code>{esc(f.code)}</code>{where} \u2014 {esc(f.message)}</div>"
    )


def _link(url: str | None) -> str:
    ok = safe_url(url)
    return f'<a href="{esc(ok)}" rel="noopener noreferrer">GitHub permalink</a>' if ok else ""


def template(sid: str, c: Citation) -> str:
    """The code panel of a citation: path, range, permalink and the numbered, highlighted lines."""
    where = esc(c.path) if c.path else "file not resolved"
    msg = f'<span class="pmsg">{esc(c.message)}</span>' if c.status != "ok" and c.message else ""
    head = (
        f'<div class="phead"><span class="ppath">{where}</span><span>{esc(span(c.start, c.end))}</span>'
        f"{_link(c.permalink)}{msg}</div>"
    )
    label = esc(f"{c.path or c.text} {span(c.start, c.end)}".strip())
    if c.code == "permalink-other-commit":
        body = '<p class="pnone">These lines are of another commit: follow the permalink.</p>'
    elif c.start is None and c.path:
        body = '<p class="pnone">A link to the whole file: no lines cited.</p>'
    elif c.path is None:
        body = '<p class="pnone">No source lines: the checker could not tell which file this cites.</p>'
    else:
        body = code_block(c.path, c.start, c.lines)
    panel = f'<div class="panel" role="region" aria-label="{label}">{head}{body}</div>'
    return f'<template id="t-{sid}">{panel}</template>'


def vsrc(r: VerbatimRun, vid: str, notes_lines: list[str]) -> str:
    """The copied notes lines in one column and the vLLM lines they reproduce in the other."""
    head = (
        f'<div class="phead"><span class="ppath">Verbatim run: notes {esc(span(r.notes_start, r.notes_end))}'
        f" reproduce {esc(r.path)} {esc(span(r.start, r.end))}</span>{_link(r.permalink)}</div>"
    )
    mine = tuple(notes_lines[max(r.notes_start - 1, 0) : r.notes_end][:MAX_PANEL_LINES])
    left = (
        '<div class="vcol"><div class="vlab">in the notes</div>'
        f'<pre class="hl">{code_rows(r.notes_start, highlight_lines(r.path, mine))}</pre></div>'
    )
    right = f'<div class="vcol"><div class="vlab">in vLLM</div>{code_block(r.path, r.start, r.lines)}</div>'
    return (
        f'<aside class="vsrc" id="{vid}" tabindex="-1" aria-label="Verbatim run">{head}'
        f'<div class="vgrid">{left}{right}</div></aside>'
    )

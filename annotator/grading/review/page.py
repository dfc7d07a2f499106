"""One review page per notes file: a header (commit, version, figures, the five answers and the
closing paragraph as chips, whole-file findings), the side list of every finding and verbatim run
(each a link to where it stands), the rendered notes, and the code panels as <template>s."""

from __future__ import annotations

import re
from dataclasses import replace

from annotator.grading.review import markdown
from annotator.grading.review.assets import asset, document, page_css
from annotator.grading.review.code import esc
from annotator.grading.review.model import PageData
from annotator.grading.review.notes import NotesRenderer
from annotator.grading.review.parts import DOT, fmark, sev, span
from annotator.links import tree_url

_SHA = re.compile(r"[0-9a-f]{40}")
_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*:|//", re.I)


def _side(p: NotesRenderer) -> str:
    items = []
    for f, anchor, _ in p.findings:
        s = sev(f.severity)
        loc = f"L{f.line}" if f.line is not None else "file"
        items.append(
            f'<li class="{s}"><a href="#{anchor}"><span class="sev {s}">{esc(f.severity)}</span>'
            f'<span class="loc">{loc}</span> <code>{esc(f.code)}</code> {esc(f.message)}</a></li>'
        )
    for n, r in enumerate(p.runs):
        items.append(
            f'<li class="verb"><a href="#v{n + 1}"><span class="sev verb">verbatim</span>'
            f'<span class="loc">{esc(span(r.notes_start, r.notes_end))}</span> copies {esc(r.path)} '
            f"{esc(span(r.start, r.end))}</a></li>"
        )
    body = "\n".join(items) if items else '<li class="none">No findings.</li>'
    return (
        '<aside class="side" aria-label="Findings"><div class="sticky"><details open>'
        f"<summary>Findings ({len(p.findings)}){DOT}verbatim runs ({len(p.runs)})</summary>"
        '<div class="tools"><button type="button" class="all" data-open="1">Open all citations</button>'
        '<button type="button" class="all" data-open="0">Close all</button></div>'
        f'<ol id="findings">{body}</ol></details></div></aside>'
    )


def _chips(found: dict[str, int], questions: tuple[str, ...]) -> str:
    chips = []
    for q in (*questions, "closing"):
        name = f"Q{q}" if q != "closing" else "Closing"
        line = found.get(q)
        if line is None:
            chips.append(f'<li class="missing">{name}: not found</li>')
        else:
            chips.append(f'<li class="found"><a href="#a-{q}">{name}{DOT}L{line}</a></li>')
    return f'<ul class="chips" aria-label="Answers">{"".join(chips)}</ul>'


def _header(p: NotesRenderer, data: PageData) -> str:
    wrong = sum(c.status == "error" for c in p.cites)
    doubtful = sum(c.status == "warning" for c in p.cites)
    errors = sum(f.severity == "error" for f in data.findings)
    warnings = len(data.findings) - errors
    found = dict(data.answers)
    sha_html = f'<code class="mono" title="{esc(data.sha)}">{esc(data.sha[:12] or "unknown")}</code>'
    if _SHA.fullmatch(data.sha):
        sha_html = f'<a href="{tree_url(data.sha)}" rel="noopener noreferrer">{sha_html}</a>'
    crumbs = ""
    if data.index_href and not _SCHEME.match(data.index_href):
        crumbs = f'<div class="crumbs"><a href="{esc(data.index_href)}">\u2190 All submissions</a></div>'
    answered = sum(q in found for q in data.questions)
    closing = "found" if "closing" in found else "missing"
    whole = "".join(fmark(f, a) for f, a, _ in p.findings if f.line is None)
    return (
        f'<header class="top">{crumbs}<h1>{esc(data.notes_path)}</h1>'
        f'<p class="meta">commit {sha_html}{DOT}vLLM {esc(data.version or "version unknown")}</p>'
        f'<p class="summary"><b>{len(p.cites)}</b> citations '
        f"(<b>{wrong}</b> wrong, <b>{doubtful}</b> doubtful)"
        f"{DOT}<b>{answered}</b>/{len(data.questions)} answers found{DOT}closing paragraph {closing}{DOT}"
        f"<b>{errors}</b> errors, <b>{warnings}</b> warnings{DOT}<b>{len(p.runs)}</b> verbatim runs</p>"
        + _chips(found, data.questions)
        + (f'<div class="filefindings">{whole}</div>' if whole else "")
        + "</header>"
    )


def render_page(data: PageData) -> str:
    """The review page of one notes file, as a complete HTML document (deterministic)."""
    data = replace(data, text=markdown.shown_text(markdown.checker_text(data.text)))
    p = NotesRenderer(data)
    env: dict[str, object] = {}
    toks = markdown.tokens(data.text, env)
    p.add_dropped(toks)
    plain = env.get("plain_blocks", 0)
    if plain:
        p.out.append(
            f'<div class="fmark warn"><span class="sev warn">shown as text</span>{plain} paragraph(s) of '
            "these notes are too long or too dense in Markdown marks to render; they are shown as plain "
            "text.</div>"
        )
    p.render(toks)
    notes = "".join(p.out) + p.remaining()
    body = (
        '<a class="skip" href="#notes">Skip to the notes</a>\n'
        + _header(p, data)
        + '\n<div class="layout">\n'
        + _side(p)
        + f'\n<article class="notes" id="notes" tabindex="-1">\n{notes}\n'
        + f'<footer class="end">End of {esc(data.notes_path)}{DOT}{len(p.cites)} citations</footer>'
        + "</article>\n"
        + f'</div>\n<div hidden id="sources">\n{p.templates()}\n</div>'
    )
    return document(f"Review: {data.notes_path}", body, asset("page.js"), page_css())

"""The notes as HTML: the block renderer over markdown-it's tokens, with citations placed (place.py),
answer labels and finding markers before the block they concern, verbatim runs banded and compared
after their last block, and citations that no text holds (in code, a link's label, marker-only
paragraphs, past the end) listed after their block. Every citation gets exactly one button.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial

from markdown_it.token import Token

from annotator.grading.review.code import FenceHighlighter, esc
from annotator.grading.review.markdown import dropped_lines, marker_only
from annotator.grading.review.model import Finding, PageData
from annotator.grading.review.parts import DOT, fmark, template, vsrc
from annotator.grading.review.place import Placer

_ALIGN = re.compile(r"text-align:(left|right|center)")
_OPEN_TAGS = frozenset(
    {"thead_open", "tbody_open", "tr_open", "blockquote_open", "bullet_list_open", "list_item_open"}
)
_CLOSE_TAGS = frozenset({"thead", "tbody", "tr", "th", "td", "blockquote", "ul", "ol", "li", "s"})
Event = tuple[int, int, "str | Callable[[], str]"]  # (0-based line, order, html or what makes it)


class NotesRenderer(Placer):
    def __init__(self, data: PageData) -> None:
        super().__init__(data)
        self.out: list[str] = []
        self.lines = data.text.splitlines()
        self.fences = FenceHighlighter()
        self.findings = self._link_findings()
        self.runs = sorted(data.verbatim, key=lambda r: (r.notes_start, r.notes_end, r.path, r.start))
        self.events: list[Event] = []  # shown before the leaf holding (or following) the line
        self.after: list[tuple[int, int, str]] = []  # shown after the leaf holding the line
        for f, anchor, is_cite in self.findings:
            if not is_cite and f.line is not None:
                self.events.append((f.line - 1, 1, fmark(f, anchor)))
        for key, line in sorted(data.answers, key=lambda a: (a[1], a[0])):
            label = "Closing paragraph" if key == "closing" else f"Answer to question {key}"
            tag = f'<div class="tag" id="a-{esc(key)}" tabindex="-1">{esc(label)}{DOT}notes L{line}</div>'
            self.events.append((line - 1, 0, tag))
        for n, r in enumerate(self.runs):
            self.after.append((r.notes_end - 1, n, vsrc(r, f"v{n + 1}", self.lines)))
        self.after.sort(key=lambda e: (e[0], e[1]))
        self.events.sort(key=lambda e: (e[0], e[1]))  # stable: ties keep the order above
        self.ev = self.av = 0

    def _link_findings(self) -> list[tuple[Finding, str, bool]]:
        """Each finding with its anchor: the wrong citation it is about (same line and column, else
        same line and message), else a marker of its own (`fN`)."""
        at: dict[tuple[int, int | None], list[int]] = {}
        said: dict[tuple[int, str], list[int]] = {}
        for i, c in enumerate(self.cites):
            if c.status != "ok":
                at.setdefault((c.line, c.col), []).append(i)
                said.setdefault((c.line, c.message), []).append(i)
        fs = sorted(
            self.d.findings,
            key=lambda f: (f.line is not None, f.line or 0, f.severity != "error", f.code, f.message),
        )
        out: list[tuple[Finding, str, bool]] = []
        taken: set[int] = set()
        for n, f in enumerate(fs):
            hits: list[int] = []
            if f.line is not None:
                hits = at.get((f.line, f.cite_col), []) if f.cite_col is not None else []
                hits = [i for i in hits if i not in taken] or [
                    i for i in said.get((f.line, f.message), []) if i not in taken
                ]
            if hits:
                taken.add(hits[0])
                out.append((f, self.cid[hits[0]], True))
            else:
                out.append((f, f"f{n + 1}", False))
        return out

    def add_dropped(self, toks: list[Token]) -> None:
        for a, b in dropped_lines(toks, self.lines):
            self.events.append((a, 3, partial(self._dropped, a, b)))
        self.events.sort(key=lambda e: (e[0], e[1]))

    def _dropped(self, a: int, b: int) -> str:
        where = f"L{a + 1}" + (f"\u2013L{b}" if b > a + 1 else "")
        text = "\n".join(self.lines[a:b])
        out = (
            '<div class="fmark warn"><span class="sev warn">shown as text</span>'
            f"notes {where} are nested too deeply to render as Markdown.</div>"
            f'<pre class="code plain">{esc(text)}</pre>\n'
        )
        left = [i for line in range(a, b) for i in self.by_line.get(line, ()) if not self.placed[i]]
        return out + (self._unplaced(left, True) if left else "")

    def _leaf_begin(self, m: list[int] | None) -> str:
        """Emit the labels and markers due up to this leaf; return its extra class (verbatim)."""
        if m is None:
            return ""
        a, b = m
        while self.ev < len(self.events) and self.events[self.ev][0] < b:
            item = self.events[self.ev][2]
            self.ev += 1
            self.out.append(item if isinstance(item, str) else item())
        return " verbatim" if any(r.notes_start - 1 < b and r.notes_end - 1 >= a for r in self.runs) else ""

    def _leaf_end(self, m: list[int] | None) -> None:
        if m is None:
            return
        while self.av < len(self.after) and self.after[self.av][0] < m[1]:
            self.out.append(self.after[self.av][2])
            self.av += 1
        left = [i for line in range(m[0], m[1]) for i in self.by_line.get(line, ()) if not self.placed[i]]
        if left:
            self.out.append(self._unplaced(left, True))

    def _unplaced(self, idx: list[int], in_block: bool) -> str:
        """Citations that are not in the rendered text (in code, a link's label, markup), by notes line."""
        groups: dict[int, list[str]] = {}
        for i in idx:
            self.placed[i] = True
            label = f'<span class="mono">{esc(self.cites[i].text)}</span>'
            groups.setdefault(self.cites[i].line, []).append(self.button(i, label))
        parts = [f"notes L{line}: " + " ".join(btns) for line, btns in sorted(groups.items())]
        where = "in this block" if in_block else "outside every block"
        return f'<div class="unplaced">Cited {where} (in code or markup): {DOT.join(parts)}</div>'

    def render(self, toks: list[Token]) -> None:
        out = self.out
        leaf: list[int] | None = None
        para: list[str] = []  # what closes each open paragraph
        i, n = 0, len(toks)
        while i < n:
            t = toks[i]
            ty = t.type
            if ty == "paragraph_open":
                leaf = t.map
                inl = toks[i + 1] if i + 1 < n and toks[i + 1].type == "inline" else None
                cls = self._leaf_begin(leaf)
                if inl is not None and marker_only(inl):
                    para.append("")  # only annotate markers: nothing to show
                    i += 2
                    continue
                if not t.hidden:
                    out.append(f'<p class="{cls.strip()}">' if cls else "<p>")
                    para.append("</p>\n")
                elif cls:  # a tight list item: mark its text
                    out.append('<span class="verbatim">')
                    para.append("</span>")
                else:
                    para.append("")
            elif ty == "paragraph_close":
                out.append(para.pop() if para else "")
                self._leaf_end(leaf)
                leaf = None
            elif ty == "heading_open":
                leaf = t.map
                cls = self._leaf_begin(leaf)
                out.append(f"<{t.tag}" + (f' class="{cls.strip()}"' if cls else "") + ">")
            elif ty == "heading_close":
                out.append(f"</{t.tag}>\n")
                self._leaf_end(leaf)
                leaf = None
            elif ty in ("inline", "inline_plain"):
                out.append(self.inline(t, leaf))
            elif ty in ("fence", "code_block", "hr", "html_block"):
                cls = self._leaf_begin(t.map)
                if ty == "hr":
                    out.append("<hr>\n")
                elif ty == "html_block":  # not produced with HTML off; shown as text if it ever is
                    out.append(f"<pre>{esc(t.content)}</pre>\n")
                else:
                    out.append(self.fences.fence(t.info if ty == "fence" else "", t.content, cls) + "\n")
                self._leaf_end(t.map)
            elif ty == "table_open":
                leaf = t.map
                cls = self._leaf_begin(leaf)
                out.append(f'<div class="tablewrap{cls}"><table>')
            elif ty == "table_close":
                out.append("</table></div>\n")
                self._leaf_end(leaf)
                leaf = None
            elif ty in ("th_open", "td_open"):
                al = _ALIGN.search(str(t.attrGet("style") or ""))  # a class: style= would break the CSP
                out.append(f"<{t.tag}" + (f' class="al-{al.group(1)}"' if al else "") + ">")
            elif ty in _OPEN_TAGS:
                out.append(f"<{t.tag}>")
            elif ty == "ordered_list_open":
                start = str(t.attrGet("start") or "")
                out.append(f'<ol start="{int(start)}">' if start.isdigit() and int(start) != 1 else "<ol>")
            elif ty.endswith("_close") and t.tag in _CLOSE_TAGS:
                out.append(f"</{t.tag}>" + ("\n" if t.tag in ("tr", "li", "ul", "ol", "blockquote") else ""))
            elif t.content:
                out.append(f"<p>{esc(t.content)}</p>")
            i += 1

    def remaining(self) -> str:
        """Labels and markers after the last block, and citations never placed (no such line)."""
        parts = []
        for _, _, item in self.events[self.ev :]:
            parts.append(item if isinstance(item, str) else item())
        self.ev = len(self.events)
        parts += [e[2] for e in self.after[self.av :]]
        self.av = len(self.after)
        left = [i for i in range(len(self.cites)) if not self.placed[i]]
        if left:
            parts.append(self._unplaced(left, False))
        return "".join(parts)

    def templates(self) -> str:
        done: set[str] = set()
        out = []
        for i, c in enumerate(self.cites):
            sid = self.src_of[i]
            if sid not in done:
                done.add(sid)
                out.append(template(sid, c))
        return "\n".join(out)

"""Citations placed where they stand in the rendered notes: every citation becomes exactly one button.

markdown-it gives line ranges for blocks but no columns inside them, so placement works on text:
citations are grouped by notes line and ordered by column; in each text or inline-code child of an
inline token (its line counted through soft and hard breaks) the next WINDOW citations of that line
are sought with one alternation guarded at word boundaries (`L1` never matches inside `L12`). A
link whose href holds the citation (a permalink) becomes the button; `` `x.py` L7-L22 `` spanning a
code span and text becomes one button; text inside another link is never searched (a button inside
<a> is invalid). A bounded fallback then searches the whole block; what is still unplaced is listed
after its block (notes.py). Total work is linear: each token is scanned once per hit, and the
fallback may scan at most 4 × the notes size + 1 MB characters.
"""

from __future__ import annotations

import bisect
import re

from markdown_it.token import Token

from annotator.grading.review.code import esc
from annotator.grading.review.markdown import MARKER, safe_url
from annotator.grading.review.model import Citation, PageData
from annotator.grading.review.parts import sev

WINDOW = 8  # citations of one line tried at once (they are in column order)
_MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")

Spans = dict[int, list[tuple[int, int, int]]]  # child index -> (begin, end, citation) in its content


def _needle(text: str) -> str | None:
    """A regex for a citation as written, also matching it with Markdown escapes undone."""
    if not text:
        return None
    alts = [text]
    plain = _MD_ESCAPE.sub(r"\1", text)
    if plain != text:
        alts.append(plain)
    parts = []
    for a in alts:
        pre = r"(?<![\w./-])" if re.match(r"[\w./]", a) else ""
        post = r"(?![\w])" if re.search(r"\w$", a) else ""
        parts.append(pre + re.escape(a) + post)
    return "|".join(parts)


class Placer:
    """The citations of one page, in a fixed order (line, column, text, target), and where each went."""

    def __init__(self, data: PageData) -> None:
        self.d = data
        self.cites = sorted(
            data.citations,
            key=lambda c: (c.line, -1 if c.col is None else c.col, c.text, c.path or "", c.start or 0),
        )
        self.cid = [f"c{n + 1}" for n in range(len(self.cites))]
        self.needles = [_needle(c.text) for c in self.cites]
        self.by_line: dict[int, list[int]] = {}  # 0-based line -> citations
        for i, c in enumerate(self.cites):
            self.by_line.setdefault(c.line - 1, []).append(i)
        self.ptr: dict[int, int] = {}
        self.placed = [False] * len(self.cites)
        self.skipped: set[int] = set()
        self.budget = 4 * len(data.text) + 1_000_000
        self.src_key: dict[tuple[object, ...], str] = {}  # one code panel per (path, lines, permalink)
        self.src_of = [self._src_id(c) for c in self.cites]

    def _src_id(self, c: Citation) -> str:
        key = (c.path, c.start, c.end, c.lines, c.permalink, c.status, c.message)
        sid = self.src_key.get(key)
        if sid is None:
            sid = self.src_key[key] = f"s{len(self.src_key) + 1}"
        return sid

    def button(self, i: int, label_html: str) -> str:
        c, cid = self.cites[i], self.cid[i]
        s = sev(c.status)
        cls = "cite" if s == "ok" else f"cite {s}"
        if len(c.text) <= 40:
            cls += " short"
        desc = f' aria-describedby="m-{cid}"' if s != "ok" else ""
        b = (
            f'<button type="button" class="{cls}" id="{cid}" data-src="{self.src_of[i]}"'
            f' aria-expanded="false"{desc}>{label_html}</button>'
        )
        if s != "ok":
            b += f'<span class="cmsg {s}" id="m-{cid}">{esc(c.message or c.status)}</span>'
        return b

    def _window(self, line: int) -> list[int]:
        lst = self.by_line.get(line)
        if not lst:
            return []
        p = self.ptr.get(line, 0)
        while p < len(lst) and (self.placed[lst[p]] or lst[p] in self.skipped):
            p += 1
        self.ptr[line] = p
        win = []
        for i in lst[p:]:
            if not self.placed[i] and i not in self.skipped:
                win.append(i)
                if len(win) == WINDOW:
                    break
        return win

    def _scan(self, text: str, start: int, line: int) -> list[tuple[int, int, int]]:
        """Citations of `line` in text[start:], in order: (begin, end, citation)."""
        found: list[tuple[int, int, int]] = []
        pos = start
        while pos <= len(text):
            win = [i for i in self._window(line) if self.needles[i] is not None]
            if not win:
                break
            rx = re.compile("|".join(f"(?P<g{j}>{self.needles[i]})" for j, i in enumerate(win)))
            m = rx.search(text, pos)
            if m is None or m.lastgroup is None:
                break
            j = int(m.lastgroup[1:])
            self.skipped.update(win[:j])  # in column order: the citations before it are not here
            self.placed[win[j]] = True
            found.append((m.start(), m.end(), win[j]))
            pos = m.end()
        return found

    def inline(self, tok: Token, m: list[int] | None) -> str:
        """An inline token as HTML, with its citations as buttons."""
        ch = tok.children or []
        lines: list[int] = []
        cur = (tok.map or m or [0, 0])[0]
        for c in ch:
            lines.append(cur)
            cur += c.type in ("softbreak", "hardbreak")
        spans: Spans = {}
        link_cite: dict[int, int] = {}
        pair: dict[int, tuple[int, str]] = {}  # code_inline -> (citation, its tail in the next text)
        skip: dict[int, int] = {}
        searchable: list[int] = []
        depth = 0
        for k, c in enumerate(ch):
            t = c.type
            if t == "link_open":
                if depth == 0:
                    href = str(c.attrGet("href") or "")
                    for i in self._window(lines[k]):
                        if self.cites[i].text and self.cites[i].text in href:
                            link_cite[k] = i
                            self.placed[i] = True
                            break
                depth += 1
            elif t == "link_close":
                depth = max(0, depth - 1)
            elif depth == 0 and t == "code_inline":
                nxt = ch[k + 1] if k + 1 < len(ch) else None
                if nxt is not None and nxt.type == "text":
                    self._pair(k, c.content, nxt.content, lines[k], pair, skip)
                if k not in pair:
                    spans[k] = self._scan(c.content, 0, lines[k])
                    searchable.append(k)
            elif depth == 0 and t == "text":
                spans[k] = self._scan(c.content, skip.get(k, 0), lines[k])
                searchable.append(k)
        if tok.map:
            self._fallback(ch, tok.map, spans, skip, searchable)
        return self._emit(ch, spans, link_cite, pair, skip)

    def _pair(
        self, k: int, code: str, after: str, line: int, pair: dict[int, tuple[int, str]], skip: dict[int, int]
    ) -> None:
        """`` `x.py` L7-L22 ``: the code span and the text after it are one citation."""
        for i in self._window(line):
            text = self.cites[i].text
            if "`" not in text:
                continue
            head, tail = text.split("`", 1)
            tail = tail.lstrip("`")
            if (
                (code == head or code.endswith("/" + head))
                and after.startswith(tail)
                and not re.match(r"\w", after[len(tail) : len(tail) + 1])
            ):
                pair[k] = (i, tail)
                skip[k + 1] = len(tail)
                self.placed[i] = True
                return

    def _fallback(
        self, ch: list[Token], m: list[int], spans: Spans, skip: dict[int, int], where: list[int]
    ) -> None:
        """Citations of this block not found on their own line: look anywhere in the block (bounded)."""
        left = [i for line in range(m[0], m[1]) for i in self.by_line.get(line, ()) if not self.placed[i]]
        for i in left:
            needle = self.needles[i]
            if needle is None or self.budget <= 0:
                continue
            rx = re.compile(needle)
            for k in where:
                text = ch[k].content
                self.budget -= len(text)
                sp = spans[k]
                starts = [s[0] for s in sp]
                for mm in rx.finditer(text, skip.get(k, 0)):
                    j = bisect.bisect_right(starts, mm.start())
                    if (j == 0 or sp[j - 1][1] <= mm.start()) and (j == len(sp) or mm.end() <= sp[j][0]):
                        sp.insert(j, (mm.start(), mm.end(), i))
                        self.placed[i] = True
                        break
                    self.budget -= 64
                    if self.budget <= 0:
                        break
                if self.placed[i] or self.budget <= 0:
                    break
            self.skipped.discard(i)

    def _emit(
        self, ch: list[Token], spans: Spans, link_cite: dict[int, int], pair: dict[int, tuple[int, str]],
        skip: dict[int, int],
    ) -> str:
        o: list[str] = []
        closers: list[str] = []
        k = 0
        while k < len(ch):
            c = ch[k]
            t = c.type
            if t == "text":
                o.append(self._spanned(c.content, spans.get(k, []), skip.get(k, 0), code=False))
            elif t == "code_inline":
                if k in pair:
                    i, tail = pair[k]
                    o.append(self.button(i, f"<code>{esc(c.content)}</code>{esc(tail)}"))
                else:
                    o.append("<code>" + self._spanned(c.content, spans.get(k, []), 0, code=True) + "</code>")
            elif t == "softbreak":
                o.append("\n")
            elif t == "hardbreak":
                o.append("<br>\n")
            elif t in ("em_open", "strong_open", "s_open", "em_close", "strong_close", "s_close"):
                o.append(f"<{'/' if t.endswith('_close') else ''}{c.tag}>")
            elif t == "link_open" and k in link_cite:
                # the whole link becomes the citation's button: its label, rendered, is the button's
                depth, j = 1, k + 1
                while j < len(ch) and depth:
                    depth += {"link_open": 1, "link_close": -1}.get(ch[j].type, 0)
                    j += 1
                inner = self._emit(ch[k + 1 : j - 1], {}, {}, {}, {})
                o.append(self.button(link_cite[k], inner or esc(self.cites[link_cite[k]].text)))
                k = j
                continue
            elif t == "link_open":
                href = safe_url(str(c.attrGet("href") or ""))
                if href:
                    title = c.attrGet("title")
                    tt = f' title="{esc(title)}"' if title else ""
                    o.append(f'<a href="{esc(href)}" rel="noopener noreferrer"{tt}>')
                    closers.append("</a>")
                else:
                    gone = esc(c.attrGet("href") or "")
                    o.append(f'<span class="dropped-link" title="link removed: {gone}">')
                    closers.append("</span>")
            elif t == "link_close":
                o.append(closers.pop() if closers else "")
            elif t == "image":
                alt = "".join(x.content for x in (c.children or [])) or c.content
                src = esc(c.attrGet("src") or "")
                o.append(f'<span class="img-alt" title="image not loaded: {src}">[image: {esc(alt)}]</span>')
            else:  # html_inline, text_special, anything new: its text, escaped
                o.append(esc(c.content))
            k += 1
        o.extend(reversed(closers))
        return "".join(o)

    def _spanned(self, text: str, sp: list[tuple[int, int, int]], start: int, code: bool) -> str:
        def plain(s: str) -> str:
            return esc(MARKER.sub("", s)) if not code and "annotate:" in s else esc(s)

        o: list[str] = []
        pos = start
        for a, b, i in sp:
            o.append(plain(text[pos:a]))
            o.append(self.button(i, esc(text[a:b])))
            pos = b
        o.append(plain(text[pos:]))
        return "".join(o)

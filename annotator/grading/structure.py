"""The Markdown structure of a notes file, read with a CommonMark parser (markdown-it-py).

Its block tokens carry source line maps: headings, paragraphs (and the lists that hold them), tables,
fenced and indented code, HTML blocks. Its inline tokens tell words apart from inline code, link
URLs, autolinks and HTML. Every line of the student's text becomes a `Line` (kind "prose",
"table" or "heading") with its paragraph and the headings it sits under; code, HTML blocks and
stub prompts are left out. Word counts come per line from the inline tokens.

markdown-it-py parses in time linear in its input, with nesting bounded by the preset's maxNesting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from annotator.grading.words import label_words, prose_words
from annotator.notes.markers import is_stub

_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.S)
# A paragraph opening `Q3:`, `Question 3.`, `Q1 & Q2 —` without bold is a lead-in too.
_PLAIN_LEAD = re.compile(
    r"[ \t]{0,3}((?:Q|Question|Answer)[ \t]{0,2}\d{1,2}(?:[ \t]{0,2}(?:&|and|/|,)[ \t]{0,2}Q?\d{1,2}){0,4}"
    r"(?:[ \t][^.:—–\n]{0,60})?[.:—–])"
)


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading: its 1-based line, level (1-6) and text as written (inline Markdown kept)."""

    line: int
    level: int
    text: str


@dataclass(frozen=True, slots=True)
class Scope:
    """The headings a line sits under, innermost first (`parent` is the enclosing scope)."""

    heading: Heading
    parent: Scope | None

    def chain(self) -> list[Heading]:
        """Outermost heading first."""
        out: list[Heading] = []
        s: Scope | None = self
        while s is not None:
            out.append(s.heading)
            s = s.parent
        return out[::-1]


@dataclass(frozen=True, slots=True)
class Line:
    """A line of the student's own text (never code, HTML blocks, stubs or generated blocks)."""

    no: int  # 1-based line number in the notes
    text: str  # HTML comments blanked with spaces (columns are kept)
    kind: str  # "prose" | "table" | "heading" | "reference" (a link reference definition)
    section: str  # marker key: slot key, the gen key for text after a generated block, "" before any
    para: int  # paragraph: a paragraph, a whole list (with the line introducing it), a table, a heading
    scope: Scope | None = None  # the headings above the line
    words: int = 0  # prose words on this line


@dataclass(frozen=True, slots=True)
class LeadIn:
    """A paragraph opening with bold text (`**Q1 — Page allocation.** The pool ...`)."""

    line: int
    label: str  # the bold text
    label_words: int  # words of the bold label (counted in `Line.words`, not the answer's prose)
    scope: Scope | None
    plain: bool = False  # no bold: an ordered list item whose only mark is its number (`1. The pool ...`)


@dataclass
class Structure:
    lines: list[Line] = field(default_factory=list)
    headings: list[tuple[Heading, Scope | None]] = field(default_factory=list)  # heading, its parent scope
    leadins: list[LeadIn] = field(default_factory=list)


_LEAVES = frozenset(
    {"paragraph_open", "heading_open", "table_open", "fence", "code_block", "html_block", "hr"}
)


_HTML_HEADING = re.compile(r"<h([1-6])(?:\s[^<>\n]{0,200})?>([^\n]{0,300}?)</h\1\s*>", re.I)
_TAG = re.compile(r"<[^<>\n]{0,200}>")


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table")


class _Builder:
    def __init__(self) -> None:
        self.out = Structure()
        self.para = 0
        self.stack: list[Scope] = []  # open heading scopes, outermost first

    def scope(self) -> Scope | None:
        return self.stack[-1] if self.stack else None

    def add(self, body: str, first: int, section: str) -> None:
        """Read one segment's body whose first line is line `first` of the notes."""
        raw = body.split("\n")
        tokens = _parser().parse(body)
        start_at = len(self.out.lines)
        covered = [False] * len(raw)
        item_number: str | None = None  # the number of the ordered list item whose first paragraph is next
        list_depth = 0
        list_para: int | None = None
        last_para_end: tuple[int, str] | None = None  # (end line index, last text line) of last paragraph
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            kind = tok.type
            if tok.map and kind in _LEAVES:
                covered[tok.map[0] : tok.map[1]] = [True] * (tok.map[1] - tok.map[0])
            if kind == "list_item_open":
                item_number = tok.info if tok.markup in (".", ")") and tok.info else None
            elif kind in ("bullet_list_open", "ordered_list_open"):
                if list_depth == 0:
                    intro = last_para_end
                    top = tok.map[0] if tok.map else -1
                    if intro is not None and (intro[0] == top or intro[1].endswith(":")):
                        list_para = self.para  # "In block_pool.py:" followed by a list: one paragraph
                        last_para_end = (top, intro[1])
                    else:
                        self.para += 1
                        list_para = self.para
                        last_para_end = (top, "")
                list_depth += 1
            elif kind in ("bullet_list_close", "ordered_list_close"):
                list_depth -= 1
                if list_depth == 0:
                    list_para = None
            elif kind == "heading_open" and tok.map:
                text = tokens[i + 1].content if i + 1 < len(tokens) else ""
                self._heading(int(tok.tag[1:]), text, first, tok.map, raw, section)
                last_para_end = None
            elif kind == "html_block" and tok.map and (h := _HTML_HEADING.fullmatch(tok.content.strip())):
                # `<h3>Q3. Copy-on-write</h3>` on a line of its own is a heading too
                self._heading(int(h[1]), _TAG.sub("", h[2]), first, tok.map, raw, section)
                last_para_end = None
            elif kind == "paragraph_open" and tok.map:
                inline = tokens[i + 1]
                start, end = tok.map
                # In a list, paragraphs on adjacent lines (a tight list) are one paragraph.
                if list_para is None or last_para_end is None or last_para_end[0] != start:
                    self.para += 1
                    if list_para is not None:
                        list_para = self.para
                para = list_para if list_para is not None else self.para
                words = _inline_words(inline)
                lead = _lead_in(inline)
                if lead is not None:
                    # In an ordered list, `1. **Page allocation.**` is labelled with its number.
                    label = f"{item_number}. {lead[0]}" if item_number else lead[0]
                    self.out.leadins.append(LeadIn(first + start, label, lead[1], self.scope()))
                elif item_number is not None:
                    label = f"{item_number}. {inline.content[:80]}"
                    self.out.leadins.append(LeadIn(first + start, label, 0, self.scope(), plain=True))
                item_number = None
                for k in range(start, end):
                    if is_stub(raw[k]):
                        continue
                    n = words[k - start] if k - start < len(words) else 0
                    self._line(first + k, raw[k], "prose", section, para, n)
                last_para_end = (end, raw[end - 1].rstrip())
            elif kind == "table_open" and tok.map:
                self.para += 1
                for k in range(tok.map[0], tok.map[1]):
                    self._line(first + k, raw[k], "table", section)
                last_para_end = None
            elif kind in ("fence", "code_block", "html_block", "hr"):
                last_para_end = None
            i += 1
        # Lines no block holds are blank, or link reference definitions: `[alloc]: https://...#L22`.
        refs = [k for k, held in enumerate(covered) if not held and raw[k].strip()]
        if refs:
            for k in refs:
                self.para += 1
                self._line(first + k, raw[k], "reference", section)
            self.out.lines[start_at:] = sorted(self.out.lines[start_at:], key=lambda ln: ln.no)

    def _heading(
        self, level: int, text: str, first: int, span: list[int], raw: list[str], section: str
    ) -> None:
        while self.stack and self.stack[-1].heading.level >= level:
            self.stack.pop()
        heading = Heading(first + span[0], level, text)
        self.out.headings.append((heading, self.scope()))
        self.stack.append(Scope(heading, self.scope()))
        self.para += 1
        for k in range(span[0], span[1]):
            self._line(first + k, raw[k], "heading", section)

    def _line(
        self, no: int, text: str, kind: str, section: str, para: int | None = None, words: int = 0
    ) -> None:
        if "<!--" in text:
            text = _COMMENT.sub(lambda m: " " * len(m[0]), text)
        para = self.para if para is None else para
        self.out.lines.append(Line(no, text, kind, section, para, self.scope(), words))


def _inline_words(inline: Token) -> list[int]:
    """Prose words per line of an inline token: text outside code spans, autolinks, HTML and images."""
    lines: list[list[str]] = [[]]
    autolink = 0
    for child in inline.children or ():
        t = child.type
        if t == "text" and not autolink:
            lines[-1].append(child.content)
        elif t in ("softbreak", "hardbreak"):
            lines.append([])
        elif t == "code_inline":
            lines[-1].append(" \x00 ")  # a code span separates words and is not one
        elif t == "link_open" and child.markup == "autolink":
            autolink += 1
        elif t == "link_close" and child.markup == "autolink":
            autolink -= 1
    return [prose_words("".join(parts)) for parts in lines]

_NUMBERED_LABEL = re.compile(r"[ \t]{0,3}(?:Q|Question|Answer)[ \t]{0,2}\.?[ \t]{0,2}\d{1,2}\b")


def _lead_in(inline: Token) -> tuple[str, int] | None:
    """The bold label a paragraph opens with (or a plain `Q3:` / `Question 3.`, or an italic
    `*Q3 — Title.*`), and its word count; None when it opens otherwise."""
    children = [c for c in inline.children or () if not (c.type == "text" and not c.content)]
    if children and children[0].type == "text":
        m = _PLAIN_LEAD.match(children[0].content)
        return (m[1], label_words(m[1])) if m is not None else None
    if not children or children[0].type not in ("strong_open", "em_open"):
        return None
    close = "strong_close" if children[0].type == "strong_open" else "em_close"
    label: list[str] = []
    for child in children[1:]:
        if child.type == close:
            text = "".join(label)
            if close == "em_close" and not _NUMBERED_LABEL.match(text):
                return None  # italics open many paragraphs; only `*Q3 — Title.*` is a lead-in
            return text, label_words(text)
        if child.type in ("text", "code_inline"):
            label.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            label.append(" ")
    return None


def read(parts: list[tuple[str, int, str]]) -> Structure:
    """The structure of the student's text: (body, first line, section key) per non-generated segment."""
    b = _Builder()
    for body, first, section in parts:
        b.add(body, first, section)
    return b.out

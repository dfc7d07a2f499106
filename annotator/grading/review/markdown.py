"""Notes Markdown parsed for the review page: markdown-it-py (CommonMark, tables, strikethrough) with
raw HTML off, so any HTML in the notes stays text; the page renders the token stream itself
(notes.py), never with markdown-it's HTML renderer.

Linear-time guards, all counting characters (never seconds), so output stays deterministic:
- a paragraph longer than MAX_INLINE is not parsed for inline Markdown, only shown as text;
- markdown-it-py spends about 20 µs on each `[`, `*` or `_`: a page parses at most INLINE_BUDGET of
  them (about 10 s); later paragraphs are text (real 5 MB notes hold about 65,000);
- past maxNesting markdown-it silently drops the rest of a container: `dropped_lines` finds those
  lines so the page shows them as text.
Line numbers agree with the checker's `str.splitlines()` (`checker_text`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

MAX_INLINE = 64 * 1024
INLINE_BUDGET = 500_000
MARKER = re.compile(r"<!-- ?/?annotate:[^<>\n]{0,400}? ?-->")
# What the skeleton itself writes that is not Markdown: its markers and the <details>/<summary> tags
# around evidence lists. They are removed (lines hold; blanking with spaces would indent the rest of a
# line into a code block); any other HTML stays text.
_SKELETON_MARKUP = re.compile(r"<!-- ?/?annotate:[^<>\n]{0,400}? ?-->|</?(?:details|summary)>")
LEAVES = frozenset({"inline", "inline_plain", "fence", "code_block", "hr", "html_block", "table_open"})
_REFDEF = re.compile(r"\s{0,3}(?:>\s?)*\[[^\]]{1,999}\]:\s")
_CONTAINER_MARKS = re.compile(r"^(?:\s{0,3}(?:>|[-*+]|\d{1,9}[.)])(?=\s|$))*")
_SAFE_URL = re.compile(r"(?:https?://[^\s\"'<>`\\]+|mailto:[^\s\"'<>`\\]+|#[^\s\"'<>`\\]*)", re.I)
# str.splitlines() (the checker's line count) also breaks lines at these; markdown-it only at \n, \r\n, \r.
_OTHER_BREAKS = re.compile("[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def safe_url(url: str | None) -> str | None:
    """The URL if it is http(s), mailto or a #fragment, else None (javascript:, data:, file:, //host)."""
    if not url or not _SAFE_URL.fullmatch(url):
        return None
    return url


def checker_text(text: str) -> str:
    """The notes with every line break the checker counts turned into \\n (CR LF and CR included)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _OTHER_BREAKS.sub("\n", text)


def shown_text(text: str) -> str:
    """The notes as the page parses them: the skeleton's markers and <details>/<summary> tags removed
    (a line holding only a marker becomes blank: as on GitHub, it is a block of its own)."""
    return _SKELETON_MARKUP.sub("", text) if "<" in text else text


def _guard_inline(state: StateCore) -> None:
    """Core rule before 'inline': a paragraph longer than MAX_INLINE, or past INLINE_BUDGET, becomes
    `inline_plain` text (its lines keep their softbreaks, so line numbers hold)."""
    budget = INLINE_BUDGET
    for tok in state.tokens:
        if tok.type != "inline":
            continue
        c = tok.content
        cost = c.count("[") + c.count("*") + c.count("_")
        if len(c) <= MAX_INLINE and cost <= budget:
            budget -= cost
            continue
        tok.type = "inline_plain"
        children: list[Token] = []
        for n, part in enumerate(c.split("\n")):
            if n:
                children.append(Token("softbreak", "br", 0))
            t = Token("text", "", 0)
            t.content = part
            children.append(t)
        tok.children = children
    state.env["plain_blocks"] = sum(t.type == "inline_plain" for t in state.tokens)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.core.ruler.before("inline", "review_guard_inline", _guard_inline)
    return md


def tokens(text: str, env: dict[str, object]) -> list[Token]:
    """The token stream of `text` (already through checker_text); env gets `plain_blocks`."""
    return _parser().parse(text, env)


def dropped_lines(toks: list[Token], lines: list[str]) -> list[tuple[int, int]]:
    """0-based [a, b) runs of lines no leaf block covers that hold more than container marks (what
    markdown-it dropped past its nesting limit); reference definitions are not dropped text."""
    covered = bytearray(len(lines) + 1)
    for t in toks:
        if t.type in LEAVES and t.map:
            covered[t.map[0] : t.map[1]] = b"\x01" * (t.map[1] - t.map[0])
    runs: list[tuple[int, int]] = []
    for n, line in enumerate(lines):
        if covered[n] or _REFDEF.match(line) or not _CONTAINER_MARKS.sub("", line).strip():
            continue
        if runs and runs[-1][1] == n:
            runs[-1] = (runs[-1][0], n + 1)
        else:
            runs.append((n, n + 1))
    return runs


def marker_only(tok: Token) -> bool:
    """An inline token holding nothing but `<!-- annotate:... -->` markers."""
    if "annotate:" not in tok.content:
        return False
    return all(
        c.type in ("softbreak", "hardbreak") or (c.type == "text" and not MARKER.sub("", c.content).strip())
        for c in tok.children or []
    )

"""Source code as HTML: cited vLLM lines and fenced blocks highlighted by Pygments, with line numbers.

Highlighting is bounded: a fence longer than MAX_FENCE_HIGHLIGHT characters, or past
MAX_HIGHLIGHT_TOTAL on a page, is shown as plain escaped text; a panel shows at most MAX_PANEL_LINES
lines (the permalink has the rest). Output is escaped by Pygments or html.escape, never raw.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from functools import lru_cache

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import CLexer, CppLexer, CudaLexer, PythonLexer, TextLexer, get_lexer_by_name
from pygments.util import ClassNotFound

MAX_PANEL_LINES = 400  # a citation of L1-L5000 shows its first 400 lines and a link for the rest
MAX_FENCE_HIGHLIGHT = 100_000  # characters of one fenced block given to Pygments; longer is plain
MAX_HIGHLIGHT_TOTAL = 1_000_000  # characters of fenced code highlighted per page; the rest is plain

_LEXERS: dict[str, type[Lexer]] = {
    ".py": PythonLexer,
    ".pyi": PythonLexer,
    ".cu": CudaLexer,
    ".cuh": CudaLexer,
    ".cc": CppLexer,
    ".cpp": CppLexer,
    ".hpp": CppLexer,
    ".h": CppLexer,
    ".c": CLexer,
}
_FORMATTER = HtmlFormatter(nowrap=True)
PYGMENTS_CSS: str = HtmlFormatter(style="friendly").get_style_defs(".hl")


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def _lexer_for_path(path: str | None) -> Lexer:
    ext = path[path.rfind(".") :].lower() if path and "." in path else ""
    lexer: Lexer = _LEXERS.get(ext, TextLexer)(stripnl=False, ensurenl=False, tabsize=0)
    return lexer


@lru_cache(maxsize=4096)
def highlight_lines(path: str | None, lines: tuple[str, ...]) -> tuple[str, ...]:
    """Each source line as highlighted HTML (spans closed per line); escaped plain text as fallback."""
    if not lines:
        return ()
    code = "\n".join(lines) + "\n"
    try:
        out = str(highlight(code, _lexer_for_path(path), _FORMATTER)).split("\n")
    except Exception:  # a lexer bug must not lose the page
        out = []
    if len(out) < len(lines) or any(out[len(lines) :]):
        return tuple(esc(x) for x in lines)
    return tuple(str(x) for x in out[: len(lines)])


def code_rows(start: int, hl: Sequence[str]) -> str:
    """Highlighted lines as rows, each with its line number (not selectable, so copying takes code only)."""
    width = len(str(start + max(len(hl) - 1, 0)))
    return "".join(
        f'<span class="row"><span class="ln">{str(start + i).rjust(width)}</span>'
        f'<span class="cl">{h or " "}</span></span>'
        for i, h in enumerate(hl)
    )


def code_block(path: str | None, start: int | None, lines: tuple[str, ...]) -> str:
    """The lines of a file from `start`, numbered; a note when there are none."""
    if not lines or start is None:
        return '<p class="pnone">No source lines: the cited lines do not exist at this commit.</p>'
    shown = lines[:MAX_PANEL_LINES]
    body = f'<pre class="hl">{code_rows(start, highlight_lines(path, shown))}</pre>'
    if len(lines) > len(shown):
        body += f'<p class="more">{len(lines) - len(shown)} more lines: follow the permalink.</p>'
    return body


class FenceHighlighter:
    """Highlights the fenced blocks of one page within the page's budget."""

    def __init__(self) -> None:
        self.budget = MAX_HIGHLIGHT_TOTAL

    def fence(self, info: str, body: str, cls: str) -> str:
        words = info.strip().split(maxsplit=1)
        lang = words[0].lower() if words else ""
        if lang == "mermaid":  # shown as code: no diagram library on an offline page
            label = '<span class="lang">mermaid</span>'
            return f'<pre class="code mermaid{cls}">{label}<code>{esc(body)}</code></pre>'
        out = None
        if lang and len(body) <= MAX_FENCE_HIGHLIGHT and self.budget >= len(body):
            try:
                lexer = get_lexer_by_name(lang, stripnl=False, ensurenl=False)
            except ClassNotFound:
                lexer = None
            if lexer is not None:
                out = str(highlight(body, lexer, _FORMATTER))
                self.budget -= len(body)
        label = f'<span class="lang">{esc(lang)}</span>' if lang else ""
        return f'<pre class="code hl{cls}">{label}<code>{out if out is not None else esc(body)}</code></pre>'

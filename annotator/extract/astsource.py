"""The source text behind a stdlib `ast` tree: node text as libcst would give it, and the comments.

`ast` gives positions (UTF-8 byte columns) but no parentheses and no comments; libcst, which the model
was first defined with, gives a node's text with its own parentheses, keeps comments, and does not visit
parameter lists, decorators and import statements. `Source` recovers what the `ast` reader
(extract/astvisitor.py) needs of that: the text of a node with the parentheses that wrap it, the
parameter text of a def, a trailing semicolon, whether a string is several literals side by side, and
the comments. One regular-expression pass finds the comments and string literals (a quarter of the
cost of `tokenize`, which would also name every other token); around a node, only blanks, line
continuations and comments are skipped, so nothing else needs a token. The file has parsed with `ast`
before this runs, so every literal is well formed.
"""

from __future__ import annotations

import ast
import io
import re
import sys
import tokenize
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

# A comment, or the opening quote(s) of a string literal (its prefix letters do not matter here)
_SCAN = re.compile(r"#[^\r\n]*|'''|\"\"\"|'|\"")
_CLOSE = {
    "'''": re.compile(r"[^'\\]*(?:(?:\\.|'(?!''))[^'\\]*)*'''", re.S),
    '"""': re.compile(r'[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*"""', re.S),
    "'": re.compile(r"[^'\\\n]*(?:\\.[^'\\\n]*)*'", re.S),
    '"': re.compile(r'[^"\\\n]*(?:\\.[^"\\\n]*)*"', re.S),
}
_BLANK = " \t\f\r\n"
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_BRACKETS = re.compile(r"[()\[\]{}#'\"]")


class SourceError(ValueError):
    """The text is not what a file `ast` parsed can be (the reader then falls back to libcst)."""


@dataclass(frozen=True, slots=True)
class Comment:
    line: int
    offset: int  # of the "#" in the text
    text: str


def _scan_regex(text: str, offsets: list[int]) -> tuple[list[Comment], dict[int, int]]:
    """Comments, and string literals (opening quote -> end), with one regular expression: exact for the
    grammar before Python 3.12, where an f-string cannot hold its own quote."""
    comments: list[Comment] = []
    strings: dict[int, int] = {}
    pos = 0
    while (m := _SCAN.search(text, pos)) is not None:
        found = m.group()
        if found[0] == "#":
            comments.append(Comment(bisect_right(offsets, m.start()), m.start(), found))
            pos = m.end()
        else:
            close = _CLOSE[found].match(text, m.end())
            if close is None:
                raise SourceError("unterminated string")
            strings[m.start()] = pos = close.end()
    return comments, strings


def _scan_tokens(text: str, offsets: list[int]) -> tuple[list[Comment], dict[int, int]]:
    """The same from `tokenize`, for Python 3.12 and later: an f-string may nest its own quotes there
    (PEP 701), and tokenize is the C tokenizer, fast enough."""
    comments: list[Comment] = []
    strings: dict[int, int] = {}
    opened: list[int] = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            at = offsets[tok.start[0] - 1] + tok.start[1]
            if tok.type == tokenize.COMMENT:
                comments.append(Comment(tok.start[0], at, tok.string))
            elif tok.type == tokenize.STRING or tok.type == _FSTRING_START:
                quote = at + len(tok.string) - len(tok.string.lstrip("rRbBuUfFtT"))
                if tok.type == tokenize.STRING:
                    strings[quote] = offsets[tok.end[0] - 1] + tok.end[1]
                else:
                    opened.append(quote)
            elif tok.type == _FSTRING_END and opened:
                strings[opened.pop()] = offsets[tok.end[0] - 1] + tok.end[1]
    except (tokenize.TokenError, SyntaxError) as exc:
        raise SourceError(str(exc)) from None
    return comments, strings


_FSTRING_START = getattr(tokenize, "FSTRING_START", -1)
_FSTRING_END = getattr(tokenize, "FSTRING_END", -1)
_scan = _scan_tokens if sys.version_info >= (3, 12) else _scan_regex


class Source:
    """Text, comments and string literals of one module (lines split on "\\n" only)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = text.split("\n")
        self._offsets = [0]
        for line in self.lines:
            self._offsets.append(self._offsets[-1] + len(line) + 1)
        self.comments, self._string_end = _scan(text, self._offsets)
        self._strings = sorted(self._string_end)  # offsets where string literals start (their quote)
        self._comment_at = {c.line: c.offset for c in self.comments}
        self._comment_lines = [c.line for c in self.comments]

    # -- positions -----------------------------------------------------------------------------
    def offset(self, line: int, byte_col: int) -> int:
        """The text offset of an `ast` position (a line and a UTF-8 byte column)."""
        text = self.lines[line - 1]
        col = byte_col if text.isascii() else len(text.encode("utf-8")[:byte_col].decode("utf-8", "replace"))
        return self._offsets[line - 1] + col

    def span(self, node: ast.AST) -> tuple[int, int]:
        """Start and end offsets of a node, as `ast` has them (without wrapping parentheses)."""
        return (
            self.offset(node.lineno, node.col_offset),  # type: ignore[attr-defined]
            self.offset(node.end_lineno, node.end_col_offset),  # type: ignore[attr-defined]
        )

    # -- node text -----------------------------------------------------------------------------
    def code(self, node: ast.AST, parens: bool = True, stop: int = -1) -> str:
        """The node's text; with `parens`, with the parentheses that wrap it (as libcst's code has),
        short of the one at offset `stop` (a class's own parenthesis around its first base)."""
        start, end = self.extent(node, stop) if parens else self.span(node)
        return self.text[start:end]

    def extent(self, node: ast.AST, stop: int = -1) -> tuple[int, int]:
        """The node's offsets with the parentheses that wrap it, short of the one at `stop`."""
        start, end = self.span(node)
        while True:
            before, after = self._before(start), self._after(end)
            if before < 0 or before == stop or after >= len(self.text):
                return start, end
            if self.text[before] != "(" or self.text[after] != ")":
                return start, end
            start, end = before, after + 1

    def line_of(self, offset: int) -> int:
        return bisect_right(self._offsets, offset)

    def lambda_parameters(self, node: ast.Lambda) -> tuple[int, int] | None:
        """Where a lambda's parameters lie: the first one's start to the colon; None without any."""
        args = node.args
        parts: list[ast.AST] = [*args.posonlyargs, *args.args, *args.kwonlyargs, *args.defaults]
        parts += [d for d in args.kw_defaults if d is not None]
        parts += [a for a in (args.vararg, args.kwarg) if a is not None]
        if not parts:
            return None
        first = min(self.span(p)[0] for p in parts)
        colon = max(self.extent(p)[1] for p in parts)
        while (colon := self._after(colon)) < len(self.text) and self.text[colon] in ",/*":
            colon += 1
        return first, colon

    def identifiers_as_written(self) -> bool:
        """No identifier changes under NFKC, which `ast` applies to names (`ﬁeld` -> `field`) and libcst
        does not; letters in strings and comments do not matter."""
        for m in _NON_ASCII.finditer(self.text):
            if not unicodedata.is_normalized("NFKC", m.group()) and not self._in_literal(m.start()):
                return False
        return True

    def _in_literal(self, pos: int) -> bool:
        i = bisect_right(self._strings, pos) - 1
        if i >= 0 and pos < self._string_end[self._strings[i]]:
            return True
        comment = self._comment_at.get(self.line_of(pos))
        return comment is not None and comment <= pos

    def statement(self, node: ast.stmt) -> str:
        """A small statement's text, with the semicolon that follows it (libcst counts it in)."""
        start, end = self.span(node)
        after = self._after(end)
        if after < len(self.text) and self.text[after] == ";":
            end = after + 1
        return self.text[start:end]

    def parameters(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[str, int, int]:
        """A def's parameter text (first parameter to the closing parenthesis) and its offsets."""
        start = self.offset(node.lineno, node.col_offset)
        opening = self.text.index("(", start)
        close = self._matching(opening)
        first = min(self._after(opening + 1), close)
        return self.text[first:close], first, close

    def comments_in(self, first: int, last: int) -> list[Comment]:
        """Comments on lines first..last."""
        lines = self._comment_lines
        return self.comments[bisect_left(lines, first) : bisect_right(lines, last)]

    def concatenated(self, node: ast.AST) -> bool:
        """Several string literals side by side (`"a" f"{b}"`), which libcst calls a ConcatenatedString."""
        start, end = self.span(node)
        count, outer_end = 0, -1
        for at in self._strings[bisect_left(self._strings, start) : bisect_left(self._strings, end)]:
            if at >= outer_end:  # not a literal inside an f-string's braces (Python 3.12+)
                count, outer_end = count + 1, self._string_end[at]
        return count > 1

    def _matching(self, opening: int) -> int:
        """The offset of the parenthesis closing the one at `opening` (strings and comments skipped)."""
        depth, pos = 0, opening
        while (m := _BRACKETS.search(self.text, pos)) is not None:
            ch, pos = m.group(), m.end()
            if ch in "'\"":
                pos = self._string_end.get(m.start(), pos)
            elif ch == "#":
                newline = self.text.find("\n", pos)
                pos = len(self.text) if newline < 0 else newline
            elif ch in "([{":
                depth += 1
            else:
                depth -= 1
                if depth == 0:
                    return m.start()
        raise SourceError("unbalanced parentheses")

    # -- blanks --------------------------------------------------------------------------------
    def _before(self, pos: int) -> int:
        """The offset of the last character before `pos` that is not a blank, a line continuation or
        part of a comment; -1 if there is none."""
        text, i = self.text, pos - 1
        line = bisect_right(self._offsets, pos) if pos < len(text) else len(self.lines)
        while i >= 0:
            ch = text[i]
            if ch == "\n":
                line -= 1
                comment = self._comment_at.get(line)
                i = comment - 1 if comment is not None else i - 1
            elif ch in _BLANK or (ch == "\\" and text[i + 1 : i + 2] in ("\n", "\r")):
                i -= 1
            else:
                return i
        return -1

    def _after(self, pos: int) -> int:
        """The offset of the first character from `pos` that is not a blank, a line continuation or a
        comment; len(text) if there is none."""
        text, i, n = self.text, pos, len(self.text)
        while i < n:
            ch = text[i]
            if ch in _BLANK or (ch == "\\" and text[i + 1 : i + 2] in ("\n", "\r")):
                i += 1
            elif ch == "#":
                newline = text.find("\n", i)
                i = n if newline < 0 else newline
            else:
                return i
        return n

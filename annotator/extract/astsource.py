"""The source text behind a stdlib `ast` tree: node text as libcst would give it, tokens and comments.

`ast` gives positions (UTF-8 byte columns) but no parentheses and no comments; libcst, which the model
was first defined with, gives a node's text with its own parentheses, keeps comments, and does not visit
parameter lists, decorators and import statements. `Source` recovers what the `ast` reader
(extract/astvisitor.py) needs of that from one `tokenize` pass: text spans, the parentheses that wrap a
node, the parameter text of a def, a trailing semicolon, and the comments libcst would visit.
"""

from __future__ import annotations

import ast
import io
import token
import tokenize
from bisect import bisect_left
from dataclasses import dataclass

_Pos = tuple[int, int]
_SKIPPED = frozenset((token.COMMENT, token.NL, token.NEWLINE, token.INDENT, token.DEDENT, token.ENDMARKER))
_OPEN = {"(": ")", "[": "]", "{": "}"}


@dataclass(frozen=True, slots=True)
class Comment:
    line: int
    col: int
    text: str


class Source:
    """Text, significant tokens and comments of one module (lines split on "\\n" only)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = text.split("\n")
        self._offsets = [0]
        for line in self.lines:
            self._offsets.append(self._offsets[-1] + len(line) + 1)
        self.tokens: list[tokenize.TokenInfo] = []
        self.comments: list[Comment] = []
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type == token.COMMENT:
                self.comments.append(Comment(tok.start[0], tok.start[1], tok.string))
            elif tok.type not in _SKIPPED:
                self.tokens.append(tok)
        self._starts = {tok.start: i for i, tok in enumerate(self.tokens)}
        self._ends = {tok.end: i for i, tok in enumerate(self.tokens)}
        self._match = _brackets(self.tokens)
        self._comment_keys = [(c.line, c.col) for c in self.comments]

    # -- positions -----------------------------------------------------------------------------
    def col(self, line: int, byte_col: int) -> int:
        """A character column from an `ast` byte column."""
        text = self.lines[line - 1]
        return byte_col if text.isascii() else len(text.encode("utf-8")[:byte_col].decode("utf-8", "replace"))

    def start(self, node: ast.AST) -> tuple[int, int]:
        line: int = node.lineno  # type: ignore[attr-defined]
        return line, self.col(line, node.col_offset)  # type: ignore[attr-defined]

    def end(self, node: ast.AST) -> tuple[int, int]:
        line: int = node.end_lineno  # type: ignore[attr-defined]
        return line, self.col(line, node.end_col_offset)  # type: ignore[attr-defined]

    def between(self, start: tuple[int, int], end: tuple[int, int]) -> str:
        return self.text[self._offsets[start[0] - 1] + start[1] : self._offsets[end[0] - 1] + end[1]]

    # -- node text -----------------------------------------------------------------------------
    def code(self, node: ast.AST, parens: bool = True) -> str:
        """The node's text; with `parens`, with the parentheses that wrap it (as libcst's code has)."""
        start, end = self.start(node), self.end(node)
        if parens:
            first, last = self._starts.get(start), self._ends.get(end)
            while (
                first is not None
                and last is not None
                and first > 0
                and last + 1 < len(self.tokens)
                and self.tokens[first - 1].string == "("
                and self._match.get(first - 1) == last + 1
            ):
                first, last = first - 1, last + 1
                start, end = self.tokens[first].start, self.tokens[last].end
        return self.between(start, end)

    def statement(self, node: ast.stmt) -> str:
        """A small statement's text, with the semicolon that follows it (libcst counts it in)."""
        start, end = self.start(node), self.end(node)
        last = self._ends.get(end)
        if last is not None and last + 1 < len(self.tokens) and self.tokens[last + 1].string == ";":
            end = self.tokens[last + 1].end
        return self.between(start, end)

    def parameters(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[str, _Pos, _Pos]:
        """A def's parameter text (first parameter to the closing parenthesis) and where it lies."""
        i = self._starts[self.start(node)]
        while self.tokens[i].string != "(":
            i += 1
        close = self._match[i]
        first = self.tokens[i + 1].start
        close_at = self.tokens[close].start
        return self.between(first, close_at), first, close_at

    def comments_in(self, first: int, last: int) -> list[Comment]:
        """Comments on lines first..last."""
        lo = bisect_left(self._comment_keys, (first, 0))
        hi = bisect_left(self._comment_keys, (last + 1, 0))
        return self.comments[lo:hi]

    def concatenated(self, node: ast.AST) -> bool:
        """Several string literals side by side (`"a" f"{b}"`), which libcst calls a ConcatenatedString."""
        first, last = self._starts.get(self.start(node)), self._ends.get(self.end(node))
        if first is None or last is None:
            return False
        return sum(1 for tok in self.tokens[first : last + 1] if tok.type == token.STRING) > 1 or any(
            tok.type == getattr(token, "FSTRING_START", -1) for tok in self.tokens[first + 1 : last + 1]
        )


def _brackets(tokens: list[tokenize.TokenInfo]) -> dict[int, int]:
    """Index of each opening bracket -> index of its closing one."""
    stack: list[int] = []
    match: dict[int, int] = {}
    for i, tok in enumerate(tokens):
        if tok.type != token.OP:
            continue
        if tok.string in _OPEN:
            stack.append(i)
        elif tok.string in (")", "]", "}") and stack:
            match[stack.pop()] = i
    return match

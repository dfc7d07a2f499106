"""Rewrite a source file so that every shape a reader must handle appears everywhere at once.

`with_comments` puts a comment after every opening bracket and comma inside brackets and at the end of
every line; `with_parentheses` wraps every expression that may be parenthesized in parentheses;
`with_backslashes` continues every line with a backslash between any two of its tokens. The program
means the same, so the two extraction readers must still agree (tests/test_reader_equivalence.py).
Places where the readers are known to differ are left alone (see the known differences there).
"""

from __future__ import annotations

import ast
import functools
import io
import itertools
import token
import tokenize
from collections.abc import Callable, Iterator

# Expressions that keep their meaning (and stay valid Python) inside parentheses, wherever they occur
# outside the places `_unwrappable` lists.
_WRAP = (
    ast.Name,
    ast.Attribute,
    ast.Call,
    ast.Subscript,
    ast.Constant,
    ast.BinOp,
    ast.BoolOp,
    ast.UnaryOp,
    ast.Compare,
    ast.IfExp,
    ast.List,
    ast.Dict,
    ast.Set,
    ast.ListComp,
    ast.DictComp,
    ast.SetComp,
    ast.Await,
    ast.Lambda,
)


class _Text:
    """Text offsets of `ast` positions (lines split on "\\n"; UTF-8 byte columns)."""

    def __init__(self, text: str) -> None:
        self.lines = text.split("\n")
        self.starts = [0]
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line) + 1)

    def at(self, line: int, byte_col: int) -> int:
        row = self.lines[line - 1]
        return self.starts[line - 1] + len(row.encode("utf-8")[:byte_col].decode("utf-8", "replace"))


Edit = tuple[int, int, int, str]  # offset, group, rank (lower first at one offset), inserted text


def _insert(text: str, edits: list[Edit]) -> str:
    out, last = [], 0
    for offset, _, _, string in sorted(edits):
        out.append(text[last:offset])
        out.append(string)
        last = offset
    out.append(text[last:])
    return "".join(out)


def _lambda_spans(tree: ast.AST, where: _Text) -> list[tuple[int, int]]:
    """Where lambdas' parameter lists lie (a known difference between the readers: not exercised here)."""
    return [
        (where.at(n.lineno, n.col_offset), where.at(n.body.lineno, n.body.col_offset))
        for n in ast.walk(tree)
        if isinstance(n, ast.Lambda)
    ]


def _keep_bom(mutate: Callable[[str], str]) -> Callable[[str], str]:
    """Rewrite the text after a byte order mark (which `ast` and `tokenize` do not take) and keep it."""

    @functools.wraps(mutate)
    def wrapper(text: str) -> str:
        bom = "\ufeff" if text.startswith("\ufeff") else ""
        return bom + mutate(text.removeprefix(bom))

    return wrapper


@_keep_bom
def with_comments(text: str) -> str:
    """A comment after each `(`, `[`, `{` and `,` inside brackets, and one at the end of every line."""
    where = _Text(text)
    starts = where.starts
    skip = _lambda_spans(ast.parse(text), where)
    edits: list[Edit] = []
    depth = 0
    in_fstring = 0
    tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    for i, tok in enumerate(tokens):
        kind = tok.type
        if kind == getattr(token, "FSTRING_START", -1):
            in_fstring += 1
        elif kind == getattr(token, "FSTRING_END", -1):
            in_fstring -= 1
        if in_fstring:
            continue
        at = starts[tok.end[0] - 1] + tok.end[1]
        if kind == token.OP and tok.string in "([{":
            depth += 1
        elif kind == token.OP and tok.string in ")]}":
            depth -= 1
        if kind == token.OP and depth > 0 and tok.string in ("(", "[", "{", ","):
            nxt = tokens[i + 1]
            opens_decorator = tok.string == "(" and i > 0 and tokens[i - 1].string == "@"
            if nxt.type != token.COMMENT and not opens_decorator and not any(a <= at < b for a, b in skip):
                edits.append((at, 0, 0, f"  # c{len(edits)}\n"))
        elif kind in (token.NEWLINE, token.NL) and i and tokens[i - 1].type != token.COMMENT and tok.string:
            start = starts[tok.start[0] - 1] + tok.start[1]
            if not any(a <= start < b for a, b in skip):
                edits.append((start, 0, 0, f"  # t{len(edits)}"))
    return _insert(text, edits)


def _unwrappable(tree: ast.AST) -> set[int]:
    """Expressions that must stay bare: assignment-expression, annotated-assignment and match-pattern
    targets, class bases (a known difference), starred items, f-string parts and decorators."""
    out: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.NamedExpr):
            out.add(id(node.target))
        elif isinstance(node, ast.AnnAssign):  # `(self).x: int` is not Python; libcst rejects `(x): int`
            out.update(id(n) for n in ast.walk(node.target))
        elif isinstance(node, ast.ClassDef):
            out.update(id(b) for b in node.bases)
            out.update(id(d) for d in node.decorator_list)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            out.update(id(d) for d in node.decorator_list)
        elif isinstance(node, (ast.pattern, ast.JoinedStr)):
            out.update(id(n) for n in ast.walk(node))
        elif isinstance(node, ast.Starred):
            out.add(id(node.value))
        elif isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Tuple):
            out.add(id(node.slice))
    return out


def _wrappable(tree: ast.AST) -> Iterator[ast.expr]:
    skip = _unwrappable(tree)
    for node in ast.walk(tree):
        if isinstance(node, _WRAP) and id(node) not in skip:
            yield node


@_keep_bom
def with_parentheses(text: str) -> str:
    """Every expression that may be, wrapped in parentheses (outer ones first at one place)."""
    where = _Text(text)
    edits: list[Edit] = []
    for node in _wrappable(ast.parse(text)):
        start = where.at(node.lineno, node.col_offset)
        end = where.at(node.end_lineno or node.lineno, node.end_col_offset or 0)
        # at one offset: closings first (inner before outer), then openings (outer before inner)
        edits.append((start, 1, start - end, "("))
        edits.append((end, 0, end - start, ")"))
    return _insert(text, edits)


# Tokens after which no backslash continuation is put: known differences (the def/class name line;
# the whitespace libcst visits after `del`'s and `as`'s target; a semicolon's whitespace, before or after)
_NO_BACKSLASH_AFTER = frozenset(("def", "class", "async", "del", "as", ";"))
_LINE_END = frozenset((token.NEWLINE, token.NL, token.COMMENT, token.INDENT, token.DEDENT, token.ENDMARKER))


@_keep_bom
def with_backslashes(text: str) -> str:
    """A backslash continuation between every two tokens of a line, outside strings and comments.

    Not before an except clause's colon either: libcst drops the continuation there (a known difference).
    """
    where = _Text(text)
    tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    edits: list[Edit] = []
    in_fstring = depth = 0
    in_except = False  # between `except` and its colon
    for tok, nxt in itertools.pairwise(tokens):
        if tok.type == getattr(token, "FSTRING_START", -1):
            in_fstring += 1
        elif tok.type == getattr(token, "FSTRING_END", -1):
            in_fstring -= 1
        elif tok.type == token.OP and tok.string in "([{":
            depth += 1
        elif tok.type == token.OP and tok.string in ")]}":
            depth -= 1
        if tok.type == token.NAME and tok.string == "except":
            in_except = True
        elif tok.string == ":" and depth == 0:
            in_except = False
        if in_fstring or tok.type in _LINE_END or nxt.type in _LINE_END or tok.end[0] != nxt.start[0]:
            continue
        if (
            tok.string in _NO_BACKSLASH_AFTER
            or nxt.string == ";"
            or (nxt.string == ":" and in_except and depth == 0)
        ):
            continue
        edits.append((where.starts[tok.end[0] - 1] + tok.end[1], 0, 0, " \\\n"))
    return _insert(text, edits)

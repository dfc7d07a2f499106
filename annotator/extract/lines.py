"""Line numbers for the extraction visitor: from libcst's PositionProvider, or counted while visiting.

PositionProvider runs a whole code-generation pass over the module to record a position for every
node: about half the cost of extracting a file. `CountedLines` gets the same line numbers during
the visit the collector makes anyway, by counting the newlines of the whitespace and string nodes
in visiting order (libcst visits children in source order, and every newline of the source lives
in a Newline node, in a line continuation of a SimpleWhitespace, or inside a string). The two agree
on every fixture file and on every file of four real commits (tests/test_extract.py and
tests/test_real_extract.py); the libcst reader counts, PositionProvider is the tests' reference.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

import libcst as cst
from libcst.metadata import CodeRange

# Where counted lines go wrong (tests/test_reader_equivalence.py names each): lone carriage returns, and a
# backslash continuation right after `class`, `def`, `async`, `del`, `as` or `;`.
_COUNTING_MISSES = re.compile(r"\r(?!\n)|(?:\b(?:class|def|async|del|as)|;)[ \t]*\\\r?\n")


def counting_misses(text: str) -> bool:
    """The text has a layout CountedLines gets wrong (PositionProvider must read it)."""
    return _COUNTING_MISSES.search(text) is not None


class PositionLines:
    """Lines from a resolved PositionProvider mapping."""

    def __init__(self, positions: Mapping[cst.CSTNode, CodeRange]) -> None:
        self._positions = positions

    def entered(self, node: cst.CSTNode) -> None:
        pass

    def skipped(self, node: cst.CSTNode, code: Callable[[cst.CSTNode], str]) -> None:
        pass

    def left(self, node: cst.CSTNode) -> None:
        pass

    def start(self, node: cst.CSTNode) -> int:
        return self._positions[node].start.line

    def end(self, node: cst.CSTNode) -> int:
        return self._positions[node].end.line

    def def_span(self, node: cst.FunctionDef | cst.ClassDef) -> tuple[int, int]:
        pos = self._positions[node]
        return pos.start.line, pos.end.line


class CountedLines:
    """Lines counted during the visit itself (no extra pass over the module)."""

    _COUNTED = (cst.SimpleWhitespace, cst.SimpleString, cst.FormattedStringText)

    def __init__(self) -> None:
        self._line = 1
        self._starts: dict[int, int] = {}
        self._ends: dict[int, int] = {}
        self._last_statement_end = 0
        self._pending = 0  # newlines of a parenthesized string, counted once its `(` are behind

    def entered(self, node: cst.CSTNode) -> None:
        kind = type(node)
        if self._pending and kind is cst.RightParen:
            self._line, self._pending = self._line + self._pending, 0
        self._starts[id(node)] = self._line
        if kind is cst.Newline:
            self._line += 1
        elif kind is cst.SimpleString and node.lpar:  # type: ignore[attr-defined]
            self._pending = node.value.count("\n")  # type: ignore[attr-defined]
        elif kind in self._COUNTED:
            self._line += node.value.count("\n")  # type: ignore[attr-defined]

    def skipped(self, node: cst.CSTNode, code: Callable[[cst.CSTNode], str]) -> None:
        """A subtree the visitor does not enter: count its newlines from its text."""
        self._line += code(node).count("\n")

    def left(self, node: cst.CSTNode) -> None:
        self._ends[id(node)] = self._line
        if type(node) in _SMALL_STATEMENTS:  # not isinstance: ABC checks cost, once per node
            self._last_statement_end = self._line

    def start(self, node: cst.CSTNode) -> int:
        """The line of the node's first token; parentheses around it do not count (as in ast)."""
        lpar = getattr(node, "lpar", None)
        return self._ends[id(lpar[-1])] if lpar else self._starts[id(node)]

    def end(self, node: cst.CSTNode) -> int:
        rpar = getattr(node, "rpar", None)
        return self._starts[id(rpar[0])] if rpar else self._ends[id(node)]

    def def_span(self, node: cst.FunctionDef | cst.ClassDef) -> tuple[int, int]:
        """Valid when the def is left: from its name's line to its last statement's last line."""
        return self._starts[id(node.name)], self._last_statement_end


def _concrete(base: type) -> frozenset[type]:
    found: set[type] = set()
    todo: list[type] = [base]
    while todo:
        subs: list[type] = todo.pop().__subclasses__()
        for sub in subs:
            found.add(sub)
            todo.append(sub)
    return frozenset(found)


_SMALL_STATEMENTS = _concrete(cst.BaseSmallStatement)

Lines = PositionLines | CountedLines

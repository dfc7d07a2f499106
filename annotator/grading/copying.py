"""Verbatim copying: runs of more than 5 consecutive non-blank lines of a vLLM file inside the notes.

Every window of WINDOW (6) consecutive non-blank, whitespace-normalised lines of every file is
hashed once per commit (CopyIndex); a notes file is then scanned in one pass over its own
non-blank lines, whatever Markdown surrounds them (code fences, block quotes, prose).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from annotator.grading.prose import first_body_line
from annotator.notes.markers import Segment, parse

WINDOW = 6  # "more than 5 lines"


@dataclass(frozen=True, slots=True)
class Copy:
    """Notes lines notes_start..notes_end reproduce path:start..end (vLLM line numbers)."""

    notes_start: int
    notes_end: int
    path: str
    start: int
    end: int
    lines: int  # non-blank lines copied


@dataclass(frozen=True, slots=True)
class CopyIndex:
    windows: dict[bytes, tuple[str, int]]  # digest -> (path, index of the window's first non-blank line)
    numbers: dict[str, tuple[int, ...]]  # path -> line numbers of its non-blank lines


def normalise(line: str) -> str:
    """A line with block-quote markers and all whitespace removed ("" for a blank line)."""
    return "".join(line.lstrip(" \t>").split())


def _digest(lines: Sequence[str]) -> bytes:
    return hashlib.blake2b("\n".join(lines).encode("utf-8", "surrogatepass"), digest_size=16).digest()


def build_index(files: Iterable[tuple[str, str]]) -> CopyIndex:
    """Hash every window of WINDOW non-blank lines of each (path, text); the first place wins."""
    windows: dict[bytes, tuple[str, int]] = {}
    numbers: dict[str, tuple[int, ...]] = {}
    for path, text in sorted(files):
        pairs = ((no, normalise(raw)) for no, raw in enumerate(text.splitlines(), 1))
        kept = [(no, n) for no, n in pairs if n]
        numbers[path] = tuple(no for no, _ in kept)
        norm = [n for _, n in kept]
        for k in range(len(norm) - WINDOW + 1):
            windows.setdefault(_digest(norm[k : k + WINDOW]), (path, k))
    return CopyIndex(windows, numbers)


def notes_lines(text: str, segments: list[Segment] | None = None) -> list[tuple[int, str]]:
    """(line number, normalised text) of the notes' non-blank lines outside untouched generated blocks."""
    skip: set[int] = set()
    for seg in parse(text) if segments is None else segments:
        if seg.kind == "gen" and not seg.edited:
            first = first_body_line(seg)
            skip.update(range(seg.line, first + len(seg.body.splitlines()) + 1))
    out = []
    for no, raw in enumerate(text.splitlines(), 1):
        if no in skip:
            continue
        n = normalise(raw)
        if n:
            out.append((no, n))
    return out


def find_copies(lines: Sequence[tuple[int, str]], index: CopyIndex) -> list[Copy]:
    """Maximal runs of notes lines whose every WINDOW-line window is a window of some file."""
    found: list[Copy] = []
    run: list[int] = []  # [notes window start k, notes window end k, path index start, path index end]
    run_path = ""
    norm = [n for _, n in lines]
    for k in range(len(norm) - WINDOW + 1):
        hit = index.windows.get(_digest(norm[k : k + WINDOW]))
        if hit is None:
            continue
        path, at = hit
        if run and run[1] == k - 1:
            run[1] = k
            if path == run_path and at == run[3] + 1:
                run[3] = at
            continue
        if run:
            found.append(_copy(lines, index, run, run_path))
        run, run_path = [k, k, at, at], path
    if run:
        found.append(_copy(lines, index, run, run_path))
    return found


def _copy(lines: Sequence[tuple[int, str]], index: CopyIndex, run: list[int], path: str) -> Copy:
    first, last, at, at_end = run
    numbers = index.numbers[path]
    return Copy(
        notes_start=lines[first][0],
        notes_end=lines[last + WINDOW - 1][0],
        path=path,
        start=numbers[at],
        end=numbers[at_end + WINDOW - 1],
        lines=last - first + WINDOW,
    )

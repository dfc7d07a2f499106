"""Check a notes file against the lab's stop conditions at its commit: findings only, no printing.

Finding codes are stable (README "Graders: check and cite"); graders assert on codes, not wording.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from annotator.grading.citecheck import MAX_CHECKED, Placed, check_placed, place
from annotator.grading.copying import CopyIndex, build_index, find_copies, notes_lines
from annotator.grading.prose import Line, first_body_line, prose_words, student_lines
from annotator.model import CommitModel
from annotator.notes.markers import Segment, parse
from annotator.resolve.lookup import Symbol, by_file, symbols
from annotator.snapshot.files import Snapshot

MIN_WORDS = 1500  # the student's own prose, whole file
MIN_ANSWER_WORDS = 20  # per question answer and for the closing paragraph
QUESTIONS = (1, 2, 3, 4, 5)
MAX_PER_CODE = 25  # findings listed per code and file; the rest are counted in one more finding
HEADER_SCAN_LINES = 200  # without a header block, the commit is looked for in the first lines
_SHA = re.compile(r"(?<![0-9a-f])[0-9a-f]{40}(?![0-9a-f])")
_Q_KEY = re.compile(r"q:(\d{1,4})")
_Emit = Callable[[str, "int | None", str], None]


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem: a stable code, the notes file, the 1-based line (None: the whole file), a message."""

    code: str
    path: str
    line: int | None
    message: str


@dataclass(frozen=True, slots=True)
class Report:
    sha: str | None  # the commit the notes name (header, else manifest.json)
    words: int  # words of the student's own prose
    citations: int  # line citations found
    answered: int  # questions with enough prose and at least one line citation
    findings: tuple[Finding, ...]


def notes_commit(text: str, segments: list[Segment] | None = None) -> tuple[str | None, int | None]:
    """The commit a notes file names, and its line.

    The first line of the `header` generated block (edited or not) that contains the word "commit"
    and a 40-hex SHA; without a header block, the first such line among the file's first 200 lines.
    """
    segments = parse(text) if segments is None else segments
    header = next((s for s in segments if s.kind == "gen" and s.key == "header"), None)
    if header is not None:
        first, body = first_body_line(header), header.body.splitlines()
    else:
        first, body = 1, text.splitlines()[:HEADER_SCAN_LINES]
    for offset, line in enumerate(body):
        line = line[:2000]
        m = _SHA.search(line) if "commit" in line.lower() else None
        if m is not None:
            return m[0], first + offset
    return None, None


def manifest_sha(manifest: dict[str, Any]) -> str | None:
    sha = manifest.get("sha")
    return sha if isinstance(sha, str) and _SHA.fullmatch(sha) else None


def check_notes(
    text: str,
    notes_path: str,
    snap: Snapshot | None,
    model: CommitModel | None,
    manifest: dict[str, Any] | None,
) -> list[Finding]:
    """Findings for one notes file; snap/model are of the commit it is checked at (None: unknown)."""
    return list(inspect_notes(text, notes_path, snap, model, manifest).findings)


def inspect_notes(
    text: str,
    notes_path: str,
    snap: Snapshot | None,
    model: CommitModel | None,
    manifest: dict[str, Any] | None,
    *,
    index: CopyIndex | None = None,
    syms: dict[str, list[Symbol]] | None = None,
    segments: list[Segment] | None = None,
    lines: list[Line] | None = None,
    placement: tuple[list[Placed], int] | None = None,
) -> Report:
    """check_notes plus figures; `index` and `syms` let a batch reuse one per commit, `segments`
    the notes already parsed."""
    found: list[Finding] = []

    def emit(code: str, line: int | None, message: str) -> None:
        found.append(Finding(code, notes_path, line, message))

    segments = parse(text) if segments is None else segments
    sha = _check_commit(text, segments, snap, manifest, emit)
    lines = student_lines(segments) if lines is None else lines
    placed, unchecked = place(lines) if placement is None else placement
    tally = _tally(segments, lines, placed)
    words = sum(tally.words.values())
    if words < MIN_WORDS:
        emit("prose-short", None, f"{words:,} words of your own prose; at least {MIN_WORDS:,} are needed")
    if unchecked:
        emit("cite-too-many", None, f"{unchecked:,} citations past the first {MAX_CHECKED:,} went unchecked")
    if syms is None:
        syms = by_file(symbols(model)) if model is not None else {}
    check_placed(placed, snap, syms, sha, emit)
    answered = _check_questions(segments, tally, emit)
    _check_closing(tally, emit)
    if snap is not None:
        if index is None:
            index = build_index((f.path, f.text) for f in snap.files if f.role != "cited")
        for cp in find_copies(notes_lines(text, segments), index):
            emit(
                "verbatim-copy",
                cp.notes_start,
                f"notes lines {cp.notes_start}-{cp.notes_end} reproduce {cp.lines} lines of "
                f"{cp.path}:{cp.start}-{cp.end}; quote at most 5 lines and explain the rest",
            )
    citations = sum(1 for p in placed if p.cite.has_lines) + unchecked
    return Report(sha, words, citations, answered, tuple(_cap(found, notes_path)))


def _check_commit(
    text: str, segments: list[Segment], snap: Snapshot | None, manifest: dict[str, Any] | None, emit: _Emit
) -> str | None:
    named, line = notes_commit(text, segments)
    from_manifest = manifest_sha(manifest) if manifest is not None else None
    if manifest is not None and from_manifest is None:
        emit("manifest-invalid", None, "manifest.json beside the notes has no 40-hex `sha`")
    if named is None and from_manifest is None:
        emit(
            "commit-missing",
            None,
            "no commit: the header should hold the full 40-hex SHA after `commit` "
            "(regenerate the skeleton with `annotate --sha REF`)",
        )
    if named and from_manifest and named != from_manifest:
        emit("commit-mismatch", line, f"the notes name {named[:12]}, manifest.json {from_manifest[:12]}")
    sha = named or from_manifest
    if snap is not None and sha is not None and snap.sha != sha:
        emit("commit-mismatch", line, f"the notes name {sha[:12]} but were checked at {snap.sha[:12]}")
    return snap.sha if snap is not None else sha


@dataclass(frozen=True, slots=True)
class _Tally:
    """Per top-level key ("q:3", "closing"): words and line citations; and the first slot per key."""

    words: dict[str, int]
    cites: dict[str, int]
    slots: dict[str, Segment]


def _tally(segments: list[Segment], lines: list[Line], placed: list[Placed]) -> _Tally:
    words: dict[str, int] = {}
    for ln in lines:
        if ln.kind == "prose":
            base = ln.section.partition("/")[0]
            words[base] = words.get(base, 0) + prose_words(ln.text)
    cites: dict[str, int] = {}
    for p in placed:
        if p.target is not None and p.cite.has_lines:
            base = p.section.partition("/")[0]
            cites[base] = cites.get(base, 0) + 1
    slots: dict[str, Segment] = {}
    for seg in segments:
        if seg.kind == "slot":
            slots.setdefault(seg.key, seg)
    return _Tally(words, cites, slots)


def _check_questions(segments: list[Segment], tally: _Tally, emit: _Emit) -> int:
    ids = set(QUESTIONS) | {int(m[1]) for s in segments if (m := _Q_KEY.fullmatch(s.key.partition("/")[0]))}
    answered = 0
    for qid in sorted(ids):
        slot = tally.slots.get(f"q:{qid}/answer")
        if slot is None:
            marker = f"<!-- annotate:slot q:{qid}/answer -->"
            emit("question-missing", None, f"no answer slot for question {qid} (`{marker}` is missing)")
            continue
        words, cites = tally.words.get(f"q:{qid}", 0), tally.cites.get(f"q:{qid}", 0)
        if words < MIN_ANSWER_WORDS:
            need = f"write at least {MIN_ANSWER_WORDS}"
            emit("question-no-prose", slot.line, f"question {qid}: {_words(words)} of your own; {need}")
        if cites == 0:
            how = "path.py:120-145, L120-L145 after naming the file, or a permalink"
            emit("question-no-citation", slot.line, f"question {qid}: no line citation ({how})")
        answered += words >= MIN_ANSWER_WORDS and cites > 0
    return answered


def _check_closing(tally: _Tally, emit: _Emit) -> None:
    slot = tally.slots.get("closing/theory")
    if slot is None:
        marker = "<!-- annotate:slot closing/theory -->"
        emit("closing-missing", None, f"no closing paragraph (`{marker}` is missing)")
        return
    words = tally.words.get("closing", 0)
    if words < MIN_ANSWER_WORDS:
        emit(
            "closing-missing",
            slot.line,
            f"the closing paragraph (back to theory) has {_words(words)}; write {MIN_ANSWER_WORDS} or more",
        )


def _words(n: int) -> str:
    return f"{n:,} word" + ("" if n == 1 else "s")


def _cap(found: list[Finding], path: str) -> list[Finding]:
    """At most MAX_PER_CODE findings per code, in line order, then one finding counting the rest."""
    found = sorted(found, key=lambda f: (f.line or 0, f.code))
    shown: dict[str, int] = {}
    out: list[Finding] = []
    for f in found:
        shown[f.code] = shown.get(f.code, 0) + 1
        if shown[f.code] <= MAX_PER_CODE:
            out.append(f)
    for code, n in sorted(shown.items()):
        if n > MAX_PER_CODE:
            out.append(Finding(code, path, None, f"… and {n - MAX_PER_CODE:,} more `{code}` findings"))
    return out

"""Check a notes file against the lab's stop conditions at its commit: findings only, no printing.

Finding codes are stable (README "Graders: check and cite"); graders assert on codes, not wording.
Notes from the skeleton are read through their markers (`q:N/answer`, `closing/theory` slots); notes
written by hand through their headings and bold lead-ins (answers.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from annotator.grading.answers import Place, locate, missing_at, question_ids
from annotator.grading.citecheck import MAX_CHECKED, Placed, check_placed, cite_ref, place
from annotator.grading.copying import Copy, CopyIndex, build_index, find_copies, notes_lines
from annotator.grading.findings import CiteRef, Emit, Finding, finding
from annotator.grading.manifest import check_manifest, manifest_sha, same_sha
from annotator.grading.prose import Structure, first_body_line, student_text
from annotator.model import CommitModel
from annotator.notes.markers import Segment, parse
from annotator.resolve.lookup import Symbol, by_file, symbols
from annotator.snapshot.files import Snapshot

__all__ = ["Finding", "Report", "check_notes", "inspect_notes", "manifest_sha", "notes_commit"]

MIN_WORDS = 1500  # the student's own prose, whole file
MIN_ANSWER_WORDS = 20  # per question answer and for the closing paragraph
MAX_PER_CODE = 25  # findings listed per code and file; the rest are counted in one more finding
HEADER_SCAN_LINES = 200  # without a header block, the commit is looked for in the first lines
_SHA = re.compile(r"(?<![0-9a-f])[0-9a-f]{40}(?![0-9a-f])")
_Q_KEY = re.compile(r"q:(\d{1,4})")


@dataclass(frozen=True, slots=True)
class Report:
    sha: str | None  # the commit the notes name (header, else manifest.json)
    words: int  # words of the student's own prose
    citations: int  # line citations found
    answered: int  # questions with enough prose and at least one line citation
    findings: tuple[Finding, ...]
    questions: tuple[int, ...] = (1, 2, 3, 4, 5)  # the questions asked: the queries' and any the notes add
    # For the review pages (grading/review): where each answer ("1".."5", "closing") starts, every
    # citation checked with its finding (before the per-code cap), and the verbatim runs.
    answers: tuple[tuple[str, int], ...] = ()
    cites: tuple[CiteResult, ...] = ()
    copies: tuple[Copy, ...] = ()


@dataclass(frozen=True, slots=True)
class CiteResult:
    """A citation on notes line `line`, what it resolved to (path None: unresolved), and the finding
    about it (None: it holds)."""

    line: int
    cite: CiteRef
    finding: Finding | None = None


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
    structure: Structure | None = None,
    placement: tuple[list[Placed], int] | None = None,
    manifest_name: str = "manifest.json",
) -> Report:
    """check_notes plus figures; `index` and `syms` let a batch reuse one per commit, `segments`,
    `structure` and `placement` the notes already read."""
    found: list[Finding] = []

    def emit(code: str, line: int | None, message: str, cite: CiteRef | None = None) -> None:
        found.append(finding(code, notes_path, line, message, cite))

    segments = parse(text) if segments is None else segments
    sha = _check_commit(text, segments, snap, manifest, manifest_name, emit)
    structure = student_text(segments) if structure is None else structure
    placed, unchecked = place(structure.lines) if placement is None else placement
    words = sum(ln.words for ln in structure.lines)
    if words < MIN_WORDS:
        emit("prose-short", None, f"{words:,} words of your own prose; at least {MIN_WORDS:,} are needed")
    if unchecked:
        emit("cite-too-many", None, f"{unchecked:,} citations past the first {MAX_CHECKED:,} went unchecked")
    if syms is None:
        syms = by_file(symbols(model)) if model is not None else {}
    known = check_placed(placed, snap, syms, sha, emit)
    cites = _cite_results(placed, known, found)
    starts: dict[str, int] = {}
    if any(s.kind == "slot" and (s.key.startswith("q:") or s.key == "closing/theory") for s in segments):
        answered, asked = _slot_answers(segments, structure, known, emit, starts)
    else:
        answered, asked = _heading_answers(structure, known, emit, starts)
    copies: list[Copy] = []
    if snap is not None:
        if index is None:
            index = build_index((f.path, f.text) for f in snap.files if f.role != "cited")
        for cp in find_copies(notes_lines(text, segments), index):
            copies.append(cp)
            emit(
                "verbatim-copy",
                cp.notes_start,
                f"notes lines {cp.notes_start}-{cp.notes_end} reproduce {cp.lines} lines of "
                f"{cp.path}:{cp.start}-{cp.end}; quote at most 5 lines and explain the rest",
            )
    citations = sum(1 for p in placed if p.cite.has_lines) + unchecked
    answers = tuple(sorted(starts.items()))
    capped = tuple(_cap(found, notes_path))
    return Report(sha, words, citations, answered, capped, asked, answers, cites, tuple(copies))


def _cite_results(placed: list[Placed], known: list[Placed], found: list[Finding]) -> tuple[CiteResult, ...]:
    """Every placed citation with the file it resolved to and the finding about it, if any."""
    resolved = {id(p.cite): p.target for p in known}
    about: dict[tuple[int | None, int], Finding] = {}
    for f in found:
        if f.cite is not None:
            about.setdefault((f.line, f.cite.col), f)
    out = []
    for p in placed:
        c = p.cite
        said = about.get((c.line, c.col))
        path = resolved.get(id(c)) or (said.cite.path if said is not None and said.cite is not None else None)
        out.append(CiteResult(c.line, cite_ref(c, path), said))
    return tuple(out)


def _check_commit(
    text: str,
    segments: list[Segment],
    snap: Snapshot | None,
    manifest: dict[str, Any] | None,
    manifest_name: str,
    emit: Emit,
) -> str | None:
    named, line = notes_commit(text, segments)
    from_manifest = manifest_sha(manifest) if manifest is not None else None
    if manifest is not None and from_manifest is None:
        keys = "`sha` or `commit`"
        emit("manifest-invalid", None, f"{manifest_name} names no commit: {keys} with 7 to 40 hex digits")
    if named is None and from_manifest is None:
        emit(
            "commit-missing",
            None,
            "no commit: write `Commit: <40-hex SHA>` near the top, or a manifest.json with its `sha`",
        )
    if named and from_manifest and not same_sha(named, from_manifest):
        emit("commit-mismatch", line, f"the notes name {named[:12]}, {manifest_name} {from_manifest[:12]}")
    sha = named or from_manifest
    if snap is not None and sha is not None and not same_sha(snap.sha, sha):
        emit("commit-mismatch", line, f"the notes name {sha[:12]} but were checked at {snap.sha[:12]}")
    if snap is not None and manifest is not None:
        for code, message in check_manifest(manifest, snap, manifest_name):
            emit(code, None, message)
    return snap.sha if snap is not None else sha


def _tally(structure: Structure, known: list[Placed]) -> tuple[dict[str, int], dict[str, int]]:
    """Words and line citations per top-level marker key ("q:3", "closing")."""
    words: dict[str, int] = {}
    for ln in structure.lines:
        if ln.words:
            base = ln.section.partition("/")[0]
            words[base] = words.get(base, 0) + ln.words
    cites: dict[str, int] = {}
    for p in known:
        if p.cite.has_lines:
            base = p.section.partition("/")[0]
            cites[base] = cites.get(base, 0) + 1
    return words, cites


def _slot_answers(
    segments: list[Segment], structure: Structure, known: list[Placed], emit: Emit, starts: dict[str, int]
) -> tuple[int, tuple[int, ...]]:
    words, cites = _tally(structure, known)
    slots: dict[str, Segment] = {}
    for seg in segments:
        if seg.kind == "slot":
            slots.setdefault(seg.key, seg)
    added = {int(m[1]) for s in segments if (m := _Q_KEY.fullmatch(s.key.partition("/")[0]))}
    ids = set(question_ids()) | added
    answered = 0
    for qid in sorted(ids):
        slot = slots.get(f"q:{qid}/answer")
        if slot is None:
            marker = f"<!-- annotate:slot q:{qid}/answer -->"
            emit("question-missing", None, f"no answer slot for question {qid} (`{marker}` is missing)")
            continue
        key = f"q:{qid}"
        starts[str(qid)] = slot.line
        answered += _judge(f"question {qid}", slot.line, words.get(key, 0), cites.get(key, 0), emit)
    slot = slots.get("closing/theory")
    if slot is None:
        marker = "<!-- annotate:slot closing/theory -->"
        emit("closing-missing", None, f"no closing paragraph (`{marker}` is missing)")
    else:
        starts["closing"] = slot.line
        _judge_closing(slot.line, words.get("closing", 0), emit)
    return answered, tuple(sorted(ids))


def _heading_answers(
    structure: Structure, known: list[Placed], emit: Emit, starts: dict[str, int]
) -> tuple[int, tuple[int, ...]]:
    found, closing = locate(structure)
    answered = 0
    ids = tuple(sorted(set(question_ids()) | set(found)))
    for qid in ids:
        where = found.get(qid)
        if where is None:
            at = missing_at(qid, found, closing)
            hint = f" (expected before line {at})" if at is not None else ""
            emit(
                "question-missing",
                at,
                f"no answer to question {qid}{hint}: give it a heading such as `## Q{qid}. ...` "
                f"or a lead-in such as `**Q{qid}.**`",
            )
            continue
        w, c = _measure(structure, known, where)
        starts[str(qid)] = where.line
        answered += _judge(f"question {qid}", where.line, w, c, emit)
    if closing is None:
        how = "add one under a heading such as `## Closing: back to the theory`"
        emit("closing-missing", None, f"no closing paragraph: {how}")
    else:
        starts["closing"] = closing.line
        _judge_closing(closing.line, _measure(structure, known, closing)[0], emit)
    return answered, ids


def _measure(structure: Structure, known: list[Placed], where: Place) -> tuple[int, int]:
    words = sum(ln.words for ln in structure.lines if where.line <= ln.no < where.end) - where.label_words
    cites = sum(1 for p in known if p.cite.has_lines and where.line <= p.cite.line < where.end)
    return max(words, 0), cites


def _judge(what: str, line: int, words: int, cites: int, emit: Emit) -> int:
    if words < MIN_ANSWER_WORDS:
        need = f"write at least {MIN_ANSWER_WORDS}"
        emit("question-no-prose", line, f"{what}: {_words(words)} of your own; {need}")
    if cites == 0 and words > 0:  # an empty answer is question-no-prose only
        how = "path.py:120-145, L120-L145 under a heading naming the file, or a permalink"
        emit("question-no-citation", line, f"{what}: no line citation ({how})")
    return int(words >= MIN_ANSWER_WORDS and cites > 0)


def _judge_closing(line: int, words: int, emit: Emit) -> None:
    if words < MIN_ANSWER_WORDS:
        emit(
            "closing-missing",
            line,
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
            out.append(finding(code, path, None, f"… and {n - MAX_PER_CODE:,} more `{code}` findings"))
    return out

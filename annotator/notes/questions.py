"""The five questions: declarative leads (queries/questions/*.toml) evaluated against a commit's model."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from annotator import queries
from annotator.errors import QueryError
from annotator.model import CommitModel, FileModel
from annotator.resolve.lookup import lookup
from annotator.snapshot.files import Snapshot

LEAD_KINDS = ("symbol", "attribute", "comment", "text", "call")
MAX_PER_LEAD = 3
MAX_PER_QUESTION = 12


@dataclass(frozen=True, slots=True)
class Lead:
    kind: str  # one of LEAD_KINDS
    pattern: str
    why: str
    layouts: tuple[str, ...] = ()  # empty: every layout
    file: str | None = None
    expect: str = ""  # a regex the cited lines must contain (what `why` promises), else the hit is dropped


@dataclass(frozen=True, slots=True)
class Question:
    id: int
    title: str
    question: str
    absent: str
    leads: tuple[Lead, ...]


@dataclass(frozen=True, slots=True)
class Citation:
    path: str
    lineno: int
    end_lineno: int
    label: str  # what is there: "BlockAllocator.allocate", "comment", ...
    why: str


def load_questions(folder: Path | None = None) -> tuple[Question, ...]:
    """Every question file in the folder, by id: adding a question needs only a new file.

    A malformed file is one QueryError naming the file, the table and the field."""
    questions = []
    for path in sorted((folder or queries.path("questions")).glob("*.toml")):
        doc = queries.Fields(queries.load(path), path, path.name)
        leads = tuple(_lead(entry) for entry in doc.tables("lead", required=False))
        title, text, absent = doc.text("title"), doc.text("question"), doc.text("absent")
        questions.append(Question(doc.number("id"), title, text, absent, leads))
    return tuple(sorted(questions, key=lambda q: q.id))


def _lead(entry: queries.Fields) -> Lead:
    kinds = [k for k in LEAD_KINDS if entry.has(k)]
    if len(kinds) != 1:
        what = f"{entry.where} needs exactly one of {', '.join(LEAD_KINDS)}; fix the file"
        raise QueryError(what, str(entry.file))
    file = entry.text("file", "")
    return Lead(
        kinds[0],
        entry.text(kinds[0]),
        entry.text("why", ""),
        entry.texts("layouts", ()),
        file or None,
        entry.text("expect", ""),
    )


def answer_leads(question: Question, snap: Snapshot, model: CommitModel) -> tuple[Citation, ...]:
    """Citations for a question at this commit, deduplicated, in lead order."""
    out: list[Citation] = []
    seen: set[tuple[str, int]] = set()
    texts = {f.path: f.text for f in snap.files}
    for lead in question.leads:
        if lead.layouts and model.layout not in lead.layouts:
            continue
        hits = (_whole(c, texts) for c in _matches(lead, snap, model))
        hits = (c for c in hits if not lead.expect or _says(c, texts, lead.expect))
        for n, cite in enumerate(hits):
            if n >= MAX_PER_LEAD or len(out) >= MAX_PER_QUESTION:
                break
            if (cite.path, cite.lineno) not in seen:
                seen.add((cite.path, cite.lineno))
                out.append(cite)
    return tuple(out)


def _files(lead: Lead, model: CommitModel) -> Iterator[FileModel]:
    return (f for f in model.files if lead.file is None or f.path == lead.file)


def _suffix(qualname: str, pattern: str) -> bool:
    return qualname == pattern or qualname.endswith("." + pattern)


def _matches(lead: Lead, snap: Snapshot, model: CommitModel) -> Iterator[Citation]:
    if lead.kind == "symbol":  # what a name designates is cite.lookup's rule, shared with graders
        for sym in lookup(model, lead.pattern):
            if (lead.file is None or sym.path == lead.file) and sym.kind not in ("setter", "overload"):
                yield Citation(sym.path, sym.lineno, sym.end_lineno, sym.qualname, lead.why)
    elif lead.kind == "attribute":
        cls_name, _, attr = lead.pattern.rpartition(".")
        for f in _files(lead, model):
            for cls in f.classes:
                if _suffix(cls.qualname, cls_name):
                    for var in cls.state:
                        if var.name == attr:
                            label = f"{cls.qualname}.{var.name}"
                            yield Citation(f.path, var.lineno, var.lineno, label, lead.why)
    elif lead.kind == "comment":
        rx = re.compile(lead.pattern, re.I)
        for f in _files(lead, model):
            for _, fn in f.callables():
                for ev in fn.comments:
                    if rx.search(ev.text):
                        yield Citation(f.path, ev.lineno, ev.lineno, f"comment in {fn.qualname}", lead.why)
    elif lead.kind == "call":
        for f in _files(lead, model):
            for _, fn in f.callables():
                for call in fn.calls:
                    if call.name == lead.pattern:
                        yield Citation(f.path, call.lineno, call.lineno, f"call in {fn.qualname}", lead.why)
    else:  # text
        rx = re.compile(lead.pattern, re.I)
        for sf in snap.files:
            if lead.file is None or sf.path == lead.file:
                for i, line in enumerate(sf.text.splitlines(), 1):
                    if rx.search(line):
                        yield Citation(sf.path, i, i, _one_line(line), lead.why)


def _whole(cite: Citation, texts: dict[str, str]) -> Citation:
    """A one-line hit widened to the whole statement around it, so a lead never cites a fragment cut
    from the middle of an expression (a call's argument line, a continued condition)."""
    text = texts.get(cite.path)
    if text is None or cite.lineno != cite.end_lineno:
        return cite
    lines = text.splitlines()
    if cite.lineno > len(lines) or lines[cite.lineno - 1].lstrip().startswith("#"):
        return cite  # a comment line is whole by itself
    first, last = statement_lines(text, cite.lineno)
    label = cite.label
    if label == _one_line(lines[cite.lineno - 1]):  # a text hit is labelled by its statement's text
        label = _one_line(" ".join(lines[first - 1 : last]))
    return Citation(cite.path, first, last, label, cite.why)


def _says(cite: Citation, texts: dict[str, str], expect: str) -> bool:
    lines = texts.get(cite.path, "").splitlines()[cite.lineno - 1 : cite.end_lineno]
    return re.search(expect, "\n".join(lines), re.I) is not None


def statement_lines(text: str, line: int) -> tuple[int, int]:
    """The lines of the innermost simple statement (or compound statement's header) holding `line`."""
    best = (line, line)
    for lineno, end, body_line, first_line in _statements(text):
        if not lineno <= line <= end:
            continue
        first, last = lineno, end
        if body_line:
            if line >= body_line:
                continue  # the line is in the body: an inner statement holds it
            first = first_line
            last = body_line - 1 if body_line > lineno else lineno
        if best == (line, line) or last - first <= best[1] - best[0]:
            best = (first, max(last, first))
    return best


@lru_cache(maxsize=64)
def _statements(text: str) -> tuple[tuple[int, int, int, int], ...]:
    """(first line, last line, first line of the body or 0, first line with decorators) of every
    statement: found once per text, not once per lead, walking statement lists only."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return ()
    out = []
    stack: list[list[ast.stmt]] = [tree.body]
    while stack:
        for node in stack.pop():
            end = node.end_lineno or node.lineno
            body = getattr(node, "body", None)
            if isinstance(body, list) and body and isinstance(body[0], ast.stmt):
                decorators = getattr(node, "decorator_list", [])
                first = min([node.lineno, *(d.lineno for d in decorators)])
                out.append((node.lineno, end, body[0].lineno, first))
            else:
                out.append((node.lineno, end, 0, node.lineno))
            stack.extend(_inner(node))
    return tuple(out)


_BODIES = ("body", "orelse", "finalbody")


def _inner(node: ast.stmt) -> list[list[ast.stmt]]:
    """The statement lists inside a compound statement (handlers' and match cases' bodies included)."""
    lists = [b for field in _BODIES if isinstance(b := getattr(node, field, None), list) and b]
    lists.extend(h.body for h in getattr(node, "handlers", ()))
    lists.extend(c.body for c in getattr(node, "cases", ()))
    return lists


def _one_line(line: str, width: int = 80) -> str:
    text = " ".join(line.split())
    return text if len(text) <= width else text[: width - 1] + "…"

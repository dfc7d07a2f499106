"""Every question lead says what it cites, at every fixture era: the cited lines hold what the lead's
query looks for (and what its `expect` promises), and they are whole statements, never a fragment cut
from the middle of an expression."""

from __future__ import annotations

import ast
import io
import re
import textwrap
import tokenize
from dataclasses import replace
from pathlib import Path

import pytest

from annotator.notes.questions import Citation, Lead, answer_leads, load_questions, statement_lines
from annotator.resolve.analyze import analyze
from annotator.snapshot.files import Snapshot, take
from annotator.source.repos import open_source
from tests.gitrepo import ERAS, Step, make_repo


@pytest.fixture(scope="module")
def snaps(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Snapshot]:
    out = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
        for era in ERAS:
            repo, (sha,) = make_repo(tmp_path_factory.mktemp(era), [Step(tree=era)])
            out[era] = take(open_source(str(repo)), sha)
    return out


def _chunk(snap: Snapshot, c: Citation) -> str:
    f = snap.file(c.path)
    assert f is not None, c.path
    return "\n".join(f.text.splitlines()[c.lineno - 1 : c.end_lineno])


def _whole_code(file_text: str, c: Citation) -> bool:
    """The cited lines start and end outside any bracket and any continued line (by the file's tokens),
    and parse as statements (a compound statement's header counts, with a body added)."""
    depth_at: dict[int, int] = {}  # line -> bracket depth before its first token
    depth = 0
    for tok in tokenize.generate_tokens(io.StringIO(file_text).readline):
        depth_at.setdefault(tok.start[0], depth)
        if tok.type == tokenize.OP and tok.string in "([{":
            depth += 1
        elif tok.type == tokenize.OP and tok.string in ")]}":
            depth -= 1
    lines = file_text.splitlines()
    continued = c.lineno > 1 and lines[c.lineno - 2].rstrip().endswith("\\")
    if depth_at.get(c.lineno, 0) or continued:
        return False
    text = textwrap.dedent("\n".join(lines[c.lineno - 1 : c.end_lineno]))
    for candidate in (text, text + "\n    pass"):
        try:
            ast.parse(candidate)
            return True
        except SyntaxError:
            continue
    return False


def _says_what_it_queries(lead: Lead, c: Citation, chunk: str) -> bool:
    if lead.kind == "symbol":
        name = c.label.rpartition(".")[2]
        defined = (
            rf"^\s*((async\s+def|def|class)\s+{re.escape(name)}\b|{re.escape(name)}\s*[:=])"  # or an alias
        )
        return re.search(defined, chunk, re.M) is not None
    if lead.kind == "attribute":
        return re.search(rf"\b{re.escape(lead.pattern.rpartition('.')[2])}\b", chunk) is not None
    if lead.kind == "call":
        return re.search(rf"\b{re.escape(lead.pattern)}\s*\(", chunk) is not None
    if lead.kind == "comment":
        return any(re.search(lead.pattern, line.partition("#")[2], re.I) for line in chunk.splitlines())
    return re.search(lead.pattern, chunk, re.I) is not None


@pytest.mark.parametrize("era", ERAS)
def test_every_lead_cites_whole_statements_that_hold_what_it_promises(
    era: str, snaps: dict[str, Snapshot]
) -> None:
    snap = snaps[era]
    model = analyze(snap)
    bad, seen = [], 0
    for question in load_questions():
        for lead in question.leads:
            for c in answer_leads(replace(question, leads=(lead,)), snap, model):
                seen += 1
                chunk = _chunk(snap, c)
                if not _says_what_it_queries(lead, c, chunk):
                    bad.append(
                        f"Q{question.id} {lead.kind} {lead.pattern!r}: {c.path} L{c.lineno} does not hold it"
                    )
                if lead.expect and not re.search(lead.expect, chunk, re.I):
                    bad.append(f"Q{question.id} {lead.pattern!r}: {c.path} L{c.lineno} lacks {lead.expect!r}")
                if not _whole_code(snap.file(c.path).text, c):  # type: ignore[union-attr]
                    bad.append(
                        f"Q{question.id} {lead.pattern!r}: {c.path} L{c.lineno}-L{c.end_lineno} is a fragment"
                    )
    assert seen, f"no lead matched at {era}"
    assert not bad, bad


def test_a_line_inside_a_call_is_cited_as_the_whole_statement() -> None:
    text = "def f(x):\n    y = g(\n        a=1,\n        block_tables=x,\n    )\n    return y\n"
    assert statement_lines(text, 4) == (2, 5)
    assert statement_lines(text, 6) == (6, 6)
    assert statement_lines("if (a and\n        b):\n    pass\n", 2) == (1, 2)  # a header, not its body


def test_a_lead_whose_promise_is_not_in_the_lines_is_left_out(snaps: dict[str, Snapshot]) -> None:
    snap = snaps["era2"]
    model = analyze(snap)
    q = next(q for q in load_questions() if q.id == 1)
    lead = next(ld for ld in q.leads if ld.expect)
    kept = answer_leads(replace(q, leads=(lead,)), snap, model)
    unchecked = answer_leads(replace(q, leads=(replace(lead, expect=""),)), snap, model)
    assert all(re.search(lead.expect, _chunk(snap, c), re.I) for c in kept)
    assert len(kept) <= len(unchecked)


def test_the_shipped_leads_load(tmp_path: Path) -> None:
    assert any(ld.expect for q in load_questions() for ld in q.leads)

"""Golden files of a real regeneration across the fixture eras: notes written at era 1 (prose in slots
and between blocks, a hand-edited block, a typed marker line) regenerated to era 2, then era 3, then
back to era 1 (which must give the era-1 notes back, word for word).

Refresh: see tests/goldenfiles.py.
then read the diff (git diff tests/golden/regen) before committing it.
"""

from __future__ import annotations

import pytest

from annotator.model import CommitModel
from annotator.notes.document import skeleton
from annotator.notes.markers import parse, written_sections
from annotator.regen.merge import MergeResult, merge
from annotator.regen.renames import load_renames
from annotator.regen.spans import MergeContext, context
from annotator.resolve.analyze import analyze
from annotator.snapshot.files import Snapshot, take
from annotator.source.repos import open_source
from tests import goldenfiles
from tests.gitrepo import Step, make_repo

GOLDEN = goldenfiles.GOLDEN / "regen"


def _student(notes: str) -> str:
    """Era-1 notes as a student might leave them: deterministic, every kind of text."""
    out = ["Preface: my reading plan, before any marker.\n\n"]
    for n, seg in enumerate(parse(notes)):
        if seg.kind == "gen":
            body = seg.body
            if seg.key == "classdiagram":  # a hand edit of a generated block
                out.append(f"<!-- annotate:gen {seg.key} -->\n{body}My own arrow: A --> B\n")
                out.append(notes.splitlines(keepends=True)[seg.line + len(body.splitlines())])
                continue
            out.append(f"<!-- annotate:gen {seg.key} -->\n{body}")
            out.append(notes.splitlines(keepends=True)[seg.line + len(body.splitlines())])
            if seg.key == "lifecycle":
                out.append("Text between a generated block and its slot: **kept** with the block.\n")
        elif seg.kind == "slot":
            out.append(f"<!-- annotate:slot {seg.key} -->\n{seg.body}")
            if n % 3 == 0 or seg.key.endswith("/holds"):
                out.append(f"My notes on `{seg.key.rsplit('::', 1)[-1]}` — ünïcödé, <!-- a comment -->.\n")
            if seg.key.startswith("q:1/"):
                out.append("<!-- annotate:slot typed-by-the-student -->\nstill my answer\n")
        else:
            out.append(seg.body)
    return "".join(out)


@pytest.fixture(scope="module")
def eras(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[MergeContext, str]]:
    repo, shas = make_repo(tmp_path_factory.mktemp("regen"), [Step(tree=f"era{i}") for i in (1, 2, 3)])
    source = open_source(str(repo))
    out = {}
    for i, sha in enumerate(shas, 1):
        snap = take(source, sha)
        model = analyze(snap)
        text = skeleton(snap, model)
        out[f"era{i}"] = (context(snap, model, text), text)
        _MODELS[f"era{i}"] = (snap, model)
    return out


_MODELS: dict[str, tuple[Snapshot, CommitModel]] = {}


def _go(notes: str, eras: dict[str, tuple[MergeContext, str]], old: str, new: str) -> MergeResult:
    """As `annotate` regenerates: sections holding the student's words keep their place (`keep`)."""
    keep = written_sections(notes)
    renders = {}
    for era in (old, new):
        snap, model = _MODELS[era]
        text = skeleton(snap, model, keep=keep)
        renders[era] = (context(snap, model, text), text)
    return merge(notes, renders[new][1], load_renames(), renders[old][0], renders[new][0])


def test_regeneration_across_eras(eras: dict[str, tuple[MergeContext, str]]) -> None:
    written = _student(eras["era1"][1])
    assert parse(written)[0].kind == "free"
    goldenfiles.compare(GOLDEN / "era1-notes.md", written)
    notes, old = written, "era1"
    for new in ("era2", "era3"):
        result = _go(notes, eras, old, new)
        goldenfiles.compare(GOLDEN / f"{old}-to-{new}.md", result.text)
        report = [*result.warnings, *(f"changed: {k}" for k in result.changed_sections)]
        goldenfiles.compare(GOLDEN / f"{old}-to-{new}.warnings.txt", "\n".join(report) + "\n")
        assert _go(result.text, eras, new, new).text == result.text  # regenerating again: no change
        notes, old = result.text, new
    assert _go(notes, eras, "era3", "era1").text == written

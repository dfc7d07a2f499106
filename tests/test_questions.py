"""Question leads: found where the era has the mechanism, honestly absent where it has not."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest

from annotator import queries
from annotator.errors import AnnotatorError
from annotator.notes.questions import answer_leads, load_questions
from annotator.notes.skeleton import Parts, render_notes
from annotator.resolve.analyze import analyze
from annotator.snapshot.files import Snapshot, take
from annotator.source.repos import open_source
from tests.gitrepo import ERAS, FIXTURES, Step, make_repo


def _snap(tmp_path: Path, era: str) -> Snapshot:
    repo, (sha,) = make_repo(tmp_path, [Step(tree=era)])
    return take(open_source(str(repo)), sha)


def _def_range(text: str, qualname: str) -> tuple[int, int]:
    cls_name, meth = qualname.split(".")
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.ClassDef) and node.name == cls_name:
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and item.name == meth:
                    assert item.end_lineno is not None
                    return item.lineno, item.end_lineno
    raise AssertionError(qualname)


def test_copy_on_write_leads_in_era1_point_at_the_code(tmp_path: Path) -> None:
    snap = _snap(tmp_path, "era1")
    q3 = next(q for q in load_questions() if q.id == 3)
    cites = answer_leads(q3, snap, analyze(snap))
    by_label = {c.label: c for c in cites}
    text = (FIXTURES / "era1/vllm/core/block_manager.py").read_text()
    got = by_label["BlockSpaceManager.append_slot"]
    assert (got.lineno, got.end_lineno) == _def_range(text, "BlockSpaceManager.append_slot")
    comment_line = next(i for i, line in enumerate(text.splitlines(), 1) if "Copy on Write" in line)
    assert any(c.lineno == comment_line and c.path.endswith("block_manager.py") for c in cites)


def test_v1_engine_has_no_copy_on_write_candidate(tmp_path: Path) -> None:
    snap = _snap(tmp_path, "era4")
    model = analyze(snap)
    q3 = next(q for q in load_questions() if q.id == 3)
    assert answer_leads(q3, snap, model) == ()
    parts = Parts(questions=((q3, ()),), lifecycle="sequenceDiagram\n", classdiagram="classDiagram\n")
    notes = render_notes(snap, model, parts)
    assert "No copy-on-write candidate was found at this commit." in notes


def test_every_question_has_a_lead_in_every_fixture_era(tmp_path: Path) -> None:
    eras = list(ERAS)
    for era in eras:
        snap = _snap(tmp_path / era, era)
        model = analyze(snap)
        for q in load_questions():
            cites = answer_leads(q, snap, model)
            if (era, q.id) == ("era4", 3):
                continue
            assert cites, f"{era}: question {q.id} found nothing"
            for c in cites:
                lines = snap.file(c.path)
                assert lines is not None and 1 <= c.lineno <= c.end_lineno <= lines.lines


def test_a_sixth_question_needs_only_a_file(tmp_path: Path) -> None:
    folder = tmp_path / "questions"
    shutil.copytree(queries.path("questions"), folder)
    (folder / "q6-watermark.toml").write_text(
        'id = 6\ntitle = "Watermark"\nquestion = "Why keep blocks in reserve?"\n'
        'absent = "No watermark here."\n\n[[lead]]\nattribute = "BlockSpaceManager.watermark_blocks"\n'
        'why = "blocks kept free"\n'
    )
    questions = load_questions(folder)
    assert [q.id for q in questions] == [1, 2, 3, 4, 5, 6]
    snap = _snap(tmp_path, "era1")
    cites = answer_leads(questions[-1], snap, analyze(snap))
    text = (FIXTURES / "era1/vllm/core/block_manager.py").read_text().splitlines()
    assert len(cites) == 1 and "self.watermark_blocks =" in text[cites[0].lineno - 1]


def test_a_lead_with_two_kinds_is_refused(tmp_path: Path) -> None:
    (tmp_path / "q9.toml").write_text(
        'id = 9\ntitle = "t"\nquestion = "q"\nabsent = "a"\n[[lead]]\nsymbol = "A"\ntext = "b"\n'
    )
    with pytest.raises(AnnotatorError, match="exactly one of"):
        load_questions(tmp_path)

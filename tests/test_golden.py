"""Golden files: the rendered skeleton and the model JSON of each fixture era.

Refresh after an intended change with:  UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py
then read the diff (git diff tests/golden) before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from annotator.links import NOTES_NAME
from annotator.notes.document import skeleton
from annotator.notes.modeljson import dumps
from annotator.resolve.analyze import analyze
from annotator.snapshot.files import take
from annotator.source.repos import open_source
from tests.gitrepo import FIXTURES, Step, make_repo

GOLDEN = Path(__file__).resolve().parent / "golden"
REFRESH = "UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py"
ERAS = sorted(p.name for p in FIXTURES.iterdir() if p.name.startswith("era"))


def _compare(path: Path, actual: str) -> None:
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    if not path.exists():
        pytest.fail(f"golden file {path} is missing; create it with: {REFRESH}")
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"{path} differs from the output; if the change is intended run: {REFRESH}"


@pytest.mark.parametrize("era", ERAS)
def test_golden(era: str, tmp_path: Path) -> None:
    repo, (sha,) = make_repo(tmp_path, [Step(tree=era)])
    snap = take(open_source(str(repo)), sha)
    model = analyze(snap)
    _compare(GOLDEN / era / "model.json", dumps(model))
    _compare(GOLDEN / era / NOTES_NAME, skeleton(snap, model))

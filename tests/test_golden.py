"""Golden files: the rendered skeleton and the model JSON of each fixture era.

Refresh: see tests/goldenfiles.py.
then read the diff (git diff tests/golden) before committing it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.links import NOTES_NAME
from annotator.notes.document import skeleton
from annotator.notes.modeljson import dumps
from annotator.resolve.analyze import analyze
from annotator.snapshot.files import take
from annotator.source.repos import open_source
from tests import goldenfiles
from tests.gitrepo import ERAS, Step, make_repo

GOLDEN = goldenfiles.GOLDEN


@pytest.mark.parametrize("era", ERAS)
def test_golden(era: str, tmp_path: Path) -> None:
    repo, (sha,) = make_repo(tmp_path, [Step(tree=era)])
    snap = take(open_source(str(repo)), sha)
    model = analyze(snap)
    goldenfiles.compare(GOLDEN / era / "model.json", dumps(model))
    goldenfiles.compare(GOLDEN / era / NOTES_NAME, skeleton(snap, model))

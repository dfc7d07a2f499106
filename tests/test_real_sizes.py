"""Opt-in: the skeleton's size at every release of queries/releases.toml (ANNOTATE_VLLM_REPO).

Prints one row per release (size, stubs, method sections, participants / messages of each sequence
diagram, classes of the class diagram) and fails when a release is past a bound of tests/sizes.py:
200 KB, 150 stubs, 7 participants and 45 messages per sequence diagram, 12 classes.
Run with:  ANNOTATE_VLLM_REPO=PATH/TO/vllm.git .venv/bin/python -m pytest tests/test_real_sizes.py -s
"""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator import queries
from annotator.notes.document import skeleton
from annotator.resolve.analyze import analyze
from annotator.snapshot.files import take
from annotator.source.repos import open_source
from tests.conftest import require_commits
from tests.sizes import BOUNDS, measure

pytestmark = pytest.mark.real


def test_every_release_fits_a_four_to_six_hour_read(
    real_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = open_source(str(real_repo))
    rows = [(r.text("version"), r.text("sha")) for r in queries.document("releases.toml").tables("release")]
    over: list[str] = []
    with capsys.disabled():
        print("\n| release | size | stubs | method sections | participants / messages | classes |")
        print("|---|---|---|---|---|---|")
        for version, sha in rows:
            require_commits(real_repo, sha)
            snap = take(source, sha)
            sizes = measure(skeleton(snap, analyze(snap)))
            print(f"| {version} | {sizes.row()} |", flush=True)
            over += [f"{version}: {what}" for what in sizes.over()]
    assert not over, f"past the bounds {BOUNDS}: {over}"

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.gitrepo import Step, make_repo

pytest_plugins = ["tests.mermaid_validator"]


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads the user's cache, git config or ANNOTATE_REPO."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.delenv("ANNOTATE_REPO", raising=False)


@pytest.fixture
def era1_repo(tmp_path: Path) -> tuple[Path, list[str]]:
    """One commit of a fake era-1 tree, tagged v0.3.3."""
    return make_repo(tmp_path, [Step(tree="era1", tag="v0.3.3")])


@pytest.fixture
def real_repo() -> Path:
    """A real clone of vLLM's history, named by ANNOTATE_VLLM_REPO (tests skip without it)."""
    value = os.environ.get("ANNOTATE_VLLM_REPO")
    if not value:
        pytest.skip("set ANNOTATE_VLLM_REPO to a clone of vLLM's history to run this test")
    return Path(value)


def require_commits(repo: Path, *refs: str) -> None:
    """Skip the calling test when the clone lacks one of these commits (an older mirror, say)."""
    from annotator.errors import SourceError
    from annotator.source.repos import open_source

    source = open_source(str(repo))
    for ref in refs:
        try:
            source.resolve(ref)
        except SourceError as exc:
            pytest.skip(f"{ref[:12]} is not in this clone: {exc}")


def require_layout(repo: Path, ref: str, layout: str) -> None:
    """Skip when `ref` (HEAD, typically) of this clone is not of the layout the test is about."""
    from annotator.snapshot.files import take
    from annotator.source.repos import open_source

    require_commits(repo, ref)
    found = take(open_source(str(repo)), ref).layout.name
    if found != layout:
        pytest.skip(f"{ref} of this clone is {found}, not {layout}")

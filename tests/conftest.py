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

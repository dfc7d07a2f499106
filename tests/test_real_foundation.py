"""Opt-in: the manifest on a real clone of vLLM's history (ANNOTATE_VLLM_REPO)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.cli.main import main
from tests.conftest import require_commits

pytestmark = pytest.mark.real

ERAS = [
    ("82091b864af105dbe373353655dc9d8c0a6ba66f", "v0-monolithic", "0.3.3", "vllm/core/block_manager.py"),
    ("09c7792610ada9f88bbf87d32b472dd44bf23cc2", "v0-dual-v1-v2", "0.5.5", "vllm/core/block_manager_v2.py"),
    (
        "6d8d0a24c02bfd84d46b3016b865a44f048ae84b",
        "v1-default-v0-fallback",
        "0.10.0",
        "vllm/core/block_manager.py",
    ),
    ("b761df963c2032144468a99bcb39a11e73e16ca4", "v1-engine", "0.11.0", "vllm/v1/core/kv_cache_manager.py"),
]


@pytest.mark.parametrize(("sha", "layout", "version", "path"), ERAS)
def test_manifest_per_era(
    real_repo: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    sha: str,
    layout: str,
    version: str,
    path: str,
) -> None:
    require_commits(real_repo, sha)
    out = tmp_path / "o"
    assert main(["--repo", str(real_repo), "--sha", sha[:10], "--out", str(out)]) == 0, (
        capsys.readouterr().err
    )
    m = json.loads((out / "manifest.json").read_text())
    assert (m["sha"], m["layout"], m["vllm_version"]) == (sha, layout, version)
    files = {f["path"]: f for f in m["files"]}
    assert files[path]["role"] == "allocator"
    assert files[path]["lines"] > 100

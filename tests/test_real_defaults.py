"""Opt-in: the defaults read from the code at every release of queries/releases.toml (ANNOTATE_VLLM_REPO).

Expected values were checked by hand against each commit's arg_utils.py, envs.py and config files.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator import queries
from annotator.snapshot.files import take
from annotator.source.repos import open_source
from tests.conftest import require_commits

pytestmark = pytest.mark.real

# version -> (engine, block_manager, v0_allocator, async_scheduling, engine_step, layout)
SPANS = [
    (
        "v0.1.0",
        "v0.3.3",
        ("v0", "BlockSpaceManager", "BlockAllocator", "absent", "LLMEngine.step", "v0-monolithic"),
    ),
    (
        "v0.4.0",
        "v0.6.2",
        ("v0", "BlockSpaceManagerV1", "UncachedBlockAllocator", "absent", "LLMEngine.step", "v0-dual-v1-v2"),
    ),
    (
        "v0.6.3",
        "v0.6.3",
        (
            "v0",
            "BlockSpaceManagerV2",
            "CpuGpuBlockAllocator/NaiveBlockAllocator",
            "absent",
            "LLMEngine.step",
            "v0-dual-v1-v2",
        ),
    ),
    (
        "v0.6.3.post1",
        "v0.7.3",
        (
            "v0",
            "SelfAttnBlockSpaceManager",
            "CpuGpuBlockAllocator/NaiveBlockAllocator",
            "absent",
            "LLMEngine.step",
            "v0-v2-only",
        ),
    ),
    (
        "v0.8.0",
        "v0.9.2",
        (
            "v1",
            "SelfAttnBlockSpaceManager",
            "CpuGpuBlockAllocator/NaiveBlockAllocator",
            "absent",
            "EngineCore.step",
            "v1-default-v0-fallback",
        ),
    ),
    (
        "v0.10.0",
        "v0.10.2",
        (
            "v1",
            "SelfAttnBlockSpaceManager",
            "CpuGpuBlockAllocator/NaiveBlockAllocator",
            "off",
            "EngineCore.step",
            "v1-default-v0-fallback",
        ),
    ),
    ("v0.11.0", "v0.13.0", ("v1", "none", "none", "off", "EngineCore.step", "v1-engine")),
    ("v0.14.0", "v0.17.0", ("v1", "none", "none", "on", "EngineCore.step_with_batch_queue", "v1-engine")),
]


def _releases() -> list[tuple[str, str]]:
    rows = queries.document("releases.toml").tables("release")
    return [(r.text("version"), r.text("sha")) for r in rows]


def _expected() -> dict[str, tuple[str, ...]]:
    order = [v for v, _ in _releases()]
    out: dict[str, tuple[str, ...]] = {}
    for first, last, values in SPANS:
        for v in order[order.index(first) : order.index(last) + 1]:
            out[v] = values
    return out


def test_defaults_at_every_release(real_repo: Path) -> None:
    source = open_source(str(real_repo))
    expected = _expected()
    wrong = []
    for version, sha in _releases():
        require_commits(real_repo, sha)
        snap = take(source, sha)
        d = snap.defaults
        got = (
            d.get("engine"),
            d.get("block_manager"),
            d.get("v0_allocator"),
            d.get("async_scheduling"),
            d.get("engine_step"),
            snap.layout.name,
        )
        if got != expected[version] or d.disagreements():
            wrong.append((version, got, d.disagreements()))
        assert all(s.evidence != "history" for s in d.settings), version
    assert not wrong, wrong

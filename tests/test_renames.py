"""queries/renames.toml: keys follow vLLM's renames across eras, forward and back."""

from __future__ import annotations

import pytest

from annotator.regen.renames import Era, load_renames

R = load_renames()
E1 = Era("v0-monolithic", frozenset({"vllm/core/block_manager.py", "vllm/block.py"}))
E1_SPLIT = Era("v0-monolithic", frozenset({"vllm/core/block_manager.py::UncachedBlockAllocator"}))
E2 = Era("v0-dual-v1-v2", frozenset({"vllm/core/block_manager_v1.py", "vllm/core/evictor.py"}))
E2_LATE = Era("v0-dual-v1-v2", frozenset({"vllm/core/evictor_v1.py", "vllm/core/evictor_v2.py"}))
E3 = Era("v0-v2-only", frozenset({"vllm/core/block_manager.py", "vllm/core/evictor_v2.py"}))
E3_LATE = Era("v0-v2-only", frozenset({"vllm/core/block_manager.py", "vllm/core/evictor.py"}))
BM, V1, V2 = "vllm/core/block_manager.py", "vllm/core/block_manager_v1.py", "vllm/core/block_manager_v2.py"


@pytest.mark.parametrize(
    ("old", "new", "key", "expected"),
    [
        (
            E1,
            E2,
            f"method:{BM}::BlockSpaceManager.allocate/does",
            f"method:{V1}::BlockSpaceManagerV1.allocate/does",
        ),
        (E1, E2, f"class:{BM}::BlockAllocator/holds", f"class:{V1}::UncachedBlockAllocator/holds"),
        (E1_SPLIT, E2, f"class:{BM}::UncachedBlockAllocator", f"class:{V1}::UncachedBlockAllocator"),
        (E1, E2, f"class:{BM}::AllocStatus", "class:vllm/core/interfaces.py::AllocStatus"),
        (E1, E2, f"file:{BM}", f"file:{V1}"),
        (E1, E2, "q:1/answer", "q:1/answer"),
        (E2, E3, f"class:{V2}::BlockSpaceManagerV2", f"class:{BM}::SelfAttnBlockSpaceManager"),
        (E2, E3, f"method:{V1}::BlockSpaceManagerV1.fork", f"method:{V1}::BlockSpaceManagerV1.fork"),  # gone
        (E1, E3, f"method:{BM}::BlockSpaceManager.fork", f"method:{V1}::BlockSpaceManagerV1.fork"),  # gone
        (E2, E2_LATE, "class:vllm/core/evictor.py::LRUEvictor", "class:vllm/core/evictor_v1.py::LRUEvictor"),
        (
            E2_LATE,
            E3_LATE,
            "class:vllm/core/evictor_v2.py::LRUEvictor",
            "class:vllm/core/evictor.py::LRUEvictor",
        ),
        (
            E3_LATE,
            E2_LATE,
            "class:vllm/core/evictor.py::LRUEvictor",
            "class:vllm/core/evictor_v2.py::LRUEvictor",
        ),
        (
            E3,
            E1,
            f"method:{BM}::SelfAttnBlockSpaceManager.allocate",
            f"method:{V2}::BlockSpaceManagerV2.allocate",
        ),
        (
            E2,
            E1,
            f"method:{V1}::BlockSpaceManagerV1.free@12/does",
            f"method:{BM}::BlockSpaceManager.free@12/does",
        ),
        (E2, E1, "changed:class:vllm/core/interfaces.py::AllocStatus", f"changed:class:{BM}::AllocStatus"),
        (
            E2,
            E1,
            "class:vllm/core/interfaces.py::BlockSpaceManager",
            "class:vllm/core/interfaces.py::BlockSpaceManager",
        ),
    ],
)
def test_keys_follow_renames(old: Era, new: Era, key: str, expected: str) -> None:
    assert R.mapper(old, new)(key) == expected


def test_same_era_is_identity_and_unknown_layouts_rename_nothing() -> None:
    assert R.steps(E2, E2) == ()
    assert R.steps(Era("custom", frozenset()), E2)[0].pr == 3357  # unknown = before every era

"""Extraction on a real clone of vLLM's history, one commit per era (opt-in: ANNOTATE_VLLM_REPO)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from annotator.errors import SourceError
from annotator.extract.visitor import extract_file
from annotator.model import CommitModel
from annotator.resolve.analyze import analyze
from annotator.snapshot.files import take
from annotator.source.repos import open_source
from tests.modelkit import ast_ranges, edge_pairs, model_ranges

RELEASES = Path(__file__).resolve().parent.parent / "queries" / "releases.toml"

pytestmark = pytest.mark.real

BM = "vllm/core/block_manager.py"
V1 = "vllm/core/block_manager_v1.py"
V2 = "vllm/core/block_manager_v2.py"
SCHED = "vllm/core/scheduler.py"
BLOCK = "vllm/core/block"
V1CORE = "vllm/v1/core"

# One commit per era, with a handful of edges a reader relies on.
ERAS: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "v0.3.3": (
        "82091b864af105dbe373353655dc9d8c0a6ba66f",
        [
            (f"{SCHED}::Scheduler._allocate", f"{BM}::BlockSpaceManager.allocate"),
            (f"{BM}::BlockSpaceManager.allocate", f"{BM}::BlockAllocator.allocate"),
            (f"{SCHED}::Scheduler._preempt_by_swap", f"{SCHED}::Scheduler._swap_out"),
            (f"{SCHED}::Scheduler._swap_out", f"{BM}::BlockSpaceManager.swap_out"),
        ],
    ),
    "v0.5.5": (
        "09c7792610ada9f88bbf87d32b472dd44bf23cc2",
        [
            (f"{SCHED}::Scheduler._allocate_and_set_running", f"{V1}::BlockSpaceManagerV1.allocate"),
            (f"{SCHED}::Scheduler._allocate_and_set_running", f"{V2}::BlockSpaceManagerV2.allocate"),
            (
                f"{V2}::BlockSpaceManagerV2.__init__",
                f"{BLOCK}/cpu_gpu_block_allocator.py::CpuGpuBlockAllocator.create",
            ),
            (f"{V1}::BlockSpaceManagerV1.append_slots", f"{V1}::CachedBlockAllocator.free"),
            (f"{V1}::BlockSpaceManagerV1.append_slots", f"{V1}::UncachedBlockAllocator.free"),
        ],
    ),
    "v0.10.0": (
        "6d8d0a24c02bfd84d46b3016b865a44f048ae84b",
        [
            (f"{SCHED}::Scheduler._allocate_and_set_running", f"{BM}::SelfAttnBlockSpaceManager.allocate"),
            (f"{SCHED}::Scheduler._append_slots", f"{BM}::SelfAttnBlockSpaceManager.append_slots"),
            (f"{BM}::SelfAttnBlockSpaceManager.allocate", f"{BLOCK}/block_table.py::BlockTable.fork"),
        ],
    ),
    "HEAD": (
        "HEAD",
        [
            (
                f"{V1CORE}/sched/scheduler.py::Scheduler.schedule",
                f"{V1CORE}/kv_cache_manager.py::KVCacheManager.allocate_slots",
            ),
            (
                f"{V1CORE}/single_type_kv_cache_manager.py::SingleTypeKVCacheManager.allocate_new_blocks",
                f"{V1CORE}/block_pool.py::BlockPool.get_new_blocks",
            ),
            (
                f"{V1CORE}/block_pool.py::BlockPool.get_new_blocks",
                f"{V1CORE}/kv_cache_utils.py::FreeKVCacheBlockQueue.popleft_n",
            ),
            # self.scheduler: SchedulerInterface (outside the layout) -> the layout's Scheduler
            ("vllm/v1/engine/core.py::EngineCore.step", f"{V1CORE}/sched/scheduler.py::Scheduler.schedule"),
        ],
    ),
}

_MODELS: dict[tuple[str, str], tuple[CommitModel, dict[str, str]]] = {}


def _model(repo: Path, ref: str) -> tuple[CommitModel, dict[str, str]]:
    """The model at `ref`; skips when the clone lacks the commit or (for HEAD) is not in era 4."""
    key = (str(repo), ref)
    if key not in _MODELS:
        try:
            snap = take(open_source(str(repo)), ref)
        except SourceError as exc:
            pytest.skip(f"{ref[:12]} is not in this clone: {exc}")
        if ref == "HEAD" and snap.layout.name != "v1-engine":
            pytest.skip(f"HEAD of this clone is {snap.layout.name}, not the V1 engine")
        _MODELS[key] = (analyze(snap), {f.path: f.text for f in snap.files})
    return _MODELS[key]


@pytest.mark.parametrize("era", sorted(ERAS))
def test_every_range_equals_ast(real_repo: Path, era: str) -> None:
    model, texts = _model(real_repo, ERAS[era][0])
    assert len(model.files) >= 4
    for f in model.files:
        assert model_ranges(f) == ast_ranges(texts[f.path]), f.path


@pytest.mark.parametrize("era", sorted(ERAS))
def test_counted_lines_equal_position_provider_lines(real_repo: Path, era: str) -> None:
    model, texts = _model(real_repo, ERAS[era][0])
    for f in model.files:
        exact = extract_file(f.path, f.role, f.blob, texts[f.path], positions=True)
        assert extract_file(f.path, f.role, f.blob, texts[f.path], positions=False) == exact, f.path


@pytest.mark.parametrize("era", sorted(ERAS))
def test_known_edges(real_repo: Path, era: str) -> None:
    model, _ = _model(real_repo, ERAS[era][0])
    missing = [pair for pair in ERAS[era][1] if pair not in edge_pairs(model)]
    assert not missing


def test_era2_shapes(real_repo: Path) -> None:
    model, _ = _model(real_repo, ERAS["v0.5.5"][0])
    iface = next(f for f in model.files if f.path == f"{BLOCK}/interfaces.py")
    assert {"Block.Factory", "BlockAllocator.NoFreeBlocksError"} <= {c.qualname for c in iface.classes}
    pcb = next(f for f in model.files if f.path == f"{BLOCK}/prefix_caching_block.py")
    tracker = next(c for c in pcb.classes if c.name == "BlockTracker")
    last = next(s for s in tracker.state if s.name == "last_accessed")
    assert "reset" in last.assigned_in and not last.late
    v1 = next(f for f in model.files if f.path == V1)
    manager = next(c for c in v1.classes if c.name == "BlockSpaceManagerV1")
    gpu = next(s for s in manager.state if s.name == "gpu_allocator")
    assert {"CachedBlockAllocator", "UncachedBlockAllocator"} <= set(gpu.value_calls)
    assert f"{V1}::BlockSpaceManagerV1.allocate" in model.called_from_outside


def test_v0_10_0_config_chosen_scheduler_is_unresolved_not_guessed(real_repo: Path) -> None:
    model, _ = _model(real_repo, ERAS["v0.10.0"][0])
    unresolved = {u.expression for u in model.unresolved if u.caller.startswith("vllm/engine/llm_engine.py")}
    assert "self.scheduler[virtual_engine].schedule" in unresolved


def test_v0_3_3_public_api_is_called_from_outside(real_repo: Path) -> None:
    model, _ = _model(real_repo, ERAS["v0.3.3"][0])
    for name in ("can_allocate", "allocate", "append_slot", "fork", "free", "swap_in", "swap_out"):
        assert f"{BM}::BlockSpaceManager.{name}" in model.called_from_outside, name


def test_every_release_extracts_and_matches_ast(real_repo: Path) -> None:
    """Every release of the table (v0.1.0 onwards): no crash, every class/def range equal to ast's."""
    source = open_source(str(real_repo))
    shas = [r["sha"] for r in tomllib.loads(RELEASES.read_text())["release"] if r.get("sha")]
    assert len(shas) > 50
    seen = 0
    for sha in shas:
        try:
            snap = take(source, sha)
        except SourceError:  # an older clone stops earlier
            continue
        seen += 1
        model = analyze(snap)
        texts = {f.path: f.text for f in snap.files}
        for f in model.files:
            assert model_ranges(f) == ast_ranges(texts[f.path]), (sha, f.path)
        assert model.edges, sha
    assert seen >= 20

"""Which implementation runs by default, read from a commit's code (queries/defaults.toml)."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.errors import QueryError
from annotator.snapshot.defaults import evaluate
from annotator.snapshot.defaultsquery import load_switches
from annotator.snapshot.files import take
from annotator.source.repos import open_source
from tests.gitrepo import Step, make_repo
from tests.modelkit import fixture_files

ENVS = """import os
environment_variables = {{
    "VLLM_USE_V1": lambda: bool(int(os.getenv("VLLM_USE_V1", "{}"))),
}}
"""
ASYNC_CONFIG = """from pydantic import Field
from pydantic.dataclasses import dataclass


@dataclass
class SchedulerConfig:
    max_num_seqs: int = 128
    async_scheduling: bool | None = Field(default=None)
"""


def _defaults(files: dict[str, str], date: str = "2024-03-01T12:00:00Z") -> dict[str, tuple[str, str]]:
    d = evaluate(frozenset(files), date, files.get)
    return {s.name: (s.value, s.evidence) for s in d.settings}


def test_one_block_manager_era_is_decided_by_the_tree() -> None:
    got = _defaults(fixture_files("era1"))
    assert got["engine"] == ("v0", "tree")
    assert got["block_manager"] == ("BlockSpaceManager", "tree")
    assert got["engine_step"][0] == "LLMEngine.step"


def test_the_v1_or_v2_block_manager_comes_from_the_engine_args_default() -> None:
    files = fixture_files("era2")
    got = _defaults(files)
    assert got["block_manager"][0] == "BlockSpaceManagerV1"
    assert got["v0_allocator"][0] == "UncachedBlockAllocator"
    line = files["vllm/engine/arg_utils.py"].splitlines().index("    use_v2_block_manager: bool = False") + 1
    assert got["block_manager"][1] == f"vllm/engine/arg_utils.py:{line}"
    # The code decides, not the date: flip the literal and the other manager is the default.
    files["vllm/engine/arg_utils.py"] = files["vllm/engine/arg_utils.py"].replace(
        "use_v2_block_manager: bool = False", "use_v2_block_manager: bool = True"
    )
    got = _defaults(files)
    assert got["block_manager"][0] == "BlockSpaceManagerV2"
    assert got["v0_allocator"][0] == "CpuGpuBlockAllocator/NaiveBlockAllocator"


def test_prefix_caching_on_turns_the_v1_manager_cached() -> None:
    files = fixture_files("era2")
    files["vllm/engine/arg_utils.py"] = files["vllm/engine/arg_utils.py"].replace(
        "enable_prefix_caching: bool = False", "enable_prefix_caching: bool = True"
    )
    got = _defaults(files)
    assert got["prefix_caching"][0] == "on"
    assert got["v0_allocator"][0] == "CachedBlockAllocator"


@pytest.mark.parametrize(("flag", "engine", "prefix"), [("1", "v1", "on"), ("0", "v0", "off")])
def test_the_engine_comes_from_the_getenv_default(flag: str, engine: str, prefix: str) -> None:
    files = fixture_files("era5")
    files["vllm/envs.py"] = ENVS.format(flag)
    got = _defaults(files)
    assert got["engine"] == (engine, "vllm/envs.py:3")
    # enable_prefix_caching defaults to None: resolved per engine as [switch.auto] says
    assert got["prefix_caching"][0] == prefix
    assert got["prefix_caching_v0"][0] == "off"


def test_async_scheduling_none_means_async_scheduler_and_batch_queue() -> None:
    files = fixture_files("era4")
    files["vllm/config/scheduler.py"] = ASYNC_CONFIG
    files["vllm/v1/core/sched/async_scheduler.py"] = "class AsyncScheduler:\n    pass\n"
    got = _defaults(files)
    assert got["engine"] == ("v1", "tree")
    assert got["async_scheduling"] == ("on", "vllm/config/scheduler.py:8")
    assert got["scheduler"][0] == "vllm.v1.core.sched.async_scheduler.AsyncScheduler"
    assert got["engine_step"][0] == "EngineCore.step_with_batch_queue"
    files["vllm/config/scheduler.py"] = ASYNC_CONFIG.replace("Field(default=None)", "False")
    got = _defaults(files)
    assert got["scheduler"][0] == "vllm.v1.core.sched.scheduler.Scheduler"
    assert got["engine_step"][0] == "EngineCore.step"


def test_without_a_literal_the_dated_history_decides_and_says_so() -> None:
    files = fixture_files("era2")
    del files["vllm/engine/arg_utils.py"]
    early = evaluate(frozenset(files), "2024-03-01T00:00:00Z", files.get)
    late = evaluate(frozenset(files), "2024-10-05T00:00:00Z", files.get)
    assert early.get("block_manager") == "BlockSpaceManager"
    assert late.get("block_manager") == "BlockSpaceManagerV2"
    setting = next(s for s in late.settings if s.name == "block_manager")
    assert setting.evidence == "history" and "dated history" in setting.because


def test_a_file_that_does_not_parse_is_not_read() -> None:
    files = fixture_files("era2")
    files["vllm/engine/arg_utils.py"] = "class EngineArgs(:\n"
    got = _defaults(files, "2024-10-05T00:00:00Z")
    assert got["block_manager"] == ("BlockSpaceManagerV2", "history")


def test_a_check_read_that_disagrees_is_reported() -> None:
    files = fixture_files("era2")
    files["vllm/config.py"] = (
        "class SchedulerConfig:\n"
        "    def __init__(self, max_num_seqs: int, use_v2_block_manager: bool = True):\n"
        "        pass\n"
    )
    d = evaluate(frozenset(files), "2024-03-01T12:00:00Z", files.get)
    assert d.get("block_manager") == "BlockSpaceManagerV1"  # the first read wins
    assert any("vllm/config.py:2" in w for w in d.disagreements())


def test_two_engines_pick_the_layout_of_the_default_one(tmp_path: Path) -> None:
    repo, (v1, v0) = make_repo(tmp_path, [Step(tree="era5"), Step(files={"vllm/envs.py": ENVS.format("0")})])
    source = open_source(str(repo))
    snap = take(source, v1)
    assert snap.layout.name == "v1-default-v0-fallback"
    paths = {f.path for f in snap.files}
    assert {"vllm/v1/core/kv_cache_manager.py", "vllm/core/block_manager.py"} <= paths
    assert snap.layout.other_paths(paths) >= {"vllm/core/block_manager.py", "vllm/core/scheduler.py"}
    assert take(source, v0).layout.name == "v0-v2-only"


def test_a_rule_naming_a_later_switch_is_one_error(tmp_path: Path) -> None:
    bad = tmp_path / "defaults.toml"
    bad.write_text(
        '[[switch]]\nname = "a"\nquestion = "?"\n[[switch.rule]]\nwhen.switches = { b = "x" }\n'
        'value = "y"\nbecause = "z"\n',
        encoding="utf-8",
    )
    with pytest.raises(QueryError, match="not an earlier switch"):
        load_switches(bad)


def test_the_shipped_query_reads_every_switch() -> None:
    names = [s.name for s in load_switches()]
    assert names[:3] == ["engine", "prefix_caching", "block_manager"]
    assert {"async_scheduling", "scheduler", "engine_step"} <= set(names)

"""Call resolution: edges through receiver types, every branch class, unresolved receivers, the graph."""

from __future__ import annotations

import textwrap

import networkx as nx

from annotator.model import CommitModel
from annotator.resolve.graph import call_graph
from tests.modelkit import edge_pairs, era_model, model_of

BM1 = "vllm/core/block_manager.py"
V1 = "vllm/core/block_manager_v1.py"
V2 = "vllm/core/block_manager_v2.py"
SCHED = "vllm/core/scheduler.py"
ENGINE = "vllm/engine/llm_engine.py"
BLOCK = "vllm/core/block/"


def lines(model: CommitModel, caller: str, callee: str) -> list[int]:
    return sorted(e.lineno for e in model.edges if e.caller == caller and e.callee == callee)


def test_era1_scheduler_into_block_manager_into_allocator() -> None:
    m = era_model("era1")
    pairs = edge_pairs(m)
    assert (f"{SCHED}::Scheduler._allocate", f"{BM1}::BlockSpaceManager.allocate") in pairs
    assert (f"{BM1}::BlockSpaceManager.allocate", f"{BM1}::BlockAllocator.allocate") in pairs
    assert (f"{SCHED}::Scheduler.__init__", f"{BM1}::BlockSpaceManager.__init__") in pairs
    assert (f"{ENGINE}::LLMEngine._finish", f"{SCHED}::Scheduler.free_seq") in pairs
    assert lines(m, f"{BM1}::BlockSpaceManager.append_slot", f"{BM1}::BlockAllocator.free") == [108]


def test_self_calls_resolve_in_the_class_and_its_bases() -> None:
    m = era_model("era2")
    pairs = edge_pairs(m)
    assert (f"{V1}::BlockSpaceManagerV1.free", f"{V1}::BlockSpaceManagerV1._free_block_table") in pairs
    pcb = f"{BLOCK}prefix_caching_block.py"
    # super().__init__ reaches the base class in another file, through the import.
    assert (f"{pcb}::PrefixCachingBlock.__init__", f"{BLOCK}naive_block.py::NaiveBlock.__init__") in pairs
    # reset() called from __init__
    assert (f"{pcb}::BlockTracker.__init__", f"{pcb}::BlockTracker.reset") in pairs


def test_attribute_assigned_in_branches_reaches_every_class() -> None:
    m = era_model("era2")
    callees = {c for a, c in edge_pairs(m) if a == f"{V1}::BlockSpaceManagerV1.allocate"}
    assert {
        f"{V1}::BlockAllocatorBase.allocate",
        f"{V1}::CachedBlockAllocator.allocate",
        f"{V1}::UncachedBlockAllocator.allocate",
    } <= callees


def test_factory_return_annotation_and_dispatch_to_overrides() -> None:
    m = era_model("era2")
    caller = f"{V2}::BlockSpaceManagerV2.append_slots"
    edges = {(e.callee, e.kind) for e in m.edges if e.caller == caller}
    assert (f"{BLOCK}interfaces.py::DeviceAwareBlockAllocator.clear_copy_on_writes", "direct") in edges
    cpu_gpu = f"{BLOCK}cpu_gpu_block_allocator.py::CpuGpuBlockAllocator.clear_copy_on_writes"
    assert (cpu_gpu, "direct") in edges
    # A parameter annotated with the interface: the abstract method plus "dispatch" edges to overrides.
    table = f"{BLOCK}block_table.py::BlockTable.fork"
    edges = {(e.callee, e.kind) for e in m.edges if e.caller == table}
    assert (f"{BLOCK}interfaces.py::DeviceAwareBlockAllocator.fork", "direct") in edges
    assert (f"{BLOCK}cpu_gpu_block_allocator.py::CpuGpuBlockAllocator.fork", "dispatch") in edges
    # A dict of parameters typed BlockAllocator, indexed by device.
    alloc = f"{BLOCK}cpu_gpu_block_allocator.py::CpuGpuBlockAllocator.allocate_mutable_block"
    assert (alloc, f"{BLOCK}naive_block.py::NaiveBlockAllocator.allocate_mutable_block") in edge_pairs(m)


def test_scheduler_reaches_both_managers_through_get_block_space_manager_class() -> None:
    m = era_model("era2")
    caller = f"{SCHED}::Scheduler._allocate_and_set_running"
    callees = {c for a, c in edge_pairs(m) if a == caller}
    assert callees == {f"{V1}::BlockSpaceManagerV1.allocate", f"{V2}::BlockSpaceManagerV2.allocate"}
    m3 = era_model("era3")
    callees3 = {c for a, c in edge_pairs(m3) if a == caller}
    assert "vllm/core/block_manager.py::SelfAttnBlockSpaceManager.allocate" in callees3


def test_list_indexed_and_local_scheduler_receivers() -> None:
    for era in ("era2", "era3"):  # era2: list comprehension; era3: also annotated List[Scheduler]
        pairs = edge_pairs(era_model(era))
        assert (f"{ENGINE}::LLMEngine.add_request", f"{SCHED}::Scheduler.add_seq_group") in pairs
        assert (f"{ENGINE}::LLMEngine.step", f"{SCHED}::Scheduler.schedule") in pairs
        assert (f"{ENGINE}::LLMEngine._process_model_outputs", f"{SCHED}::Scheduler.free_seq") in pairs


def test_v1_engine_retry_loop_and_pool_chain() -> None:
    m = era_model("era4")
    sched = "vllm/v1/core/sched/scheduler.py::Scheduler"
    kvm = "vllm/v1/core/kv_cache_manager.py::KVCacheManager"
    assert lines(m, f"{sched}.schedule", f"{kvm}.allocate_slots") == [41]
    assert (f"{sched}._preempt_request", f"{kvm}.free") in edge_pairs(m)
    pairs = edge_pairs(m)
    assert (f"{kvm}.allocate_slots", "vllm/v1/core/block_pool.py::BlockPool.get_num_free_blocks") in pairs
    stm = "vllm/v1/core/single_type_kv_cache_manager.py::SingleTypeKVCacheManager"
    assert (f"{stm}.allocate_new_blocks", "vllm/v1/core/block_pool.py::BlockPool.get_new_blocks") in pairs
    coord = "vllm/v1/core/kv_cache_coordinator.py::KVCacheCoordinator"
    assert (f"{coord}.allocate_new_blocks", f"{stm}.allocate_new_blocks") in pairs  # comprehension target


def test_property_reads_reach_their_getters() -> None:
    m = era_model("era2")
    edges = {(e.caller, e.callee, e.kind) for e in m.edges}
    getter = f"{BLOCK}block_table.py::BlockTable.physical_block_ids"
    assert (f"{V2}::BlockSpaceManagerV2.get_block_table", getter, "property") in edges
    assert getter in m.called_from_outside
    # An abstract property read through the interface also reaches the overrides.
    reader = f"{BLOCK}common.py::CopyOnWriteTracker.is_appendable"
    assert (reader, f"{BLOCK}naive_block.py::NaiveBlock.block_id", "property") in edges
    # Plain attributes are not properties: no edge.
    assert not [e for e in m.edges if e.callee.endswith("::BlockSpaceManagerV2.block_size")]


def test_unresolved_receivers_are_recorded_never_guessed() -> None:
    m = model_of(
        {
            "vllm/a.py": textwrap.dedent(
                """\
                class Pool:
                    def free(self, b): pass

                class User:
                    def __init__(self, pool):
                        self.pool = pool

                    def release(self, thing, b):
                        thing.free(b)
                        self.pool.free(b)
                        self.missing.free(b)
                """
            )
        }
    )
    assert not [e for e in m.edges if e.callee.endswith("Pool.free")]
    assert {u.expression for u in m.unresolved} == {"thing.free", "self.pool.free", "self.missing.free"}
    era2 = era_model("era2")
    # A Protocol-typed attribute whose protocol lacks the method stays unresolved.
    assert any(u.expression == "self._refcounter.get" for u in era2.unresolved)


def test_interface_from_outside_the_model_dispatches_to_its_implementations() -> None:
    sources = {
        "vllm/v1/core/sched/scheduler.py": textwrap.dedent(
            """\
            from vllm.v1.core.sched.interface import SchedulerInterface

            class Scheduler(SchedulerInterface):
                def schedule(self): pass

            class AsyncScheduler(Scheduler):
                def schedule(self): pass
            """
        ),
        "vllm/v1/engine/core.py": textwrap.dedent(
            """\
            from vllm.v1.core.sched.interface import SchedulerInterface

            class EngineCore:
                def __init__(self, config):
                    Scheduler = config.get_scheduler_cls()
                    self.scheduler: SchedulerInterface = Scheduler()
                    self.picked = [Scheduler()]

                def step(self):
                    self.scheduler.schedule()
                    self.picked[0].schedule()
                    best = min(self.picked)
                    best.schedule()
            """
        ),
    }
    m = model_of(sources)
    edges = {(e.callee.split("::")[1], e.kind) for e in m.edges if e.caller.endswith("EngineCore.step")}
    assert edges == {("Scheduler.schedule", "dispatch"), ("AsyncScheduler.schedule", "dispatch")}
    # A class known only as what an untyped parameter returned is unresolved, never guessed.
    expected = {"config.get_scheduler_cls", "self.picked[0].schedule", "best.schedule"}
    assert {u.expression for u in m.unresolved} == expected


def test_attribute_made_by_a_class_chosen_at_run_time_is_unresolved() -> None:
    src = textwrap.dedent(
        """\
        import importlib

        class Pool:
            def take(self): pass

        class User:
            def __init__(self):
                Thing = getattr(importlib.import_module("x"), "Thing")
                self.thing = Thing()
                self.items = []
                self.array = importlib.import_module("numpy").zeros(3)

            def go(self):
                self.thing.take()
                self.items.append(1)
                self.array.fill(0)
        """
    )
    m = model_of({"vllm/a.py": src})
    assert not m.edges
    # A class chosen at run time is unresolved; a list's append or an outside object's method is not.
    assert {u.expression for u in m.unresolved} == {"self.thing.take"}


def test_builtins_that_pass_items_through() -> None:
    m = era_model("era4")
    coord = "vllm/v1/core/kv_cache_coordinator.py::KVCacheCoordinator"
    stm = "vllm/v1/core/single_type_kv_cache_manager.py::SingleTypeKVCacheManager"
    # self.single_type_managers = tuple(get_manager_for_kv_cache_spec(...) for ...), annotated too
    assert (f"{coord}.free", f"{stm}.free") in edge_pairs(m)
    src = textwrap.dedent(
        """\
        class Pool:
            def take(self): pass

        class User:
            def __init__(self, n: int):
                self.pools = tuple(Pool() for _ in range(n))

            def go(self):
                min(self.pools).take()
                for pool in sorted(self.pools):
                    pool.take()
        """
    )
    pairs = edge_pairs(model_of({"vllm/a.py": src}))
    assert ("vllm/a.py::User.go", "vllm/a.py::Pool.take") in pairs


def test_names_resolve_by_module_path_not_by_bare_name() -> None:
    sources = {
        "vllm/core/one.py": "class BlockAllocator:\n    def allocate(self): pass\n",
        "vllm/core/two.py": "class BlockAllocator:\n    def allocate(self): pass\n",
        "vllm/core/user.py": textwrap.dedent(
            """\
            from vllm.core.two import BlockAllocator

            class Manager:
                def __init__(self):
                    self.allocator = BlockAllocator()

                def go(self):
                    self.allocator.allocate()
            """
        ),
    }
    pairs = edge_pairs(model_of(sources))
    assert ("vllm/core/user.py::Manager.go", "vllm/core/two.py::BlockAllocator.allocate") in pairs
    assert ("vllm/core/user.py::Manager.go", "vllm/core/one.py::BlockAllocator.allocate") not in pairs


def test_called_from_outside_marks_the_public_api() -> None:
    m = era_model("era1")
    assert f"{BM1}::BlockSpaceManager.allocate" in m.called_from_outside
    assert f"{BM1}::BlockAllocator.allocate" in m.called_from_outside
    assert f"{BM1}::BlockSpaceManager._free_block_table" not in m.called_from_outside
    assert f"{BM1}::BlockSpaceManager.reset" not in m.called_from_outside


def test_call_graph_is_a_networkx_digraph_with_attributes() -> None:
    m = era_model("era1")
    g = call_graph(m)
    assert isinstance(g, nx.DiGraph)
    node = g.nodes[f"{BM1}::BlockSpaceManager.allocate"]
    assert (node["cls"], node["role"], node["public"]) == ("BlockSpaceManager", "allocator", True)
    data = g.edges[f"{BM1}::BlockSpaceManager.swap_in", f"{BM1}::BlockAllocator.allocate"]
    assert data["lines"] == sorted(data["lines"]) and data["kind"] == "direct"
    assert nx.has_path(g, f"{ENGINE}::LLMEngine.step", f"{BM1}::BlockAllocator.allocate")

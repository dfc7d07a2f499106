"""Extraction: ranges equal stdlib ast's, and every shape the issue lists is captured."""

from __future__ import annotations

import re
import textwrap
import warnings

import pytest

from annotator.errors import ExtractError
from annotator.extract import cache
from annotator.extract.visitor import extract_file
from annotator.model import ClassInfo, FileModel, FileRole, Function, StateVar
from tests.gitrepo import ERAS, tree
from tests.modelkit import ast_ranges, fixture_files, model_ranges

ALL_FIXTURE_FILES = [(era, path) for era in ERAS for path in fixture_files(era)]


def extract(text: str, path: str = "vllm/x.py") -> FileModel:
    return extract_file(path, "allocator", "blob", textwrap.dedent(text))


def fixture(era: str, path: str) -> FileModel:
    return extract_file(path, "allocator", "blob", (tree(era) / path).read_text())


def cls(fm: FileModel, qualname: str) -> ClassInfo:
    return next(c for c in fm.classes if c.qualname == qualname)


def method(fm: FileModel, key: str) -> Function:
    return next(m for c in fm.classes for m in c.methods if m.key == key)


def state(c: ClassInfo, name: str) -> StateVar:
    return next(s for s in c.state if s.name == name)


@pytest.mark.parametrize(("era", "path"), ALL_FIXTURE_FILES, ids=[f"{e}/{p}" for e, p in ALL_FIXTURE_FILES])
def test_every_class_and_def_range_equals_ast(era: str, path: str) -> None:
    text = (tree(era) / path).read_text()
    assert model_ranges(fixture(era, path)) == ast_ranges(text)


def test_ranges_exclude_decorators_and_trailing_comments() -> None:
    fm = extract(
        """\
        class A:
            @property
            # between
            def f(self):
                if x:
                    a = 1
                    # inner
                # outer
            # class foot
            @dec(
              1)
            def g(self): return (1,
               2)  # trailing

        # after
        """
    )
    assert model_ranges(fm) == {("class", "A", 1, 13), ("def", "A.f", 4, 6), ("def", "A.g", 12, 13)}
    # Comments after the last statement fall outside ast's range, so they are not the method's evidence.
    assert method(fm, "A.f").comments == ()


def test_nested_classes_get_qualified_names() -> None:
    fm = fixture("era2", "vllm/core/block/interfaces.py")
    names = {c.qualname for c in fm.classes}
    assert {"Block", "Block.Factory", "BlockAllocator.NoFreeBlocksError"} <= names
    factory = cls(fm, "Block.Factory")
    assert factory.bases == ("Protocol",)
    assert [m.key for m in factory.methods] == ["Block.Factory.__call__"]
    assert cls(fm, "BlockAllocator.NoFreeBlocksError").bases == ("ValueError",)


def test_property_setters_and_overloads_keep_distinct_keys() -> None:
    fm = fixture("era2", "vllm/core/block/naive_block.py")
    block = cls(fm, "NaiveBlock")
    getter, setter = (m for m in block.methods if m.name == "block_id")
    assert (getter.kind, setter.kind) == ("property", "setter")
    assert getter.key == "NaiveBlock.block_id"
    assert setter.key == f"NaiveBlock.block_id@{setter.lineno}"
    utils = fixture("era4", "vllm/v1/core/kv_cache_utils.py")
    items = [m for m in cls(utils, "BlockHashListWithBlockSize").methods if m.name == "__getitem__"]
    assert [m.kind for m in items] == ["overload", "overload", "method"]
    assert len({m.key for m in items}) == 3
    assert items[-1].key == "BlockHashListWithBlockSize.__getitem__"


def test_a_redefined_method_keeps_both_entries() -> None:
    fm = extract("class A:\n    def f(self): pass\n    def f(self, x): pass\n")
    first, second = cls(fm, "A").methods
    assert (first.redefined, second.redefined) == (True, False)
    assert first.key == "A.f@2" and second.key == "A.f"


def test_methods_signature_doc_public_abstract_kind() -> None:
    fm = fixture("era2", "vllm/core/block/cpu_gpu_block_allocator.py")
    create = method(fm, "CpuGpuBlockAllocator.create")
    assert create.kind == "staticmethod"
    assert create.signature == (
        "create(allocator_type: str, num_gpu_blocks: int, num_cpu_blocks: int, block_size: int)"
        " -> DeviceAwareBlockAllocator"
    )
    assert create.returns == "DeviceAwareBlockAllocator"
    assert create.doc == "Creates a CpuGpuBlockAllocator instance with the specified configuration."
    assert create.public and not create.abstract
    iface = fixture("era2", "vllm/core/block/interfaces.py")
    assert method(iface, "BlockAllocator.free").abstract
    stacked = [m for m in cls(iface, "Block").methods if m.name == "block_id"]
    assert [m.kind for m in stacked] == ["property", "setter"] and all(m.abstract for m in stacked)
    tracker = cls(fixture("era2", "vllm/core/block/prefix_caching_block.py"), "BlockTracker")
    assert not next(m for m in tracker.methods if m.name == "__init__").public


def test_decorators_as_written_including_calls() -> None:
    engine = fixture("era2", "vllm/engine/llm_engine.py")
    assert method(engine, "LLMEngine.get_block_size").decorators == ("functools.lru_cache(maxsize=8)",)
    table = fixture("era4", "vllm/v1/worker/block_table.py")
    kernel = next(f for f in table.functions if f.name == "_compute_slot_mapping_kernel")
    assert kernel.decorators == ('triton.jit(do_not_specialize=["num_reqs"])',)
    assert kernel.kind == "function"
    utils = fixture("era4", "vllm/v1/core/kv_cache_utils.py")
    assert cls(utils, "KVCacheBlock").decorators == ("dataclass",)


def test_state_from_init_branches_and_annotations() -> None:
    v1 = cls(fixture("era2", "vllm/core/block_manager_v1.py"), "BlockSpaceManagerV1")
    gpu = state(v1, "gpu_allocator")
    assert gpu.annotation == "BlockAllocatorBase"
    assert gpu.value_calls == ("CachedBlockAllocator", "UncachedBlockAllocator")
    assert len(gpu.assigned_at) == 2 and gpu.lineno == gpu.assigned_at[0]
    assert gpu.assigned_in == ("__init__",) and not gpu.late
    assert state(v1, "block_tables").annotation == "Dict[int, BlockTable]"


def test_state_set_by_a_helper_that_init_calls_and_slots() -> None:
    tracker = cls(fixture("era2", "vllm/core/block/prefix_caching_block.py"), "BlockTracker")
    last = state(tracker, "last_accessed")
    assert last.annotation == "float" and last.assigned_in == ("reset",) and not last.late
    assert state(tracker, "active").assigned_in == ("__init__", "disable", "enable")
    slots = state(tracker, "__slots__")
    assert slots.kind == "class"


def test_state_tuple_chained_try_and_late_targets() -> None:
    fm = extract(
        """\
        class A:
            LIMIT = 50

            def __init__(self, pool: Pool):
                self.a, (self.b, *self.c) = 1, (2, 3)
                self.x = self.y = 0
                try:
                    self.policy = Policy(p)
                except ValueError:
                    raise
                self.pool = pool
                self.count: int = 0

            def later(self):
                self.late_one = []
                self.count += 1
        """
    )
    a = cls(fm, "A")
    assert [s.name for s in a.state] == [
        "LIMIT",
        "a",
        "b",
        "c",
        "x",
        "y",
        "policy",
        "pool",
        "count",
        "late_one",
    ]
    assert state(a, "x").lineno == state(a, "y").lineno == 6
    assert state(a, "policy").value_calls == ("Policy",)
    assert state(a, "pool").value_types == ("Pool",)
    assert state(a, "count").assigned_at == (12, 16) and state(a, "count").annotation == "int"
    assert state(a, "late_one").late and not state(a, "count").late
    assert state(a, "LIMIT").kind == "class"


def test_dataclass_namedtuple_and_enum_fields_are_class_level_state() -> None:
    utils = fixture("era4", "vllm/v1/core/kv_cache_utils.py")
    block = cls(utils, "KVCacheBlock")
    assert [s.name for s in block.state][:3] == ["block_id", "ref_cnt", "_block_hash"]
    assert state(block, "block_id").kind == "class" and state(block, "block_id").annotation == "int"
    assert state(block, "prev_free_block").annotation == 'Optional["KVCacheBlock"]'
    status = cls(fixture("era2", "vllm/core/interfaces.py"), "AllocStatus")
    assert [s.name for s in status.state] == ["OK", "LATER", "NEVER"]
    nt = extract(
        "from typing import NamedTuple\nclass H(NamedTuple):\n    hash_value: int\n    token_ids: tuple\n"
    )
    assert [(s.name, s.annotation) for s in cls(nt, "H").state] == [
        ("hash_value", "int"),
        ("token_ids", "tuple"),
    ]


def test_module_aliases_and_constants() -> None:
    era1 = fixture("era1", "vllm/block.py")
    assert {a.name: a.text for a in era1.aliases} == {
        "_BLANK_TOKEN_ID": "-1",
        "BlockTable": "List[PhysicalTokenBlock]",
    }
    utils = fixture("era4", "vllm/v1/core/kv_cache_utils.py")
    assert {a.name for a in utils.aliases} == {"BlockHash", "ExternalBlockHash"}
    v2 = fixture("era2", "vllm/core/block_manager_v2.py")
    assert [(a.name, a.text) for a in v2.aliases] == [("SeqId", "int")]


def test_evidence_asserts_raises_and_comments_inside_the_body() -> None:
    v1 = fixture("era2", "vllm/core/block_manager_v1.py")
    append = method(v1, "BlockSpaceManagerV1.append_slots")
    assert [e.text for e in append.asserts] == ["assert last_block.device == Device.GPU"]
    assert any(e.text.startswith("Copy on Write") for e in append.comments)
    uncached = method(v1, "UncachedBlockAllocator.allocate")
    assert [e.text for e in uncached.raises] == [
        'raise ValueError("Out of memory! No free blocks are available.")'
    ]
    assert all(append.lineno <= e.lineno <= append.end_lineno for e in append.comments)
    v2 = fixture("era2", "vllm/core/block_manager_v2.py")
    get = method(v2, "BlockSpaceManagerV2.get_block_table")
    assert get.comments == ()  # "# type: ignore" is a pragma, not evidence


def test_evidence_text_is_one_line_and_truncated() -> None:
    long_message = "x" * 300
    fm = extract(f'def f(a):\n    assert a, (\n        "{long_message}")\n')
    (ev,) = fm.functions[0].asserts
    assert "\n" not in ev.text and len(ev.text) <= 120 and ev.text.endswith("…")
    assert ev.lineno == 2


def test_nested_functions_belong_to_the_enclosing_function() -> None:
    common = fixture("era2", "vllm/core/block/common.py")
    assert [f.name for f in common.functions] == ["get_all_blocks_recursively"]
    outer = common.functions[0]
    assert ("", "recurse") in {(c.receiver, c.name) for c in outer.calls}
    assert ("lst", "append") in {(c.receiver, c.name) for c in outer.calls}


def test_call_sites_record_receivers_and_paths() -> None:
    engine = fixture("era2", "vllm/engine/llm_engine.py")
    add = method(engine, "LLMEngine.add_request")
    site = next(c for c in add.calls if c.name == "add_seq_group")
    assert (site.receiver, site.path) == ("self.scheduler[virtual_engine]", "self.scheduler[]")
    step = method(engine, "LLMEngine.step")
    assert ("num_copies", "call:len") in step.locals  # walrus


def test_imports_resolve_relative_names() -> None:
    fm = extract(
        "from . import common\nfrom .interfaces import Block as B\nimport numpy as np\n",
        "vllm/core/block/x.py",
    )
    assert fm.imports == (
        ("common", "vllm.core.block.common"),
        ("B", "vllm.core.block.interfaces.Block"),
        ("np", "numpy"),
    )


def test_source_that_does_not_parse_names_file_and_line() -> None:
    with pytest.raises(ExtractError) as info:
        extract_file(
            "vllm/core/broken.py", "allocator", "b", "class A:\n    def f(self):\n        return (\n\n"
        )
    assert info.value.path == "vllm/core/broken.py"
    assert info.value.line is not None and info.value.line >= 3
    assert str(info.value).startswith("vllm/core/broken.py:")


TRICKY = '''\
"""Module docstring
over two lines."""
import os; import sys


@decorator(
    "arg",
)
def f(a,
      b):  # comment
    x = (
        g(a))
    y = a + \\
        h(b)
    s = """multi
line"""; t = f"{a}\\n{b}"
    assert (x,
            y)
    if x: k(1)
    return (s,
            t)


class C(
    Base,
):
    def m(self): return self.n(
        1)
    v = [
        1,
    ]
'''


@pytest.mark.parametrize(("era", "path"), ALL_FIXTURE_FILES, ids=[f"{e}/{p}" for e, p in ALL_FIXTURE_FILES])
def test_counted_lines_equal_position_provider_lines(era: str, path: str) -> None:
    text = (tree(era) / path).read_text()
    exact = extract_file(path, "caller", "b", text, positions=True)
    assert extract_file(path, "caller", "b", text, positions=False) == exact


def test_counted_lines_on_tricky_layouts() -> None:
    exact = extract_file("vllm/x.py", "caller", "b", TRICKY, positions=True)
    assert extract_file("vllm/x.py", "caller", "b", TRICKY, positions=False) == exact
    assert model_ranges(exact) == ast_ranges(TRICKY)
    f = exact.functions[0]
    assert [(c.name, c.lineno) for c in f.calls] == [("g", 12), ("h", 14), ("k", 19)]
    assert [e.lineno for e in f.asserts] == [17]


def test_the_collector_has_no_per_attribute_handlers() -> None:
    """The collector answers libcst's per-attribute calls without looking (a speed-up): a
    `visit_Node_attribute` or `leave_Node_attribute` handler added to it would never run."""
    from annotator.extract.visitor import Collector

    handlers = [name for name in vars(Collector) if re.match(r"(visit|leave)_[A-Z]\w*_\w+$", name)]
    assert handlers == []


@pytest.mark.parametrize("role", ["allocator", "caller"])
def test_invalid_escapes_in_vllm_code_print_no_warning(role: FileRole) -> None:
    """"\\d" in a string or docstring is vLLM's lint (a SyntaxWarning on the terminal from Python 3.12)."""
    text = (
        'import re\n\n\nclass A:\n    """Digits \\d+."""\n\n'
        '    def f(self):\n        return re.match("\\d+", "1")\n'
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = cache.extract("vllm/x.py", role, "b", text)
    assert [str(w.message) for w in caught] == []
    assert model.classes[0].doc == "Digits \\d+."


@pytest.mark.parametrize("era", ERAS)
def test_the_regex_and_token_scans_of_the_ast_reader_agree(era: str) -> None:
    """Comments and string literals: the regular expression (before Python 3.12) and tokenize (3.12+,
    where an f-string may hold its own quotes) find the same ones in every fixture file."""
    from annotator.extract.astsource import _scan_regex, _scan_tokens

    for path, text in fixture_files(era).items():
        offsets = [0]
        for line in text.split("\n"):
            offsets.append(offsets[-1] + len(line) + 1)
        comments, strings = _scan_regex(text, offsets)
        assert (comments, strings) == _scan_tokens(text, offsets), path
        assert all(text[start] in "'\"" for start in strings), path

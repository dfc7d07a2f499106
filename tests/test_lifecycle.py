"""The lifecycle sequenceDiagram and the allocator classDiagram, derived from the call graph."""

from __future__ import annotations

import ast
import os
import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

pytest.importorskip("annotator.notes.mermaid")

from annotator.model import ClassInfo, CommitModel, Edge, FileModel, Function, StateVar
from annotator.notes.lifecycle.walk import Spec, Step, class_diagram, lifecycle_diagram, load_specs
from annotator.notes.mermaid import unescape
from annotator.resolve.analyze import analyze
from annotator.resolve.graph import call_graph
from annotator.snapshot.files import take
from annotator.source.repos import open_source
from tests.conftest import require_layout
from tests.gitrepo import FIXTURES, make_repo
from tests.gitrepo import Step as Commit
from tests.gitrepo import tree as era_tree

MESSAGE = re.compile(r"^\s*(\w+)->>(\w+): (\w+)\(\) L(\d+)$")
ENTITY = re.compile(r"#\w+;")

# ------------------------------------------------------------------------------------------ helpers


def build(repo: Path, ref: str) -> tuple[CommitModel, str, str]:
    """Model, lifecycle diagram and class diagram of a commit (the default engine's, with its defaults)."""
    from annotator.notes.document import engine_model

    snap = take(open_source(str(repo)), ref)
    model = analyze(snap)
    other = snap.layout.other_paths(f.path for f in model.files)
    main = engine_model(model, frozenset(f.path for f in model.files) - other)
    allocator = tuple(f.path for f in main.files if f.role == "allocator")
    seq = lifecycle_diagram(main, call_graph(main), snap.layout.lifecycle, defaults=snap.defaults)
    return model, seq, class_diagram(main, allocator)


def messages(diagram: str) -> list[tuple[str, str, str, int]]:
    """(from, to, method, line) of every message line, in order."""
    out = []
    for line in diagram.splitlines():
        m = MESSAGE.match(line)
        if m:
            out.append((m[1], m[2], m[3], int(m[4])))
    return out


def alias(diagram: str, pid: str) -> str:
    m = re.search(rf"^\s*participant {pid} as (\S+)", diagram, re.M)
    assert m, f"no participant {pid}"
    return m[1]


def def_lines(text: str, cls: str) -> dict[str, int]:
    """Method name -> `def` line of a class, from Python's own ast."""
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.ClassDef) and node.name == cls:
            return {f.name: f.lineno for f in node.body if isinstance(f, ast.FunctionDef)}
    raise AssertionError(f"no class {cls}")


def inherited_def_lines(texts: list[str], cls: str) -> dict[str, set[int]]:
    """Method name -> `def` lines of a class and its bases (by name, in any of `texts`), from Python's ast.

    A participant drawn as a default subclass also receives the calls its bases define."""
    classes: dict[str, list[ast.ClassDef]] = {}
    for text in texts:
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ClassDef):
                classes.setdefault(node.name, []).append(node)
    out: dict[str, set[int]] = {}
    todo, seen = [cls], set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for node in classes.get(name, []):
            for f in node.body:
                if isinstance(f, ast.FunctionDef):
                    out.setdefault(f.name, set()).add(f.lineno)
            todo += [ast.unparse(b).split("[")[0].rpartition(".")[2] for b in node.bases]
    assert seen & set(classes), f"no class {cls}"
    return out


def manager_calls_in_order(scheduler: str, engine: str, entries: list[str]) -> list[str]:
    """`self.block_manager.X` calls reached depth first from the entries, in call-site order (ast)."""
    methods: dict[str, ast.FunctionDef] = {}
    for text, cls in ((scheduler, "Scheduler"), (engine, "LLMEngine")):
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ClassDef) and node.name == cls:
                for f in node.body:
                    if isinstance(f, ast.FunctionDef):
                        methods[f"{cls}.{f.name}"] = f

    def calls(fn: ast.FunctionDef) -> list[ast.Call]:
        found = [n for n in ast.walk(fn) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)]
        return sorted(found, key=lambda n: (n.lineno, n.col_offset))

    out: list[str] = []

    def walk(key: str, stack: tuple[str, ...]) -> None:
        cls = key.split(".")[0]
        for call in calls(methods[key]):
            assert isinstance(call.func, ast.Attribute)
            receiver = ast.unparse(call.func.value)
            if receiver == "self" and f"{cls}.{call.func.attr}" in methods and key not in stack:
                walk(f"{cls}.{call.func.attr}", (*stack, key))
            elif receiver == "self.scheduler" and f"Scheduler.{call.func.attr}" in methods:
                walk(f"Scheduler.{call.func.attr}", (*stack, key))
            elif receiver == "self.block_manager" and call.func.attr not in out:
                out.append(call.func.attr)

    for entry in entries:
        walk(entry, ())
    return out


def _mermaid(diagrams: list[str]) -> list[tuple[bool, str | None, tuple[str, ...] | None]]:
    """(ok, error, label texts) per diagram from mermaid's own parser; skips the test when unavailable."""
    try:
        from tests.mermaid_validator import require_mermaid
        from tests.mermaid_validator import validate as run
    except ImportError:  # pragma: no cover - the validator module not there yet
        pytest.skip("tests/mermaid_validator.py missing")
    require_mermaid()
    return [(r.ok, r.error, r.texts) for r in run(diagrams)]


def _no_fork(text: str) -> str:
    return text.replace("self.block_manager.fork(parent_seq, child_seq)", "pass")


def _hostile(text: str) -> str:  # `End` (a sequence keyword) and `note` (a class-diagram keyword)
    return text.replace("BlockAllocator", "End").replace("AllocStatus", "note")


VARIANTS: dict[str, tuple[str, dict[str, Callable[[str], str]]]] = {
    "era1": ("era1", {}),
    "era2": ("era2", {}),
    "era3": ("era3", {}),
    "era4": ("era4", {}),
    "era1-no-fork": ("era1", {"vllm/core/scheduler.py": _no_fork}),
    "era1-hostile": ("era1", {"vllm/core/block_manager.py": _hostile, "vllm/core/scheduler.py": _hostile}),
}


@dataclass(frozen=True)
class Built:
    repo: Path
    model: CommitModel
    seq: str
    cls: str


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Built]:
    """Every fixture variant's model and diagrams, built once for the module (git, libcst, resolution)."""
    out: dict[str, Built] = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
        mp.setenv("GIT_CONFIG_GLOBAL", os.devnull)
        for name, (tree, edits) in VARIANTS.items():
            files: dict[str, str | None] = {p: f((era_tree(tree) / p).read_text()) for p, f in edits.items()}
            repo, (sha,) = make_repo(tmp_path_factory.mktemp(name), [Commit(tree=tree, files=files)])
            out[name] = Built(repo, *build(repo, sha))
    return out


# ------------------------------------------------------------------------------------------ era 1


def test_era1_messages_follow_the_schedulers_call_order_with_def_lines(built: dict[str, Built]) -> None:
    seq = built["era1"].seq
    root = FIXTURES / "era1" / "vllm"
    manager = (root / "core/block_manager.py").read_text()
    lines = {
        "BlockManager": def_lines(manager, "BlockSpaceManager"),
        "BlockAllocator": def_lines(manager, "BlockAllocator"),
        "Scheduler": def_lines((root / "core/scheduler.py").read_text(), "Scheduler"),
    }
    assert alias(seq, "BlockManager") == "BlockSpaceManager"
    assert alias(seq, "BlockAllocator") == "BlockAllocator"
    engine = def_lines((root / "engine/llm_engine.py").read_text(), "LLMEngine")
    first = seq.split("participant BlockAllocator as BlockAllocator (core/block_manager.py)\n", 1)[1]
    assert first.startswith(f"    Note over Engine: add_request() L{engine['add_request']}: entry point\n")
    msgs = messages(seq)
    assert msgs[:2] == [
        ("Engine", "Scheduler", "add_seq_group", lines["Scheduler"]["add_seq_group"]),
        ("Engine", "Scheduler", "schedule", lines["Scheduler"]["schedule"]),
    ]
    for _, to, name, line in msgs:
        assert line == lines[to][name], f"{to}.{name}"
    drawn = list(dict.fromkeys(name for _, to, name, _ in msgs if to == "BlockManager"))
    expected = manager_calls_in_order(
        (root / "core/scheduler.py").read_text(),
        (root / "engine/llm_engine.py").read_text(),
        ["LLMEngine.add_request", "LLMEngine.step", "Scheduler.fork_seq", "Scheduler.free_seq"],
    )
    assert drawn == [name for name in expected if name in drawn]
    assert {"can_allocate", "allocate", "append_slot", "free", "swap_out", "fork"} <= set(drawn)
    assert "get_block_table" not in drawn  # not a lifecycle step


def test_era1_alternative_paths_are_alt_and_opt_blocks(built: dict[str, Built]) -> None:
    seq = built["era1"].seq
    body = [unescape(line.strip()) for line in seq.splitlines()]
    admission = body.index("alt can_allocate: OK")
    assert body[admission + 1].startswith("Scheduler->>BlockManager: allocate() L")
    assert "else can_allocate: LATER" in body and "else can_allocate: NEVER" in body
    preempt = body.index("alt no room, one sequence: preempt by recompute")
    assert body[preempt + 1].startswith("Scheduler->>BlockManager: free() L")
    swap = body.index("else no room, several sequences: preempt by swap")
    assert body[swap + 1].startswith("Scheduler->>BlockManager: can_swap_out() L")
    assert body.index("opt n > 1 or beam search: shared blocks, copy on write") > swap
    assert "opt request finished" in body
    # The fixture's scheduler never swaps back in: that block is left out, and the diagram says so.
    assert not any(line.startswith("opt swapped") for line in body)
    assert any(line.startswith("Note over Scheduler: not at this commit: swapped requests") for line in body)
    assert body.count("end") == sum(line.split(" ")[0] in ("alt", "opt") for line in body)


ERAS = {  # layout, the BlockManager class, and whether the era swaps out / copies on write
    "era1": ("v0-monolithic", "BlockSpaceManager", True, True),
    "era2": ("v0-dual-v1-v2", "BlockSpaceManagerV1", True, True),
    "era3": ("v0-v2-only", "SelfAttnBlockSpaceManager", True, True),
    "era4": ("v1-engine", "KVCacheManager", False, False),
}


def participants(diagram: str) -> dict[str, tuple[str, str]]:
    """Participant id -> (class, path) from `participant ID as Class (path)` lines."""
    found = re.findall(r"^\s*participant (\w+) as (\S+) \((\S+)\)$", unescape(diagram), re.M)
    return {pid: (cls.rpartition(".")[2], f"vllm/{path}") for pid, cls, path in found}


@pytest.mark.parametrize("era", list(ERAS))
def test_every_era_messages_carry_the_def_lines_of_python_ast(era: str, built: dict[str, Built]) -> None:
    layout, manager, swaps, cow = ERAS[era]
    repo, model, seq = built[era].repo, built[era].model, built[era].seq
    assert model.layout == layout
    who = participants(seq)
    assert who["BlockManager"][0] == manager
    msgs = messages(seq)
    assert any(to == "BlockManager" for _, to, _, _ in msgs)
    texts = [p.read_text() for p in sorted((repo / "vllm").rglob("*.py"))]
    for _, to, name, line in msgs:
        cls_name, _path = who[to]
        assert line in inherited_def_lines(texts, cls_name)[name], f"{cls_name}.{name}"
    text = unescape(seq)
    assert ("preempt by swap\n" in text) == swaps
    assert ("opt n > 1 or beam search" in text) == cow
    if not cow:  # V1: no fork, no copy-on-write; the diagram says so instead of pointing elsewhere
        assert "fork()" not in text and "Note over Scheduler: not at this commit: shared blocks" in text
    assert "free()" in text and ("opt request finished" in text)


def test_a_step_without_a_call_is_left_out_never_invented(built: dict[str, Built]) -> None:
    seq = built["era1-no-fork"].seq
    assert "fork()" not in seq
    assert "opt n > 1" not in unescape(seq)
    assert "%% not found at this commit: n > 1 or beam search" in unescape(seq)


def test_same_commit_same_diagrams(built: dict[str, Built]) -> None:
    era1 = built["era1"]
    assert build(era1.repo, "HEAD")[1:] == (era1.seq, era1.cls)


# ------------------------------------------------------------------------------------------ hostile names


def test_hostile_class_and_keyword_names_are_escaped(built: dict[str, Built]) -> None:
    seq, cls = built["era1-hostile"].seq, built["era1-hostile"].cls
    assert not re.search(r"^\s*participant end\b", seq, re.M | re.I)
    assert re.search(r"^\s*participant \w+ as End \(core/block_manager\.py\)$", seq, re.M)
    assert any(to != "End" and name == "allocate" for _, to, name, _ in messages(seq))
    assert not re.search(r"^\s*class note\b", cls, re.M)


def _fn(cls: str, name: str, line: int, sig: str = "") -> Function:
    return Function(
        name=name,
        qualname=f"{cls}.{name}",
        lineno=line,
        end_lineno=line + 1,
        signature=sig or f"{name}(self)",
        doc="",
        public=not name.startswith("_"),
        abstract=False,
        decorators=(),
        kind="method",
    )


def _cls(name: str, state: tuple[StateVar, ...], methods: tuple[Function, ...]) -> ClassInfo:
    return ClassInfo(name, name, 1, 30, (), (), "", state, methods)


def _hostile_model() -> CommitModel:
    sched, mgr = "vllm/core/scheduler.py", "vllm/core/block_manager.py"
    state = (
        StateVar("free_ids", "List[int]", 2, (2,)),
        StateVar("__mangled__", "Dict[str, Set[int]]", 3, (3,)),
        StateVar("_d", "Optional[Tuple[int, int]]", 4, (4,)),
    )
    methods = (
        _fn("End", "__init__", 2),
        _fn("End", "alloc_#1", 5, "alloc(self, n: int = 1) -> List[int]"),
        _fn("End", "grow;", 7, "grow(self, d: Dict[str, int] = {}) -> None"),
    )
    files = (
        FileModel(sched, "", 30, "caller", (_cls("Scheduler", (), (_fn("Scheduler", "schedule", 2),)),)),
        FileModel(mgr, "", 30, "allocator", (_cls("End", state, methods), _cls("note", (), ()))),
    )
    edges = (Edge(f"{sched}::Scheduler.schedule", f"{mgr}::End.alloc_#1", 3),)
    return CommitModel("f" * 40, "0", "", "t", files, edges)


HOSTILE_SPEC = Spec(
    name="t",
    entries=("Scheduler.schedule",),
    engine=(),
    scheduler=("Scheduler",),
    managers=("End",),
    depth=2,
    skip=(),
    hide=(),
    groups=(("g", "alt"),),
    steps=(
        Step(label="alloc", calls=("alloc_#1",), group="g", branch="OK; go #2"),
        Step(label="", calls=(), group="g", branch="else; #3", note="lock; then free #4 %%{x} <b>"),
        Step(label="missing; #5", calls=("nowhere",)),
    ),
)


def test_hostile_labels_in_steps_and_members() -> None:
    model, spec = _hostile_model(), HOSTILE_SPEC
    seq = lifecycle_diagram(model, None, "t", spec)
    lines = seq.splitlines()
    labels = [line.split(":", 1)[1] for line in lines if "->>" in line or "Note over" in line]
    labels += [
        line.split(" ", 1)[1] for line in (x.strip() for x in lines) if line.startswith(("alt", "else"))
    ]
    # Entities are fine; any other `#` or `;` in a label breaks or truncates a sequence diagram.
    assert len(labels) == 4 and not any(c in ENTITY.sub("", text) for text in labels for c in "#;"), labels
    assert "%%{" not in seq and "participant End " not in seq
    assert "%% not found at this commit: missing#59; #35;5 (nowhere)" in seq
    # What mermaid shows is what we meant, character for character.
    (ok, _, texts), (_, _, class_texts) = _mermaid(
        [seq, class_diagram(model, ("vllm/core/block_manager.py",))]
    )
    assert ok and texts is not None and class_texts is not None
    assert {
        "OK; go #2",
        "lock; then free #4 %%{x} <b>",
        "alloc_#1() L5",
        "End (core/block_manager.py)",
    } <= set(texts)
    assert "-__mangled__: Dict[str, Set[int]]" in class_texts
    cls = class_diagram(model, ("vllm/core/block_manager.py",))
    assert "__mangled__" not in cls and "__mangled__: Dict[str, Set[int]]" in unescape(cls)
    assert "{}" not in cls.replace("End {", "").replace("\n    }", "")
    assert not re.search(r"^\s*class note\b", cls, re.M)


# ------------------------------------------------------------------------------------------ class diagram


def test_era1_class_diagram_state_methods_and_composition(built: dict[str, Built]) -> None:
    cls = unescape(built["era1"].cls)
    assert cls.startswith("classDiagram\n")
    assert "    BlockSpaceManager *-- BlockAllocator : gpu_allocator" in cls
    assert "    BlockSpaceManager *-- BlockAllocator : cpu_allocator" in cls
    block = cls[cls.index("class BlockAllocator {") :]
    block = block[: block.index("}")]
    assert "allocate() PhysicalTokenBlock" in block and "free(block)" in block
    assert "BlockTable" in block  # free_blocks: BlockTable


def _many_classes() -> CommitModel:
    path = "vllm/core/block/many.py"
    state = tuple(StateVar(f"s{i}", "int", 10 + i, (10 + i,)) for i in range(20))
    classes = tuple(
        ClassInfo(f"C{i}", f"C{i}", 100 * i + 1, 100 * i + 50, ("C0",) if i else (), (), "", state, ())
        for i in range(30)
    )
    return CommitModel("a" * 40, "0", "", "t", (FileModel(path, "", 3000, "allocator", classes),))


def _no_classes() -> CommitModel:
    return CommitModel("a" * 40, "0", "", "t", (FileModel("vllm/x.py", "", 1, "allocator", ()),))


def test_class_diagram_is_bounded_and_says_what_it_cut() -> None:
    cls = class_diagram(_many_classes(), ())
    assert cls.count("\n    class ") == 12
    assert re.search(r'note "\+18 more classes', cls)
    assert "+6 more" in cls  # 20 state lines: 14 shown, 6 counted
    assert "    C0 <|-- C1" in cls


def test_class_diagram_draws_the_default_path_first_and_names_the_rest() -> None:
    model = _many_classes()
    keys = [f"{f.path}::{c.qualname}" for f in model.files for c in f.classes]
    focus, off = (keys[20], keys[21]), frozenset({keys[0]})
    cls = class_diagram(model, (), focus, off)
    drawn = re.findall(r"^    class (\w+)", cls, re.M)
    assert {"C20", "C21"} <= set(drawn) and "C0" not in drawn
    assert len(drawn) <= 12
    note = re.search(r'note "\+(\d+) off the default path or past the bound#58; (.*)"', cls)
    assert note and "C0" in note[2].split(", ")
    assert int(note[1]) + len(drawn) == len(keys)  # every class drawn or named


def test_every_diagram_parses_with_mermaid(built: dict[str, Built]) -> None:
    """All diagrams of this module through mermaid's own parser, in one node process."""
    diagrams = {f"{name}/{kind}": getattr(b, kind) for name, b in built.items() for kind in ("seq", "cls")}
    diagrams["hostile/seq"] = lifecycle_diagram(_hostile_model(), None, "t", HOSTILE_SPEC)
    diagrams["hostile/cls"] = class_diagram(_hostile_model(), ())
    diagrams["many/cls"] = class_diagram(_many_classes(), ())
    diagrams["none/cls"] = class_diagram(_no_classes(), ())
    diagrams["no-layout/seq"] = lifecycle_diagram(_no_classes(), None, "no-such-layout")
    assert "note " in diagrams["none/cls"]
    verdicts = _mermaid(list(diagrams.values()))
    bad = {name: error for name, (ok, error, _) in zip(diagrams, verdicts, strict=True) if not ok}
    assert not bad, bad


# ------------------------------------------------------------------------------------------ query file


def test_every_layout_has_lifecycle_steps() -> None:
    from annotator.snapshot.layouts import load_layouts

    specs = load_specs()
    for layout in load_layouts():
        assert not layout.other_engine or layout.other_engine in specs
        spec = specs[layout.lifecycle]
        groups = dict(spec.groups)
        assert spec.entries and spec.steps
        assert all(s.group in groups for s in spec.steps if s.group)
        assert set(groups.values()) <= {"alt", "opt"}


# ------------------------------------------------------------------------------------------ real history

REAL = {
    "82091b864af105dbe373353655dc9d8c0a6ba66f": ("v0-monolithic", "BlockSpaceManager", True, True),
    "09c7792610ada9f88bbf87d32b472dd44bf23cc2": ("v0-dual-v1-v2", "BlockSpaceManagerV1", True, True),
    "6d8d0a24c02bfd84d46b3016b865a44f048ae84b": ("v1-default-v0-fallback", "KVCacheManager", False, False),
    "HEAD": ("v1-engine", "KVCacheManager", False, False),
}


@pytest.mark.real
@pytest.mark.parametrize("ref", list(REAL))
def test_real_lifecycle(real_repo: Path, ref: str) -> None:
    layout, manager, has_swap, has_cow = REAL[ref]
    require_layout(real_repo, ref, layout)
    model, seq, cls = build(real_repo, ref)
    assert model.layout == layout
    who = participants(seq)
    assert who["BlockManager"][0] == manager
    sources: dict[str, str] = {}
    msgs = messages(seq)
    assert any(to == "BlockManager" for _, to, _, _ in msgs)
    for f in model.files:  # every line against `git show SHA:path` parsed by ast
        show = ["git", "-C", str(real_repo), "show", f"{model.sha}:{f.path}"]
        sources[f.path] = subprocess.run(show, check=True, capture_output=True, text=True).stdout
    for _, to, name, line in msgs:
        cls_name, path = who[to]
        found = inherited_def_lines(list(sources.values()), cls_name)[name]
        assert line in found, f"{path}::{cls_name}.{name}"
    text = unescape(seq)
    assert ("preempt by swap\n" in text) == has_swap
    assert ("opt n > 1 or beam search" in text and "fork()" in text) == has_cow
    bad = [error for ok, error, _ in _mermaid([seq, cls]) if not ok]
    assert not bad, bad


# ------------------------------------------------------------------------------------------ default path

_UPDATE = '''    def update_from_output(self, finished: list[Request]) -> None:
        for request in finished:
            self._update_request_with_output(request)

    def _update_request_with_output(self, request: Request) -> None:
        if request.is_finished():
            self._free_request(request)

'''
_ASYNC = '''from vllm.v1.core.sched.scheduler import Scheduler
from vllm.v1.request import Request


class AsyncScheduler(Scheduler):
    def _update_request_with_output(self, request: Request) -> None:
        super()._update_request_with_output(request)
        self.kv_cache_manager.cache_blocks(request, request.num_computed_tokens)
'''
_CACHE = '''    def cache_blocks(self, request: Request, num_computed_tokens: int) -> None:
        self.coordinator.cache_blocks(request, num_computed_tokens)

    def free(self, request: Request) -> None:'''
_CONFIG = "class SchedulerConfig:\n    async_scheduling: bool | None = {}\n"


def _mermaid_blocks(notes: str) -> list[str]:
    return re.findall(r"```mermaid\n(.*?)```", notes, re.S)


@pytest.mark.parametrize("flag", ["None", "False"])
def test_async_scheduling_by_default_follows_the_async_schedulers_override(tmp_path: Path, flag: str) -> None:
    from annotator.notes.document import skeleton

    root = FIXTURES / "era4" / "vllm/v1/core"
    files: dict[str, str | None] = {
        "vllm/v1/core/sched/scheduler.py": (root / "sched/scheduler.py")
        .read_text()
        .replace("    def _free_request", _UPDATE + "    def _free_request"),
        "vllm/v1/core/sched/async_scheduler.py": _ASYNC,
        "vllm/v1/core/kv_cache_manager.py": (root / "kv_cache_manager.py")
        .read_text()
        .replace("    def free(self, request: Request) -> None:", _CACHE),
        "vllm/config/scheduler.py": _CONFIG.format(flag),
    }
    repo, (sha,) = make_repo(tmp_path, [Commit(tree="era4", files=files)])
    snap = take(open_source(str(repo)), sha)
    seq = unescape(_mermaid_blocks(skeleton(snap, analyze(snap)))[0])
    on = flag == "None"
    assert snap.defaults.get("async_scheduling") == ("on" if on else "off")
    assert ("participant Scheduler as AsyncScheduler" in seq) == on
    assert ("Scheduler->>BlockManager: cache_blocks()" in seq) == on


def test_the_v0_default_block_manager_is_drawn_and_the_other_named(built: dict[str, Built]) -> None:
    from annotator.notes.document import skeleton

    snap = take(open_source(str(built["era2"].repo)), "HEAD")
    notes = skeleton(snap, analyze(snap))
    seq, cls = (unescape(b) for b in _mermaid_blocks(notes)[:2])
    assert snap.defaults.get("block_manager") == "BlockSpaceManagerV1"
    assert "participant BlockManager as BlockSpaceManagerV1" in seq
    assert "as BlockSpaceManagerV2" not in seq and "as CachedBlockAllocator" not in seq
    assert "not drawn BlockSpaceManagerV2" in seq
    assert "also implemented by BlockSpaceManagerV2 (not the default here)" in seq
    assert "class BlockSpaceManagerV1" in cls
    assert "BlockSpaceManagerV2" in cls.split("note ", 1)[1]  # not drawn, but named

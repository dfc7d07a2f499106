"""This module derives a request's lifecycle (a mermaid sequenceDiagram) from the resolved call graph.

Which calls are drawn, and in which alt/opt block, is declared per layout in queries/lifecycle.toml
(annotator/notes/lifecycle/spec.py); this module walks the graph depth first from the layout's entry
methods, in call-site order, and keeps the calls that match a step. Nothing is drawn that the graph
does not contain. The class diagram lives in annotator/notes/classdiagram.py and is re-exported here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from annotator.links import node_id
from annotator.model import CommitModel, Function
from annotator.notes.classdiagram import class_diagram
from annotator.notes.lifecycle.draw import render
from annotator.notes.lifecycle.paths import DefaultPath, default_path
from annotator.notes.lifecycle.spec import (
    ALLOCATOR,
    CALLER_SIDE,
    ENGINE,
    MANAGER,
    SCHEDULER,
    Event,
    Spec,
    Step,
    load_specs,
    method,
    owner,
    qualname,
)
from annotator.snapshot.defaults import NONE, Defaults

__all__ = ["Lifecycle", "Spec", "Step", "class_diagram", "lifecycle", "lifecycle_diagram", "load_specs"]

MAX_STACK = 12  # bound on the call path walked (same-class calls included)


@dataclass
class _Walk:
    spec: Spec
    functions: dict[str, Function]
    sites: dict[str, list[tuple[int, str]]]
    roles: dict[str, str]  # "path::Class" -> role
    path: DefaultPath
    events: list[Event] = field(default_factory=list)
    seen: set[tuple[str, str, str, str]] = field(default_factory=set)
    visited: set[tuple[str, int, Step | None, frozenset[str]]] = field(default_factory=set)
    within: frozenset[str] = frozenset()  # every method name a step's `within` mentions
    stacks: dict[int, tuple[str, ...]] = field(default_factory=dict)  # event index -> its call path

    def __post_init__(self) -> None:
        self.within = frozenset(name for s in self.spec.steps for name in s.within)


def lifecycle_diagram(
    model: CommitModel, graph: Any, layout_name: str, spec: Spec | None = None, defaults: Defaults = NONE
) -> str:
    """The lifecycle diagram alone (see `lifecycle`)."""
    return lifecycle(model, graph, layout_name, spec, defaults).text


@dataclass(frozen=True, slots=True)
class Lifecycle:
    text: str  # the mermaid sequenceDiagram
    classes: tuple[str, ...]  # "path::Class" on the drawn path (bases after the classes standing for them)
    hidden: frozenset[str]  # classes off the default path
    methods: frozenset[str]  # "path::Qualname" on a call path to a drawn call (private helpers included)


def lifecycle(
    model: CommitModel, graph: Any, layout_name: str, spec: Spec | None = None, defaults: Defaults = NONE
) -> Lifecycle:
    """A mermaid sequenceDiagram of a request's lifecycle at the model's commit.

    Args:
        model: the commit's model (its files, functions and resolved edges).
        graph: the networkx call graph over "path::Qualname" nodes (`resolve.call_graph`), or None;
            its edges and `model.edges` are merged, each call site keeping its line.
        layout_name: which layout's steps to use from queries/lifecycle.toml.
        spec: the steps to use instead of the query file's (tests).
        defaults: the commit's defaults: which of the classes a switch chooses between are followed.

    Returns the diagram with the classes and methods of its default path.
    """
    spec = spec or load_specs().get(layout_name)
    if spec is None:
        text = f"sequenceDiagram\n    %% no lifecycle steps for layout {layout_name}\n"
        return Lifecycle(text, (), frozenset(), frozenset())
    functions = _functions(model)
    path = default_path(model, spec, defaults)
    walk = _Walk(spec, functions, _sites(model, graph), _roles(model, spec, path), path)
    from_engine = {
        c for caller, sites in walk.sites.items() if _role(walk, caller) == ENGINE for _, c in sites
    }
    for entry in _entries(model, spec, defaults):
        role = _role(walk, entry)
        if role == ENGINE or (role == SCHEDULER and entry not in from_engine):
            _outside(walk, entry)
        _walk(walk, entry, [entry], 0, None)
    text, drawn = render(spec, walk.events, functions, walk.roles, model.sha, path)
    on_path = [owner(n) for e in walk.events for n in (e.caller, e.callee) if n]
    on_path += [path.shown(c) for c in on_path]
    on_path += [a for c in list(on_path) for a in path.ancestors.get(c, ())]
    methods = frozenset(n for i in drawn for n in walk.stacks.get(i, ()) if owner(n) in walk.roles)
    return Lifecycle(text, tuple(dict.fromkeys(on_path)), path.hidden, methods)


def _functions(model: CommitModel) -> dict[str, Function]:
    return {node_id(f.path, fn.key): fn for f in model.files for _, fn in f.callables()}


def _sites(model: CommitModel, graph: Any) -> dict[str, list[tuple[int, str]]]:
    """Every call site per caller, sorted by line: the graph's edges merged with the model's."""
    found: dict[str, set[tuple[int, str]]] = {}
    for e in model.edges:
        found.setdefault(e.caller, set()).add((e.lineno, e.callee))
    if graph is not None:
        for u, v, data in graph.edges(data=True):
            for line in _edge_lines(data):
                found.setdefault(str(u), set()).add((line, str(v)))
    return {k: sorted(v) for k, v in found.items()}


def _edge_lines(data: dict[str, Any]) -> list[int]:
    for key in ("lines", "linenos", "lineno"):
        value = data.get(key)
        if isinstance(value, int):
            return [value]
        if isinstance(value, Iterable):
            return [int(v) for v in value]
    return []


def _roles(model: CommitModel, spec: Spec, path: DefaultPath) -> dict[str, str]:
    """The role of every class the walk may enter; classes of caller files not named are opaque, and
    classes off the default path are left out. A default subclass takes its base's role."""
    roles: dict[str, str] = {}
    for f in model.files:
        for c in f.classes:
            key = node_id(f.path, c.qualname)
            if c.name in spec.hide or key in spec.hide or key in path.hidden:
                continue
            if c.name in spec.engine and f.role == "caller":
                roles[key] = ENGINE
            elif c.name in spec.scheduler and f.role == "caller":
                roles[key] = SCHEDULER
            elif c.name in spec.managers and f.role == "allocator":
                roles[key] = MANAGER
            elif f.role == "allocator":
                roles[key] = ALLOCATOR
    for key in path.preferred:
        base = next((a for a in path.ancestors.get(key, ()) if a in roles), "")
        if base and key not in roles:
            roles[key] = roles[base]
    return roles


def _entries(model: CommitModel, spec: Spec, defaults: Defaults) -> list[str]:
    """The entry methods; "@switch" stands for that switch's default ("@engine_step" -> EngineCore.step)."""
    callers = {f.path for f in model.files if f.role == "caller"}
    nodes = {
        node_id(f.path, m.key) for f in model.files if f.path in callers for c in f.classes for m in c.methods
    }
    out = []
    for entry in spec.entries:
        if entry.startswith("@"):
            entry = defaults.get(entry[1:])
        out += sorted(n for n in nodes if entry and n.partition("::")[2] == entry)
    return out


def _match(walk: _Walk, caller: str, callee: str, stack: list[str]) -> Step | None:
    from_caller_side = walk.roles.get(owner(caller)) in CALLER_SIDE
    path_names = {method(n) for n in stack}
    for step in walk.spec.steps:
        if method(callee) not in step.calls or not (from_caller_side or step.deep):
            continue
        if step.within and not path_names & set(step.within):
            continue
        return step
    return None


def _callees(walk: _Walk, node: str) -> list[tuple[int, str, tuple[str, ...]]]:
    """Call sites of `node` on the default path: a dispatch follows the default implementation (or
    stays at the base when none is known); the implementations not followed come along, for a Note."""
    by_line: dict[int, list[str]] = {}
    off: dict[int, list[str]] = {}
    for line, callee in walk.sites.get(node, []):
        callee = walk.path.override(node, callee)
        if owner(callee) in walk.path.hidden:
            off.setdefault(line, []).append(callee)
        elif callee not in by_line.setdefault(line, []):
            by_line[line].append(callee)
    out = []
    for line, callees in sorted(by_line.items()):
        # an abstract method that a concrete override also answers is not drawn
        concrete = [c for c in callees if not (c in walk.functions and walk.functions[c].abstract)]
        hidden = off.get(line, [])
        if concrete or any(c in walk.functions and not walk.functions[c].abstract for c in hidden):
            callees = concrete
        kept, others = walk.path.choose(callees, hidden)
        out += [(line, callee, others) for callee in kept]
    return out


def _walk(walk: _Walk, node: str, stack: list[str], depth: int, inherited: Step | None) -> None:
    # What a walk draws depends only on these (and on the cycle check): walk each combination once.
    marks = frozenset(method(n) for n in stack) & walk.within
    memo = (node, depth, inherited, marks)
    if memo in walk.visited:
        return
    walk.visited.add(memo)
    for line, callee, others in _callees(walk, node):
        cls = owner(callee)
        if callee in stack or len(stack) >= MAX_STACK or cls not in walk.roles:
            continue
        if qualname(callee) in walk.spec.skip:
            continue
        if walk.path.shown(cls) == walk.path.shown(owner(node)):  # one object: walked through, not drawn
            _walk(walk, callee, [*stack, callee], depth, inherited)
            continue
        below = walk.roles[cls] not in CALLER_SIDE
        if below and depth >= walk.spec.depth:
            continue
        step = _match(walk, node, callee, stack) or (inherited if not _caller_side(walk, node) else None)
        if step is not None:
            key = (step.block, step.branch, walk.path.shown(owner(node)), callee)
            if key not in walk.seen:
                walk.seen.add(key)
                level = depth + int(below)
                walk.events.append(Event(len(walk.events), node, callee, line, step, level, others))
            walk.stacks.setdefault(len(walk.events) - 1, (*stack, callee))
        _walk(walk, callee, [*stack, callee], depth + int(below), step)


def _caller_side(walk: _Walk, node: str) -> bool:
    return walk.roles.get(owner(node)) in CALLER_SIDE


def _role(walk: _Walk, node: str) -> str:
    return walk.roles.get(owner(node), "")


def _outside(walk: _Walk, entry: str) -> None:
    """An engine entry, or a scheduler entry no engine method calls in the graph: drawn as a Note."""
    step = next((s for s in walk.spec.steps if method(entry) in s.calls), None)
    if step is not None:
        key = (step.block, step.branch, "", entry)
        if key not in walk.seen:
            walk.seen.add(key)
            walk.events.append(Event(len(walk.events), "", entry, 0, step))

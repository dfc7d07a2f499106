"""This module draws the allocator classes, their state and public methods as a mermaid classDiagram.

Pure: model in, text out. Relations come only from the model: `<|--` for bases that are classes of
the drawn files, `*--` for state constructed from another drawn class, `o--` for state whose
annotation (or assigned parameter's annotation) names one. Sorted, bounded, deterministic.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from annotator.links import node_id
from annotator.model import ClassInfo, CommitModel, Function, StateVar
from annotator.notes import mermaid
from annotator.pyparse import parse

MAX_CLASSES = 12
MAX_MEMBERS = 15
_NAME = re.compile(r"[A-Za-z_]\w*")


@dataclass(frozen=True, slots=True)
class _Cls:
    path: str
    info: ClassInfo

    @property
    def key(self) -> str:
        return node_id(self.path, self.info.qualname)


def class_diagram(
    model: CommitModel,
    paths: tuple[str, ...] = (),
    focus: tuple[str, ...] = (),
    off_path: frozenset[str] = frozenset(),
) -> str:
    """The diagram alone (see `drawn_class_diagram`)."""
    return drawn_class_diagram(model, paths, focus, off_path)[0]


def drawn_class_diagram(
    model: CommitModel,
    paths: tuple[str, ...] = (),
    focus: tuple[str, ...] = (),
    off_path: frozenset[str] = frozenset(),
) -> tuple[str, tuple[str, ...]]:
    """A mermaid classDiagram of the classes of the model's allocator files, at most MAX_CLASSES.

    Args:
        model: the commit's model.
        paths: the files to draw (allocator files of the model); empty means every allocator file.
        focus: classes ("path::Class") of the default path, drawn first in this order.
        off_path: classes off the default path, drawn last (and named in a note when cut).

    Returns the diagram and the drawn classes ("path::Class").
    """
    files = [f for f in model.files if f.role == "allocator" and (not paths or f.path in paths)]
    classes = [_Cls(f.path, c) for f in sorted(files, key=lambda f: f.path) for c in f.classes]
    relations = _relations(classes, _factories(model))
    cut: list[_Cls] = []
    if len(classes) > MAX_CLASSES:  # the default path's, then the most connected and most called
        weight = _weights(classes, relations, model.called_from_outside)
        rank = {key: i for i, key in enumerate(focus)}
        near = {r for left, _, right, _ in relations if {left, right} & rank.keys() for r in (left, right)}

        def order(c: _Cls) -> tuple[int, int, int, str, int]:
            tier = 0 if c.key in rank else 3 if c.key in off_path else 1 if c.key in near or not rank else 2
            return (tier, rank.get(c.key, 0), -weight[c.key], c.path, c.info.lineno)

        ranked = sorted(classes, key=order)
        if rank:  # only the default path's classes and their direct relations
            ranked = [c for c in ranked if order(c)[0] <= 1] or ranked
        kept = {c.key for c in ranked[:MAX_CLASSES]}
        cut = [c for c in classes if c.key not in kept]
        classes = [c for c in classes if c.key in kept]
    ids = _ids(classes)
    lines = ["classDiagram", f"    %% allocator classes at {model.sha[:12]}, layout {model.layout}"]
    for c in classes:
        lines += _class_lines(ids[c.key], c.info)
    for left, arrow, right, label in relations:
        if left in ids and right in ids:
            tail = f" : {mermaid.class_rel_label(label)}" if label else ""
            lines.append(f"    {ids[left]} {arrow} {ids[right]}{tail}")
    if not classes:
        lines.append('    note "no classes in the allocator files"')
    if cut:
        names = ", ".join(c.info.qualname for c in cut)
        what = "off the default path or past the bound" if focus else "more classes"
        lines.append(f'    note "{mermaid.class_label(f"+{len(cut)} {what}: {names}")}"')
    return "\n".join(lines) + "\n", tuple(c.key for c in classes)


def _weights(
    classes: list[_Cls], relations: list[tuple[str, str, str, str]], outside: frozenset[str]
) -> dict[str, int]:
    """Relations a class takes part in plus its methods called from outside it."""
    weight = {c.key: sum(f"{c.key}.{m.name}" in outside for m in c.info.methods) for c in classes}
    for left, _, right, _ in relations:
        weight[left] += 1
        weight[right] += 1
    return weight


def _ids(classes: list[_Cls]) -> dict[str, str]:
    taken: set[str] = set()
    out: dict[str, str] = {}
    for c in classes:
        out[c.key] = mermaid.class_id(c.info.qualname, taken)
        taken.add(out[c.key])
    return out


def _class_lines(cid: str, info: ClassInfo) -> list[str]:
    state = list(dict.fromkeys(_state_member(s) for s in info.state))
    methods = list(dict.fromkeys(_method_member(m) for m in info.methods if m.public and m.kind != "setter"))
    members = state + methods
    if len(members) > MAX_MEMBERS:  # state gets at most half the lines, methods the rest
        room = MAX_MEMBERS - 1
        keep = min(len(state), max(room // 2, room - len(methods)))
        members = [*state[:keep], *methods[: room - keep], f"+{len(members) - room} more"]
    head = f"    class {cid}" if cid == info.qualname else f"    {mermaid.class_decl(cid, info.qualname)}"
    if not members:
        return [head]
    return [f"{head} {{", *(f"        {mermaid.class_member(m)}" for m in members), "    }"]


def _state_member(s: StateVar) -> str:
    vis = "-" if s.name.startswith("_") else "+"
    return f"{vis}{s.name}: {s.annotation}" if s.annotation else f"{vis}{s.name}"


def _method_member(fn: Function) -> str:
    params, returns = _signature(fn)
    tail = f" {returns}" if returns else ""
    return f"+{fn.name}({params}){tail}"


def _signature(fn: Function) -> tuple[str, str]:
    """Parameter names (without self/cls) and the return annotation, from the signature text."""
    try:
        tree = parse(f"def {fn.signature}:\n    pass\n")
    except SyntaxError:
        return "...", fn.returns
    node = tree.body[0]
    assert isinstance(node, ast.FunctionDef)
    a = node.args
    names = [p.arg for p in (*a.posonlyargs, *a.args, *a.kwonlyargs)]
    names += [f"*{a.vararg.arg}"] if a.vararg else []
    names += [f"**{a.kwarg.arg}"] if a.kwarg else []
    if names and names[0] in ("self", "cls"):
        names = names[1:]
    returns = ast.unparse(node.returns) if node.returns is not None else ""
    return ", ".join(names), "" if returns == "None" else returns


def _factories(model: CommitModel) -> dict[str, str]:
    """Function or "Class.method" name -> its return annotation, to see through factories."""
    out: dict[str, str] = {}
    for f in model.files:
        for fn in (*f.functions, *(m for c in f.classes for m in c.methods)):
            if fn.returns:
                out.setdefault(fn.qualname, fn.returns)
                out.setdefault(fn.name, fn.returns)
    return out


def _relations(classes: list[_Cls], factories: dict[str, str]) -> list[tuple[str, str, str, str]]:
    """(left key, arrow, right key, label), sorted: inheritance, then composition, association."""
    by_name: dict[str, list[_Cls]] = {}
    for c in classes:
        by_name.setdefault(c.info.name, []).append(c)
    out: set[tuple[str, str, str, str]] = set()
    for c in classes:
        for base in c.info.bases:
            for b in _resolve(_names(base)[:1] or [""], c, by_name):
                out.add((b.key, "<|--", c.key, ""))
        for s in c.info.state:
            made, typed = _state_types(s, factories)
            for t in _resolve(made, c, by_name):
                out.add((c.key, "*--", t.key, s.name))
            for t in _resolve(typed, c, by_name):
                if (c.key, "*--", t.key, s.name) not in out:
                    out.add((c.key, "o--", t.key, s.name))
    order = {"<|--": 0, "*--": 1, "o--": 2}
    return sorted(out, key=lambda r: (order[r[1]], r[0], r[2], r[3]))


def _names(text: str) -> list[str]:
    """Identifiers in an annotation or call target; for "a.B[C]" the base is B."""
    head = text.split("[", 1)[0]
    first = head.rpartition(".")[2] if head else ""
    rest = _NAME.findall(text.split("[", 1)[1]) if "[" in text else []
    return [n for n in [first, *rest] if n]


def _state_types(s: StateVar, factories: dict[str, str]) -> tuple[list[str], list[str]]:
    made: list[str] = []
    for call in (*s.value_calls, *s.item_calls):
        made.append(call.split(".")[0] if "." in call else call)
        if call in factories:
            made += _names(factories[call])
    typed: list[str] = []
    for text in (s.annotation or "", *s.value_types):
        typed += _names(text)
    return made, typed


def _resolve(names: list[str], owner: _Cls, by_name: dict[str, list[_Cls]]) -> list[_Cls]:
    """Drawn classes with one of these names (the owner's own file first), never the owner itself."""
    out: list[_Cls] = []
    for name in names:
        hits = by_name.get(name, [])
        same = [h for h in hits if h.path == owner.path]
        for h in same or hits[:1]:
            if h.key != owner.key and h not in out:
                out.append(h)
    return out

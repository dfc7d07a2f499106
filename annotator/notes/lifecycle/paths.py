"""The default path through the classes a lifecycle walk may enter, from the commit's defaults.

`queries/lifecycle.toml` says, per layout, which classes a switch of queries/defaults.toml chooses
between (`switched`) and which implementations an ordinary model uses at a dispatch (`prefer`). This
module turns that and the `Defaults` into: the classes off the default path (neither walked nor drawn),
the preferred classes (followed at a dispatch, their overrides win over their bases' methods), and the
participant each class is drawn as (a base is drawn as the default subclass it stands for).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from annotator.links import node_id
from annotator.model import ClassInfo, CommitModel
from annotator.notes.lifecycle.spec import Spec, method, owner
from annotator.snapshot.defaults import NONE, Defaults


@dataclass(frozen=True, slots=True)
class DefaultPath:
    hidden: frozenset[str]  # class keys off the default path
    preferred: tuple[str, ...]  # class keys followed at a dispatch, most derived first
    display: dict[str, str]  # class key -> the class key it is drawn as (a base -> its default subclass)
    methods: dict[str, frozenset[str]]  # class key -> names of the methods it defines
    ancestors: dict[str, tuple[str, ...]]  # class key -> its bases among the model's classes, nearest first
    notes: tuple[str, ...]  # what the diagram assumes, for its Notes

    def shown(self, cls: str) -> str:
        return self.display.get(cls, cls)

    def choose(self, callees: list[str], hidden: list[str]) -> tuple[list[str], tuple[str, ...]]:
        """At one call site with several callees (a dispatch): the ones to follow, and the classes of the
        implementations not followed (`hidden`: callees off the default path, already left out)."""
        if len(callees) <= 1:
            keep = callees
        else:
            preferred = [c for c in callees if owner(c) in self.preferred]
            on_path = preferred or [c for c in callees if self._on_path(owner(c))]
            keep = on_path[:1] if on_path else [c for c in callees if self._is_base(owner(c), callees)][:1]
            if not keep:
                return callees, ()
        mine = {owner(k) for k in keep} | {a for k in keep for a in self.ancestors.get(owner(k), ())}
        mine |= {self.shown(c) for c in mine}
        # the other implementations: classes of the same hierarchy (sharing a base with a kept one)
        others = {
            c
            for c in {owner(c) for c in [*callees, *hidden]} - mine
            if ({c, *self.ancestors.get(c, ())} & mine)
        }
        return keep, tuple(sorted({_name(c) for c in others}))

    def override(self, caller: str, callee: str) -> str:
        """A call on `self` from a base reaches the default subclass's override, when it has one."""
        cls, shown = owner(callee), self.shown(owner(callee))
        if shown == cls or self.shown(owner(caller)) != shown:
            return callee
        if method(callee) not in self.methods.get(shown, ()):
            return callee
        return node_id(shown.partition("::")[0], f"{shown.partition('::')[2]}.{method(callee)}")

    def _on_path(self, cls: str) -> bool:
        return cls in self.preferred or any(cls in self.ancestors.get(p, ()) for p in self.preferred)

    def _is_base(self, cls: str, callees: list[str]) -> bool:
        return all(owner(c) == cls or cls in self.ancestors.get(owner(c), ()) for c in callees)


def default_path(model: CommitModel, spec: Spec, defaults: Defaults = NONE) -> DefaultPath:
    classes = {node_id(f.path, c.qualname): (f.path, c) for f in model.files for c in f.classes}
    ancestors = {key: _ancestors(key, classes) for key in classes}
    by_name: dict[str, list[str]] = {}
    for key, (_, c) in classes.items():
        by_name.setdefault(c.name, []).append(key)
    hidden_names: set[str] = set()
    wanted: list[str] = []
    switched: list[tuple[str, str, list[str]]] = []
    for switch, names in spec.switched:
        value = defaults.get(switch)
        if not value:
            continue  # no defaults known (a bare model): every alternative stays
        chosen = set(re.split(r"[/.]", value))
        wanted += [n for n in names if n in chosen]
        off = [n for n in names if n not in chosen and n in by_name]
        hidden_names |= set(off)
        switched.append((switch, value, off))
    present_prefer = [n for n in spec.prefer if n in by_name]
    wanted += present_prefer
    preferred = tuple(k for n in dict.fromkeys(wanted) for k in by_name.get(n, []))
    preferred = tuple(sorted(preferred, key=lambda k: -len(ancestors[k])))
    keep = {a for p in preferred for a in ancestors[p]} | set(preferred)
    hidden = frozenset(k for k, (_, c) in classes.items() if c.name in hidden_names and k not in keep)
    notes: list[str] = []
    for switch, value, off in switched:
        gone = [n for n in off if any(classes[k][1].name == n for k in hidden)]
        if gone:
            notes.append(f"{switch} = {value} by default: not drawn {', '.join(gone)}")
    if present_prefer and spec.prefer_why:
        notes.append(f"followed at a dispatch: {', '.join(present_prefer)} ({spec.prefer_why})")
    display: dict[str, str] = {}
    for p in preferred:
        for a in ancestors[p]:
            display.setdefault(a, p)
    methods = {k: frozenset(m.name for m in c.methods) for k, (_, c) in classes.items()}
    return DefaultPath(hidden, preferred, display, methods, ancestors, tuple(notes))


def _ancestors(key: str, classes: dict[str, tuple[str, ClassInfo]]) -> tuple[str, ...]:
    out: list[str] = []
    todo = [key]
    while todo:
        path, info = classes[todo.pop(0)]
        for base in info.bases:
            name = base.split("[", 1)[0].rpartition(".")[2]
            hits = [k for k, (p, c) in classes.items() if c.name == name]
            hit = next((k for k in hits if classes[k][0] == path), hits[0] if hits else "")
            if hit and hit != key and hit not in out:
                out.append(hit)
                todo.append(hit)
    return tuple(out)


def _name(cls: str) -> str:
    return cls.partition("::")[2].rpartition(".")[2]

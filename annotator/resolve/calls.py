"""One function's call sites -> resolved edges and unresolved calls (see annotator/resolve/receivers.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.model import CallSite, Edge, Unresolved

if TYPE_CHECKING:
    from annotator.resolve.receivers import Ctx, Ref, Resolver


def edges_of(r: Resolver, ctx: Ctx, caller: str) -> tuple[set[Edge], set[Unresolved]]:
    edges: set[Edge] = set()
    unresolved: set[Unresolved] = set()
    assert ctx.fn is not None
    for site in ctx.fn.calls:
        targets, implementations, known = _targets(r, ctx, site)
        for callee in targets:
            edges.add(Edge(caller, callee, site.lineno))
            if r.ix.functions[callee].abstract:
                edges |= {Edge(caller, o, site.lineno, "dispatch") for o in r.ix.overrides(callee)}
        edges |= {Edge(caller, callee, site.lineno, "dispatch") for callee in implementations}
        if not targets and not implementations and not known:
            expression = f"{site.receiver}.{site.name}" if site.receiver else site.name
            unresolved.add(Unresolved(caller, site.lineno, expression))
    for site in ctx.fn.accesses:
        for getter in _properties(r, ctx, site):
            edges.add(Edge(caller, getter, site.lineno, "property"))
            if r.ix.functions[getter].abstract:
                edges |= {Edge(caller, o, site.lineno, "property") for o in r.ix.overrides(getter)}
    return edges, unresolved


def _properties(r: Resolver, ctx: Ctx, site: CallSite) -> list[str]:
    """The property getters an attribute read reaches (reads of plain attributes give none)."""
    refs = r.path_refs(ctx, site.path) or set()
    found = {r.ix.find_method(key, site.name) for kind, key, d in refs if kind in ("inst", "cls") and not d}
    return sorted(k for k in found if k is not None and r.ix.functions[k].kind == "property")


def _targets(r: Resolver, ctx: Ctx, site: CallSite) -> tuple[list[str], list[str], bool]:
    """The method/function keys a call reaches; the implementations in the model of an interface
    from outside it (`self.scheduler: SchedulerInterface`); whether an empty answer is "known"."""
    if not site.receiver:
        refs = r.path_refs(ctx, site.name)
        return [t for ref in refs or () for t in _callable(r, ref)], [], True
    if not site.path:
        return [], [], not site.receiver.startswith(("self", "cls", "super"))
    refs = r.path_refs(ctx, site.path)
    if refs is None:  # a global the model does not know (a logger, a module-level object)
        return [], [], True
    targets: list[str] = []
    implementations: list[str] = []
    missing = False
    for kind, key, depth in sorted(refs):
        if kind == "ext" and not depth:
            implementations.extend(r.ix.implementations(key, site.name))
        if depth or kind in ("ext", "func"):
            continue
        if kind == "module":
            targets.extend(
                t for k, q in r.ix.member(("module", key), site.name) for t in _callable(r, (k, q, 0))
            )
            continue
        method = r.ix.find_method(key, site.name)
        if method is not None:
            targets.append(method)
            continue
        found, known = _attribute_call(r, kind, key, site.name)
        targets.extend(found)
        missing = missing or not known
    known = bool(refs) and not missing and not _opaque(refs, site.path)
    return sorted(set(targets)), sorted(set(implementations) - set(targets)), known


def _opaque(refs: set[Ref], path: str) -> bool:
    """An attribute of self made by a class chosen at run time (see Resolver.call_refs): unresolved
    rather than "outside the model"."""
    return path.startswith(("self", "cls")) and all(k == "ext" and q.startswith("?") for k, q, _ in refs)


def _attribute_call(r: Resolver, kind: str, key: str, name: str) -> tuple[list[str], bool]:
    """`obj.name()` where `name` is no method: a nested class, or an attribute holding a callable."""
    nested = f"{key}.{name}"
    if kind == "cls" and nested in r.ix.classes:
        return _callable(r, ("cls", nested, 0)), True
    refs = r.attr_refs(key, name, kind == "cls", 0)
    calls = [m for k, q, d in refs if k == "inst" and not d for m in [r.ix.find_method(q, "__call__")] if m]
    known = bool(refs) or r.ix.has_external_base(key) or (name.startswith("__") and name.endswith("__"))
    return calls, known


def _callable(r: Resolver, ref: Ref | tuple[str, str, int]) -> list[str]:
    kind, key, depth = ref
    if depth:
        return []
    if kind in ("cls", "class"):
        init = r.ix.find_method(key, "__init__")
        return [init] if init else []
    if kind == "func":
        return [key] if key in r.ix.functions else []
    return []

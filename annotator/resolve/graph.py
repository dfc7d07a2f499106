"""Call resolution for a commit: every function's call sites -> edges, and the call graph over them.

A receiver's type comes from annotations (of attributes, parameters, locals), constructor calls, and the
return annotation or `return` values of factories (resolve/receivers.py); an attribute assigned different
classes in different branches gets every one. Names resolve by module path and imports only. A call whose
receiver is `self`-rooted, a parameter or a local but has no known type is `Unresolved`; calls on things
known to be outside the model (builtins, other packages, lists) are dropped. A call to an abstract method
also gets "dispatch" edges to its overrides in the subclasses of its class (resolve/calls.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.links import node_id
from annotator.model import CommitModel, Edge, FileModel, Unresolved
from annotator.resolve.calls import edges_of
from annotator.resolve.receivers import Ctx, Resolver
from annotator.resolve.symbols import Index, class_of

if TYPE_CHECKING:
    import networkx as nx


def resolve(files: tuple[FileModel, ...]) -> tuple[tuple[Edge, ...], tuple[Unresolved, ...], frozenset[str]]:
    """Edges, unresolved calls and the methods called from outside their class, for a commit's files."""

    index = Index(files)
    resolver = Resolver(index)
    edges: set[Edge] = set()
    unresolved: set[Unresolved] = set()
    for f in files:
        for cls, fn in f.callables():
            cls_key = node_id(f.path, cls.qualname) if cls else None
            e, u = edges_of(resolver, Ctx(f, cls_key, fn), node_id(f.path, fn.key))
            edges |= e
            unresolved |= u
    edges = _prefer_direct(edges)
    outside = frozenset(
        e.callee for e in edges if class_of(e.caller) != class_of(e.callee) and class_of(e.callee)
    )
    return (
        tuple(sorted(edges, key=lambda e: (e.caller, e.lineno, e.callee, e.kind))),
        tuple(sorted(unresolved, key=lambda u: (u.caller, u.lineno, u.expression))),
        outside,
    )


def _prefer_direct(edges: set[Edge]) -> set[Edge]:
    direct = {(e.caller, e.callee, e.lineno) for e in edges if e.kind == "direct"}
    return {e for e in edges if e.kind == "direct" or (e.caller, e.callee, e.lineno) not in direct}


def call_graph(model: CommitModel) -> nx.DiGraph:
    """The model's call graph: a node per function ("path::Qualname"), an edge per caller/callee pair.

    Node attributes: path, qualname, cls ("" for module functions), role, public, kind.
    Edge attributes: lines (sorted call lines), kind ("direct", "dispatch" or "property").
    """
    import networkx as nx

    graph = nx.DiGraph()
    for f in model.files:
        for cls, fn in f.callables():
            graph.add_node(
                node_id(f.path, fn.key),
                path=f.path,
                qualname=fn.qualname,
                cls=cls.qualname if cls else "",
                role=f.role,
                public=fn.public,
                kind=fn.kind,
            )
    for e in model.edges:
        if graph.has_edge(e.caller, e.callee):
            data = graph.edges[e.caller, e.callee]
            data["lines"] = sorted({*data["lines"], e.lineno})
            data["kind"] = "direct" if "direct" in (data["kind"], e.kind) else e.kind
        else:
            graph.add_edge(e.caller, e.callee, lines=[e.lineno], kind=e.kind)
    return graph

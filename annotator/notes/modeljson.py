"""The model as JSON for `annotate --json`: sorted keys, sorted lists, the same bytes for the same commit."""

from __future__ import annotations

import json
from typing import Any

from annotator.links import node_id
from annotator.model import ClassInfo, CommitModel, Evidence, FileModel, Function, StateVar

SCHEMA = 1


def dumps(model: CommitModel) -> str:
    """The model as deterministic, indented JSON (shape documented in README, "--json: the model")."""
    return json.dumps(as_dict(model), indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def as_dict(model: CommitModel) -> dict[str, Any]:
    outside = model.called_from_outside
    return {
        "schema": SCHEMA,
        "sha": model.sha,
        "version": model.version,
        "commit_date": model.commit_date,
        "layout": model.layout,
        "files": [_file(f, outside) for f in sorted(model.files, key=lambda f: f.path)],
        "edges": [
            {"caller": e.caller, "callee": e.callee, "lineno": e.lineno, "kind": e.kind} for e in model.edges
        ],
        "unresolved": [
            {"caller": u.caller, "lineno": u.lineno, "expression": u.expression} for u in model.unresolved
        ],
    }


def _file(f: FileModel, outside: frozenset[str]) -> dict[str, Any]:
    return {
        "path": f.path,
        "blob": f.blob,
        "role": f.role,
        "lines": f.lines,
        "classes": [_class(f.path, c, outside) for c in f.classes],
        "functions": [_function(f.path, fn, outside) for fn in f.functions],
        "aliases": [
            {"name": a.name, "lineno": a.lineno, "end_lineno": a.end_lineno, "text": a.text}
            for a in f.aliases
        ],
    }


def _class(path: str, c: ClassInfo, outside: frozenset[str]) -> dict[str, Any]:
    return {
        "name": c.name,
        "qualname": c.qualname,
        "lineno": c.lineno,
        "end_lineno": c.end_lineno,
        "bases": list(c.bases),
        "decorators": list(c.decorators),
        "doc": c.doc,
        "state": [_state(s) for s in c.state],
        "methods": [_function(path, fn, outside) for fn in c.methods],
    }


def _state(s: StateVar) -> dict[str, Any]:
    return {
        "name": s.name,
        "annotation": s.annotation,
        "lineno": s.lineno,
        "assigned_at": list(s.assigned_at),
        "assigned_in": list(s.assigned_in),
        "kind": s.kind,
        "late": s.late,
    }


def _function(path: str, fn: Function, outside: frozenset[str]) -> dict[str, Any]:
    return {
        "name": fn.name,
        "qualname": fn.qualname,
        "key": fn.key,
        "lineno": fn.lineno,
        "end_lineno": fn.end_lineno,
        "signature": fn.signature,
        "doc": fn.doc,
        "kind": fn.kind,
        "decorators": list(fn.decorators),
        "public": fn.public,
        "abstract": fn.abstract,
        "called_from_outside": node_id(path, fn.key) in outside,
        "asserts": [_evidence(e) for e in fn.asserts],
        "raises": [_evidence(e) for e in fn.raises],
        "comments": [_evidence(e) for e in fn.comments],
    }


def _evidence(e: Evidence) -> dict[str, Any]:
    return {"lineno": e.lineno, "text": e.text}

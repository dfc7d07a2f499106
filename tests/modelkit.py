"""Build models straight from fixture folders or inline sources, without git (for extraction tests)."""

from __future__ import annotations

import ast
import functools

from annotator.extract.visitor import extract_file
from annotator.model import CommitModel, FileModel
from annotator.resolve.graph import resolve
from annotator.snapshot.layouts import choose_layout, load_layouts
from tests.gitrepo import tree


def fixture_files(era: str) -> dict[str, str]:
    root = tree(era)
    return {
        p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(root.rglob("*.py"))
        if "__pycache__" not in p.parts
    }


def model_of(sources: dict[str, str], roles: dict[str, str] | None = None) -> CommitModel:
    """Extract and resolve `sources` ({path: text}); roles default to the layout's, else "allocator"."""
    if roles is None:
        try:
            layout = choose_layout(frozenset(sources), load_layouts(), "fixture")
            roles = dict(layout.select(sources))
        except Exception:
            roles = {p: "allocator" for p in sources}
    files = tuple(extract_file(p, roles[p], f"blob-{p}", sources[p]) for p in sorted(roles))
    edges, unresolved, outside = resolve(files)
    return CommitModel("0" * 40, "test", "2024-01-01T00:00:00Z", "test", files, edges, unresolved, outside)


@functools.cache
def era_model(era: str) -> CommitModel:
    return model_of(fixture_files(era))


def file_of(model: CommitModel, path: str) -> FileModel:
    return next(f for f in model.files if f.path == path)


def edge_pairs(model: CommitModel) -> set[tuple[str, str]]:
    """{("path::Caller.m", "path::Callee.n")} without the lines."""
    return {(e.caller, e.callee) for e in model.edges}


def ast_ranges(text: str) -> set[tuple[str, str, int, int]]:
    """(kind, qualname, lineno, end_lineno) of every class and def not nested in a function, by stdlib ast."""
    out: set[tuple[str, str, int, int]] = set()

    def walk(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                out.add(("class", prefix + child.name, child.lineno, child.end_lineno or 0))
                walk(child, f"{prefix}{child.name}.")
            elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                out.add(("def", prefix + child.name, child.lineno, child.end_lineno or 0))
            else:
                walk(child, prefix)

    walk(ast.parse(text), "")
    return out


def model_ranges(fm: FileModel) -> set[tuple[str, str, int, int]]:
    out = {("class", c.qualname, c.lineno, c.end_lineno) for c in fm.classes}
    out |= {("def", m.qualname, m.lineno, m.end_lineno) for c in fm.classes for m in c.methods}
    out |= {("def", f.qualname, f.lineno, f.end_lineno) for f in fm.functions}
    return out

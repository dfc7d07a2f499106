"""The package's layering stays true: no import cycle, and no import that points up the pipeline.

The graph is built from the source with `ast`, so imports inside functions and under TYPE_CHECKING
count like any other: a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

PACKAGE = Path(__file__).resolve().parent.parent / "annotator"
# The pipeline, bottom up: a module may import its own stage and the stages before it, never after.
STAGES = ("core", "source", "snapshot", "extract", "resolve", "notes", "regen", "grading", "cli")


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """Every module of the package that `name` imports, wherever the import statement stands."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name in known}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                out.add(sub if sub in known else base)
        elif isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("__import__", "import_module"):
            out |= {a.value for a in node.args if isinstance(a, ast.Constant) and a.value in known}
    return {m for m in out if m in known and m != name}


def graph() -> nx.DiGraph:
    known = modules()
    g = nx.DiGraph()
    g.add_nodes_from(known)
    for name, path in known.items():
        g.add_edges_from((name, dep) for dep in imports(name, path, known))
    return g


def stage(name: str) -> str:
    parts = name.split(".")
    if name == "annotator.__main__":
        return "cli"
    if len(parts) > 1 and parts[1] in STAGES:
        return parts[1]
    return "core"


def test_the_import_graph_sees_lazy_and_type_checking_imports() -> None:
    g = graph()
    assert g.has_edge("annotator.extract.cache", "annotator.extract.visitor")  # imported inside a function
    assert g.has_edge("annotator.resolve.calls", "annotator.resolve.receivers")  # under TYPE_CHECKING
    assert len(g) > 60


def test_no_import_cycles() -> None:
    cycles = sorted(sorted(c) for c in nx.simple_cycles(graph()))
    assert cycles == [], f"import cycles: {cycles}"


def test_no_import_points_up_the_pipeline() -> None:
    up = sorted(
        f"{a} ({stage(a)}) imports {b} ({stage(b)})"
        for a, b in graph().edges
        if STAGES.index(stage(b)) > STAGES.index(stage(a))
    )
    assert up == [], "\n".join(up)


def test_only_the_cli_prints_or_imports_rich() -> None:
    """Stages return data; the cli layer alone prints (remote progress is a display object it passes down)."""
    offenders = []
    for name, path in modules().items():
        if stage(name) == "cli":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "print":
                offenders.append(f"{name}:{node.lineno} print()")
    assert offenders == []


def test_every_module_starts_with_a_docstring() -> None:
    missing = [n for n, path in modules().items() if ast.get_docstring(ast.parse(path.read_text())) is None]
    assert missing == []


def test_no_module_is_over_about_300_lines() -> None:
    big = {name: n for name, path in modules().items() if (n := len(path.read_text().splitlines())) > 320}
    assert big == {}


def test_the_model_cache_key_covers_every_extractor_module() -> None:
    """A module moved into or added to annotator/extract invalidates cached models (no list to update)."""
    from annotator.extract import cache

    covered = {p.resolve() for p in cache.code_files()}
    extract = {p.resolve() for p in (PACKAGE / "extract").glob("*.py")}
    assert extract <= covered and (PACKAGE / "model.py").resolve() in covered
    assert (PACKAGE / "links.py").resolve() in covered  # module_name: the extractor resolves imports by it
    assert all(p.is_file() for p in covered)
    assert cache.code_digest() is not None

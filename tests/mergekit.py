"""Test-only helpers for merge tests: MergeContexts from inline sources, and a small skeleton that
emits the renderer's markers (gen blocks, slots, stubs) for every class and public method."""

from __future__ import annotations

import ast

from annotator.notes.markers import gen, slot, stub
from annotator.regen.spans import MergeContext, Span

METHOD_SLOTS = ("does", "invariants", "failures")


def ctx(sha: str, version: str, layout: str, files: dict[str, str], skeleton: str = "") -> MergeContext:
    symbols: dict[str, Span] = {}
    for path, text in files.items():
        lines = tuple(text.splitlines())
        for node in ast.parse(text).body:
            if not isinstance(node, ast.ClassDef):
                continue
            end = node.end_lineno or node.lineno
            methods = []
            for fn in node.body:
                if isinstance(fn, ast.FunctionDef):
                    q, fend = f"{node.name}.{fn.name}", fn.end_lineno or fn.lineno
                    methods.append((q, fn.lineno, fend))
                    symbols[f"{path}::{q}"] = Span(path, q, fn.lineno, fend, lines[fn.lineno - 1 : fend])
            symbols[f"{path}::{node.name}"] = Span(
                path, node.name, node.lineno, end, lines[node.lineno - 1 : end], tuple(methods)
            )
    counts = {p: len(t.splitlines()) for p, t in files.items()}
    return MergeContext(sha, version, layout, counts, symbols, skeleton)


def skeleton(c: MergeContext) -> str:
    """Markers for header, every file/class/public method of `c`, lifecycle, one question, closing."""
    out = [gen("header", f"# Notes at {c.sha[:12]} ({c.version})\n\n")]
    for path in sorted(c.files):
        spans = sorted((s for s in c.symbols.values() if s.path == path), key=lambda s: s.start)
        if not any(s.methods or "." not in s.qualname for s in spans):
            continue
        out.append(gen(f"file:{path}", f"## `{path}` at {c.sha[:12]}\n\n"))
        for s in spans:
            if "." not in s.qualname:
                key = f"class:{path}::{s.qualname}"
                out.append(gen(key, f"### class `{s.qualname}` L{s.start}-L{s.end}\n\n"))
                out.append(slot(f"{key}/holds", stub(f"What does `{s.qualname}` hold?") + "\n"))
            elif not s.qualname.split(".")[-1].startswith("_"):
                key = f"method:{path}::{s.qualname}"
                out.append(gen(key, f"#### `{s.qualname}` L{s.start}-L{s.end}\n\n"))
                short = s.qualname.split(".")[-1]
                for name in METHOD_SLOTS:
                    out.append(slot(f"{key}/{name}", stub(f"{name} of `{short}`?") + "\n"))
    out.append(gen("lifecycle", f"## Lifecycle at {c.sha[:12]}\n\n"))
    out.append(slot("lifecycle/notes", stub("Walk through the diagram.") + "\n"))
    out.append(gen("q:1", f"## Question 1 ({c.layout})\n\n"))
    out.append(slot("q:1/answer", stub("Your answer, with line citations.") + "\n"))
    out.append(gen("closing", "## Closing\n\n"))
    out.append(slot("closing/theory", stub("Tie the code back to the theory.") + "\n"))
    return "\n".join(out)


def with_skeleton(c: MergeContext) -> MergeContext:
    return MergeContext(c.sha, c.version, c.layout, c.files, c.symbols, skeleton(c))

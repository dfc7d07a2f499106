"""The whole skeleton document of a commit, and the experiments README that points to it. Pure.

`skeleton` puts together what the other notes modules render: the questions' leads, the lifecycle
and class diagrams (one lifecycle per engine when the commit holds two), the sections weighted by
annotator/notes/weights.py and the index appendix.
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import unquote

from annotator.links import MANIFEST_NAME, NOTES_NAME
from annotator.model import CommitModel
from annotator.notes.classdiagram import drawn_class_diagram
from annotator.notes.lifecycle.walk import lifecycle
from annotator.notes.markers import gen
from annotator.notes.questions import answer_leads, load_questions
from annotator.notes.skeleton import Parts, render_notes
from annotator.notes.weights import Weights
from annotator.snapshot.files import Snapshot


def skeleton(
    snap: Snapshot, model: CommitModel, *, full: bool = False, keep: frozenset[str] = frozenset()
) -> str:
    """The notes skeleton for a commit: questions, diagrams and sections rendered from the model.

    Args:
        full: every class and public method with all three prompts, no index (`annotate --full`).
        keep: section keys ("method:path::Class.m", "class:path::Class") that hold a student's words:
            they keep their section whatever their weight at this commit.
    """
    questions = tuple((q, answer_leads(q, snap, model)) for q in load_questions())
    other = snap.layout.other_paths(f.path for f in model.files)
    main = engine_model(model, frozenset(f.path for f in model.files) - other)
    allocator_paths = tuple(f.path for f in main.files if f.role == "allocator")
    # The walk reads the model's own edges: a networkx graph of them (resolve.call_graph, the API for
    # a reader's own analysis) would add nothing here but networkx's import time.
    life = lifecycle(main, None, snap.layout.lifecycle or snap.layout.name, defaults=snap.defaults)
    diagram, drawn = drawn_class_diagram(main, allocator_paths, life.classes, life.hidden)
    classes = set(life.classes) | set(drawn)
    methods = set(life.methods)
    other_text = ""
    if other:
        fallback = engine_model(model, other)
        second = lifecycle(fallback, None, snap.layout.other_engine, defaults=snap.defaults)
        other_text = second.text
        classes |= {c for c in second.classes if c.partition("::")[0] in other}
        methods |= second.methods
    cited = tuple((c.path, c.lineno, c.end_lineno) for _, cites in questions for c in cites)
    weights = Weights(
        full, frozenset(classes), frozenset(methods), cited, keep, other, frozenset(life.classes)
    )
    parts = Parts(
        questions=questions,
        lifecycle=life.text,
        classdiagram=diagram,
        other_lifecycle=other_text,
        other_paths=other,
        weights=weights,
    )
    return render_notes(snap, model, parts)


def engine_model(model: CommitModel, paths: frozenset[str]) -> CommitModel:
    """The model restricted to one engine's files (and the calls between them)."""

    def inside(node: str) -> bool:
        return node.partition("::")[0] in paths

    return replace(
        model,
        files=tuple(f for f in model.files if f.path in paths),
        edges=tuple(e for e in model.edges if inside(e.caller) and inside(e.callee)),
        unresolved=tuple(u for u in model.unresolved if inside(u.caller)),
        called_from_outside=frozenset(n for n in model.called_from_outside if inside(n)),
    )


def experiments_readme(
    snap: Snapshot, notes_link: str = NOTES_NAME, manifest_link: str = MANIFEST_NAME
) -> str:
    """The README beside the manifest: the notes and the manifest linked by their URLs relative to it
    (`../../docs/.../notes/...md` in a course's lab layout), so the links work on GitHub and locally."""
    v = snap.version
    notes_name, manifest_name = (unquote(link.rpartition("/")[2]) for link in (notes_link, manifest_link))
    body = (
        f"# Annotated read of vLLM's KV-cache allocator\n\n"
        f"My notes on vLLM {v.version} at commit `{snap.sha}` ({snap.date}): "
        f"[{notes_name}]({notes_link}).\n\n"
        f"[`{manifest_name}`]({manifest_link}) records the vLLM version (`vllm_version`), the commit SHA "
        f"(`sha`), the commit's date (`commit_date`) and every file read (path, blob SHA, line count). "
        f"The skeleton was generated with `annotate --sha {snap.sha}` (vllm-annotator); the prose is "
        f"mine.\n"
    )
    return gen("readme", body)

"""The whole skeleton document of a commit, and the experiments README that points to it. Pure.

`skeleton` puts together what the other notes modules render: the questions' leads, the lifecycle
and class diagrams, and the per-file, per-class and per-method sections.
"""

from __future__ import annotations

from annotator.links import NOTES_NAME
from annotator.model import CommitModel
from annotator.notes.lifecycle.walk import class_diagram, lifecycle_diagram
from annotator.notes.markers import gen
from annotator.notes.questions import answer_leads, load_questions
from annotator.notes.skeleton import Parts, render_notes
from annotator.resolve.graph import call_graph
from annotator.snapshot.files import Snapshot


def skeleton(snap: Snapshot, model: CommitModel) -> str:
    """The notes skeleton for a commit: questions, diagrams and sections rendered from the model."""
    questions = tuple((q, answer_leads(q, snap, model)) for q in load_questions())
    allocator_paths = tuple(f.path for f in model.files if f.role == "allocator")
    parts = Parts(
        questions=questions,
        lifecycle=lifecycle_diagram(model, call_graph(model), snap.layout.name),
        classdiagram=class_diagram(model, allocator_paths),
    )
    return render_notes(snap, model, parts)


def experiments_readme(snap: Snapshot) -> str:
    v = snap.version
    body = (
        f"# Annotated read of vLLM's KV-cache allocator\n\n"
        f"My notes on vLLM {v.version} at commit `{snap.sha}` ({snap.date}): "
        f"[{NOTES_NAME}]({NOTES_NAME}).\n\n"
        f"`manifest.json` records the version, the commit, its date and every file read "
        f"(path, blob SHA, line count). The skeleton was generated with "
        f"`annotate --sha {snap.sha}` (vllm-annotator); the prose is mine.\n"
    )
    return gen("readme", body)

"""The whole skeleton document of a commit, and the experiments README that points to it. Pure.

`skeleton` puts together what the other notes modules render: the questions' leads, the lifecycle
and class diagrams, and the per-file, per-class and per-method sections.
"""

from __future__ import annotations

from urllib.parse import unquote

from annotator.links import MANIFEST_NAME, NOTES_NAME
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

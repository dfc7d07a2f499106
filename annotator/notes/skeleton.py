"""The notes skeleton: pure functions from the model to Markdown with annotate markers."""

from __future__ import annotations

from dataclasses import dataclass

from annotator import __version__
from annotator.links import lines_label, lines_ref, node_id, permalink, tree_url
from annotator.model import ClassInfo, CommitModel, Edge, Evidence, FileModel, Function
from annotator.notes.index import index
from annotator.notes.markers import gen, slot, stub
from annotator.notes.questions import Citation, Question
from annotator.notes.weights import HOLDS_TEXT, PROMPT_TEXTS, PROMPTS, Weight, Weights
from annotator.snapshot.files import Snapshot

FULL = Weights(full=True)
MAX_EVIDENCE = 6  # per kind and method; the rest is counted, not listed
MAX_EVIDENCE_DOES = 3  # the same for a method with one "does" prompt


@dataclass(frozen=True, slots=True)
class Parts:
    """Everything the skeleton shows besides the model itself."""

    questions: tuple[tuple[Question, tuple[Citation, ...]], ...]
    lifecycle: str  # mermaid sequenceDiagram source (the engine that runs by default)
    classdiagram: str  # mermaid classDiagram source
    other_lifecycle: str = ""  # the other engine's diagram, at a commit that holds two engines
    other_paths: frozenset[str] = frozenset()  # the other engine's files (rendered compact)
    weights: Weights = FULL  # which sections and prompts each class and method gets


def code(text: str) -> str:
    """An inline code span that survives backticks and table pipes."""
    text = " ".join(text.split()).replace("|", "\\|")
    fence = "``" if "`" in text else "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


@dataclass(frozen=True, slots=True)
class _Ctx:
    sha: str
    outside: frozenset[str]  # "path::Qualname" of methods called from outside their class
    edges: tuple[Edge, ...]
    weights: Weights = FULL

    def weight(self, path: str, cls: ClassInfo | None, fn: Function) -> Weight:
        return self.weights.method(path, cls, fn, self.outside)

    def has_method(self, path: str, cls: ClassInfo | None, fn: Function) -> bool:
        """Whether a method has a section or a place in its class's API table (else: the index)."""
        return cls is not None and self.weight(path, cls, fn) != "index"

    def callers(self, node: str) -> list[Edge]:
        return sorted((e for e in self.edges if e.callee == node), key=lambda e: (e.caller, e.lineno))

    def callees(self, node: str) -> list[Edge]:
        return sorted((e for e in self.edges if e.caller == node), key=lambda e: (e.lineno, e.callee))


def render_notes(snap: Snapshot, model: CommitModel, parts: Parts) -> str:
    ctx = _Ctx(snap.sha, model.called_from_outside, model.edges, parts.weights)
    out = [gen("header", _header(snap))]
    reading_order = {f.path: i for i, f in enumerate(snap.files)}  # the layout's order, not the path's
    ordered = sorted(model.files, key=lambda f: (reading_order.get(f.path, len(reading_order)), f.path))
    allocator = [f for f in ordered if f.role == "allocator" and f.classes]
    for f in allocator:
        if f.path not in parts.other_paths:
            out.append(_file_section(ctx, f))
    compact = [f for f in allocator if f.path in parts.other_paths]
    if compact:
        out.append(gen("other-engine", OTHER_ENGINE))
        out += [_file_section(ctx, f) for f in compact]
    out.append(gen("lifecycle", _diagram("A request's lifecycle", LIFECYCLE_INTRO, parts.lifecycle)))
    out.append(slot("lifecycle/notes", stub("Walk through the diagram in your own words.") + "\n"))
    if parts.other_lifecycle:
        title = "The other engine: a request's lifecycle on the fallback path"
        out.append(gen("lifecycle-other", _diagram(title, OTHER_INTRO, parts.other_lifecycle)))
        prompt = "When does this engine run instead, and what differs?"
        out.append(slot("lifecycle-other/notes", stub(prompt) + "\n"))
    out.append(gen("classdiagram", _diagram("The allocator classes", CLASSES_INTRO, parts.classdiagram)))
    for question, cites in parts.questions:
        out.append(gen(f"q:{question.id}", _question(snap.sha, question, cites)))
        out.append(slot(f"q:{question.id}/answer", stub("Your answer, with line citations.") + "\n"))
    out.append(gen("closing", CLOSING))
    out.append(slot("closing/theory", stub(CLOSING_PROMPT) + "\n"))
    appendix = index(snap.sha, allocator, parts.weights.has_class, ctx.has_method, parts.other_paths)
    if appendix and not parts.weights.full:
        out.append(gen("index", appendix))
    return "\n".join(out)


LIFECYCLE_INTRO = (
    "Derived from the call graph, not drawn by hand: each message is a method called, with the line of\n"
    "its `def` in the file its participant names, in the order the caller's call sites come.\n"
    "Alternative paths are `alt`/`opt` blocks; steps queried in `queries/lifecycle.toml` that this\n"
    "commit lacks are left out and listed in `%%` comments.\n"
)
OTHER_INTRO = (
    "This commit holds two engines. The diagram above follows the default one; this one follows the\n"
    "other engine, which runs only when the default is switched off or cannot serve the model.\n"
)
OTHER_ENGINE = (
    "## The other engine, compact\n\n"
    "This commit holds two engines; the sections above read the default one. The other engine's\n"
    "classes on its own lifecycle path follow, compact; the rest are in the index.\n\n"
)
CLASSES_INTRO = "The allocator files' classes, their state and public methods.\n"
CLOSING = "## Closing: back to the theory\n\n"
CLOSING_PROMPT = (
    "Tie the code back to the PagedAttention paper: confirm or correct each claim you made, "
    "and name one detail the theory left out."
)
RULES = (
    "**Rules of the exercise.** Write in your own words. Quote at most 5 lines of vLLM code at a time.\n"
    "Cite line numbers (`L120-L145`, `path.py:120` or a permalink) for every claim.\n\n"
    "_Italic prompts_ are stubs: replace them with your notes (or write below them). Text between\n"
    "the generated parts is yours and survives `annotate` regenerating this file at another commit.\n"
)


def _header(snap: Snapshot) -> str:
    v = snap.version
    return (
        "# Annotated read: vLLM's KV-cache block manager\n\n"
        "| | |\n|---|---|\n"
        f"| vLLM version | {v.version} — {v.source} |\n"
        f"| commit | [`{snap.sha}`]({tree_url(snap.sha)}) |\n"
        f"| commit date | {snap.date} |\n"
        f"| layout | `{snap.layout.name}`: {snap.layout.title} |\n"
        f"| generated by | `annotate --sha {snap.sha}` (vllm-annotator {__version__}) |\n\n"
        f"{RULES}\n{defaults_table(snap)}"
    )


def defaults_table(snap: Snapshot) -> str:
    """Which defaults the diagrams and the sections assume, read from the commit's code."""
    rows = [s for s in snap.defaults.settings if s.value not in ("absent", "none")]
    if not rows:
        return ""
    out = (
        "**Defaults this read follows** (read from the commit's code, `queries/defaults.toml`): the\n"
        "diagrams draw what runs when the user sets nothing.\n\n"
        "| setting | default here | read from |\n|---|---|---|\n"
    )
    for s in rows:
        where = _evidence_link(snap.sha, s.evidence)
        value = code(s.value) + (" (decided at run time: None)" if s.auto else "")
        warn = f" — note: {s.warning}" if s.warning else ""
        out += f"| {s.question.replace('|', '/')} | {value} | {where}{warn} |\n"
    return out + "\n"


def _evidence_link(sha: str, evidence: str) -> str:
    """ "vllm/envs.py:476" (or "a:1 -> b:2") as permalinks; "tree"/"history" as words."""
    if evidence == "tree":
        return "which files exist"
    if evidence == "history":
        return "the dated history (no literal found in the code)"
    links = []
    for part in evidence.split(" -> "):
        path, _, line = part.rpartition(":")
        links.append(f"`{path}` {lines_ref(sha, path, int(line))}" if line.isdigit() else code(part))
    return " → ".join(links)


def _file_section(ctx: _Ctx, f: FileModel) -> str:
    sha = ctx.sha
    parts = [
        gen(
            f"file:{f.path}",
            f"## `{f.path}`\n\n[{f.lines} lines at {sha[:12]}]({permalink(sha, f.path)})"
            f"{_aliases(sha, f)}\n\n",
        )
    ]
    for cls in sorted(f.classes, key=lambda c: (c.lineno, c.qualname)):
        if not ctx.weights.has_class(f.path, cls):
            continue  # a row of the index
        key = f"class:{f.path}::{cls.qualname}"
        api = _api(ctx, f.path, cls)
        parts.append(gen(key, _class(sha, f, cls, api)))
        prompt = HOLDS_TEXT.format(name=cls.qualname)
        parts.append(slot(f"{key}/holds", stub(prompt) + "\n"))
        for fn in cls.methods:
            weight = ctx.weight(f.path, cls, fn)
            if fn.kind not in ("setter", "overload") and weight in ("full", "does"):
                parts.append(_method_section(ctx, f, fn, PROMPTS[weight]))
    return "".join(parts)


def _aliases(sha: str, f: FileModel) -> str:
    if not f.aliases:
        return ""
    items = ", ".join(f"{code(a.name)} {lines_ref(sha, f.path, a.lineno, a.end_lineno)}" for a in f.aliases)
    return f" · module-level names: {items}"


def _api(ctx: _Ctx, path: str, cls: ClassInfo) -> list[Function]:
    """Public methods (no leading underscore) and anything else called from outside the class."""
    return [
        fn
        for fn in cls.methods
        if fn.kind not in ("setter", "overload") and (fn.public or node_id(path, fn.qualname) in ctx.outside)
    ]


def _class(sha: str, f: FileModel, cls: ClassInfo, api: list[Function]) -> str:
    head = f"### class `{cls.qualname}` — {lines_ref(sha, f.path, cls.lineno, cls.end_lineno)}\n\n"
    if cls.doc:
        head += f"> {cls.doc}\n\n"
    if cls.bases:
        head += f"Bases: {', '.join(code(b) for b in cls.bases)}\n\n"
    if cls.state:
        head += "| attribute | annotation | assigned at |\n|---|---|---|\n"
        for var in cls.state:
            lines = ", ".join(lines_label(n) for n in var.assigned_at[:6])  # inside the class's link
            more = f" (+{len(var.assigned_at) - 6})" if len(var.assigned_at) > 6 else ""
            ann = code(var.annotation) if var.annotation else ""
            head += f"| {code(var.name)} | {ann} | {lines}{more} |\n"
        head += "\n"
    if api:
        names = ", ".join(f"{code(fn.name + '()')} {lines_ref(sha, f.path, fn.lineno)}" for fn in api)
        head += f"Public API: {names}\n\n"
    return head


def _method_section(ctx: _Ctx, f: FileModel, fn: Function, wanted: tuple[str, ...]) -> str:
    sha = ctx.sha
    key = f"method:{f.path}::{fn.key}"
    title = f"#### {code(fn.signature)} — {lines_ref(sha, f.path, fn.lineno, fn.end_lineno)}\n\n"
    if fn.doc:
        title += f"> {fn.doc}\n\n"
    title += _evidence(ctx, f.path, fn, MAX_EVIDENCE if len(wanted) > 1 else MAX_EVIDENCE_DOES)
    body = [gen(key, title)]
    for name, prompt in PROMPT_TEXTS.items():
        prompt = prompt.format(name=fn.name)
        if name in wanted:
            body.append(slot(f"{key}/{name}", stub(prompt) + "\n"))
    return "".join(body)


def _evidence(ctx: _Ctx, path: str, fn: Function, most: int = MAX_EVIDENCE) -> str:
    rows: list[str] = []
    for label, items in (("assert", fn.asserts), ("raise", fn.raises), ("comment", fn.comments)):
        rows.extend(_evidence_rows(ctx.sha, path, label, items, most))
    node = node_id(path, fn.qualname)
    callers, callees = ctx.callers(node), ctx.callees(node)
    for e in callers[:most]:
        caller_path, caller = e.caller.split("::", 1)
        ref = lines_ref(ctx.sha, caller_path, e.lineno)
        rows.append(f"- called from {code(caller)} at {_short(caller_path)} {ref}\n")
    for e in callees[:most]:
        callee_path, callee = e.callee.split("::", 1)
        rows.append(
            f"- calls {code(callee)} ({_short(callee_path)}) at {lines_label(e.lineno)}\n"
        )
    hidden = max(0, len(callers) - most) + max(0, len(callees) - most)
    if hidden:
        rows.append(f"- … {hidden} more call edges\n")
    if not rows:
        return ""
    counts = (
        (len(fn.asserts), "assert"),
        (len(fn.raises), "raise"),
        (len(fn.comments), "comment"),
        (len(callers), "caller"),
        (len(callees), "callee"),
    )
    summary = "Evidence: " + ", ".join(_n(n, word) for n, word in counts if n)
    return f"<details><summary>{summary}</summary>\n\n" + "".join(rows) + "\n</details>\n\n"


def _n(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def _evidence_rows(sha: str, path: str, label: str, items: tuple[Evidence, ...], most: int) -> list[str]:
    # lines inside the method, whose heading links its whole range: labels, not links
    rows = [f"- {label} {code(ev.text)} {lines_label(ev.lineno)}\n" for ev in items[:most]]
    if len(items) > most:
        rows.append(f"- … {len(items) - most} more {label}s\n")
    return rows


def _short(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def _diagram(title: str, intro: str, source: str) -> str:
    return f"## {title}\n\n{intro}\n```mermaid\n{source.rstrip()}\n```\n\n"


def _question(sha: str, q: Question, cites: tuple[Citation, ...]) -> str:
    text = f"## Question {q.id}: {q.title}\n\n{q.question}\n\n**Where to look**\n\n"
    if not cites:
        return text + f"- {q.absent}\n\n"
    for c in cites:
        text += f"- `{c.path}` {lines_ref(sha, c.path, c.lineno, c.end_lineno)} {code(c.label)}: {c.why}\n"
    return text + "\n"

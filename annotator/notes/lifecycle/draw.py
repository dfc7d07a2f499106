"""The lifecycle events found by notes/lifecycle/walk.py, written as a mermaid sequenceDiagram.

Every label goes through annotator/notes/mermaid.py's escaping; events are drawn per step block (a plain
step or an alt/opt group) in the order of the block's first event, steps missing at the commit are
reported in comment lines (a Note for a whole missing group).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from annotator.model import Function
from annotator.notes import mermaid
from annotator.notes.lifecycle.paths import DefaultPath
from annotator.notes.lifecycle.spec import (
    ALLOCATOR,
    ENGINE,
    MANAGER,
    SCHEDULER,
    Event,
    Spec,
    Step,
    method,
    owner,
)

MAX_CALLS = 14  # drawn calls per block section; the rest are counted in a comment
MAX_MESSAGES = 45  # drawn calls per diagram (the shallowest first)
MAX_PARTICIPANTS = 7
_ORDER = {ENGINE: 0, SCHEDULER: 1, MANAGER: 2, ALLOCATOR: 3}


@dataclass(frozen=True, slots=True)
class _Ctx:
    spec: Spec
    functions: dict[str, Function]
    ids: dict[str, str]  # class key -> participant id
    roles: dict[str, str]  # class key -> role
    over: str  # participant id the notes are drawn over
    shown: dict[str, str]  # class key -> the class key it is drawn as
    allowed: frozenset[int] = frozenset()  # indexes of the events drawn (within the bounds)
    noted: set[str] = field(default_factory=set)  # dispatches whose implementations were named

    def pid(self, node: str) -> str:
        cls = owner(node)
        return self.ids[self.shown.get(cls, cls)]


def render(
    spec: Spec,
    events: list[Event],
    functions: dict[str, Function],
    roles: dict[str, str],
    sha: str,
    path: DefaultPath | None = None,
) -> tuple[str, frozenset[int]]:
    """The diagram of the events found by the walk (see annotator/notes/lifecycle/walk.py), in the
    order of the query's steps, within MAX_PARTICIPANTS and MAX_MESSAGES; and the drawn events' indexes."""
    shown = dict(path.display) if path is not None else {}
    order = {s.block: i for i, s in reversed(list(enumerate(spec.steps)))}
    blocks: dict[str, list[Event]] = {}
    for ev in sorted(events, key=lambda e: (order.get(e.step.block, len(order)), e.index)):
        blocks.setdefault(ev.step.block, []).append(ev)
    groups = dict(spec.groups)
    # A group is drawn only for a resolved call, not for a scheduler entry alone (a Note).
    blocks = {k: v for k, v in blocks.items() if k not in groups or any(e.caller for e in v)}
    every = [e for v in blocks.values() for e in v]
    participants = _participants(every, roles, shown)
    cut = list(participants)[MAX_PARTICIPANTS:]
    participants = {k: v for k, v in participants.items() if k not in cut}
    ids = {cls: pid for cls, (pid, _) in participants.items()}

    def drawable(e: Event) -> bool:
        return all(not n or shown.get(owner(n), owner(n)) in ids for n in (e.caller, e.callee))

    fits = sorted((e for e in every if drawable(e)), key=lambda e: (e.level, e.index))
    allowed = frozenset(e.index for e in fits[:MAX_MESSAGES] if e.caller)
    allowed |= {e.index for e in fits if not e.caller}
    over = next((pid for cls, pid in ids.items() if roles[cls] == SCHEDULER), next(iter(ids.values()), ""))
    ctx = _Ctx(spec, functions, ids, roles, over, shown, allowed)
    lines = ["sequenceDiagram", f"    %% derived from the call graph at {sha[:12]}, layout {spec.name}"]
    lines.append("    %% message: the called method and the line of its def; order: the steps of a request")
    lines += [f"    %% {mermaid.seq_text(n)}" for n in (path.notes if path is not None else ())]
    for cls, sub in sorted(shown.items()):
        if sub in ids:
            text = f"{_short(cls)} is drawn as its default subclass {_short(sub)}"
            lines.append(f"    %% {mermaid.seq_text(text)}")
    if cut:
        names = ", ".join(_short(c) for c in cut)
        text = f"not drawn (past {MAX_PARTICIPANTS} participants): {names}"
        lines.append(f"    %% {mermaid.seq_text(text)}")
    lines += [f"    {mermaid.participant(pid, label)}" for pid, label in participants.values()]
    for block, mine in blocks.items():
        lines += _block(ctx, block, [e for e in mine if e.index in allowed])
    dropped = len([e for e in every if e.caller and e.index not in allowed])
    if dropped:
        lines.append(f"    %% +{dropped} calls further down not drawn (at most {MAX_MESSAGES} messages)")
    lines += _absent(ctx, set(blocks))
    drawn = frozenset(e.index for e in every if e.caller and e.index in allowed)
    return "\n".join(lines) + "\n", drawn


def _short(cls: str) -> str:
    return cls.partition("::")[2]


def _participants(
    events: list[Event], roles: dict[str, str], shown: dict[str, str]
) -> dict[str, tuple[str, str]]:
    """Class key -> (id, alias): Engine, Scheduler, BlockManager, then allocators in order of use."""
    classes: list[str] = []
    for ev in events:
        for node in (ev.caller, ev.callee):
            cls = shown.get(owner(node), owner(node)) if node else ""
            if cls and cls not in classes:
                classes.append(cls)
    classes.sort(key=lambda c: _ORDER[roles[c]])
    taken: set[str] = set()
    out: dict[str, tuple[str, str]] = {}
    for cls in classes:
        role = roles[cls]
        path, _, qual = cls.partition("::")
        want = role if role != ALLOCATOR and role not in taken else qual.rpartition(".")[2]
        pid = mermaid.seq_id(want, taken)
        taken |= {pid, role}
        out[cls] = (pid, f"{qual} ({path.removeprefix('vllm/')})")
    return out


def _message(ctx: _Ctx, ev: Event, pad: str) -> str:
    fn = ctx.functions.get(ev.callee)
    text = f"{method(ev.callee)}()" + (f" L{fn.lineno}" if fn is not None else "")
    if not ev.caller:
        why = "entry point" if ctx.roles[owner(ev.callee)] == ENGINE else "no resolved caller in these files"
        return f"Note over {ctx.pid(ev.callee)}: {mermaid.seq_text(f'{text}: {why}')}"
    line = f"{ctx.pid(ev.caller)}->>{ctx.pid(ev.callee)}: {mermaid.seq_text(text)}"
    seen = f"{ctx.pid(ev.callee)}:{','.join(ev.others)}"
    if ev.others and seen not in ctx.noted:  # once per participant and set of implementations
        ctx.noted.add(seen)
        impl = f"{method(ev.callee)}() is also implemented by {', '.join(ev.others)} (not the default here)"
        line += f"\n{pad}Note right of {ctx.pid(ev.callee)}: {mermaid.seq_text(impl)}"
    return line


def _section(ctx: _Ctx, steps: list[Step], events: list[Event], pad: str) -> list[str]:
    """The calls of some steps, their notes, and comments for the steps without calls here."""
    # Past MAX_CALLS, the deepest calls go first; the scheduler's own calls are always drawn.
    kept = {e.index for e in sorted(events, key=lambda e: (e.level, e.index))[:MAX_CALLS] or events}
    kept |= {e.index for e in events if e.level <= 1}
    out = [f"{pad}{_message(ctx, ev, pad)}" for ev in events if ev.index in kept]
    if len(kept) < len(events):
        out.append(f"{pad}%% +{len(events) - len(kept)} more calls further down")
    have = {e.step for e in events}
    for s in steps:
        if s.note and (s in have or not s.calls):
            out.append(f"{pad}Note over {ctx.over}: {mermaid.seq_text(s.note)}")
        elif s.calls and s not in have:
            out.append(
                f"{pad}%% " + mermaid.seq_text(f"not found at this commit: {s.label} ({', '.join(s.calls)})")
            )
    return out


def _block(ctx: _Ctx, block: str, events: list[Event]) -> list[str]:
    steps = [s for s in ctx.spec.steps if s.block == block]
    kind = dict(ctx.spec.groups).get(block, "")
    if not kind:
        return _section(ctx, steps, events, "    ")
    branches = list(dict.fromkeys(s.branch for s in steps))
    if kind == "opt":  # one section only: the first branch with calls
        branches = [b for b in branches if any(ev.step.branch == b for ev in events)][:1]
    out: list[str] = []
    for branch in branches:
        mine = [ev for ev in events if ev.step.branch == branch]
        body = _section(ctx, [s for s in steps if s.branch == branch], mine, "        ")
        if not any(not line.lstrip().startswith("%%") for line in body):  # nothing drawn: no section
            out += [line.replace("        ", "    ", 1) for line in body]
            continue
        word = "else" if any(line.startswith(f"    {kind} ") for line in out) else kind
        out += [f"    {word} {mermaid.seq_text(branch)}", *body]
    return [*out, "    end"]


def _absent(ctx: _Ctx, present: set[str]) -> list[str]:
    """A comment for every plain step, a comment and a Note for every group, with no call found."""
    out: list[str] = []
    for block in dict.fromkeys(s.block for s in ctx.spec.steps if s.calls):
        if block in present:
            continue
        steps = [s for s in ctx.spec.steps if s.block == block]
        names = ", ".join(sorted({c for s in steps for c in s.calls}))
        title = steps[0].branch or steps[0].label
        out.append("    %% " + mermaid.seq_text(f"not found at this commit: {title} ({names})"))
        if steps[0].group and ctx.over:
            text = mermaid.seq_text(f"not at this commit: {title} (no call to {names})")
            out.append(f"    Note over {ctx.over}: {text}")
    return out

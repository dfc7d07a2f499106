"""Regeneration that keeps every word: place a student's text from old notes into a new skeleton.

Keys follow renames (queries/renames.toml); text whose key is gone moves to "Orphaned notes" with
its old citation; hand-edited gen blocks are kept with a warning; sections whose code changed get
a "code changed since these notes" flag. Pure: strings in, MergeResult out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from annotator.links import node_id
from annotator.notes.markers import Segment, gen, parse
from annotator.regen import flags
from annotator.regen.mergeflags import flag_for
from annotator.regen.oldnotes import Part, ends_with_break, is_empty, owner, read, rekey, section, stubs
from annotator.regen.placement import Plan
from annotator.regen.renames import Era, Renames, symbol_of
from annotator.regen.spans import MergeContext


@dataclass(frozen=True, slots=True)
class MergeResult:
    text: str
    warnings: tuple[str, ...]
    orphans: tuple[str, ...]  # old keys whose text moved to "Orphaned notes" in this merge
    changed_sections: tuple[str, ...]  # new keys flagged "code changed since these notes"


def merge(
    old_notes: str, new_skeleton: str, renames: Renames, old_ctx: MergeContext, new_ctx: MergeContext
) -> MergeResult:
    """The new notes: `new_skeleton` with every word of `old_notes` placed at its key (see module doc)."""
    new = parse(new_skeleton)
    new_gens = {s.key: s for s in new if s.kind == "gen"}
    new_slots = {s.key for s in new if s.kind == "slot"}
    generated = {s.key for s in parse(old_ctx.skeleton)}
    known = {s.key for s in new} | generated
    known_stubs = stubs(new_skeleton) | stubs(old_ctx.skeleton)
    move = renames.mapper(old_ctx.era, new_ctx.era)
    keys = set(new_gens) | new_slots

    def resolve(key: str) -> str:
        return _resolve(move(key), keys)

    parts = read(old_notes, known, _known_gen(known, old_ctx, resolve), generated)
    plan = _sort(parts, resolve, new_gens, new_slots, known_stubs, old_ctx)
    plan.old_keys, plan.new_keys = {p.key for p in parts}, keys
    _restore(plan, renames, new_ctx, new_gens, new_slots, known_stubs)
    out, changed = _assemble(new, plan, known_stubs, old_ctx, new_ctx)
    out.extend(_orphans(plan))
    text = _join(out)
    return MergeResult(text, tuple(plan.warnings), tuple(plan.new_orphans), tuple(changed))


def _known_gen(known: set[str], ctx: MergeContext, resolve: Callable[[str], str]) -> Callable[[str], bool]:
    """Gen keys of the old notes besides the skeletons' own: keys that follow renames to the new
    skeleton, the old commit's files and symbols (any file or symbol key when the old commit could not
    be read), and the blocks regeneration adds (flags, orphans)."""

    def ok(key: str) -> bool:
        if key in known or key == flags.ORPHANS or resolve(key) in known:
            return True
        if key.startswith("changed:"):
            return ok(key.removeprefix("changed:"))
        if key.startswith("orphan:"):
            return flags.parse_orphan(key) is not None
        if key.startswith("file:"):
            return key.removeprefix("file:") in ctx.files or not ctx.files
        sym = symbol_of(key)
        return sym is not None and (ctx.span(*sym) is not None or not ctx.symbols)

    return ok


def _resolve(key: str, keys: set[str]) -> str:
    """`key`, or the one key among `keys` that differs from it only by a method's "@line"."""
    if key in keys:
        return key
    sym = symbol_of(key)
    if sym is None:
        return key
    base = key.partition("::")[0] + "::" + sym[1].partition("@")[0]
    slot = key.partition("::")[2].partition("/")[2]
    candidates = [
        k for k in keys
        if (s := symbol_of(k)) and k.partition("::")[0] + "::" + s[1].partition("@")[0] == base
        and k.partition("::")[2].partition("/")[2] == slot
    ]
    return candidates[0] if len(candidates) == 1 else key


def _sort(
    parts: list[Part],
    resolve: Callable[[str], str],
    new_gens: Mapping[str, Segment],
    new_slots: set[str],
    known_stubs: set[str],
    old_ctx: MergeContext,
) -> Plan:
    plan = Plan()
    for part in parts:
        if part.kind == "free":
            plan.free += part.body
        elif part.key == flags.ORPHANS or part.key.startswith("orphan:"):
            _carry_orphan(plan, part)
        elif part.kind == "gen":
            target = resolve(section(part.key))
            if target in new_gens:
                plan.source.setdefault(target, section(part.key))
                if part.key.startswith("changed:"):
                    plan.flags[target] = part
                elif part.edited and part.body.strip():
                    plan.edited[target] = part
            elif part.edited and part.body.strip():
                _orphan(plan, old_ctx, section(part.key), part.body, "a block you edited")
        elif part.kind == "after":
            target = resolve(section(part.key))
            if target in new_gens:
                plan.after.setdefault(target, []).append(part.body)
            elif part.body.strip():
                _orphan(plan, old_ctx, section(part.key), part.body, "text")
        elif part.kind == "slot":
            target = resolve(part.key)
            home = owner(part.key)
            if target in new_slots:
                plan.slots.setdefault(target, []).append(part.body)
                if home is not None and (new_home := owner(target)) is not None:
                    plan.source.setdefault(new_home, home)
            elif not is_empty(part.body, known_stubs):
                _orphan(plan, old_ctx, part.key, part.body, "notes")
    return plan


def _orphan(plan: Plan, ctx: MergeContext, old_key: str, text: str, what: str) -> None:
    sym = symbol_of(old_key)
    span = ctx.span(*sym) if sym else None
    if span is not None:
        where: tuple[str, int, int] | None = (span.path, span.start, span.end)
    elif old_key.startswith("file:") and old_key[5:] in ctx.files:
        where = (old_key[5:], 1, ctx.files[old_key[5:]])
    else:
        where = None
    key = flags.Orphan(ctx.sha, ctx.layout, where[1:] if where else None, old_key).gen_key
    if key not in plan.orphans:
        plan.fresh.add(key)
        plan.new_orphans.append(old_key)
        plan.warnings.append(
            f"{what} for `{old_key}` moved to Orphaned notes: it has no place at the new commit"
        )
    plan.orphans.setdefault(key, []).append(text)


def _carry_orphan(plan: Plan, part: Part) -> None:
    """An orphan (or the orphans heading) from an earlier regeneration: carried as it was."""
    if part.key == flags.ORPHANS:
        if part.kind == "gen" and part.edited and part.body.strip():
            plan.orphans_raw = part.raw
            plan.warnings.append("kept the Orphaned notes heading as you edited it by hand")
        elif part.kind == "after":
            plan.orphans.setdefault("", []).append(part.body)
        return
    key = part.key.removesuffix("/text") if part.kind == "slot" else part.key
    texts = plan.orphans.setdefault(key, [])
    if part.kind == "gen" and part.edited and part.body.strip():
        plan.orphan_raw[key] = part.raw
        plan.warnings.append(f"kept `{key}` as you edited it by hand")
    elif part.kind != "gen":
        texts.append(part.body)


def _restore(
    plan: Plan,
    renames: Renames,
    ctx: MergeContext,
    new_gens: Mapping[str, Segment],
    new_slots: set[str],
    known_stubs: set[str],
) -> None:
    """An orphan whose code exists again (back at its commit, or at any commit where its key, following
    renames, names code) returns to its own place, if nothing else was written there."""
    for key in list(plan.orphans):
        orphan = flags.parse_orphan(key)
        if orphan is None or key in plan.orphan_raw or key in plan.fresh:
            continue
        sym = symbol_of(orphan.key)
        present = {sym[0], node_id(sym[0], sym[1])} if sym else set()
        target = renames.mapper(Era(orphan.layout, frozenset(present)), ctx.era)(orphan.key)
        texts = [t for t in plan.orphans[key] if t.strip()]
        if target in new_slots and all(is_empty(b, known_stubs) for b in plan.slots.get(target, [])):
            plan.slots[target] = texts
        elif target in new_gens and not any(a.strip() for a in plan.after.get(target, [])):
            plan.after[target] = texts
        else:
            continue
        del plan.orphans[key]
        plan.warnings.append(f"orphaned notes for `{orphan.key}` are back in their section, as `{target}`")


def _assemble(
    new: list[Segment], plan: Plan, known_stubs: set[str], old_ctx: MergeContext, new_ctx: MergeContext
) -> tuple[list[str], list[str]]:
    out: list[str] = []
    changed: list[str] = []
    new_free = "".join(s.body for s in new if s.kind == "free")
    out.append(plan.free if plan.free.strip() else new_free)
    new_after = {s.key: s.body for s in new if s.kind == "after"}
    for seg in new:
        if seg.kind == "gen":
            edited = plan.edited.get(seg.key)
            if edited is not None:
                out.append(rekey(edited, seg.key))
                plan.warnings.append(
                    f"kept `{seg.key}` as you edited it by hand; empty it (keep its two marker lines) "
                    "to have it regenerated"
                )
            else:
                out.append(gen(seg.key, seg.body))
            flag = flag_for(seg.key, plan, old_ctx, new_ctx, known_stubs)
            if flag:
                out.append(flag)
                changed.append(seg.key)
            afters = [a for a in plan.after.get(seg.key, []) if a.strip()]
            out.append(_concat(afters) if afters else new_after.get(seg.key, ""))
        elif seg.kind == "slot":
            bodies = [b for b in plan.slots.get(seg.key, []) if not is_empty(b, known_stubs)]
            out.append(f"<!-- annotate:slot {seg.key} -->\n" + (_concat(bodies) if bodies else seg.body))
    return out, changed


def _orphans(plan: Plan) -> list[str]:
    intro = [t for t in plan.orphans.get("", []) if t.strip()]
    items = [
        (k, v) for k, v in plan.orphans.items() if k and (any(t.strip() for t in v) or k in plan.orphan_raw)
    ]
    if not items and not intro and not plan.orphans_raw:
        return []
    out = [plan.orphans_raw or gen(flags.ORPHANS, flags.ORPHANS_BODY), _concat(intro)]
    for key, texts in items:
        out.append(plan.orphan_raw.get(key) or gen(key, flags.orphan_body(key)))
        out.append(f"<!-- annotate:slot {key}/text -->\n" + _concat([t for t in texts if t.strip()]))
    return out


def _concat(texts: list[str]) -> str:
    return _join(texts)


def _join(chunks: list[str]) -> str:
    """Chunks joined so that each marker starts a line: a line break is added where one is missing."""
    chunks = [c for c in chunks if c]
    last = len(chunks) - 1
    return "".join(c if i == last or ends_with_break(c) else c + "\n" for i, c in enumerate(chunks))

""""Code changed since these notes": decide, for one section of the new skeleton, whether to flag it.

A section is flagged when the student wrote something in it and its code (source text, normalised;
not its line numbers) differs between the old and the new commit. The flag is a gen block of its own
(`changed:KEY`), right after the section's block; it records the commit the notes were written
against, so it survives later regenerations until the student deletes it, and it disappears by
itself when the notes are regenerated back at that commit.
"""

from __future__ import annotations

from annotator.notes.markers import gen
from annotator.regen import flags
from annotator.regen.oldnotes import is_empty, owner, rekey
from annotator.regen.placement import Plan
from annotator.regen.renames import symbol_of
from annotator.regen.spans import MergeContext, Span, renamed_code


def flag_for(
    key: str, plan: Plan, old_ctx: MergeContext, new_ctx: MergeContext, known_stubs: set[str]
) -> str:
    """The flag block to put after section `key`'s gen block, or ""."""
    sym = symbol_of(key)
    if sym is None:
        return ""
    old_flag = plan.flags.get(key)
    if old_flag is not None and old_flag.edited:
        plan.warnings.append(f"kept the flag of `{key}` as you edited it by hand")
        return rekey(old_flag, flags.flag_key(key))
    now = new_ctx.span(*sym)
    if old_flag is not None:
        base = flags.parse_flag(old_flag.body)
        if base is None or now is None:
            return rekey(old_flag, flags.flag_key(key))  # not ours to rewrite, or nothing to rewrite with
        if base.sha == new_ctx.sha:
            return ""  # back at the code the notes were written against
        return gen(flags.flag_key(key), flags.flag_body(base, now, new_ctx))
    if old_ctx.sha == new_ctx.sha or now is None or not _has_prose(key, plan, known_stubs):
        return ""
    old_key = plan.source.get(key, "")
    old_sym = symbol_of(old_key)
    then = old_ctx.span(*old_sym) if old_sym else None
    if then is None or not code_changed(old_key, key, then, now, plan.old_keys, plan.new_keys):
        return ""
    base = flags.Baseline(old_ctx.sha, old_ctx.version, then.path, then.start, then.end)
    return gen(flags.flag_key(key), flags.flag_body(base, now, new_ctx))


def code_changed(
    old_key: str, new_key: str, then: Span, now: Span, old_keys: set[str], new_keys: set[str]
) -> bool:
    """True when the code differs, ignoring line numbers, indentation, blank lines and a class rename.

    A class is compared without the methods that have sections of their own (they are flagged there).
    """
    renames = class_renames(then.qualname, now.qualname)
    old = renamed_code(then.code(_own_methods(then, old_keys)), renames)
    return old != now.code(_own_methods(now, new_keys))


def class_renames(old_qualname: str, new_qualname: str) -> dict[str, str]:
    a, b = old_qualname.split(".")[0].partition("@")[0], new_qualname.split(".")[0].partition("@")[0]
    return {a: b} if a != b else {}


def _own_methods(span: Span, keys: set[str]) -> set[str]:
    """Qualnames of the class's methods that have their own section among `keys`."""
    if not span.methods:
        return set()
    return {q for q, _a, _b in span.methods if f"method:{span.path}::{q}" in keys}


def _has_prose(key: str, plan: Plan, known_stubs: set[str]) -> bool:
    for slot, bodies in plan.slots.items():
        if owner(slot) == key and any(not is_empty(b, known_stubs) for b in bodies):
            return True
    return any(a.strip() for a in plan.after.get(key, []))

"""Read a notes file a student may have typed anything into: markers that are out of place, unknown or
repeated are taken as the student's text (kept verbatim with the part before them), never dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from annotator.notes.markers import Segment, checksum, is_stub, parse, prose
from annotator.notes.weights import is_prompt_stub

_SUM = re.compile(r" sum=([0-9a-f]{8}) -->$")


@dataclass(slots=True)
class Part:
    """A segment of a notes file, with its exact text (`raw`, markers included) and the text of any
    misplaced markers that followed it folded into `body` and `raw`."""

    kind: str  # "free" | "gen" | "after" | "slot"
    key: str
    body: str
    raw: str
    edited: bool = False

    def absorb(self, texts: list[str]) -> None:
        """Append folded text, joined once (repeated += would make reading quadratic in the text
        folded into one part: notes pasted twice fold thousands of markers)."""
        if texts:
            joined = "".join(texts)
            self.body = "".join((self.body, joined))
            self.raw = "".join((self.raw, joined))


def owner(slot_key: str) -> str | None:
    """The gen block a slot belongs to: "q:1/answer" -> "q:1" (slot keys are "<gen key>/<name>")."""
    return slot_key.rsplit("/", 1)[0] if "/" in slot_key else None


def section(gen_key: str) -> str:
    """The section a gen block opens: a "changed:K" flag belongs to K's section."""
    return gen_key.removeprefix("changed:")


def read(
    text: str,
    known: Iterable[str] = (),
    known_gen: Callable[[str], bool] = lambda _k: False,
    generated: Iterable[str] = (),
) -> list[Part]:
    """The parts of a notes file, with misplaced markers folded into the text before them.

    `known`: the keys of the skeletons at hand; `generated`: the keys of the skeleton these notes were
    generated from, when known. A gen block is accepted when its key is in `known` or `known_gen(key)`,
    once: the first occurrence whose checksum holds, else the first. A slot is accepted once, when it
    sits in its own section (right after its gen block) under a known key or slot name, or when its gen
    block is gone altogether and `generated` has its key. Anything else (a marker line the student
    typed) is the student's text, kept verbatim in the part before it.
    """
    known_set, generated_set = set(known), set(generated)
    names = {k.rsplit("/", 1)[1] for k in known_set if "/" in k} | {"text"}
    lines = text.splitlines(keepends=True)
    segs = parse(text)
    gens_present = {s.key for s in segs if s.kind == "gen"}
    clean: dict[str, int] = {}
    for i, s in enumerate(segs):
        if s.kind == "gen" and not s.edited:
            clean.setdefault(s.key, i)
    parts: list[Part] = []
    folded: list[list[str]] = []  # text folded into each part, joined once at the end
    seen: set[str] = set()
    current: str | None = None  # section of the last accepted gen block
    dropped_gen = False  # the last gen block was folded, so its "after" text is folded too

    for i, seg in enumerate(segs):
        raw = _raw(seg, lines)
        if seg.kind == "gen":
            first = clean.get(seg.key, i) == i and seg.key not in seen
            ok = first and (seg.key in known_set or known_gen(seg.key))
            dropped_gen = not ok
            if ok:
                seen.add(seg.key)
                current = section(seg.key)
                parts.append(Part("gen", seg.key, seg.body, raw, seg.edited and _edited(seg, raw)))
                continue
        elif seg.kind == "after" and not dropped_gen:
            parts.append(Part("after", seg.key, seg.body, raw))
            continue
        elif seg.kind == "slot":
            home = owner(seg.key)
            in_place = home is not None and home == current
            ok = (in_place and (seg.key in known_set or seg.key.rsplit("/", 1)[1] in names)) or (
                home not in gens_present and seg.key in generated_set
            )
            if ok and seg.key not in seen:
                seen.add(seg.key)
                parts.append(Part("slot", seg.key, seg.body, raw))
                continue
        elif seg.kind == "free":
            parts.append(Part("free", "", seg.body, raw))
            continue
        _fold(parts, folded, raw)
    for part, texts in zip(parts, folded, strict=False):
        part.absorb(texts)
    return parts


def rekey(part: Part, key: str) -> str:
    """A hand-edited gen block under `key` (its key may have been renamed), its recorded sum kept so
    that it still reads as edited."""
    if part.key == key:
        return part.raw
    m = _SUM.search(part.raw.splitlines()[-1])
    end = f"<!-- annotate:/gen {key} sum={m[1]} -->" if m else f"<!-- annotate:/gen {key} -->"
    return f"<!-- annotate:gen {key} -->\n{part.body}{end}\n"


def _edited(seg: Segment, raw: str) -> bool:
    """Edited for real: a file whose line ends were turned into CRLF by an editor is not."""
    m = _SUM.search(raw.splitlines()[-1])
    return m is None or m[1] != checksum(seg.body.replace("\r\n", "\n"))


def _fold(parts: list[Part], folded: list[list[str]], raw: str) -> None:
    if not parts:
        parts.append(Part("free", "", "", ""))
    last = parts[-1]
    if last.kind == "gen":
        parts.append(Part("after", last.key, "", ""))
    folded.extend([] for _ in range(len(parts) - len(folded)))
    folded[-1].append(raw)


def _raw(seg: Segment, lines: list[str]) -> str:
    """The exact text of a segment in the file, marker lines included."""
    if seg.kind == "gen":
        n = len(seg.body.splitlines(keepends=True))
        return "".join(lines[seg.line - 1 : seg.line + n + 1])
    if seg.kind == "slot":
        return lines[seg.line - 1] + seg.body
    return seg.body


def stubs(text: str) -> set[str]:
    """The stub lines of a notes file, stripped."""
    return {line.strip() for line in text.splitlines() if is_stub(line)}


def is_empty(body: str, known_stubs: set[str]) -> bool:
    """True for a slot with no prose of its own: only whitespace and the tool's stub lines."""
    if prose(body).strip():
        return False
    lines = [line.strip() for line in body.splitlines() if is_stub(line)]
    return all(line in known_stubs or is_prompt_stub(line) for line in lines)


def ends_with_break(text: str) -> bool:
    return text == "" or len((text + "x").splitlines()) > len(text.splitlines())

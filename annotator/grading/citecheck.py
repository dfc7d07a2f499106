"""Resolve every citation of a notes file to a file and lines at the commit, and check it. Pure.

A bare `L123` followed by "of path.py" or "in path.py" means a line of that file. Otherwise, in a
section about a file (`file:`, `class:`, `method:` keys) it means a line of that file, unless a
file is named before it on the same line (then that file). Elsewhere (questions,
closing, lifecycle) it means a line of the file named last before it in the same paragraph, else
of the first file named after it in the paragraph; else it is ambiguous (`cite-ambiguous`).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass

from annotator.grading.citations import Citation, Mention, is_sha_ref, same_commit, scan_line
from annotator.grading.prose import Line
from annotator.links import match_files
from annotator.resolve.lookup import Symbol
from annotator.snapshot.files import Snapshot

MAX_CHECKED = 5000  # citations checked per notes file; the rest are counted

Emit = Callable[[str, int, str], None]  # (code, notes line, message)


@dataclass(frozen=True, slots=True)
class Placed:
    """A citation with the section it sits in and the file it names (None: ambiguous)."""

    cite: Citation
    section: str
    target: str | None
    from_section: bool  # a bare citation whose file comes from the section key


def section_target(key: str) -> tuple[str | None, str | None]:
    """(path, qualname) a section key is about: `method:P::Q/does` -> (P, Q); `file:P` -> (P, None)."""
    kind, _, rest = key.partition(":")
    if kind == "file":
        return rest or None, None
    if kind in ("class", "method") and "::" in rest:
        path, _, qual = rest.partition("::")
        return path, qual.split("/", 1)[0].split("@", 1)[0]
    return None, None


def place(lines: list[Line]) -> tuple[list[Placed], int]:
    """Citations of the student's lines, placed; and how many there were beyond MAX_CHECKED."""
    placed: list[Placed] = []
    extra = 0
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and lines[j].para == lines[i].para:
            j += 1
        cites: list[tuple[Citation, str]] = []
        mentions: list[Mention] = []
        for ln in lines[i:j]:
            room = len(placed) + len(cites) < MAX_CHECKED
            found, named = scan_line(ln.text, ln.no, names=room)
            for c in found:
                if len(placed) + len(cites) < MAX_CHECKED:
                    cites.append((c, ln.section))
                else:
                    extra += 1
            mentions.extend(named)
        placed.extend(_place_paragraph(cites, mentions))
        i = j
    return placed, extra


def _place_paragraph(cites: list[tuple[Citation, str]], mentions: list[Mention]) -> list[Placed]:
    keys = [(m.line, m.col) for m in mentions]  # sorted: lines in order, columns sorted per line
    out = []
    for c, section in cites:
        if c.form != "bare" or c.path is not None:
            out.append(Placed(c, section, c.path, False))
            continue
        at = bisect.bisect_left(keys, (c.line, c.col))
        before = mentions[at - 1] if at > 0 else None
        sec_path, _ = section_target(section)
        if sec_path is not None and (before is None or before.line != c.line):
            out.append(Placed(c, section, sec_path, True))
        elif before is not None:
            out.append(Placed(c, section, before.path, False))
        else:
            out.append(Placed(c, section, mentions[at].path if at < len(mentions) else None, False))
    return out


def check_placed(
    placed: list[Placed], snap: Snapshot | None, syms: dict[str, list[Symbol]], sha: str | None, emit: Emit
) -> None:
    """Emit findings for citations: permalinks, files, ranges and symbols."""
    layout = sorted(f.path for f in snap.files if f.role != "cited") if snap else []
    every = sorted(f.path for f in snap.files) if snap else []
    lines = {f.path: f.lines for f in snap.files} if snap else {}
    for p in placed:
        c = p.cite
        if c.form == "permalink" and c.ref is not None and sha is not None and not same_commit(c.ref, sha):
            emit("permalink-other-commit", c.line, f"{_show(c.text)} points at {_ref(c.ref)}, not {sha[:12]}")
            continue
        if p.target is None:
            if c.has_lines:
                emit("cite-ambiguous", c.line, f"{_show(c.text)}: which file? Write path.py:{c.start}")
            continue
        if snap is None:
            continue
        hits = match_files(p.target, layout) or match_files(p.target, every)
        if not hits and not c.has_lines and "." not in p.target.rsplit("/", 1)[-1]:
            continue  # a link to a folder (`tree/SHA/vllm/core`)
        if not hits:
            emit("cite-missing-file", c.line, f"{_show(c.text)}: no file {p.target} at {snap.sha[:12]}")
            continue
        if len(hits) > 1:
            emit("cite-ambiguous-file", c.line, f"{_show(c.text)}: {p.target} could be {', '.join(hits[:4])}")
            continue
        if c.start is None or c.end is None:
            continue
        path = hits[0]
        n = lines[path]
        if c.start < 1 or c.end < c.start or c.end > n:
            emit("cite-out-of-range", c.line, f"{_show(c.text)}: {path} has {n} lines at {snap.sha[:12]}")
            continue
        _check_symbol(p, path, syms.get(path, []), emit)


def _check_symbol(p: Placed, path: str, syms: list[Symbol], emit: Emit) -> None:
    c = p.cite
    assert c.start is not None and c.end is not None
    sec_path, sec_qual = section_target(p.section)
    sym = _named_symbol(c.symbol, syms, sec_qual if sec_path == path else None) if c.symbol else None
    how = "it names"
    if sym is None and p.from_section and sec_qual is not None:
        same = [s for s in syms if s.qualname == sec_qual]
        sym = _one(same) if same else None
        how = "its section is about"
    if sym is not None and not sym.contains(c.start, c.end):
        emit(
            "cite-outside-symbol",
            c.line,
            f"{_show(c.text)} ({path}) is outside {sym.qualname} (L{sym.lineno}-L{sym.end_lineno}), "
            f"which {how}",
        )


def _named_symbol(name: str, syms: list[Symbol], section_qual: str | None) -> Symbol | None:
    """The symbol of the file a name designates: exact qualname, a method of the section's class,
    else the only qualname ending in "." + name."""
    owner = section_qual.rsplit(".", 1)[0] if section_qual and "." in section_qual else section_qual
    tries: list[Callable[[Symbol], bool]] = [lambda s: s.qualname == name]
    if owner:
        tries.append(lambda s: s.qualname in (f"{owner}.{name}", f"{section_qual}.{name}"))
    tries.append(lambda s: s.qualname.endswith("." + name))
    for test in tries:
        same = [s for s in syms if test(s)]
        if same:
            return _one(same)
    return None


def _one(same: list[Symbol]) -> Symbol | None:
    """One symbol, or the span of a property's getter and setter (or overloads); None if several."""
    if len({s.qualname for s in same}) > 1:
        return None  # `allocate` names several methods of the file: do not guess
    first = min(same, key=lambda s: s.lineno - s.decorators)
    last = max(s.end_lineno for s in same)
    return Symbol(first.path, first.qualname, first.kind, first.lineno, last, first.decorators)


def _ref(ref: str) -> str:
    if is_sha_ref(ref):
        return f"commit {ref[:12]}"
    return f"the moving ref {_show(ref)} (use a permalink with the full SHA)"


def _show(text: str, limit: int = 80) -> str:
    clean = "".join(ch if ch.isprintable() else "?" for ch in text)
    return "`" + (clean if len(clean) <= limit else clean[: limit - 1] + "…") + "`"

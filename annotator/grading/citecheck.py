"""Resolve every citation of a notes file to a file and lines at the commit, and check it. Pure.

Which file a bare `L123` (or `lines 120-145`) cites, first rule that applies:
1. the file named right after it: `L40 of path.py`, `line 33 in path.py`;
2. the file named last before it in the same sentence, else before it on the same line;
3. the file of its section: a `file:`, `class:` or `method:` marker key, else the innermost heading
   above it that names a file, a class or a method (sections.Contexts);
4. the file named last before it in its paragraph (a whole list counts as one paragraph), else the
   first one named after it;
else it is ambiguous (`cite-ambiguous`). A file name that several files end with (`scheduler.py`
in both engines) is the one the heading or section above names, else `cite-ambiguous-file`.

A citation naming a symbol holds when its lines fall inside it (decorators included), call or
construct it, or cover every symbol named in its clause; a bare one under a section about a class
or method may cite anything in that class.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass

from annotator.grading.citations import Citation, Mention, is_sha_ref, same_commit, scan_line
from annotator.grading.findings import CiteRef, Emit
from annotator.grading.sections import Contexts
from annotator.grading.structure import Line, Scope
from annotator.links import match_files
from annotator.resolve.lookup import Symbol
from annotator.snapshot.files import Snapshot

MAX_CHECKED = 5000  # citations checked per notes file; the rest are counted
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")


@dataclass(frozen=True, slots=True)
class Placed:
    """A citation, where it sits, and the file it names.

    via: how the file was found: "text" (written with it, or in its sentence or line), "section"
    (the marker key), "heading" (resolved at the commit from `scope`; `target` is then the paragraph
    rule's file, used when no heading names one), "paragraph", or "none" (target None: ambiguous).
    """

    cite: Citation
    section: str
    target: str | None
    via: str
    scope: Scope | None = None


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
        cites: list[tuple[Citation, Line]] = []
        mentions: list[Mention] = []
        sentence: dict[int, tuple[int, list[int]]] = {}  # line -> (sentences before it, break columns)
        count = 0
        for ln in lines[i:j]:
            room = len(placed) + len(cites) < MAX_CHECKED
            found, named = scan_line(ln.text, ln.no, names=room)
            for c in found:
                if len(placed) + len(cites) < MAX_CHECKED:
                    cites.append((c, ln))
                else:
                    extra += 1
            mentions.extend(named)
            breaks = [m.end() for m in _SENTENCE_END.finditer(ln.text)] if found or named else []
            sentence[ln.no] = (count, breaks)
            count += len(breaks) + (ln.kind != "prose")  # a table row or heading is a sentence of its own
        placed.extend(_place_paragraph(cites, mentions, sentence))
        i = j
    return placed, extra


def _place_paragraph(
    cites: list[tuple[Citation, Line]], mentions: list[Mention], sentence: dict[int, tuple[int, list[int]]]
) -> list[Placed]:
    def sentence_of(line: int, col: int) -> int:
        before, breaks = sentence[line]
        return before + bisect.bisect_right(breaks, col)

    keys = [(m.line, m.col) for m in mentions]  # sorted: lines in order, columns sorted per line
    out = []
    for c, ln in cites:
        if c.form != "bare" or c.path is not None:
            out.append(Placed(c, ln.section, c.path, "text", ln.scope))
            continue
        at = bisect.bisect_left(keys, (c.line, c.col))
        before = mentions[at - 1] if at > 0 else None
        here = sentence_of(c.line, c.col)
        if before is not None and (before.line == c.line or sentence_of(before.line, before.col) == here):
            out.append(Placed(c, ln.section, before.path, "text", ln.scope))
            continue
        sec_path, _ = section_target(ln.section)
        if sec_path is not None:
            out.append(Placed(c, ln.section, sec_path, "section", ln.scope))
            continue
        para = before.path if before is not None else (mentions[at].path if at < len(mentions) else None)
        if ln.scope is not None:
            out.append(Placed(c, ln.section, para, "heading", ln.scope))
        else:
            out.append(Placed(c, ln.section, para, "paragraph" if para else "none", ln.scope))
    return out


def cite_ref(c: Citation, path: str | None = None) -> CiteRef:
    return CiteRef(c.text, c.col, c.end_col, path, c.start, c.end)


def check_placed(
    placed: list[Placed], snap: Snapshot | None, syms: dict[str, list[Symbol]], sha: str | None, emit: Emit
) -> list[Placed]:
    """Emit findings for citations (permalinks, files, ranges, symbols); return the citations whose
    file is known (a heading's file filled in, ambiguous ones left out)."""
    layout = sorted(f.path for f in snap.files if f.role != "cited") if snap else []
    every = sorted(f.path for f in snap.files) if snap else []
    texts = {f.path: f.text for f in snap.files} if snap else {}
    lines = {f.path: f.lines for f in snap.files} if snap else {}
    contexts = Contexts(layout, every, syms)
    split: dict[str, list[str]] = {}
    known: list[Placed] = []
    for p in placed:
        c = p.cite
        ctx_path, ctx_syms = contexts.at(p.scope)
        if p.via == "heading" and ctx_path is None:
            p = Placed(c, p.section, p.target, "paragraph" if p.target else "none", p.scope)
        elif p.via == "heading":
            p = Placed(c, p.section, ctx_path, "heading", p.scope)
        if c.form == "permalink" and c.ref is not None and sha is not None and not same_commit(c.ref, sha):
            msg = f"{_show(c.text)} points at {_ref(c.ref)}, not {sha[:12]}"
            emit("permalink-other-commit", c.line, msg, cite_ref(c, p.target))
            if p.target is not None:
                known.append(p)  # a citation all the same (a wrong one), for the answer it sits in
            continue
        if p.target is None:
            if c.has_lines:
                msg = f"{_show(c.text)}: which file? Write path.py:{c.start}, or name the file in a heading"
                emit("cite-ambiguous", c.line, msg, cite_ref(c))
            continue
        if snap is None:
            known.append(p)
            continue
        hits = match_files(p.target, layout) or match_files(p.target, every)
        if not hits and not c.has_lines and "." not in p.target.rsplit("/", 1)[-1]:
            continue  # a link to a folder (`tree/SHA/vllm/core`)
        if not hits:
            msg = f"{_show(c.text)}: no file {p.target} at {snap.sha[:12]}"
            emit("cite-missing-file", c.line, msg, cite_ref(c))
            continue
        if len(hits) > 1:  # `scheduler.py` in both engines: the heading or section above may tell
            sec_path = section_target(p.section)[0]
            hits = [h for h in (ctx_path, sec_path) if h in hits][:1] or hits
        if len(hits) > 1:
            msg = f"{_show(c.text)}: {p.target} could be {', '.join(hits[:4])}; give more of the path"
            emit("cite-ambiguous-file", c.line, msg, cite_ref(c))
            continue
        path = hits[0]
        known.append(Placed(c, p.section, path, p.via, p.scope))
        if c.start is None or c.end is None:
            continue
        n = lines[path]
        if c.start < 1 or c.end < c.start or c.end > n:
            msg = f"{_show(c.text)}: {path} has {n} lines at {snap.sha[:12]}"
            emit("cite-out-of-range", c.line, msg, cite_ref(c, path))
            continue
        file_syms = syms.get(path, [])
        sec_path, sec_qual = section_target(p.section)
        scope_syms: tuple[Symbol, ...] = ()
        if sec_path == path and sec_qual:
            one = _one([s for s in file_syms if s.qualname == sec_qual] or [])
            scope_syms = (one,) if one is not None else ()
        elif ctx_path == path:
            scope_syms = ctx_syms
        if path not in split:
            split[path] = texts.get(path, "").split("\n")
        _check_symbol(p, path, file_syms, scope_syms, split[path], emit)
    return known


def _check_symbol(
    p: Placed, path: str, syms: list[Symbol], scope_syms: tuple[Symbol, ...], source: list[str], emit: Emit
) -> None:
    """A citation naming a symbol holds when its lines fall inside it, call or construct it, or cover
    every symbol named in its clause. A bare one under a section holds anywhere in the section's class."""
    c = p.cite
    assert c.start is not None and c.end is not None
    start, end = c.start, c.end
    owner = scope_syms[0].qualname if len(scope_syms) == 1 else None
    sym = _named_symbol(c.symbol, syms, owner) if c.symbol else None
    if sym is not None:
        if sym.contains(start, end) or _covers_with_margin(source, start, end, sym):
            return
        if _calls(source, start, end, sym.qualname.rsplit(".", 1)[-1]):
            holds_it = start <= sym.lineno - sym.decorators and sym.end_lineno <= end
            if holds_it and 2 * (end - start + 1) > len(source):  # a call in it, but most of the file
                emit(
                    "cite-too-wide",
                    c.line,
                    f"{_show(c.text)} ({path}) names {sym.qualname} but cites most of the file; cite its "
                    f"own lines, L{sym.lineno}-L{sym.end_lineno}",
                    cite_ref(c, path),
                )
            return
        named = [s for n in c.names if (s := _named_symbol(n, syms, owner)) is not None]
        if len(named) > 1 and all(start <= s.lineno - s.decorators and s.end_lineno <= end for s in named):
            return
        emit(
            "cite-outside-symbol",
            c.line,
            f"{_show(c.text)} ({path}) is outside {sym.qualname} (L{sym.lineno}-L{sym.end_lineno}), which "
            "it names, and does not call it",
            cite_ref(c, path),
        )
        return
    if p.via not in ("section", "heading") or not scope_syms:
        return
    scopes = [_class_of(s, syms) for s in scope_syms]
    if any(s.contains(start, end) for s in scopes):
        return
    where = ", ".join(f"{s.qualname} (L{s.lineno}-L{s.end_lineno})" for s in scopes)
    emit(
        "cite-outside-symbol",
        c.line,
        f"{_show(c.text)} ({path}) is outside {where}, which its section is about",
        cite_ref(c, path),
    )


def _class_of(sym: Symbol, syms: list[Symbol]) -> Symbol:
    """A method's class (a section about a method may cite anything in its class); else the symbol."""
    if "." not in sym.qualname or sym.kind == "class":
        return sym
    owner = sym.qualname.rsplit(".", 1)[0]
    return next((s for s in syms if s.qualname == owner and s.kind == "class"), sym)


def _calls(source: list[str], start: int, end: int, name: str) -> bool:
    """Lines start..end of the file call (or construct) `name`; its own `def name(` is not a call."""
    call = re.compile(r"(?<![\w])" + re.escape(name) + r"\s*\(")
    own = re.compile(r"\s*(?:async\s+)?(?:def|class)\s+" + re.escape(name) + r"\b")
    return any(call.search(line) and not own.match(line) for line in source[start - 1 : end])


def _covers_with_margin(source: list[str], start: int, end: int, sym: Symbol) -> bool:
    """The lines hold all of `sym` and, around it, only blank and comment lines (a range that runs a
    line or two past a method holds; one that takes in other code, or the whole file, does not)."""
    first = sym.lineno - sym.decorators
    if not (start <= first and sym.end_lineno <= end):
        return False
    around = source[start - 1 : first - 1] + source[sym.end_lineno : end]
    return all(not line.strip() or line.lstrip().startswith("#") for line in around)


def _named_symbol(name: str, syms: list[Symbol], section_qual: str | None) -> Symbol | None:
    """The symbol of the file a name designates: exact qualname, a method of the section's class,
    else the only qualname ending in "." + name."""
    name = name.removesuffix("()")
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
    if not same:
        return None
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

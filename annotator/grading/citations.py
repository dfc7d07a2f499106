"""Line citations in notes: parse them from a line of text, and find the file they name.

Forms (README "Graders: check and cite"):
L123, L120-L145, L120-145                 bare: the file comes from the context (citecheck.py)
path.py:123, path.py:120-145, path.py:L120-L145, path.py#L120-L145, `path.py` L120
https://github.com/vllm-project/vllm/blob/<sha>/<path>#L120-L145   permalink (also #L120 alone)
Every pattern is linear-time: starts are anchored by a literal or by a look-behind at the start of
a run, and repetitions are bounded, so a 1 MB adversarial line is scanned in one pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

_EXT = r"(?:py|pyi|cu|cuh|cc|cpp|c|h|hpp)"
_PERMALINK = re.compile(
    r"https?://github\.com/vllm-project/vllm/(?:blob|tree)/(?P<ref>[\w.-]{1,100})"
    r"(?:/(?P<path>[\w./-]{1,300}))?"
    r"(?:#L(?P<a>\d{1,7})(?:C\d{1,5})?(?:-L(?P<b>\d{1,7})(?:C\d{1,5})?)?)?"
)
_PATH = re.compile(
    r"(?<![\w./-])(?P<path>[\w./-]{0,250}\." + _EXT + r")(?![\w/])"
    r"(?:`?(?::L?|:[ \t]{1,2}L|#L|,?[ \t]{1,3}L|,?[ \t]{1,3}[Ll]ines?[ \t]{1,3}|,[ \t]{0,2}L)"
    r"(?P<a>\d{1,7})(?:(?:[ \t]?[-–][ \t]?|[ \t]{1,2}to[ \t]{1,2})L?(?P<b>\d{1,7}))?(?!\w|\.\d))?"
)
_BARE = re.compile(
    r"(?:(?<![\w#:/.-])L|(?<![\w-])[Ll]ines?[ \t]{1,3})"
    r"(?P<a>\d{1,7})(?:(?:[ \t]?[-–][ \t]?|[ \t]{1,2}to[ \t]{1,2})L?(?P<b>\d{1,7}))?(?!\w|\.\d)"
    r"(?![ \t]{0,3}(?:/[ \t]{0,3}L\d[ \t]{0,3})?cache)"  # "the L2 cache", "L1/L2 caches" are not lines
)
_OF_FILE = re.compile(
    r"[ \t]{1,3}(?:of|in)[ \t]{1,3}(?:the[ \t]{1,3})?`?(?P<path>[\w./-]{1,250}\." + _EXT + r")(?![\w/])"
)
# A dotted name written just before a citation: "`BlockAllocator.free` (L29", "free() at L29".
# Only code-like names count: dotted, in backticks, called, CamelCase or snake_case, or link text.
_NAMED = re.compile(
    r"(?<![\w.])(?P<open>[`\[]?)(?P<name>[A-Za-z_]\w{0,80}(?:\.[A-Za-z_]\w{0,80}){0,4})(?P<call>\(\))?"
    r"(?P<close>[`\]]?)[\s`*_\[\]():,|—–-]{0,12}(?:(?:at|in|on|see|lines?|is|from)[\s`:,(]{1,6})?$"
)
# A file named between that name and a bare citation: "`_preempt` in scheduler.py (L87", "`fork` at
# block_manager.py §L111", "`Scheduler._preempt` in `vllm/core/scheduler.py` (L87-91)".
_FILE_BEFORE = re.compile(r"(?<![\w./-])`?[\w./-]{0,250}\." + _EXT + r"`?[\s`*_():,§|—–-]{0,6}$")
_LINE_NAME = re.compile(r"L\d+")
_CLAUSE_END = re.compile(r"[.!?;](?=\s)")
_CODE_NAME = re.compile(
    r"`(?P<q>[A-Za-z_][\w.]{0,160}?)(?:\(\))?`"
    r"|(?<![\w./-])(?P<n>[A-Za-z_]\w{0,80}(?:\.[A-Za-z_]\w{0,80}){0,4})(?P<c>\(\))?(?![\w/])"
)
_EXT_TAIL = re.compile(r"\.(?:py|pyi|cu|cuh|cc|cpp|c|h|hpp|md|json|toml)$")
_INNER_CAP = re.compile(r"[a-z][A-Z]")
_HEX = re.compile(r"[0-9a-f]{7,40}")


@dataclass(frozen=True, slots=True)
class Citation:
    """A citation as written in the notes.

    form: "bare" (L123), "path" (path.py:123) or "permalink" (a GitHub blob or tree URL).
    path: the file as written (for a bare one, only when named right after it: "L40 of x.py");
    start/end: the lines (None for a file link).
    ref: the commit or ref of a permalink. symbol: a dotted name written just before it.
    col: where it starts in the notes line (a str index; `end_col` where it ends).
    """

    line: int
    col: int
    text: str
    form: str
    path: str | None
    start: int | None
    end: int | None
    ref: str | None = None
    symbol: str | None = None
    names: tuple[str, ...] = ()  # code-like names written in the same clause before it

    @property
    def end_col(self) -> int:
        return self.col + len(self.text)

    @property
    def has_lines(self) -> bool:
        return self.start is not None


@dataclass(frozen=True, slots=True)
class Mention:
    """A file named in the text (with or without lines), for resolving bare citations."""

    line: int
    col: int
    path: str


def scan_line(text: str, line: int, names: bool = True) -> tuple[list[Citation], list[Mention]]:
    """Citations and file mentions of one line, in column order.

    names: also find the symbol named before each citation (skipped past the checking cap).
    """
    cites: list[Citation] = []
    mentions: list[Mention] = []
    buf = list(text)

    def blank(start: int, end: int) -> None:
        buf[start:end] = " " * (end - start)

    for m in _PERMALINK.finditer(text):
        path = (m["path"] or "").rstrip(".") or None
        start, end = _lines(m["a"], m["b"])
        sym = _named(text, m.start()) if names else None
        cites.append(Citation(line, m.start(), m[0], "permalink", path, start, end, m["ref"], sym))
        if path:
            mentions.append(Mention(line, m.start(), path))
        blank(_link_text_start(text, m.start()), m.end())
    rest = "".join(buf)
    for m in _PATH.finditer(rest):
        mentions.append(Mention(line, m.start(), m["path"]))
        if m["a"] is not None:
            start, end = _lines(m["a"], m["b"])
            sym = _named(text, m.start()) if names else None
            cites.append(Citation(line, m.start(), m[0], "path", m["path"], start, end, None, sym))
        blank(m.start(), m.end())
    rest = "".join(buf)
    for m in _BARE.finditer(rest):
        start, end = _lines(m["a"], m["b"])
        sym = _named(text, m.start()) if names else None
        of = _OF_FILE.match(text, m.end())  # "L40 of scheduler.py": the file is named right after
        path = of["path"] if of else None
        cites.append(Citation(line, m.start(), m[0], "bare", path, start, end, None, sym))
    cites.sort(key=lambda c: c.col)
    mentions.sort(key=lambda mn: mn.col)
    if names and cites:
        cites = _with_clauses(text, cites)
    return cites, mentions


def _with_clauses(text: str, cites: list[Citation]) -> list[Citation]:
    """Each citation with the code-like names of its clause: from the previous citation, sentence end
    or semicolon on the line, up to it."""
    out: list[Citation] = []
    prev = 0
    for c in cites:
        start = prev
        for m in _CLAUSE_END.finditer(text, prev, c.col):
            start = m.end()
        found = code_names(text[start : c.col])
        out.append(replace(c, names=tuple(found)) if found else c)
        prev = c.end_col
    return out


def code_names(text: str) -> list[str]:
    """Code-like names in a piece of text: in backticks, dotted, snake_case, CamelCase with an inner
    capital, or called (`free()`); file names (`x.py`) and line references are not names."""
    out: list[str] = []
    for m in _CODE_NAME.finditer(text[:2000]):
        name = m["q"] or m["n"]
        if _EXT_TAIL.search(name) or _LINE_NAME.fullmatch(name) or name in _NOT_NAMES:
            continue
        if m["q"] is None and not (m["c"] or "." in name or "_" in name or _INNER_CAP.search(name)):
            continue
        if name not in out:
            out.append(name)
    return out


def _lines(a: str | None, b: str | None) -> tuple[int | None, int | None]:
    if a is None:
        return None, None
    return int(a), int(b) if b is not None else int(a)


def _link_text_start(text: str, start: int) -> int:
    """Where the [link text] of a Markdown link to `start` begins (its text is not a citation)."""
    if not text.startswith("](", start - 2):
        return start
    opening = text.rfind("[", max(0, start - 200), start - 2)
    return opening if opening >= 0 else start


def _named(text: str, start: int) -> str | None:
    """The dotted name written right before a citation (or as its link text), if any; a file named
    between the two is skipped (`name in file.py (L10)`)."""
    window = text[max(0, start - 200) : start]
    file_before = _FILE_BEFORE.search(window)
    if file_before is not None:
        window = window[: file_before.start()]
    found = _NAMED.search(window[-120:])
    if found is None:
        return None
    name = found["name"]
    if name in _NOT_NAMES or _LINE_NAME.fullmatch(name):
        return None
    marked = bool(found["open"] or found["call"] or found["close"])
    code_like = "." in name or "_" in name or name[0].isupper()
    return name if marked or code_like else None


_NOT_NAMES = frozenset({"L", "at", "in", "on", "see", "line", "lines", "is", "from", "and", "or", "the"})


def is_sha_ref(ref: str) -> bool:
    return _HEX.fullmatch(ref) is not None


def same_commit(ref: str, sha: str) -> bool:
    """A permalink's ref names the commit: the full SHA or an abbreviation of at least 7 digits."""
    return is_sha_ref(ref) and sha.startswith(ref)

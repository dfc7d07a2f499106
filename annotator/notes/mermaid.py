"""Escaping for the mermaid sequence and class diagrams written into notes.

Mermaid's escape is an entity written without ``&``: ``#59;`` is ``;``, ``#lt;`` is ``<``. Mermaid swaps
every ``#\\w+;`` for a placeholder before parsing and decodes it in the rendered SVG, so entities pass the
lexers. Each escape is a single pass (one regex and a map): replacing ``#`` and then ``;`` in two passes
would corrupt the entities just written. The rules were measured with mermaid 11.17.2 (shared MERMAID.md).
"""

from __future__ import annotations

import re
from html.entities import html5

__all__ = [
    "ZWSP",
    "class_decl",
    "class_id",
    "class_label",
    "class_member",
    "class_rel_label",
    "participant",
    "seq_id",
    "seq_text",
    "unescape",
]

ZWSP = "#8203;"
"""A zero-width space: the text written instead of an empty label (mermaid < 11.17 rejects `A->>B:`)."""

# Words that fail as a sequenceDiagram participant id, in any case (measured, see MERMAID.md).
SEQ_KEYWORDS = frozenset({
    "end", "alt", "opt", "loop", "par", "par_over", "and", "critical", "option", "break", "rect", "else",
    "box", "over", "note", "link", "links", "properties", "details", "activate", "deactivate", "create",
    "destroy", "off", "autonumber", "actor", "participant", "title", "sequencediagram", "acctitle",
    "accdescr",
})  # fmt: skip
# Words that fail as a classDiagram class name (case-sensitive in mermaid; compared case-insensitively).
CLASS_KEYWORDS = frozenset({
    "note", "class", "classdef", "namespace", "link", "click", "callback", "style", "cssclass",
    "classdiagram", "href", "call",
})  # fmt: skip

_SAFE_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NOT_ID = re.compile(r"[^A-Za-z0-9_]+")
_LINE_BREAKS = "\r\n|[\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029]"

# Sequence text lexes as `[^#\n;]*`; `%%` starts a comment or a `%%{` directive; `<...>` may be HTML. A `:`
# followed by a non-space is escaped too: mermaid drops the last `;` of a line matching `style.*:\S*#.*;`
# (or `classDef...`), which would cut an entity such as `#35;` and truncate the text at its `#`.
_SEQ_MAP = {";": "#59;", "#": "#35;", "<": "#lt;", ">": "#gt;", ":": "#58;"}
_SEQ_RE = re.compile(f"{_LINE_BREAKS}|%%+|:(?=\\S)|[;#<>]")
# Class members and labels: also `{}` (member lines), `_ *` (markdown), `~` (generics), `"` (labels), `$`
# (static marker after `)`), every `:` (relationship labels), and `) -> T` written as `) T` (mermaid splits
# a member at `)` and shows the rest as its return type).
_CLASS_MAP = {
    **_SEQ_MAP,
    "{": "#123;",
    "}": "#125;",
    "_": "#95;",
    "*": "#42;",
    "~": "#126;",
    '"': "#quot;",
    "$": "#36;",
}
_LABEL_RE = re.compile(f"{_LINE_BREAKS}|%%+|[{re.escape(''.join(_CLASS_MAP))}]")
_MEMBER_RE = re.compile(rf"\)\s*(?:->|→)\s*|{_LABEL_RE.pattern}")
# A member with a `)` is a method and must match `.+\(.*\)` (else mermaid 11.17 throws "Cannot read
# properties of undefined"): in one that does not, `(` and `)` are escaped too.
_METHOD = re.compile(r".+\(.*\)", re.S)
_NO_CALL_MAP = {**_CLASS_MAP, "(": "#40;", ")": "#41;"}
_NO_CALL_RE = re.compile(f"{_LABEL_RE.pattern}|[()]")
_ENTITY = re.compile(r"#(\w+);", re.ASCII)


def _sub(pattern: re.Pattern[str], table: dict[str, str], text: str) -> str:
    def one(match: re.Match[str]) -> str:
        found = match.group()
        if found in table:
            return table[found]
        if found[0] == "%":
            return "#37;" * len(found)
        return ") " if found[0] == ")" else " "  # `) ->` in a member, or a line break

    out = pattern.sub(one, text)
    return out if out.strip() else ZWSP


def seq_text(s: str) -> str:
    """Escape text for a sequenceDiagram message, Note, alt/else/loop label or participant alias."""
    return _sub(_SEQ_RE, _SEQ_MAP, s)


def _safe_id(name: str, keywords: frozenset[str], prefix: str, taken: set[str] | None) -> str:
    base = _NOT_ID.sub("_", name).strip("_")
    if not base or base[0].isdigit() or base.lower() in keywords:
        base = prefix + base
    result, n = base, 2
    while taken is not None and result in taken:
        result, n = f"{base}_{n}", n + 1
    if taken is not None:
        taken.add(result)
    return result


def seq_id(name: str, taken: set[str] | None = None) -> str:
    """A participant id for `name` matching ``[A-Za-z_]\\w*`` and no keyword; deterministic.

    With `taken`, the id differs from every id in it (a suffix ``_2``, ``_3``... is added) and is added to it.
    """
    return _safe_id(name, SEQ_KEYWORDS, "P_", taken)


def participant(id: str, label: str) -> str:
    """``participant ID as LABEL``, the label escaped; `id` must be a safe id (see `seq_id`)."""
    if not _SAFE_ID.fullmatch(id) or id.lower() in SEQ_KEYWORDS:
        raise ValueError(f"unsafe participant id {id!r}: make one with seq_id()")
    return f"participant {id} as {seq_text(label)}"


def class_id(name: str, taken: set[str] | None = None) -> str:
    """A class id for `name` matching ``[A-Za-z_]\\w*`` and no keyword; deterministic; `taken` as `seq_id`."""
    return _safe_id(name, CLASS_KEYWORDS, "C_", taken)


def class_member(text: str) -> str:
    """Escape one member line of ``class X { ... }``; ``foo(x) -> int`` is written ``foo(x) int``."""
    if ")" in text and not _METHOD.match(text.strip()):
        return _sub(_NO_CALL_RE, _NO_CALL_MAP, text)
    return _sub(_MEMBER_RE, _CLASS_MAP, text)


def class_label(name: str) -> str:
    """Escape the label of ``class Id["label"]`` (without the quotes)."""
    return _sub(_LABEL_RE, _CLASS_MAP, name)


def class_decl(id: str, label: str) -> str:
    """``class ID["LABEL"]``, the label escaped; `id` must be a safe id (see `class_id`)."""
    if not _SAFE_ID.fullmatch(id) or id.lower() in CLASS_KEYWORDS:
        raise ValueError(f"unsafe class id {id!r}: make one with class_id()")
    return f'class {id}["{class_label(label)}"]'


def class_rel_label(text: str) -> str:
    """Escape the label after `` : `` in a classDiagram relationship (``A --> B : label``)."""
    return _sub(_LABEL_RE, _CLASS_MAP, text)


def unescape(text: str) -> str:
    """Decode mermaid entities (``#59;``, ``#lt;``) as a rendered diagram shows them: the inverse of the
    escapes above, except for what they change on purpose (line breaks, ``) ->``, empty text)."""

    def one(match: re.Match[str]) -> str:
        code = match.group(1)
        if code.isdigit():
            return chr(int(code)) if 0 < int(code) <= 0x10FFFF else match.group()
        return html5.get(code + ";", match.group())

    return _ENTITY.sub(one, text)

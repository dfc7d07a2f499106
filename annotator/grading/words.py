"""What counts as a word of prose: a run of letters and digits holding a letter, outside citation
tokens (`block_manager_v1.py:200`, `L10-L51`, `#L5`) and code-like identifiers (`free_blocks`,
`BlockAllocator`, `Block.free`, `allocate()`), which are code, not the student's words.

Linear: the text is split on whitespace once, and each piece is tested with anchored patterns.
"""

from __future__ import annotations

import re

MAX_WORD = 100
_CALL = re.compile(r"\w\(")
_WORD = re.compile(r"\w+(?:['’]\w+)*")
_EDGE = "\"'“”‘’()[]{}<>,;:!?*_~`|"
# A piece of code: a dotted or path-like name (x.py, a.b), snake_case, an inner capital (CamelCase,
# camelCase), a call, a line reference, a number range.
_CODE = re.compile(
    r"[\w./#:-]*(?:\w\.[A-Za-z_]|\w_\w|_\w|\w_|[a-z][A-Z]|\w\(|#L?\d|:\d)[\w./#:()-]*"
    r"|L\d+(?:[-–]L?\d+)?"
)


def prose_words(text: str) -> int:
    """Words of a piece of prose text (inline code, URLs and markup already taken out by the caller)."""
    n = 0
    for piece in text.split():
        if len(piece) > MAX_WORD:  # a run that long is no word (and keeps the patterns linear)
            continue
        core = piece.strip(_EDGE).rstrip(".")
        if not core:
            continue
        if _CODE.fullmatch(core) is not None or ("(" in piece and _CALL.search(piece)):
            continue
        for w in _WORD.findall(core):
            # isalpha() is the fast path; the slow test keeps mixed words ("x86", "it's").
            if w.isalpha() or (any(c.isalpha() for c in w) and "_" not in w):
                n += 1
    return n


def label_words(text: str) -> int:
    return prose_words(text)

"""Links, ids and file names: the one home of every string that points at code or at an output file.

- GitHub URLs: `permalink`, `lines_ref` (a Markdown link labelled `L12-L20`), `tree_url`, `compare_url`.
- Node ids: a function, method or class of a commit is `"path::Qualname"` everywhere (call graph,
  renames, spans, citations); `node_id` builds one and `split_node` takes one apart.
- File names: `match_files` says which paths a path as written names (`block_manager.py` names
  `vllm/core/block_manager.py` when only one path ends so); `module_name` is a file's Python module.
- The names of the files annotate writes: the notes, the manifest, the experiments README (where
  they go, one folder or a course's lab layout, is annotator/outputs.py), the review pages of
  `check --html`.
- `shown_path`: a path as the user reads it in a message or a diff, with `/` on every OS.

Pure, with no imports of the package: every stage may use it.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections.abc import Sequence

GITHUB = "https://github.com/vllm-project/vllm"
NOTES_NAME = "vllm-block-manager-annotated.md"
MANIFEST_NAME = "manifest.json"
README_NAME = "README.md"


def permalink(sha: str, path: str, start: int | None = None, end: int | None = None) -> str:
    """`…/blob/SHA/PATH#L12-L20` (`#L12` for one line, no anchor without lines)."""
    if start is None:
        return f"{GITHUB}/blob/{sha}/{path}"
    return f"{GITHUB}/blob/{sha}/{path}{_anchor(start, end)}"


def lines_ref(sha: str, path: str, start: int, end: int | None = None) -> str:
    """A Markdown link labelled with the lines: `[L12-L20](permalink)`."""
    return f"[{lines_label(start, end)}]({permalink(sha, path, start, end)})"


def lines_label(start: int, end: int | None = None) -> str:
    return f"L{start}" if end is None or end == start else f"L{start}-L{end}"


def tree_url(sha: str) -> str:
    return f"{GITHUB}/tree/{sha}"


def compare_url(old_sha: str, new_sha: str) -> str:
    return f"{GITHUB}/compare/{old_sha}...{new_sha}"


def _anchor(start: int, end: int | None) -> str:
    return "#" + lines_label(start, end)


def node_id(path: str, qualname: str) -> str:
    """The id of a class or function of a commit: `vllm/core/block_manager.py::BlockAllocator.free`."""
    return f"{path}::{qualname}"


def split_node(node: str) -> tuple[str, str]:
    """`(path, qualname)` of a node id; the path is "" for a bare qualname."""
    path, sep, qualname = node.partition("::")
    return (path, qualname) if sep else ("", node)


def module_name(path: str) -> str:
    """The Python module a file is: "vllm/core/block/__init__.py" -> "vllm.core.block"; "vllm/block.py"
    -> "vllm.block" (imports are resolved by it, when extracting and when resolving calls)."""
    parts = path.removesuffix(".py").split("/")
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def match_files(token: str, paths: Sequence[str]) -> list[str]:
    """Files a path as written names: the exact path, else every path ending in "/" + token."""
    while token.startswith(("./", "/")):
        token = token[1:] if token.startswith("/") else token[2:]
    if token in paths:
        return [token]
    tail = "/" + token
    return sorted(p for p in paths if p.endswith(tail))


def shown_path(path: str | os.PathLike[str]) -> str:
    """A path as text for messages and diffs: `/` between folders on every OS (Windows' `\\` too)."""
    text = os.fspath(path)
    for sep in (os.sep, os.altsep):
        if sep and sep != "/":
            text = text.replace(sep, "/")
    return text


REVIEW_SITE_LIST = ".annotate-site.json"  # in `check --html DIR`: the pages the last run wrote
PAGE_NAME_MAX = 60  # characters of a review page's readable name (before `-<8 hex>.html`)
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_WORD_END = re.compile(r"[-_.]")


def review_page(notes_path: str) -> str:
    """The review page of a notes file under `check --html DIR`: `pages/<name>-<8 hex>.html`.

    The name is readable: the notes path's last folders, whole, joined with `_` (the notes' own file
    name left out when it is the skeleton's, `.md` dropped otherwise), accents folded to ASCII, other
    unsafe characters as `-`, at most PAGE_NAME_MAX characters and never cut inside a word (a single
    longer folder name is cut at a `-`, `_` or `.` when it has one). The hex is a digest of the whole
    path: two paths never share a page, and the same path always gets the same one."""
    parts = [p for p in re.split(r"[/\\]+", notes_path) if p not in ("", ".", "..")]
    if parts and parts[-1] == NOTES_NAME:
        parts.pop()
    elif parts:
        parts[-1] = re.sub(r"\.(md|markdown|txt)$", "", parts[-1], flags=re.IGNORECASE)
    stem = ""
    for word in reversed([w for w in map(_safe_word, parts) if w]):
        longer = f"{word}_{stem}" if stem else word
        if len(longer) > PAGE_NAME_MAX:
            stem = stem or _cut_word(word)
            break
        stem = longer
    digest = hashlib.sha256(notes_path.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"pages/{stem or 'notes'}-{digest}.html"


def _safe_word(part: str) -> str:
    """A path part as file-name characters: `José's notes` -> `Jose-s-notes`."""
    folded = unicodedata.normalize("NFKD", part).encode("ascii", "ignore").decode("ascii")
    return _UNSAFE.sub("-", folded).strip("-._")


def _cut_word(word: str) -> str:
    """A word longer than PAGE_NAME_MAX cut at its last `-`, `_` or `.` that keeps it short enough."""
    head = word[: PAGE_NAME_MAX + 1]
    ends = [m.start() for m in _WORD_END.finditer(head) if m.start() > 0]
    return (head[: ends[-1]] if ends else head[:PAGE_NAME_MAX]).strip("-._")

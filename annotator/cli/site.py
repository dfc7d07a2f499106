"""Writing the review site of `annotate check NOTES... --html DIR`: the folder checked before any
checking, then the pages and the index written atomically under the folder's lock, and the pages an
earlier run wrote that this run's index no longer links removed.

A page is removed only when both say the tool wrote it: the site's own list of the pages it wrote
(`DIR/.annotate-site.json`, rewritten by each run) names it, and its head still carries the review
site's generator mark (review/assets.py). A file the user put in DIR, or a listed page the user
replaced by a file of their own, is never removed. The list names the pages of the run before it is
trimmed to this run's, so a run killed half way leaves no page unlisted.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from pathlib import Path

from annotator import __version__
from annotator.errors import AnnotatorError
from annotator.fsio import load_json, locked_folder, needs_write, read_text, write_atomic
from annotator.grading.batch import Batch
from annotator.grading.review.assets import GENERATOR
from annotator.links import REVIEW_SITE_LIST, shown_path

_FIX = "pass a folder you can write to"
_PAGE = re.compile(r"pages/[A-Za-z0-9._-]+\.html")
TOOL = f"vllm-annotator {__version__}"


def check_folder(folder: Path) -> None:
    """The --html folder can be made and written, told before any checking (nothing is created yet)."""
    if folder.exists() and not folder.is_dir():
        raise AnnotatorError(f"--html {folder} exists and is not a folder; {_FIX}")
    for target in (folder / "pages", folder, *folder.absolute().parents):
        if target.exists():
            if not target.is_dir() or not os.access(target, os.W_OK | os.X_OK):
                raise AnnotatorError(f"cannot write into --html {folder} ({target}); {_FIX}")
            return


def write(folder: Path, batch: Batch) -> list[str]:
    """index.html and one page per notes file, each written atomically (pages first, the index last;
    a file that would not change is left alone), under the folder's lock: two runs on one DIR take
    turns, and the temporary files a killed run left are removed. Then the pages of earlier runs the
    index no longer links are removed. Returns the messages for stderr."""
    from annotator.cli.annotate import waiting
    from annotator.grading.review.build import site  # Pygments only when a site is asked for

    files = site(batch)
    listed = folder / REVIEW_SITE_LIST
    made = [folder / name for name in (*files, REVIEW_SITE_LIST)]
    with locked_folder(folder, made, lambda: waiting(folder), "--html"):
        try:
            (folder / "pages").mkdir(exist_ok=True)
        except OSError as exc:
            why = exc.strerror or exc
            raise AnnotatorError(f"cannot create --html {folder}/pages: {why}; {_FIX}") from None
        before = _listed(listed)
        pages = sorted(name for name in files if _PAGE.fullmatch(name))
        _write_list(listed, sorted({*before, *pages}))  # first: a killed run leaves no page unlisted
        for name in sorted(files, key=lambda n: (n == "index.html", n)):
            if needs_write(folder / name, files[name]):
                write_atomic(folder / name, files[name])
        gone = [name for name in before if name not in files and _remove_ours(folder / name)]
        _write_list(listed, pages)
    if not gone:
        return []
    where = shown_path(folder / "pages")
    noun = "page" if len(gone) == 1 else "pages"
    return [f"removed {len(gone)} review {noun} of an earlier run from {where} (no longer in the index)"]


def _listed(path: Path) -> list[str]:
    """The pages an earlier run listed (none when the list is missing or not the tool's)."""
    if not path.is_file():
        return []
    try:
        data = load_json(read_text(path))
    except (ValueError, AnnotatorError):
        return []
    if not isinstance(data, dict) or not str(data.get("tool", "")).startswith("vllm-annotator "):
        return []
    pages = data.get("pages")
    if not isinstance(pages, list):
        return []
    return sorted({p for p in pages if isinstance(p, str) and _PAGE.fullmatch(p)})


def _write_list(path: Path, pages: list[str]) -> None:
    text = json.dumps({"tool": TOOL, "pages": pages}, indent=1) + "\n"
    if needs_write(path, text):
        write_atomic(path, text)


def _remove_ours(page: Path) -> bool:
    """Remove a page this tool wrote: a regular file whose head carries the generator mark."""
    if page.is_symlink() or not page.is_file():
        return False
    try:
        with page.open("rb") as fh:
            head = fh.read(4096).decode("utf-8", "replace")
    except OSError:
        return False
    if GENERATOR not in head.split("</head>", 1)[0]:
        return False
    with contextlib.suppress(OSError):
        page.unlink()
        return True
    return False

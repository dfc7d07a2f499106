"""The golden skeletons render as intended under a CommonMark + GFM-tables parser.

GitHub's renderer cannot run offline; markdown-it with tables enabled follows the same spec, so
these checks catch the usual breakage: a table that falls apart into text, a marker shown as text,
an unbalanced <details>, a mermaid block that is not fenced as one.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from annotator.notes import markers

GOLDEN = Path(__file__).resolve().parent / "golden"
NOTES = sorted(GOLDEN.glob("*/vllm-block-manager-annotated.md"))


def _md() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table")


@pytest.mark.parametrize("path", NOTES, ids=lambda p: p.parent.name)
def test_skeleton_renders(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    tokens = _md().parse(text)
    html = _md().render(text)
    visible = re.sub(r"<!--.*?-->", "", html, flags=re.S)
    assert "annotate:" not in visible, "a marker would be shown as text"
    # Every table row written becomes a table row.
    written_rows = sum(1 for line in text.splitlines() if line.startswith("|") and not line.startswith("|-"))
    rendered_rows = sum(1 for t in tokens if t.type == "tr_open")
    assert rendered_rows == written_rows
    assert html.count("<details>") == html.count("</details>") == html.count("<summary>")
    fences = [t for t in tokens if t.type == "fence" and t.info == "mermaid"]
    assert len(fences) == text.count("```mermaid")
    assert len(fences) >= 2
    headings = [t.tag for t in tokens if t.type == "heading_open"]
    assert headings.count("h1") == 1
    # Each generated block and slot still parses back from the file.
    segs = markers.parse(text)
    assert not any(s.edited for s in segs)
    assert sum(1 for s in segs if s.key.startswith("q:") and s.kind == "slot") == 5


def test_there_are_goldens() -> None:
    assert NOTES, "no golden skeletons found under tests/golden"


def test_every_mermaid_block_in_the_goldens_parses() -> None:
    """The real mermaid parser (node + mermaid 11.17.2) accepts every diagram of every era."""
    from tests.mermaid_validator import check_markdown, require_mermaid

    require_mermaid()
    status, report = check_markdown(NOTES)
    assert status == 0, report

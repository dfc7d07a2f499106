"""The review site without a browser: what `annotate check --html DIR` writes (and that check's own
output and status do not change), every citation a control with its verdict, escaping of hostile
notes, the Content-Security-Policy, determinism, placement corner cases and the size guards.
The browser tests are in test_review_browser.py."""

from __future__ import annotations

import json
import random
import re
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from annotator.grading.batch import grade
from annotator.grading.citations import scan_line
from annotator.grading.review import markdown
from annotator.grading.review.assets import asset, csp_hash
from annotator.grading.review.build import page_data, site
from annotator.grading.review.index import index_row, render_index
from annotator.grading.review.model import Citation, PageData
from annotator.grading.review.page import render_page
from annotator.links import REVIEW_SITE_LIST, review_page
from tests import reviewsite
from tests.reviewsite import Site


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    yield reviewsite.build(tmp_path_factory.mktemp("review"))


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _buttons(page: str) -> dict[str, tuple[str, str]]:
    """id -> (class, label) of every citation button."""
    found = re.finditer(r'<button type="button" class="(cite[^"]*)" id="(c\d+)"[^>]*>(.*?)</button>', page)
    return {m[2]: (m[1], re.sub(r"<[^>]+>", "", m[3])) for m in found}


def _side_links(page: str) -> list[tuple[str, str]]:
    """(anchor, text) of each entry of the findings list."""
    side = page.split('<ol id="findings">', 1)[1].split("</ol>", 1)[0]
    return [(m[1], re.sub(r"<[^>]+>", "", m[2])) for m in re.finditer(r'<a href="#([^"]+)">(.*?)</a>', side)]


def test_check_html_writes_an_index_and_one_page_per_notes_file_and_changes_nothing_else(built: Site) -> None:
    assert built.status == 1 and built.stderr == ""  # the defective notes have findings
    written = sorted(p.relative_to(built.root).as_posix() for p in built.root.rglob("*") if p.is_file())
    pages = [review_page(str(p)) for p in built.notes.values()]
    assert written == sorted([REVIEW_SITE_LIST, "index.html", *pages])
    assert json.loads(_read(built.root / REVIEW_SITE_LIST))["pages"] == sorted(pages)  # a rerun may remove
    index = _read(built.index)
    for which in built.notes:
        assert f'href="{review_page(str(built.notes[which]))}"' in index
    assert "<b>3</b> submissions" in index
    # the same check without --html: the same report and status
    args = ["check", *(str(p) for p in built.notes.values()), "--repo", str(built.root.parent / "repo")]
    status, out, err = reviewsite.check(*args)
    assert (status, out, err) == (built.status, built.stdout, built.stderr)


def test_every_citation_is_one_control_and_planted_wrong_ones_are_marked(built: Site) -> None:
    page = _read(built.page("defects"))
    buttons = _buttons(page)
    batch = grade([built.notes["defects"]], str(built.root.parent / "repo"))
    report = batch.results[0].report
    assert report is not None and len(buttons) == len(report.cites) > 40
    planted = {(f.get("line"), f["code"]): f["severity"] for f in reviewsite.expected("era1-defects-a")}
    links = dict(_side_links(page))
    for (line, code), severity in planted.items():
        if not str(code).startswith(("cite-", "permalink-")):
            continue
        anchor = next(a for a, text in links.items() if f"L{line} {code}" in text)
        cls, _ = buttons[anchor]  # the side list jumps to the citation itself
        assert ("err" if severity == "error" else "warn") in cls.split(), (line, code, cls)
        assert re.search(rf'<span class="cmsg [a-z]+" id="m-{anchor}">', page)
    # the honest notes: no citation marked
    honest = _buttons(_read(built.page("honest")))
    assert all(cls.split()[1:] in ([], ["short"]) for cls, _ in honest.values())


def test_the_cited_lines_of_the_commit_are_in_the_page(built: Site) -> None:
    page = _read(built.page("defects"))
    block = reviewsite.fixture_lines("vllm/block.py")
    panel = r'<template id="t-s\d+"><div class="panel" role="region" aria-label="vllm/block.py L25–L35">'
    template = re.search(panel + "(.*?)</template>", page)
    assert template is not None
    text = re.sub(r"<[^>]+>", "", template[1]).replace("&quot;", '"')
    for no in (25, 35):
        assert f"{no}{block[no - 1]}" in text
    assert f"/blob/{built.sha}/vllm/block.py#L25-L35" in template[1]


def test_answers_closing_and_verbatim_runs_are_labelled(built: Site) -> None:
    honest = _read(built.page("honest"))
    for key in ("1", "2", "3", "4", "5", "closing"):
        assert f'id="a-{key}"' in honest
    defects = _read(built.page("defects"))
    assert "Q2: not found" in defects and "Closing: not found" in defects and 'id="a-1"' in defects
    run = re.search(r'<aside class="vsrc" id="v1".*?</aside>', defects, re.S)
    assert run is not None and "reproduce vllm/core/block_manager.py L29–L34" in run[0]
    manager = reviewsite.fixture_lines("vllm/core/block_manager.py")
    shown = re.sub(r"<[^>]+>", "", run[0]).replace("&quot;", '"')
    assert f"34{manager[33]}" in shown  # the vLLM side, numbered as in the file


def test_hostile_notes_stay_text(built: Site) -> None:
    page = _read(built.page("hostile"))
    body = page.split("<body>", 1)[1].rsplit("<script>", 1)[0]
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in body
    assert not re.search(r"<(script|img|iframe|style|object|embed|form)\b", body)
    assert not re.search(r"<[a-z][^>]*\s(on\w+|style)=", page)
    assert all(h.startswith(("https://", "#", "../index.html")) for h in re.findall(r'href="([^"]*)"', body))
    assert page.count("<script>") == 1


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "JavaScript:alert(1)", " javascript:x", "data:text/html,x", "vbscript:x",
     "file:///etc/passwd", "//evil.example/x", "jav\tascript:x", "", None],
)
def test_unsafe_urls_are_dropped(url: str | None) -> None:
    assert markdown.safe_url(url) is None


def test_hostile_markdown_never_yields_markup() -> None:
    nasty = (
        "<script>window.__pwned=1</script>\n\n<img src=x onerror=alert(1)>\n\n"
        "[a](javascript:alert(1)) [b](JAVASCRIPT:alert(1)) [c](&#106;avascript:alert(1))\n"
        "[d](data:text/html,x)\n"
        "<javascript:alert(1)> [e](<javascript:alert(1)>) ![i](javascript:alert(1)) [f](vbscript:x)\n\n"
        '[g](https://ok.example/"onmouseover="alert(1)) `</code><script>x</script>`\n\n'
        "```html\n</pre><script>alert(1)</script>\n```\n"
    )
    html = render_page(PageData("n.md", nasty, "0" * 40, None))
    body = html.split("<body>", 1)[1].rsplit("<script>", 1)[0]
    assert "<script" not in body and "<img" not in body
    assert "javascript:" not in re.sub(r">[^<]*<", "><", body)  # in text only, never in markup
    assert not re.search(r'href="(?!https://|#|\.\./index\.html)', body)
    assert '"onmouseover=' not in body


def test_the_csp_allows_exactly_the_shipped_script_and_style(built: Site) -> None:
    for path, js in ((built.page("defects"), "page.js"), (built.index, "index.js")):
        html = _read(path)
        csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html)
        assert csp is not None and csp[1].startswith("default-src 'none';") and "unsafe" not in csp[1]
        (script,) = re.findall(r"<script>(.*?)</script>", html, re.S)
        (style,) = re.findall(r"<style>(.*?)</style>", html, re.S)
        assert script == asset(js) and len(script.splitlines()) < 50
        assert f"script-src {csp_hash(script)};" in csp[1] and f"style-src {csp_hash(style)};" in csp[1]
        assert html.index("Content-Security-Policy") < html.index("<style>")


def test_the_site_is_deterministic(built: Site, tmp_path: Path) -> None:
    again = reviewsite.check(
        "check", *(str(p) for p in built.notes.values()), "--repo", str(built.root.parent / "repo"),
        "--html", str(tmp_path / "again"),
    )
    assert again[0] == built.status
    for path in built.root.rglob("*.html"):
        assert (tmp_path / "again" / path.relative_to(built.root)).read_bytes() == path.read_bytes()
    batch = grade(list(built.notes.values()), str(built.root.parent / "repo"))
    data = page_data(batch.results[0], batch.snapshots[batch.results[0].sha or ""])
    assert data is not None
    shuffled = list(data.citations)
    random.Random(7).shuffle(shuffled)
    same = replace(data, citations=tuple(shuffled), findings=data.findings[::-1], answers=data.answers[::-1])
    assert render_page(same) == render_page(data)
    rows = [index_row(data, "a.html", 10), index_row(replace(data, notes_path="b.md"), "b.html", 5)]
    assert render_index(rows) == render_index(rows[::-1])
    assert site(batch) == site(batch)


@pytest.mark.parametrize("where", ["file", "below-a-file"])
def test_an_html_folder_that_cannot_be_written_is_one_error_line(
    built: Site, tmp_path: Path, where: str
) -> None:
    blocker = tmp_path / "taken"
    blocker.write_text("x")
    target = blocker if where == "file" else blocker / "site"
    status, out, err = reviewsite.check(
        "check", str(built.notes["honest"]), "--repo", str(built.root.parent / "repo"), "--html", str(target)
    )
    assert (status, out) == (2, "")
    assert err.startswith("annotate: error: ") and err.count("\n") == 1 and "--html" in err
    assert blocker.read_text() == "x"


def test_a_killed_html_run_leaves_nothing_the_next_run_keeps(built: Site, tmp_path: Path) -> None:
    """kill -9 while a page is written leaves `.NAME.XXXX.tmp` in pages/: the next run (under the
    folder's lock, like --out) removes it, and leaves no lock file behind."""
    site_dir = tmp_path / "site"
    args = ("check", str(built.notes["honest"]), "--repo", str(built.root.parent / "repo"), "--html")
    assert reviewsite.check(*args, str(site_dir))[0] in (0, 1)
    page = next((site_dir / "pages").glob("*.html"))
    stale = page.parent / f".{page.name}.k1ll3d.tmp"
    stale.write_text("half a page")
    status, _out, err = reviewsite.check(*args, str(site_dir))
    assert status in (0, 1), err
    kept = sorted([REVIEW_SITE_LIST, "index.html", "pages", page.name])
    assert sorted(p.name for p in site_dir.rglob("*")) == kept


def _page(text: str, *cites: Citation) -> str:
    return render_page(PageData("n.md", text, "0" * 40, None, cites))


def _labels(html: str) -> list[str]:
    return [label for _, label in _buttons(html).values()]


def test_placement_corner_cases() -> None:
    text = (
        "Intro with L3 and again L3, not L30.\n"  # 1: the same text twice, and a longer number
        "A `multi\nline` code span, then L12 on line 3.\n"  # 2-3: lines counted through a code span
        "Escaped block\\_manager.py:12 here.\n"  # 4: a backslash escape in the source
        "[see L7](#somewhere) inside a link that is not a citation.\n"  # 5: no button inside <a>
        "\n<!-- annotate:gen x -->\n"  # 7: a marker-only paragraph
    )
    html = _page(
        text,
        Citation(1, "L3", "x.py", 3, 3, col=11),
        Citation(1, "L3", "x.py", 3, 3, col=24),
        Citation(1, "L30", "x.py", 30, 30, col=32),
        Citation(3, "L12", "x.py", 12, 12),
        Citation(4, "block\\_manager.py:12", "x.py", 12, 12),
        Citation(5, "L7", "x.py", 7, 7),
        Citation(7, "L9", "x.py", 9, 9),
        Citation(99, "L1", "x.py", 1, 1),
    )
    assert _labels(html)[:5] == ["L3", "L3", "L30", "L12", "block_manager.py:12"]
    assert html.count('class="unplaced"') == 2  # L7 (in a link); L9 (a marker line) and L1 (no such line)
    outside = r"Cited outside every block \(in code or markup\): notes L7: <button.*notes L99: <button"
    assert re.search(outside, html)
    assert "annotate:gen" not in html.split("<body>")[1]
    assert len(_buttons(html)) == 8


def test_line_numbers_agree_with_the_checker() -> None:
    text = "first\u2028still first for markdown-it\nthird line cites L5.\n"
    assert text.splitlines()[2] == "third line cites L5."
    html = _page(text, Citation(3, "L5", "x.py", 5, 5))
    assert 'class="unplaced"' not in html and "<p>first\nstill first" in html


def test_text_markdown_it_drops_past_its_nesting_limit_is_shown() -> None:
    text = "intro\n\n" + ("> " * 30 + "deep claim L5\n") + "\nafter the quote\n"
    html = _page(text, Citation(3, "L5", "x.py", 5, 5))
    assert "after the quote" in html and "deep claim" in html
    assert "notes L3 are nested too deeply to render as Markdown" in html
    assert len(_buttons(html)) == 1


def test_a_huge_paragraph_and_a_dense_page_become_plain_text(monkeypatch: pytest.MonkeyPatch) -> None:
    html = _page("[" * 1_000_000 + " L5 *not emphasis*\nnext line L6\n",
                 Citation(1, "L5", "x.py", 5, 5), Citation(2, "L6", "x.py", 6, 6))
    assert "*not emphasis*" in html and "<em>" not in html and _labels(html) == ["L5", "L6"]
    monkeypatch.setattr(markdown, "INLINE_BUDGET", 100)
    markdown._parser.cache_clear()
    try:
        para = "*a* _b_ " * 10  # 40 marks
        html = _page("\n\n".join([para, para, para + "L7"]) + "\n", Citation(5, "L7", "x.py", 7, 7))
    finally:
        markdown._parser.cache_clear()
    assert html.count("<em>") == 40 and "1 paragraph(s) of these notes" in html and _labels(html) == ["L7"]


def test_five_megabytes_of_notes_render(capsys: pytest.CaptureFixture[str]) -> None:
    """Realistic notes (hand-written ones, repeated) of 5 MB; the time is reported, not asserted."""
    one = (reviewsite.HANDNOTES / "era1-numbered.md").read_text(encoding="utf-8")
    text = one * (5_000_000 // len(one) + 1)
    cites = tuple(
        Citation(no, c.text, c.path or "vllm/block.py", c.start, c.end, col=c.col)
        for no, line in enumerate(text.splitlines(), 1)
        for c in scan_line(line, no, names=False)[0]
    )
    start = time.perf_counter()
    html = render_page(PageData("big.md", text, "0" * 40, None, cites))
    took = time.perf_counter() - start
    assert len(_buttons(html)) == len(cites)
    with capsys.disabled():
        print(f"\n[review] {len(text) / 1e6:.1f} MB of notes, {len(cites):,} citations: page of "
              f"{len(html) / 1e6:.1f} MB rendered in {took:.1f} s")


def test_notes_that_cannot_be_read_are_a_row_without_a_page(built: Site, tmp_path: Path) -> None:
    binary = tmp_path / "binary.md"
    binary.write_bytes(b"Commit: \x00\x01")
    batch = grade([binary, built.notes["honest"]], str(built.root.parent / "repo"))
    files = site(batch)
    assert sorted(files) == ["index.html", review_page(str(built.notes["honest"]))]
    (row,) = [r for r in files["index.html"].split("<tr ") if "binary.md" in r]
    assert "(not readable: no page)" in row and "<a " not in row


def test_the_skeletons_markers_and_details_tags_are_not_shown() -> None:
    text = (
        "<!-- annotate:gen method:vllm/block.py::Block.__init__ -->\n"
        "`__init__(self)` — L5\n\n"
        "<details><summary>Evidence: 1 caller</summary>\n\n- called at L9\n\n</details>\n"
        "<!-- /annotate:gen method:vllm/block.py::Block.__init__ sum=0 -->\n"
        "<!-- annotate:slot method:vllm/block.py::Block.__init__/does --> *What does it do?* L7\n"
    )
    html = _page(text, Citation(10, "L7", "x.py", 7, 7))
    body = html.split('<article class="notes"', 1)[1].split("</article>", 1)[0]
    assert "annotate:" not in body and "details" not in body and "summary" not in body
    assert "<p>Evidence: 1 caller</p>" in body and "<pre" not in body and "nested too deeply" not in body
    assert _labels(html) == ["L7"] and 'class="unplaced"' not in html


def test_bad_input_writes_no_site(built: Site, tmp_path: Path) -> None:
    target = tmp_path / "new" / "site"
    repo = str(built.root.parent / "repo")
    for notes in (tmp_path / "missing.md", built.notes["honest"]):  # no such notes; then a bad --sha
        args = ["check", str(notes), "--repo", repo, "--html", str(target)]
        status, out, err = reviewsite.check(*args, *(["--sha", "v9.9.9"] if notes.exists() else []))
        assert (status, out) == (2, "") and err.startswith("annotate: error: ") and err.count("\n") == 1
        assert not (tmp_path / "new").exists()

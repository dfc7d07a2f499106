"""The files of a review site over time: a later `check --html DIR` removes the pages an earlier run
wrote that its index no longer links, and nothing the user put in DIR; page names are readable,
unique and the same for the same notes path."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from annotator.links import NOTES_NAME, PAGE_NAME_MAX, REVIEW_SITE_LIST, review_page
from tests import reviewsite


def _site(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_pages_of_an_earlier_run_go_and_the_users_files_stay(tmp_path: Path) -> None:
    built = reviewsite.build(tmp_path)
    site = built.root
    args = ("check", str(built.notes["honest"]), "--repo", str(tmp_path / "repo"), "--html", str(site))
    pages = {which: built.page(which) for which in built.notes}
    assert all(p.is_file() for p in pages.values())
    mine = site / "pages" / "mine.html"
    mine.write_text("<p>my own notes on the review</p>", encoding="utf-8")
    copy = site / "pages" / "kept-copy.html"  # a page of ours the user copied: theirs now
    shutil.copyfile(pages["defects"], copy)
    pages["hostile"].write_text("<p>my page now</p>", encoding="utf-8")  # a listed page, replaced
    (site / "notes.txt").write_text("grading notes", encoding="utf-8")

    status, _, err = reviewsite.check(*args)
    assert status in (0, 1), err
    assert not pages["defects"].exists()  # the index no longer links it: gone
    assert f"removed 1 review page of an earlier run from {(site / 'pages').as_posix()}" in err
    index = (site / "index.html").read_text(encoding="utf-8")
    linked = sorted(re.findall(r'href="(pages/[^"]+)"', index))
    assert linked == [review_page(str(built.notes["honest"]))]
    assert mine.read_text(encoding="utf-8") == "<p>my own notes on the review</p>"
    assert copy.read_bytes() != b"" and pages["hostile"].read_text(encoding="utf-8") == "<p>my page now</p>"
    assert _site(site) == sorted(
        [REVIEW_SITE_LIST, "index.html", "notes.txt", *linked,
         *(p.relative_to(site).as_posix() for p in (mine, copy, pages["hostile"]))]
    )

    # Once the stray page is gone, a rerun removes nothing and says nothing about it.
    status, _, err = reviewsite.check(*args)
    assert status in (0, 1) and "removed" not in err
    assert pages["hostile"].exists() and mine.exists() and copy.exists()


def test_a_site_list_that_is_not_the_tools_removes_nothing(tmp_path: Path) -> None:
    built = reviewsite.build(tmp_path)
    site, page = built.root, built.page("defects")
    (site / REVIEW_SITE_LIST).write_text(json.dumps({"pages": [f"pages/{page.name}"]}), encoding="utf-8")
    args = ("check", str(built.notes["honest"]), "--repo", str(tmp_path / "repo"), "--html", str(site))
    assert reviewsite.check(*args)[0] in (0, 1)
    assert page.exists()


LAB = f"docs/phase-27-modern-attention/notes/{NOTES_NAME}"


@pytest.mark.parametrize(
    ("path", "words"),
    [
        (f"/srv/grading/submissions/alice-smith-12345/{LAB}", ["alice-smith-12345", "notes"]),
        ("subs/José Müller/kv-notes.md", ["subs", "Jose-Muller", "kv-notes"]),
        ("C:\\Users\\bob\\week 9\\notes.md", ["Users", "bob", "week-9", "notes"]),
        (f"{'x' * 40}/{'y' * 40}/{NOTES_NAME}", ["y" * 40]),
    ],
)
def test_page_names_are_readable(path: str, words: list[str]) -> None:
    """Made of the path's last parts, whole (never cut inside one), within PAGE_NAME_MAX; the
    skeleton's own file name, the same for every student, is left out."""
    name = review_page(path)
    match = re.fullmatch(r"pages/([A-Za-z0-9._-]+)-([0-9a-f]{8})\.html", name)
    assert match, name
    stem = match[1]
    assert len(stem) <= PAGE_NAME_MAX and "annotated" not in stem
    assert all(w in stem.split("_") for w in words), stem


def test_page_names_are_unique_and_deterministic() -> None:
    paths = [f"subs/{who}/{NOTES_NAME}" for who in ("a b", "a-b", "a?b", "A b")] + [
        f"{'z' * 70}-{n}/{NOTES_NAME}" for n in range(3)
    ]
    names = [review_page(p) for p in paths]
    assert len(set(names)) == len(paths)
    assert names == [review_page(p) for p in paths]
    long_word = review_page(f"{'w' * 50}-{'v' * 30}.md")  # one part too long: cut at its `-`
    assert long_word.startswith(f"pages/{'w' * 50}-") and "v" not in long_word

"""A review site made by the real `annotate check --html` for the review tests: one fake era-1
commit (tests/gitrepo.py, tagged v0.3.3) and hand-written notes from tests/handnotes: a defective
file (planted wrong citations, a verbatim copy, a missing answer), an honest one with a manifest,
and a hostile one (an honest file with raw HTML, a <script>, onerror= and javascript: links added).
"""

from __future__ import annotations

import contextlib
import io
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from annotator.cli.main import main
from annotator.links import review_page
from tests.gitrepo import Step, make_repo

HANDNOTES = Path(__file__).resolve().parent / "handnotes"
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "era1"
STEMS = {"defects": "era1-defects-a", "honest": "era1-questions", "hostile": "era1-numbered"}
HOSTILE = """
## Hostile corner

<script>window.__pwned = 1</script>

<img src=x onerror="window.__pwned = 1">

A [javascript link](javascript:window.__pwned=1), a <a href="javascript:window.__pwned=1">raw anchor</a>,
an ![image](javascript:window.__pwned=1) and [data](data:text/html;base64,PHNjcmlwdD4=) (block.py:7).

<iframe src="https://example.com/"></iframe> <style>body { display: none }</style>
"""


@dataclass(frozen=True)
class Site:
    root: Path  # the --html folder
    sha: str
    notes: dict[str, Path]  # "defects", "honest", "hostile" -> the notes file checked
    status: int
    stdout: str
    stderr: str

    def page(self, which: str) -> Path:
        return self.root / review_page(str(self.notes[which]))

    @property
    def index(self) -> Path:
        return self.root / "index.html"


def expected(stem: str) -> list[dict[str, object]]:
    """The findings planted in a hand-written notes file (its expect.toml)."""
    with (HANDNOTES / f"{stem}.expect.toml").open("rb") as fh:
        found: list[dict[str, object]] = tomllib.load(fh).get("finding", [])
    return found


def fixture_lines(path: str) -> list[str]:
    """The lines of a file of the era-1 fixture tree (what the commit holds)."""
    return (FIXTURE / path).read_text(encoding="utf-8").splitlines()


def check(*args: str) -> tuple[int, str, str]:
    """`annotate ARGS` in this process: (status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(list(args))
    return status, out.getvalue(), err.getvalue()


def build(root: Path, *extra: str) -> Site:
    """Check the three notes files with `--html root/site`; the cache goes under root."""
    old = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(root / "cache")
    try:
        repo, (sha,) = make_repo(root, [Step(tree="era1", tag="v0.3.3")])
        notes: dict[str, Path] = {}
        for which, stem in STEMS.items():
            folder = root / "notes" / which
            folder.mkdir(parents=True)
            text = (HANDNOTES / f"{stem}.md").read_text(encoding="utf-8").replace("__SHA__", sha)
            if which == "hostile":
                text += HOSTILE
            (folder / "notes.md").write_text(text, encoding="utf-8")
            manifest = HANDNOTES / f"{stem}.manifest.json"
            if manifest.exists():
                (folder / "manifest.json").write_text(manifest.read_text().replace("__SHA__", sha))
            notes[which] = folder / "notes.md"
        site = root / "site"
        paths = [str(p) for p in notes.values()]
        status, out, err = check("check", *paths, "--repo", str(repo), "--html", str(site), *extra)
        return Site(site, sha, notes, status, out, err)
    finally:
        if old is None:
            os.environ.pop("XDG_CACHE_HOME", None)
        else:
            os.environ["XDG_CACHE_HOME"] = old

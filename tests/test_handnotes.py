"""Hand-written notes (tests/handnotes/, README there): honest ones get no error-level finding and all
five answers and the closing paragraph found; defective ones get every planted finding, at its line,
with its severity, and no error that was not planted.

Each era's fixture tree is one commit (tests/gitrepo.py); every notes file of that era is checked in
one batch, with its `NAME.manifest.json` as its manifest. New notes need no code: drop `NAME.md` and
`NAME.expect.toml` (and optionally `NAME.manifest.json`) into tests/handnotes/.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from annotator.grading.batch import FileResult, grade
from annotator.grading.findings import Finding
from tests.gitrepo import Step, make_repo

HERE = Path(__file__).resolve().parent / "handnotes"
NOTES = sorted(p for p in HERE.glob("*.md") if (HERE / f"{p.stem}.expect.toml").exists())


_BLOCK_LINE = re.compile(r"\s*([#|>\[]|[-*+] |\d+[.)] |```|~~~)|[=-]{3,}\s*$|    ")
_Q_HEADING = re.compile(r"^#{2,4} ((?:Q|Question )\d[^\n]*)$", re.M)


def reflowed(text: str) -> str:
    """Every plain paragraph on one line (headings, lists, tables, quotes and code kept as they are)."""
    out: list[str] = []
    para: list[str] = []
    fence = False
    for line in text.replace("\r\n", "\n").split("\n"):
        if line.startswith(("```", "~~~")):
            fence = not fence
        if fence or line.startswith(("```", "~~~")) or not line.strip() or _BLOCK_LINE.match(line):
            out.extend([" ".join(para)] if para else [])
            para = []
            out.append(line)
        else:
            para.append(line.strip())
    out.extend([" ".join(para)] if para else [])
    return "\n".join(out)


def lead_ins(text: str) -> str:
    """`## Q1. Page allocation` headings turned into `**Q1. Page allocation**` lead-ins."""
    return _Q_HEADING.sub(lambda m: f"**{m[1].strip()}**", text.replace("\r\n", "\n"))


def _expect(notes: Path) -> dict[str, Any]:
    with (HERE / f"{notes.stem}.expect.toml").open("rb") as fh:
        return tomllib.load(fh)


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, FileResult]]:
    """Every notes file checked, by name: one fixture commit and one batch per era. Each file is also
    checked with its line endings flipped (LF <-> CRLF), under the name `crlf:NAME`; honest ones also
    reflowed (`reflow:NAME`) and with their question headings made lead-ins (`lead:NAME`)."""
    root = tmp_path_factory.mktemp("handnotes")
    old = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(root / "cache")
    try:
        eras: dict[str, list[Path]] = {}
        for notes in NOTES:
            eras.setdefault(_expect(notes)["era"], []).append(notes)
        out: dict[str, FileResult] = {}
        for era, members in sorted(eras.items()):
            _, (sha,) = make_repo(root / era, [Step(tree=era)])
            repo = root / era / "repo"
            paths = []
            names = []
            for notes in members:
                data = notes.read_bytes().replace(b"__SHA__", sha.encode())
                flipped = data.replace(b"\r\n", b"\n") if b"\r\n" in data else data.replace(b"\n", b"\r\n")
                variants = [(notes.name, data), (f"crlf:{notes.name}", flipped)]
                if _expect(notes).get("honest", False):
                    text = data.decode("utf-8")
                    variants.append((f"reflow:{notes.name}", reflowed(text).encode()))
                    variants.append((f"lead:{notes.name}", lead_ins(text).encode()))
                for name, text in variants:
                    folder = root / era / "notes" / name.replace(":", "-")
                    folder.mkdir(parents=True)
                    (folder / notes.name).write_bytes(text)
                    manifest = HERE / f"{notes.stem}.manifest.json"
                    if manifest.exists():
                        text = manifest.read_bytes().replace(b"__SHA__", sha.encode())
                        (folder / "manifest.json").write_bytes(text)
                    paths.append(folder / notes.name)
                    names.append(name)
            batch = grade(paths, str(repo))
            out.update(zip(names, batch.results, strict=True))
        yield out
    finally:
        if old is None:
            os.environ.pop("XDG_CACHE_HOME", None)
        else:
            os.environ["XDG_CACHE_HOME"] = old


def _show(findings: list[Finding]) -> str:
    return "\n".join(f"  {f.line}: {f.severity} {f.code}: {f.message}" for f in findings) or "  (none)"


@pytest.mark.parametrize("notes", NOTES, ids=[p.stem for p in NOTES])
def test_handwritten_notes(notes: Path, results: dict[str, FileResult]) -> None:
    expect = _expect(notes)
    result = results[notes.name]
    findings = list(result.findings)
    assert result.report is not None, _show(findings)
    if expect.get("honest", False):
        errors = [f for f in findings if f.severity == "error"]
        assert not errors, f"honest notes got errors:\n{_show(errors)}"
        assert result.report.answered == 5, _show(findings)
        return
    unmatched = list(findings)
    missing = []
    for want in expect.get("finding", []):
        hit = next(
            (
                f
                for f in unmatched
                if f.code == want["code"]
                and f.severity == want["severity"]
                and ("line" not in want or f.line == want["line"])
            ),
            None,
        )
        if hit is None:
            where = want.get("line")
            missing.append(f"  {where}: {want['severity']} {want['code']} ({want.get('note', '')})")
        else:
            unmatched.remove(hit)
    extra = [f for f in unmatched if f.severity == "error"]
    assert not missing and not extra, (
        "planted findings not reported:\n" + ("\n".join(missing) or "  (none)")
        + "\nerrors that were not planted:\n" + _show(extra)
    )


@pytest.mark.parametrize("notes", NOTES, ids=[p.stem for p in NOTES])
def test_line_endings_do_not_move_findings(notes: Path, results: dict[str, FileResult]) -> None:
    def seen(r: FileResult) -> list[tuple[str, int | None, str]]:
        return [(f.code, f.line, f.severity) for f in r.findings]

    assert seen(results[f"crlf:{notes.name}"]) == seen(results[notes.name])


HONEST = [p for p in NOTES if _expect(p).get("honest", False)]


@pytest.mark.parametrize("notes", HONEST, ids=[p.stem for p in HONEST])
@pytest.mark.parametrize("variant", ["reflow", "lead"])
def test_honest_notes_stay_honest_in_other_shapes(
    notes: Path, variant: str, results: dict[str, FileResult]
) -> None:
    """The same notes with their paragraphs reflowed, or their question headings made bold lead-ins."""
    result = results[f"{variant}:{notes.name}"]
    errors = [f for f in result.findings if f.severity == "error"]
    assert not errors, _show(errors)
    assert result.report is not None and result.report.answered == 5

"""The `ast` reader equals the libcst reader on real vLLM files (opt-in: ANNOTATE_VLLM_REPO).

Every layout file (allocator, caller and hand-off) of every release in queries/releases.toml that the
clone holds, plus its HEAD, is read by `extract_file_ast` and by libcst in both line modes; the three
models must be equal. A file unchanged between releases (same path, same blob) is compared once. Each
file is compared again rewritten with comments after every bracket and comma, parentheses around every
expression and backslash continuations between tokens (tests/mutants.py), against libcst with
PositionProvider.
"""

from __future__ import annotations

import functools
import tomllib
import warnings
from pathlib import Path

import pytest

from annotator.errors import SourceError
from annotator.extract.visitor import extract_file
from annotator.snapshot.files import SourceFile, take
from annotator.source.repos import open_source
from tests.modeldiff import model_diff
from tests.mutants import with_backslashes, with_comments, with_parentheses

RELEASES = Path(__file__).resolve().parent.parent / "queries" / "releases.toml"

pytestmark = pytest.mark.real


@functools.cache
def _layout_files(repo: Path) -> tuple[dict[tuple[str, str], SourceFile], int]:
    """Each distinct (path, blob) of the layout files of every release the clone holds, and HEAD."""
    source = open_source(str(repo))
    refs = [r["sha"] for r in tomllib.loads(RELEASES.read_text())["release"] if r.get("sha")]
    files: dict[tuple[str, str], SourceFile] = {}
    seen = 0
    for ref in [*refs, "HEAD"]:
        try:
            snap = take(source, ref)
        except SourceError:  # an older clone stops earlier
            continue
        seen += 1
        for f in snap.files:
            files.setdefault((f.path, f.blob), f)
    return files, seen


def test_ast_reader_equals_libcst_on_every_release(real_repo: Path) -> None:
    from annotator.extract.astvisitor import extract_file_ast

    files, seen = _layout_files(real_repo)
    assert seen >= 20
    assert {f.role for f in files.values()} >= {"allocator", "caller", "handoff"}
    failures: list[str] = []
    for f in files.values():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # libcst's docstring evaluation may warn; not this test's subject
            exact = extract_file(f.path, f.role, f.blob, f.text, positions=True)
            counted = extract_file(f.path, f.role, f.blob, f.text, positions=False)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fast = extract_file_ast(f.path, f.role, f.blob, f.text)
        for name, model in (("positions=False", counted), ("ast", fast)):
            if model != exact:
                lines = model_diff(exact, model, "model", limit=10)
                failures.append(
                    f"{f.path} @ {f.blob[:12]} ({f.role}): libcst != {name}\n    " + "\n    ".join(lines)
                )
        if caught:
            failures.append(
                f"{f.path} @ {f.blob[:12]}: the ast reader warned: {[str(w.message) for w in caught]}"
            )
    assert not failures, f"{len(failures)} of {len(files)} files differ:\n" + "\n".join(failures)


def test_ast_reader_equals_libcst_on_every_release_rewritten(real_repo: Path) -> None:
    from annotator.extract.astvisitor import extract_file_ast

    files, _ = _layout_files(real_repo)
    failures: list[str] = []
    for f in files.values():
        text = with_backslashes(with_comments(with_parentheses(f.text)))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            exact = extract_file(f.path, f.role, f.blob, text, positions=True)
            fast = extract_file_ast(f.path, f.role, f.blob, text)
        if fast != exact:
            lines = model_diff(exact, fast, "model", limit=10)
            failures.append(f"{f.path} @ {f.blob[:12]} rewritten: libcst != ast\n    " + "\n    ".join(lines))
    assert not failures, f"{len(failures)} of {len(files)} files differ:\n" + "\n".join(failures)

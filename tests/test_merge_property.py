"""Property: whatever a student types, wherever they type it, regenerating to another commit and back
keeps every character of it, and regenerating again at the same commit changes nothing."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.notes.document import skeleton
from annotator.notes.markers import gen, parse
from annotator.regen.merge import merge
from annotator.regen.renames import load_renames
from annotator.regen.spans import MergeContext, context
from annotator.resolve.analyze import analyze
from annotator.snapshot.files import take
from annotator.source.repos import open_source
from tests.gitrepo import Step, make_repo
from tests.merge_history import contexts

CTX = contexts()
RENAMES = load_renames()
TRICKY = [
    "<!-- annotate:slot x -->",
    "<!-- annotate:slot q:1/answer -->",
    "<!-- annotate:slot lifecycle/notes -->",
    "<!-- annotate:slot method:vllm/core/block_manager.py::BlockSpaceManager.fork/does -->",
    "<!-- annotate:gen foo -->",
    "<!-- annotate:/gen q:1 sum=00000000 -->",
    "<!-- annotate:gen q:1 -->",
    "_Looks like a prompt_ <!-- annotate:stub -->",
    "<!-- annotate:stub -->",
    "<!-- just a comment -->",
    "# A heading",
    "| a | b |",
    "```python",
    "    indented code",
    "é 漢字 🚀 — “quotes”",
    "",
    "   ",
]
_LINE = st.one_of(st.sampled_from(TRICKY), st.text(st.characters(exclude_categories=("Cs",)), max_size=30))
SNIPPET = st.lists(_LINE, min_size=1, max_size=4).map(lambda ls: "\n".join(ls) + "\n").filter(str.strip)


def _positions(skeleton: str) -> list[tuple[str, str]]:
    """Where a student can type: before the first marker, after any gen block, in any slot."""
    segs = parse(skeleton)
    return [("free", "")] + [(s.kind, s.key) for s in segs if s.kind in ("gen", "slot")]


def _insert(skeleton: str, inserts: dict[tuple[str, str], list[str]]) -> str:
    out = ["".join(inserts.get(("free", ""), []))]
    for s in parse(skeleton):
        if s.kind == "gen":
            out.append(gen(s.key, s.body) + "".join(inserts.get(("gen", s.key), [])))
        elif s.kind == "slot":
            typed = "".join(inserts.get(("slot", s.key), []))
            out.append(f"<!-- annotate:slot {s.key} -->\n" + s.body + typed)
        else:
            out.append(s.body)
    return "".join(out)


@st.composite
def notes_with_prose(draw: st.DrawFn, era: str | MergeContext) -> tuple[str, list[str]]:
    skeleton = (CTX[era] if isinstance(era, str) else era).skeleton
    positions = _positions(skeleton)
    inserts: dict[tuple[str, str], list[str]] = {}
    snippets = []
    for _ in range(draw(st.integers(1, 6))):
        where = draw(st.sampled_from(positions))
        text = draw(SNIPPET)
        inserts.setdefault(where, []).append(text)
        snippets.append(text)
    return _insert(skeleton, inserts), snippets


def _survives(text: str, notes: str, real_markers: set[str]) -> bool:
    """A snippet survives as typed; one holding a line identical to a real marker (which is then the
    marker, by the file format) survives line by line, that marker line excepted, and blank lines too:
    split off by the marker they can be all of a text, and a whitespace-only text is no text."""
    lines = text.splitlines(keepends=True)
    if not any(line.rstrip("\n") in real_markers for line in lines):
        return text in notes
    return all(line in notes for line in lines if line.rstrip("\n") not in real_markers and line.strip())


def _round_trip(
    there: str | MergeContext, notes: str, snippets: list[str], a: MergeContext = CTX["A"]
) -> None:
    b = CTX[there] if isinstance(there, str) else there
    real = {line for c in (a, b) for line in c.skeleton.splitlines() if line.startswith("<!-- annotate:")}
    forward = merge(notes, b.skeleton, RENAMES, a, b)
    back = merge(forward.text, a.skeleton, RENAMES, b, a)
    for text in snippets:
        assert _survives(text, forward.text, real), f"lost at {b.sha[:12]}: {text!r}"
        assert _survives(text, back.text, real), f"lost back at A: {text!r}"
    assert merge(forward.text, b.skeleton, RENAMES, b, b).text == forward.text
    assert merge(back.text, a.skeleton, RENAMES, a, a).text == back.text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(notes_with_prose("A"))
def test_prose_survives_a_to_b_and_back(case: tuple[str, list[str]]) -> None:
    _round_trip("B", *case)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(notes_with_prose("A"))
def test_prose_survives_a_to_c_and_back(case: tuple[str, list[str]]) -> None:
    _round_trip("C", *case)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, MergeContext]:
    """The real renderer's skeletons of fixture eras 1 and 3 (files and classes renamed, the v1
    manager gone, the v2 manager renamed)."""
    repo, shas = make_repo(tmp_path_factory.mktemp("eras"), [Step(tree="era1"), Step(tree="era3")])
    source = open_source(str(repo))
    out = {}
    for name, sha in zip(("era1", "era3"), shas, strict=True):
        snap = take(source, sha)
        model = analyze(snap)
        out[name] = context(snap, model, skeleton(snap, model))
    return out


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_prose_survives_rendered_eras(rendered: dict[str, MergeContext], data: st.DataObject) -> None:
    notes, snippets = data.draw(notes_with_prose(rendered["era1"]))
    _round_trip(rendered["era3"], notes, snippets, rendered["era1"])


def test_rendered_slots_sit_in_their_own_section(rendered: dict[str, MergeContext]) -> None:
    """merge relies on it: a slot KEY/NAME follows the gen block KEY (or that block's other slots)."""
    for ctx in rendered.values():
        current = None
        for seg in parse(ctx.skeleton):
            if seg.kind == "gen":
                current = seg.key
            elif seg.kind == "slot":
                assert seg.key.rsplit("/", 1)[0] == current, seg.key

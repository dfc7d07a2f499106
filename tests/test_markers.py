from __future__ import annotations

from annotator.notes import markers


def test_round_trip_and_edit_detection() -> None:
    doc = (
        "intro\n"
        + markers.gen("class:a.py::A", "## A\n")
        + "between\n"
        + markers.slot("class:a.py::A/holds", markers.stub("What does A hold?") + "My words.\n")
    )
    segs = markers.parse(doc)
    assert [(s.kind, s.key) for s in segs] == [
        ("free", ""), ("gen", "class:a.py::A"), ("after", "class:a.py::A"),
        ("slot", "class:a.py::A/holds"),
    ]
    assert segs[1].body == "## A\n" and not segs[1].edited
    assert markers.prose(segs[3].body) == "My words.\n"
    edited = doc.replace("## A\n", "## A (mine)\n")
    assert markers.parse(edited)[1].edited
    assert "".join(_render(s) for s in segs) == doc


def _render(s: markers.Segment) -> str:
    if s.kind == "gen":
        return markers.gen(s.key, s.body)
    if s.kind == "slot":
        return markers.slot(s.key, s.body)
    return s.body


def test_unterminated_gen_is_text() -> None:
    doc = "<!-- annotate:gen x -->\nno end\n<!-- annotate:slot y -->\nz\n"
    segs = markers.parse(doc)
    assert segs[0].kind == "free" and "no end" in segs[0].body
    assert segs[1].kind == "slot" and segs[1].body == "z\n"

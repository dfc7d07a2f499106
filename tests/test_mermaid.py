"""Mermaid escapes (annotator.notes.mermaid), checked by hand and by mermaid's own parser.

The parser checks build every diagram first and send them all through one node process.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.notes import mermaid as m
from tests import mermaid_validator as mv
from tests.mermaid_validator import Result

HOSTILE = [
    "__init__",
    "List[int]",
    "Dict[int, List[int]]",
    "#",
    ";",
    "see issue #42; done",
    "%%{init}",
    "%%{init: {'theme': 'dark'}}%%",
    "a: b",
    "<script>",
    "end",
    "alt",
    "note",
    "→ —",
    "",
    # more measured traps (MERMAID.md) and near misses
    "step #1; done",
    "style a:#1",
    "classDef x fill:#f00;",
    "free();",
    "50% and 50%%",
    "%% not a comment",
    "x\ny\r\nz",
    "   ",
    "{}",
    "*a* **b** _c_",
    "Optional~Tuple~int, int~~",
    "List<int>",
    "a:b (v1)",
    "x)",
    "(x) -> y",
    "a)b(",
    "core.Scheduler",
    "Block Manager",
    "#59;",
    '"quoted" `tick` \\ & | $',
    "A->>B: x",
    "participant",
    "title",
    "%",
]

_LINE_BREAK = re.compile("\r\n|[\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029]")  # what str.splitlines splits on
_ENTITY = re.compile(r"#\w+;", re.ASCII)


def shown(text: str) -> str:
    """What a label should show: the text with line breaks as spaces, never empty."""
    return _LINE_BREAK.sub(" ", text).strip() or "\u200b"


def seq(*lines: str) -> str:
    return "\n".join(["sequenceDiagram", "  participant A", "  participant B", *(f"  {x}" for x in lines)])


def cls(*lines: str) -> str:
    return "\n".join(["classDiagram", "  class Other", *(f"  {x}" for x in lines)])


@dataclass(frozen=True)
class Case:
    diagram: str
    shows: tuple[str, ...] = ()  # texts the parser must extract (compared stripped)


def escaped_cases() -> dict[str, Case]:
    """Per hostile text, one sequence and one class diagram using it in every place text goes."""
    cases: dict[str, Case] = {}
    for i, h in enumerate(HOSTILE):
        t, want, pid, cid = m.seq_text(h), shown(h), m.seq_id(h), m.class_id(h)
        cases[f"seq-{i}"] = Case(
            seq(
                m.participant(pid, h),
                f"A->>B: {t}",
                f"Note over A,B: {t}",
                f"alt {t}",
                f"  A->>{pid}: x",
                f"else {t}",
                "  B->>A: y",
                "end",
                f"loop {t}",
                "  A->>B: z",
                "end",
            ),
            (want,) * 6,  # alias, message, note, alt, else, loop
        )
        # Mermaid shows a member with `(...)` as a method, `name(params) : rest`: only a member without
        # parentheses or spaces shows exactly as written.
        members = () if not h or set(h) & set("() \n\r") else ("+" + shown(h), f"+{h}(x) : int")
        cases[f"class-{i}"] = Case(
            cls(
                m.class_decl(cid, h),
                f"{cid} --> Other : {m.class_rel_label(h)}",
                "class Other {",
                f"  +{m.class_member(h)}",
                f"  +{m.class_member(h + '(x) -> int')}",
                "}",
            ),
            (want, want, *members),  # label, relation
        )
    return cases


ESCAPED = escaped_cases()

# Written without the escapes: mermaid must reject these (the validator can fail) ...
REJECTED = {
    "semicolon-message": seq("A->>B: lock; free"),
    "semicolon-note": seq("Note over A: lock; free"),
    "semicolon-alt": seq("alt a; b", "A->>B: x", "end"),
    "keyword-id": seq("participant end", "A->>end: x"),
    "colon-id": seq("participant vllm:Scheduler", "A->>vllm:Scheduler: x"),
    "semicolon-alias": seq("participant S as a; b"),
    "braces-member": cls("class Other {", "  +d = {}", "}"),
    "colon-relation": cls("class Mine", "Mine --> Other : uses: x"),
    "colon-class": cls("class a:b (v1)"),
    "keyword-class": cls("class note", "note --> Other"),
}
# ... or parse them but show something else (silent mangling): (diagram, the text that was meant).
MANGLED = {
    "hash-truncates": (seq("A->>B: see issue #42"), "see issue #42"),
    "hash-entity": (seq("A->>B: step #1; done"), "step #1; done"),
    "hash-entity-note": (seq("Note over A: see issue #42; done"), "see issue #42; done"),
    "style-quirk": (seq("A->>B: style a:#35;1"), "style a:#1"),
    "directive": (seq("A->>B: %%{init}%% x"), "%%{init}%% x"),
    "html-stripped": (cls('class Q["Queue<T>"]'), "Queue<T>"),
}


def fuzz_texts(n: int) -> list[str]:
    alphabet = "aZ0 _;#%<>:{}()[]~*$\"'`\\|&,.-=+→—\n\t" + "".join(sorted(m.SEQ_KEYWORDS))[:40]
    rng = random.Random(20261127)
    out = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24))) for _ in range(n)]
    return out + [f"#{w};" for w in ("lt", "gt", "59", "35", "amp", "quot", "95", "8203", "9829")]


FUZZ = fuzz_texts(72)


@pytest.fixture(scope="module")
def verdicts() -> dict[str, Result]:
    # The same as the plugin's `mermaid_validate` fixture, which this file does not need registered.
    mv.require_mermaid()
    diagrams: dict[str, str] = {f"escaped/{k}": c.diagram for k, c in ESCAPED.items()}
    diagrams |= {f"rejected/{k}": d for k, d in REJECTED.items()}
    diagrams |= {f"mangled/{k}": d for k, (d, _) in MANGLED.items()}
    for i, t in enumerate(FUZZ):
        diagrams[f"fuzz-seq/{i}"] = seq(f"A->>B: {m.seq_text(t)}", m.participant("C", t))
        diagrams[f"fuzz-class/{i}"] = cls(
            f"class Other {{\n+{m.class_member(t)}\n}}",
            m.class_decl("Mine", t),
            f"Mine --> Other : {m.class_rel_label(t)}",
        )
    return dict(zip(diagrams, mv.validate(list(diagrams.values())), strict=True))


def _stripped(result: Result) -> list[str]:
    return [t.strip() for t in result.texts or ()]


@pytest.mark.parametrize("key", sorted(ESCAPED))
def test_escaped_text_parses_and_shows_as_written(verdicts: dict[str, Result], key: str) -> None:
    result = verdicts[f"escaped/{key}"]
    assert result.ok, f"{result.error}\n---\n{ESCAPED[key].diagram}"
    shows = _stripped(result)
    for want in set(ESCAPED[key].shows):
        assert shows.count(want) >= ESCAPED[key].shows.count(want), (want, result.texts)


@pytest.mark.parametrize("key", sorted(REJECTED))
def test_unescaped_text_is_rejected(verdicts: dict[str, Result], key: str) -> None:
    result = verdicts[f"rejected/{key}"]
    assert not result.ok, REJECTED[key]
    assert result.error


@pytest.mark.parametrize("key", sorted(MANGLED))
def test_unescaped_text_is_silently_mangled(verdicts: dict[str, Result], key: str) -> None:
    result = verdicts[f"mangled/{key}"]
    assert result.ok, result.error
    assert MANGLED[key][1] not in _stripped(result), result.texts


def test_fuzzed_text_round_trips_through_the_parser(verdicts: dict[str, Result]) -> None:
    for i, t in enumerate(FUZZ):
        want = shown(t)
        s, c = verdicts[f"fuzz-seq/{i}"], verdicts[f"fuzz-class/{i}"]
        assert s.ok and c.ok, (t, s.error, c.error)
        assert _stripped(s).count(want) == 2, (t, s.texts)
        if not set(t) & set("()\n"):  # a member with `(...)` shows as `name(params) : rest`
            assert "+" + shown(t) in _stripped(c), (t, c.texts)
        assert _stripped(c).count(want) >= 2, (t, c.texts)


def test_markdown_mode_reports_file_and_line(tmp_path: Path) -> None:
    mv.require_mermaid()
    good = tmp_path / "good.md"
    good.write_text(f"# ok\n\n```mermaid\n{seq('A->>B: ' + m.seq_text('see #42; done'))}\n```\n")
    bad = tmp_path / "bad.md"
    bad.write_text(
        f"text\n\n```mermaid\n{seq('A->>B: fine')}\n```\n\n~~~mermaid\n{seq('A->>B: a; b')}\n~~~\n"
    )
    code, out = mv.check_markdown([good, bad])
    assert code == 1
    assert len(out.splitlines()) == 1, out  # good.md and bad.md's first block pass
    assert out.startswith(f"{bad}:14: Parse error on line 4")
    assert mv.check_markdown([good, tmp_path / "missing.md"])[0] == 2


def test_require_mermaid_skips_or_fails_when_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "node").write_text("#!/bin/sh\n")
    (tmp_path / "bin" / "node").chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))  # a node, but tmp_path has no node_modules
    monkeypatch.delenv(mv.REQUIRE_ENV, raising=False)
    with pytest.raises(pytest.skip.Exception, match="npm ci --prefix tools/mermaid"):
        mv.require_mermaid(tmp_path)
    monkeypatch.setenv(mv.REQUIRE_ENV, "1")
    with pytest.raises(
        pytest.fail.Exception, match=r"ANNOTATE_REQUIRE_MERMAID=1.*npm ci --prefix tools/mermaid"
    ):
        mv.require_mermaid(tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path))  # no node
    with pytest.raises(pytest.fail.Exception, match="node is not on PATH"):
        mv.require_mermaid()
    monkeypatch.delenv(mv.REQUIRE_ENV)
    with pytest.raises(pytest.skip.Exception, match="node is not on PATH"):
        mv.require_mermaid()


# ---- pure checks, no node ----


def _outside_entities(text: str) -> str:
    return _ENTITY.sub("", text)


def test_seq_text_examples() -> None:
    assert m.seq_text("a;b#c") == "a#59;b#35;c"
    assert m.seq_text("") == m.ZWSP == "#8203;"
    assert m.seq_text(" \n ") == m.ZWSP
    assert m.seq_text("%%{init}%%") == "#37;#37;{init}#37;#37;"
    assert m.seq_text("50% off") == "50% off"
    assert m.seq_text("a: b") == "a: b"
    assert m.seq_text("a:b") == "a#58;b"
    assert m.seq_text("<br/>") == "#lt;br/#gt;"
    assert m.seq_text("x\r\ny\nz") == "x y z"
    assert m.seq_text("#59;") == "#35;59#59;"


@given(st.text())
def test_seq_text_round_trips_and_leaves_nothing_raw(s: str) -> None:
    out = m.seq_text(s)
    assert m.unescape(out) == (_LINE_BREAK.sub(" ", s) if s.strip() else "\u200b")
    raw = _outside_entities(out)
    assert not set(raw) & set(";#<>\n\r"), out
    assert "%%" not in raw and not re.search(r":\S", raw), out
    assert out.strip()


@given(st.text())
def test_class_escapes_round_trip_and_leave_nothing_raw(s: str) -> None:
    for escape in (m.class_member, m.class_label, m.class_rel_label):
        out = escape(s)
        if not re.search(r"\)\s*(->|→)", s):
            assert m.unescape(out) == (_LINE_BREAK.sub(" ", s) if s.strip() else "\u200b")
        raw = _outside_entities(out)
        assert not set(raw) & set(';#<>{}_*~"$:\n\r'), out
        assert "%%" not in raw


def test_class_member_examples() -> None:
    assert m.class_member("__init__(self)") == "#95;#95;init#95;#95;(self)"
    assert m.class_member("foo(x) -> int") == "foo(x) int"
    assert m.class_member("get(k) → Dict[int, List[int]]") == "get(k) Dict[int, List[int]]"
    assert m.class_member("d = {}") == "d = #123;#125;"
    assert m.class_member("List<int>") == "List#lt;int#gt;"
    assert m.class_member("*args") == "#42;args"
    assert m.class_member("x)") == m.class_member(" x) ").strip() == "x#41;"
    assert m.class_member("(x)") == "#40;x#41;"
    assert m.class_member("f(x)") == "f(x)"
    assert m.class_rel_label("uses: x; y") == "uses#58; x#59; y"
    assert m.class_decl("Q", 'Queue<"T">') == 'class Q["Queue#lt;#quot;T#quot;#gt;"]'


@pytest.mark.parametrize("name", [*HOSTILE, "END", "Alt", "sequenceDiagram", "1st", "_x", "naïve"])
def test_ids_are_safe_and_deterministic(name: str) -> None:
    for make, keywords in ((m.seq_id, m.SEQ_KEYWORDS), (m.class_id, m.CLASS_KEYWORDS)):
        ident = make(name)
        assert re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", ident), ident
        assert ident.lower() not in keywords
        assert make(name) == ident


def test_id_examples() -> None:
    assert m.seq_id("end") == "P_end"
    assert m.seq_id("Endpoint") == "Endpoint"
    assert m.seq_id("vllm:Scheduler") == "vllm_Scheduler"
    assert m.seq_id("") == "P_"
    assert m.seq_id("2nd") == "P_2nd"
    assert m.class_id("note") == "C_note"
    assert m.class_id("core.Scheduler") == "core_Scheduler"


def test_taken_ids_are_unique() -> None:
    taken: set[str] = set()
    ids = [m.seq_id(n, taken) for n in ("a:b", "a b", "a_b", "a:b")]
    assert ids == ["a_b", "a_b_2", "a_b_3", "a_b_4"]
    assert taken == set(ids)
    assert m.class_id("x", {"x"}) == "x_2"


def test_unsafe_ids_are_refused() -> None:
    assert m.participant("S", "vllm: Scheduler; v1") == "participant S as vllm: Scheduler#59; v1"
    for bad in ("end", "a:b", "1x", ""):
        with pytest.raises(ValueError):
            m.participant(bad, "x")
    with pytest.raises(ValueError):
        m.class_decl("note", "x")


def test_unescape_leaves_non_entities() -> None:
    assert m.unescape("#59;#lt;#8203;#quot;#nope;#0;# 5;") == ';<\u200b"#nope;#0;# 5;'
    assert m.unescape(m.seq_text("#lt;")) == "#lt;"

"""The stdlib `ast` reader and the libcst reader give the same model, on an adversarial corpus.

`extract_file_ast` (extract/astvisitor.py) reads caller and hand-off files for speed; it must return a
model equal (==) to libcst's `extract_file`, whose two line modes (PositionProvider and counted lines)
must agree too. tests/readercorpus/ holds one small invented source file per theme where a second
reader could differ (parentheses, comments in every position, f-strings, byte-level shapes such as
CRLF, a BOM or a form feed...), so a failure names the theme; every fixture file of every era is
compared as well (each distinct path and text once), and every file again with a comment after each
bracket and comma and at each line's end, with parentheses around every expression that may have them,
and with a backslash continuation between every two tokens of a line (tests/mutants.py). A failure
prints the differing fields (tests/modeldiff.py).
"""

from __future__ import annotations

import ast
import functools
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest

from annotator.errors import ExtractError
from annotator.extract.visitor import extract_file
from annotator.model import FileModel
from tests.gitrepo import ERAS
from tests.modeldiff import model_diff
from tests.modelkit import fixture_files
from tests.mutants import with_backslashes, with_comments, with_parentheses

CORPUS = Path(__file__).resolve().parent / "readercorpus"
CORPUS_FILES = sorted(p.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("*.py"))
_fixture_texts = functools.cache(fixture_files)


def _distinct_fixture_files() -> list[tuple[str, str]]:
    """Every fixture file of every era, each (path, text) once: later eras repeat most files unchanged."""
    first: dict[tuple[str, str], tuple[str, str]] = {}
    for era in ERAS:
        for path, text in _fixture_texts(era).items():
            first.setdefault((path, text), (era, path))
    return list(first.values())


FIXTURE_FILES = _distinct_fixture_files()

# Where counted lines (positions=False) and PositionProvider disagree: bugs of extract/lines.py (or, where
# said, of PositionProvider), reported rather than fixed here. Strict: a fix fails the test until removed.
COUNTED_LINES_BUGS = {
    "backslashes.py": "`def \\` + newline + name: a def or class starts at its name's line, not at `def`",
    "cr_only.py": "only '\\n' is counted in skipped subtrees and strings: lone '\\r' line ends are missed",
    "del_with_backslash.py": "libcst visits the whitespace after `del` and after `as` once their target is "
    "visited: a backslash continuation there puts the target a line early",
    "semicolon_backslash_end.py": "a last statement's `; \\` continuation is counted into the def: "
    "end_lineno one line too far",
    "semicolon_after_backslash.py": "here PositionProvider is the one that differs from ast: it ends the "
    "def before its last statement's `;` (on the next line, after a backslash); counted lines and ast do not",
}

# Where the `ast` reader (extract/astvisitor.py) differs from libcst today (sometimes libcst is the one
# that differs from ast): each file holds only that shape, so the rest of its theme stays guarded.
AST_READER_DIFFERENCES = {
    "except_backslash.py": "libcst drops a backslash continuation between an except clause's type and its "
    "colon (its code does not round-trip): its lines after that are one too low; the ast reader's are ast's",
    "semicolon_after_backslash.py": "ast ends a def at its last statement's `;` (on the line after a "
    "backslash), as the ast reader does; libcst's PositionProvider ends it before the `;`",
    "semicolon_backslash_text.py": "libcst's assert and raise text takes in the backslash continuation "
    "after its semicolon (`assert x; \\`); the ast reader's stops at the semicolon",
}
# PEP 701 f-strings (pep701_*.py): 3.11's ast rejects them and the reader uses libcst; from 3.12 the
# reader finds comments and literals with tokenize, which knows an f-string may hold its own quotes.

# Sources libcst reads but stdlib `ast` rejects (some only before Python 3.12): the same model all the same.
LIBCST_ONLY = {
    "pep695_generic_def": "class A:\n    def f[T](self, x: T) -> T:\n        return self.g(x)\n",
    "type_statement": "type Alias = list[int]\n\n\nclass A:\n    def m(self):\n        return self.x.y()\n",
    "fstring_nested_quotes": "class A:\n    def m(self):\n        return f'{self.d['k'].v()}'\n",
    "fstring_backslash": "class A:\n    def m(self):\n        return f'{\"\\n\".join(self.parts())}'\n",
    "bytes_non_ascii": "class A:\n    def m(self):\n        return self.enc(b'é')\n",
    "bad_unicode_escape": "class A:\n    def m(self):\n        return self.put('\\N{NO SUCH NAME}')\n",
    "dict_unpack_comprehension": "class A:\n    def m(self):\n        return {**a for a in self.b()}\n",
}

# Sources neither reader can read: the same one-line error (path, line and message) from both.
BROKEN = {
    "unclosed_paren": "class A:\n    def m(self):\n        return (1,\n",
    "bad_def": "def f(:\n    pass\n",
    "unexpected_indent": "x = 1\n    y = 2\n",
    "tabs_and_spaces": "class A:\n\tdef m(self):\n\t\treturn 1\n        def n(self):\n\t\treturn 2\n",
    "print_statement": "print 'x'\n",
    "trailing_backslash": "x = 1 \\",
    "nul_byte": "x = 1\x00\n",
    "unterminated_string": "x = '''abc\n",
    "dedent_mismatch": "if x:\n        a = 1\n    b = 2\n",
    "form_feed_breaks_block": "def f():\n\x0c    x = 1\n        y = 2\n",
}


def corpus_text(name: str) -> str:
    """A corpus file as a snapshot reads a blob: UTF-8, no newline translation, a BOM kept."""
    return (CORPUS / name).read_bytes().decode("utf-8")


def corpus_path(name: str) -> str:
    return f"vllm/corpus/{name}"


def _explain(left: FileModel, right: FileModel, left_name: str, right_name: str) -> str:
    lines = model_diff(left, right, "model")
    return f"{left_name} (left) and {right_name} (right) differ:\n  " + "\n  ".join(lines)


def _read(reader: Callable[..., FileModel], *args: object, **kwargs: object) -> tuple[FileModel, list[str]]:
    """The model and the warnings reading it raised (recorded, not turned into errors)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = reader(*args, **kwargs)
    return model, [f"{w.category.__name__}: {w.message}" for w in caught]


def assert_readers_agree(path: str, text: str) -> None:
    """libcst with PositionProvider is the reference; the `ast` reader must equal it, silently."""
    from annotator.extract.astvisitor import extract_file_ast

    reference, _ = _read(extract_file, path, "caller", "blob", text, positions=True)
    fast, warned = _read(extract_file_ast, path, "caller", "blob", text)
    if fast != reference:
        pytest.fail(_explain(reference, fast, "libcst", "ast"), pytrace=False)
    # On Python 3.12 an invalid escape such as "\d" is a SyntaxWarning printed on the user's terminal.
    assert not warned, f"the ast reader warned: {warned}"


def assert_line_modes_agree(path: str, text: str) -> None:
    exact, _ = _read(extract_file, path, "caller", "blob", text, positions=True)
    counted, _ = _read(extract_file, path, "caller", "blob", text, positions=False)
    if counted != exact:
        pytest.fail(_explain(exact, counted, "positions=True", "positions=False"), pytrace=False)


def _known(names: list[str], known: dict[str, str]) -> list[object]:
    """`names` as parameters, those with a known difference marked as a strict expected failure."""
    assert set(known) <= set(names)
    mark = pytest.mark.xfail
    return [pytest.param(n, marks=mark(strict=True, reason=known[n])) if n in known else n for n in names]


def test_the_corpus_covers_many_themes() -> None:
    """The corpus is read from disk: an emptied or moved folder must not pass silently."""
    assert len(CORPUS_FILES) >= 40
    assert {"crlf.py", "bom.py", "no_trailing_newline.py", "empty.py", "fstrings.py"} <= set(CORPUS_FILES)
    assert (CORPUS / "crlf.py").read_bytes().count(b"\r\n") > 5  # git did not normalise it
    assert (CORPUS / "bom.py").read_bytes().startswith(b"\xef\xbb\xbf")
    assert not (CORPUS / "no_trailing_newline.py").read_bytes().endswith(b"\n")


@pytest.mark.parametrize("name", _known(CORPUS_FILES, AST_READER_DIFFERENCES))
def test_ast_reader_equals_libcst_on_corpus(name: str) -> None:
    assert_readers_agree(corpus_path(name), corpus_text(name))


@pytest.mark.parametrize("name", _known(CORPUS_FILES, COUNTED_LINES_BUGS))
def test_counted_lines_equal_positions_on_corpus(name: str) -> None:
    assert_line_modes_agree(corpus_path(name), corpus_text(name))


POSITIONS_OFF = {"semicolon_after_backslash.py": COUNTED_LINES_BUGS["semicolon_after_backslash.py"]}


@pytest.mark.parametrize("name", _known(CORPUS_FILES, POSITIONS_OFF))
def test_the_default_line_mode_equals_positions_on_corpus(name: str) -> None:
    """What a user gets: counted lines, but PositionProvider for the layouts counting gets wrong."""
    exact, _ = _read(extract_file, corpus_path(name), "caller", "blob", corpus_text(name), positions=True)
    default, _ = _read(extract_file, corpus_path(name), "caller", "blob", corpus_text(name))
    if default != exact:
        pytest.fail(_explain(exact, default, "positions=True", "default"), pytrace=False)


@pytest.mark.parametrize(("era", "path"), FIXTURE_FILES, ids=[f"{e}/{p}" for e, p in FIXTURE_FILES])
def test_ast_reader_equals_libcst_on_fixtures(era: str, path: str) -> None:
    # positions=False against positions=True on these files: tests/test_extract.py
    assert_readers_agree(path, _fixture_texts(era)[path])


def _parses(text: str) -> bool:
    try:
        ast.parse(text.removeprefix("\ufeff"))
    except SyntaxError:
        return False
    return True


# Corpus files to rewrite (tests/mutants.py): all but the known differences and what `ast` cannot read
MUTABLE = [n for n in CORPUS_FILES if n not in AST_READER_DIFFERENCES and "(" in corpus_text(n)]
MUTABLE = [n for n in MUTABLE if _parses(corpus_text(n)) and "\r" not in corpus_text(n).replace("\r\n", "")]
FIXTURE_MUTABLE = [(e, p) for e, p in FIXTURE_FILES if "(" in _fixture_texts(e)[p]]


@pytest.mark.parametrize(
    "mutate",
    [with_comments, with_parentheses, with_backslashes],
    ids=["comments", "parentheses", "backslashes"],
)
@pytest.mark.parametrize("name", MUTABLE)
def test_readers_agree_on_rewritten_corpus(name: str, mutate: Callable[[str], str]) -> None:
    mutant = mutate(corpus_text(name))
    assert mutant != corpus_text(name)
    if name not in COUNTED_LINES_BUGS:
        assert_line_modes_agree(corpus_path(name), mutant)
    assert_readers_agree(corpus_path(name), mutant)


@pytest.mark.parametrize(("era", "path"), FIXTURE_MUTABLE, ids=[f"{e}/{p}" for e, p in FIXTURE_MUTABLE])
def test_readers_agree_on_rewritten_fixtures(era: str, path: str) -> None:
    text = _fixture_texts(era)[path]
    mutant = with_backslashes(with_comments(with_parentheses(text)))
    assert mutant != text
    assert_readers_agree(path, mutant)


@pytest.mark.parametrize("name", sorted(LIBCST_ONLY))
def test_ast_reader_gives_libcsts_model_where_ast_cannot_parse(name: str) -> None:
    assert_readers_agree("vllm/corpus/libcst_only.py", LIBCST_ONLY[name])


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_a_file_that_does_not_parse_gives_the_same_error(name: str) -> None:
    from annotator.extract.astvisitor import extract_file_ast

    path = f"vllm/broken/{name}.py"
    with pytest.raises(ExtractError) as libcst_error:
        extract_file(path, "caller", "blob", BROKEN[name])
    with pytest.raises(ExtractError) as ast_error:
        extract_file_ast(path, "caller", "blob", BROKEN[name])
    got = (ast_error.value.path, ast_error.value.line, ast_error.value.message)
    assert got == (libcst_error.value.path, libcst_error.value.line, libcst_error.value.message)


def test_libcst_reader_does_not_warn_on_invalid_escapes() -> None:
    """libcst's get_docstring evaluates the literal with ast.literal_eval, which warns on "\\d"."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        extract_file(corpus_path("invalid_escapes.py"), "caller", "blob", corpus_text("invalid_escapes.py"))


def _long_chain(terms: int) -> str:
    return (
        "class A:\n    def f(self):\n        return " + " + ".join(f"self.a{i}" for i in range(terms)) + "\n"
    )


def test_ast_reader_reads_a_very_long_expression() -> None:
    from annotator.extract.astvisitor import extract_file_ast

    fm = extract_file_ast("vllm/corpus/long_chain.py", "caller", "blob", _long_chain(400))
    assert len(fm.classes[0].methods[0].accesses) == 400


def test_libcst_reader_reads_a_very_long_expression_or_refuses_it_cleanly() -> None:
    """libcst's visitor recurses once per operand of a long `+`/`or` chain: an ExtractError (one line
    for the user), not a RecursionError's traceback."""
    with pytest.raises(ExtractError, match="nested too deeply"):
        extract_file("vllm/corpus/long_chain.py", "caller", "blob", _long_chain(400), positions=False)


@pytest.mark.xfail(
    strict=True,
    raises=AssertionError,
    reason="libcst's parser rejects `(x): int = 1`, valid Python: the libcst reader raises ExtractError "
    "where the ast reader reads the file",
)
def test_valid_python_that_libcst_cannot_parse_gets_one_answer() -> None:
    from annotator.extract.astvisitor import extract_file_ast

    text = "class A:\n    def m(self):\n        (x): int = self.f()\n        return x\n"
    answers: list[object] = []
    for read in (extract_file, extract_file_ast):
        try:
            answers.append(read("vllm/corpus/annotated_paren.py", "caller", "blob", text))
        except ExtractError as exc:
            answers.append(exc.message)
    assert answers[0] == answers[1]

"""The graders' subcommands: `annotate check NOTES...` and `annotate cite SYMBOL`. Parse, run, print."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from annotator.cli import site
from annotator.cli.args import PROG, Parser, common, given, use_queries
from annotator.errors import AnnotatorError
from annotator.grading.batch import Batch, FileResult, grade
from annotator.grading.check import MIN_WORDS
from annotator.links import NOTES_NAME, shown_path
from annotator.outputs import course_labs, lab_paths
from annotator.source.repos import open_source

JSON_SCHEMA = 1


def check_parser() -> Parser:
    p = Parser(
        prog=f"{PROG} check",
        description="Check submitted notes at the commit they name: prose, the five answers with line "
        "citations, the closing paragraph, every citation, verbatim copying. Exit 0: no error-level "
        "finding (warnings allowed); 1: an error-level finding (with --strict, any finding); 2: bad input.",
    )
    p.add_argument(
        "notes",
        nargs="+",
        type=given(f"pass notes files, folders holding {NOTES_NAME} or course repositories"),
        help=f"notes files, folders holding {NOTES_NAME}, or course repositories (--lab layout)",
    )
    common(p, sha=False)
    p.add_argument("--sha", metavar="REF", help="check at this commit (the notes must name the same one)")
    p.add_argument("--json", action="store_true", help="print the results as JSON (shape in README)")
    p.add_argument("--strict", action="store_true", help="fail (exit 1) on warnings too, not only on errors")
    p.add_argument(
        "--manifest",
        metavar="PATH",
        type=given("pass the manifest.json to use, or leave --manifest out"),
        help="the manifest to use for every notes file (default: the lab's manifest for notes at the "
        "lab's path, else manifest.json beside the notes)",
    )
    p.add_argument(
        "--html",
        metavar="DIR",
        type=given("pass a folder for the review site"),
        help="also write a review site into DIR: index.html and one page per notes file (works offline)",
    )
    return p


def run_check(argv: list[str]) -> int:
    args = check_parser().parse_args(argv)
    use_queries(args)
    if args.manifest is not None and not args.manifest.is_file():
        raise AnnotatorError(f"--manifest {args.manifest} is not a file; pass the manifest.json to use")
    paths, warnings = _notes_paths(args.notes)
    if args.html is not None:
        site.check_folder(args.html)
    batch = grade(paths, args.repo, args.sha, manifest=args.manifest)
    batch.messages[:0] = warnings
    if args.html is not None:
        batch.messages.extend(site.write(args.html, batch))
    for line in batch.messages:
        print(line, file=sys.stderr)
    if args.json:
        sys.stdout.write(json.dumps(batch_json(batch, args.strict), indent=2, ensure_ascii=False) + "\n")
    else:
        console = Console(highlight=False)
        if not console.is_terminal:  # a report going to a file: do not squeeze it into 80 columns
            console = Console(highlight=False, width=160)
        _print_batch(console, batch, args.strict)
    return 0 if batch.passes(args.strict) else 1


def _notes_paths(paths: list[Path]) -> tuple[list[Path], list[str]]:
    """Each path as a notes file: a folder stands for the notes in it, else for the notes at the lab
    layout's path when it is a course repository (`annotate --lab ROOT`). A course repository that
    declares another lab layout in a lab.toml of its own (its copy of the queries) gets a hint naming
    the --queries to pass: an error when the notes are not found, else a warning."""
    out: list[Path] = []
    warnings: list[str] = []
    for p in paths:
        course = None
        if p.is_dir() and (p / NOTES_NAME).exists():
            p = p / NOTES_NAME
        elif p.is_dir():
            course, lab = p, p.joinpath(*lab_paths()[0].split("/"))
            p = lab if lab.exists() else p / NOTES_NAME
        hint = _own_lab(course, found=p.exists()) if course is not None else None
        if hint and p.exists():
            warnings.append(f"warning: {hint}")
        elif not p.exists():
            where = ""
            if course is not None:
                where = f" (at {lab_paths()[0]}; a course with its own lab.toml: pass --queries DIR)"
            raise AnnotatorError(
                hint
                or f"{shown_path(p)} does not exist; pass notes files, folders holding {NOTES_NAME} or a "
                f"course repository holding the lab's notes{where}"
            )
        if p not in out:
            out.append(p)
    return out, warnings


def _own_lab(course: Path, found: bool) -> str | None:
    """Which --queries to pass when `course` holds a lab.toml (a course's copy of the queries) whose
    layout the queries in use do not match, and its notes are where it says. Never taken by itself:
    a submission could ship a queries folder asking easier questions."""
    active = lab_paths()
    for file, paths in course_labs(course):
        if paths == active or not course.joinpath(*paths[0].split("/")).is_file():
            continue
        fix = f"pass --queries {shown_path(file.parent)}"
        if found:
            return (
                f"{shown_path(file)} declares the course's own lab layout (notes at {paths[0]}, manifest at "
                f"{paths[1]}), not the one of the queries in use; {fix} to check with the course's queries"
            )
        return (
            f"{shown_path(course)} holds no notes at {active[0]} (the lab path of the queries in use), but "
            f"its own {shown_path(file)} puts them at {paths[0]}; {fix}"
        )
    return None


def batch_json(batch: Batch, strict: bool = False) -> dict[str, Any]:
    codes: dict[str, int] = {}
    severities = {"error": 0, "warning": 0}
    for r in batch.results:
        for f in r.findings:
            codes[f.code] = codes.get(f.code, 0) + 1
            severities[f.severity] += 1
    return {
        "schema": JSON_SCHEMA,
        "ok": batch.passes(strict),
        "strict": strict,
        "files": [_result_json(r, strict) for r in batch.results],
        "summary": {
            "files": len(batch.results),
            "ok": sum(r.passes(strict) for r in batch.results),
            "findings": sum(codes.values()),
            "errors": severities["error"],
            "warnings": severities["warning"],
            "codes": dict(sorted(codes.items())),
        },
    }


def _result_json(r: FileResult, strict: bool) -> dict[str, Any]:
    rep = r.report
    return {
        "path": r.path,
        "sha": r.sha,
        "ok": r.passes(strict),
        "words": rep.words if rep else None,
        "answered": rep.answered if rep else None,
        "questions": len(rep.questions) if rep else None,
        "citations": rep.citations if rep else None,
        "findings": [asdict(f) for f in r.findings],
    }


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _print_batch(console: Console, batch: Batch, strict: bool) -> None:
    for r in batch.results:
        title = Text(f"{_printable(r.path)} — ", style="bold")
        errors = sum(f.severity == "error" for f in r.findings)
        warnings = len(r.findings) - errors
        counts = f"{_count(errors, 'error')}, {_count(warnings, 'warning')}"
        title.append("ok" if not r.findings else counts, style="green" if r.passes(strict) else "red")
        if not r.findings:
            console.print(title)
            continue
        table = Table(title=title, title_justify="left", show_lines=False)
        table.add_column("line", justify="right")
        table.add_column("severity", no_wrap=True)
        table.add_column("code", style="yellow", no_wrap=True)
        table.add_column("message", overflow="fold")
        for f in r.findings:
            sev = Text(f.severity, style="red" if f.severity == "error" else "magenta")
            table.add_row(str(f.line) if f.line else "", sev, f.code, Text(_printable(f.message)))
        console.print(table)
    summary = Table(title=Text("Summary", style="bold"), title_justify="left")
    summary.add_column("notes", overflow="fold")
    summary.add_column("commit", no_wrap=True)
    for name in ("words", "answered", "citations", "findings"):
        summary.add_column(name, justify="right", no_wrap=True)
    summary.add_column("status", no_wrap=True)
    for r in batch.results:
        rep = r.report
        words = f"{rep.words:,}" if rep else "-"
        summary.add_row(
            Text(_printable(r.path)),
            r.sha[:10] if r.sha else "-",
            Text(words, style="red" if rep and rep.words < MIN_WORDS else ""),
            f"{rep.answered}/{len(rep.questions)}" if rep else "-",
            str(rep.citations) if rep else "-",
            str(len(r.findings)),
            Text("ok", style="green") if r.passes(strict) else Text("findings", style="red"),
        )
    console.print(summary)


def _printable(text: str) -> str:
    """No terminal control sequences from a notes file reach the terminal."""
    return "".join(ch if ch.isprintable() else "?" for ch in text)


def cite_parser() -> Parser:
    p = Parser(
        prog=f"{PROG} cite",
        description="Print the path, line range and permalink of a symbol at a commit, or (--text) the "
        "lines that contain a string. Ambiguous names list every match. Exit 0: found; 1: nothing.",
    )
    p.add_argument("symbol", nargs="?", help="Class, Class.method, function, or path::Class.method")
    common(p)
    p.add_argument("--text", metavar="STRING", help="list the lines of the commit's files containing STRING")
    p.add_argument("--json", action="store_true", help="print the matches as JSON")
    return p


def run_cite(argv: list[str]) -> int:
    from annotator.resolve.analyze import analyze
    from annotator.resolve.lookup import Symbol, TextHit, find_text, lookup
    from annotator.snapshot.files import take

    args = cite_parser().parse_args(argv)
    use_queries(args)
    if not args.symbol and not args.text:
        raise AnnotatorError(f"name a SYMBOL or pass --text STRING (see `{PROG} cite --help`)")
    snap = take(open_source(args.repo), args.sha)
    syms: list[Symbol] = lookup(analyze(snap), args.symbol) if args.symbol else []
    hits: list[TextHit] = []
    total = 0
    if args.text:
        hits, total = find_text(snap, args.text)
    if args.json:
        out: dict[str, Any] = {"sha": snap.sha, "symbol": args.symbol, "text": args.text}
        out["symbols"] = [
            {"path": s.path, "qualname": s.qualname, "kind": s.kind, "lineno": s.lineno,
             "end_lineno": s.end_lineno, "permalink": s.link(snap.sha)}
            for s in syms
        ]
        out["lines"] = [{"path": h.path, "lineno": h.lineno, "text": h.text, "permalink": h.link(snap.sha)}
                        for h in hits]
        out["lines_total"] = total
        sys.stdout.write(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
    else:
        console = Console(highlight=False, soft_wrap=True)
        for s in syms:
            console.print(Text(f"{s.qualname}  {s.kind}  {s.path}:{s.lineno}-{s.end_lineno}"))
            console.print(Text(f"  {s.link(snap.sha)}"))
        for h in hits:
            console.print(Text(f"{h.path}:{h.lineno}  {_printable(h.text)}"))
            console.print(Text(f"  {h.link(snap.sha)}"))
        if total > len(hits):
            console.print(Text(f"… {total - len(hits)} more lines contain {args.text!r}"))
    if args.symbol and not syms:
        print(f"{PROG}: no symbol {args.symbol!r} at {snap.sha[:12]}; try `{PROG} cite --text NAME`",
              file=sys.stderr)
    if args.text and not hits:
        print(f"{PROG}: no line contains {args.text!r} at {snap.sha[:12]}", file=sys.stderr)
    return 0 if (syms or not args.symbol) and (hits or not args.text) else 1

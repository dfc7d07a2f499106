# Command line: parse arguments, run one job, print. The only module that prints.
from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from annotator import __version__
from annotator.errors import AnnotatorError
from annotator.source import DEFAULT_SHA

PROG = "annotate"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, exit 2, no usage dump
        raise AnnotatorError(f"{message} (see `{self.prog} --help`)")


def _common(p: argparse.ArgumentParser, sha: bool = True) -> None:
    p.add_argument(
        "--repo",
        metavar="R",
        help="vLLM clone: a path (work tree or bare .git) or a URL; "
        "default $ANNOTATE_REPO, else vLLM's GitHub URL",
    )
    if sha:
        p.add_argument(
            "--sha",
            metavar="REF",
            default=DEFAULT_SHA,
            help=f"commit: full or short SHA, tag or branch (default v0.3.3 = {DEFAULT_SHA[:12]})",
        )


def main_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog=PROG,
        description="Write a line-anchored notes skeleton for an annotated read of vLLM's "
        "KV-cache allocator at one commit. Subcommands: check, cite, diff "
        "(`annotate check --help`).",
    )
    _common(p)
    p.add_argument("--out", metavar="DIR", type=Path, help="output folder (default out/<version>/)")
    p.add_argument("--json", action="store_true", help="print the extracted model as JSON; write nothing")
    p.add_argument("--dry-run", action="store_true", help="print a diff of what would change; write nothing")
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return p


def run_annotate(args: argparse.Namespace) -> int:
    from annotator import jobs

    result = jobs.annotate(args.repo, args.sha, args.out, want_json=args.json, dry_run=args.dry_run)
    for line in result.messages:
        print(line, file=sys.stderr)
    if result.stdout:
        sys.stdout.write(result.stdout)
    return result.status


SUBCOMMANDS: dict[str, Callable[[list[str]], int]] = {
    "check": lambda argv: __import__("annotator.cli_grade", fromlist=["x"]).run_check(argv),
    "cite": lambda argv: __import__("annotator.cli_grade", fromlist=["x"]).run_cite(argv),
    "diff": lambda argv: __import__("annotator.cli_diff", fromlist=["x"]).main(argv),
}


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if args and args[0] in SUBCOMMANDS:
            return SUBCOMMANDS[args[0]](args[1:])
        return run_annotate(main_parser().parse_args(args))
    except AnnotatorError as exc:
        print(_one_line(f"{PROG}: error: {exc}"), file=sys.stderr)
        return 2
    except BrokenPipeError:  # stdout closed early (`annotate diff A B | head`): end quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no error at exit's flush
        return 141
    except OSError as exc:  # a path the OS refuses (name too long, permission): bad input, not a crash
        where = f"{exc.filename}: " if exc.filename else ""
        print(_one_line(f"{PROG}: error: {where}{exc.strerror or exc}"), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130


def _one_line(message: str) -> str:
    """An error is one line even when it quotes a path or ref holding a line break."""
    return message.replace("\r", "\\r").replace("\n", "\\n")

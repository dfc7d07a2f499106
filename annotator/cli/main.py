"""`annotate`: parse the main job's arguments, run it, and map every error to one line and exit 2.

Subcommands (check, cite, diff) have modules of their own in this package; like them, this module
prints, which no stage below the cli package does."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from types import ModuleType

from annotator import __version__, queries
from annotator.cli.args import PROG, Parser, common, given, out_dir, use_queries
from annotator.errors import AnnotatorError


def main_parser() -> argparse.ArgumentParser:
    p = Parser(
        prog=PROG,
        description="Write a line-anchored notes skeleton for an annotated read of vLLM's "
        "KV-cache allocator at one commit. Subcommands: check, cite, diff "
        "(`annotate check --help`).",
    )
    common(p)
    where = p.add_mutually_exclusive_group()
    where.add_argument("--out", metavar="DIR", type=out_dir, help="output folder (default out/<version>/)")
    where.add_argument(
        "--lab",
        metavar="ROOT",
        type=given("pass the top folder of the course repository"),
        help="a course repository: write the notes, manifest and README at the lab's paths under ROOT "
        "(queries/lab.toml)",
    )
    p.add_argument("--json", action="store_true", help="print the extracted model as JSON; write nothing")
    p.add_argument("--dry-run", action="store_true", help="print a diff of what would change; write nothing")
    p.add_argument(
        "--full",
        action="store_true",
        help="every class and public method with three prompts, no index (default: weighted)",
    )
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return p


def run_annotate(args: argparse.Namespace) -> int:
    from annotator.cli import annotate as jobs

    result = jobs.annotate(
        args.repo,
        args.sha,
        args.out,
        lab=args.lab,
        want_json=args.json,
        dry_run=args.dry_run,
        full=args.full,
    )
    for line in result.messages:
        print(line, file=sys.stderr)
    if result.stdout:
        sys.stdout.write(result.stdout)
    return result.status


def _grade() -> ModuleType:  # imported on use: rich tables cost time a plain run never needs
    from annotator.cli import grade

    return grade


def _diff() -> ModuleType:
    from annotator.cli import diff

    return diff


SUBCOMMANDS: dict[str, Callable[[list[str]], int]] = {
    "check": lambda argv: _grade().run_check(argv),
    "cite": lambda argv: _grade().run_cite(argv),
    "diff": lambda argv: _diff().main(argv),
}


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    saved = os.environ.get(queries.ENV)
    try:
        if args and args[0] in SUBCOMMANDS:
            return SUBCOMMANDS[args[0]](args[1:])
        parsed = main_parser().parse_args(args)
        use_queries(parsed)
        return run_annotate(parsed)
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
    finally:  # --queries holds for this run only (main() is called many times in one test process)
        if saved is None:
            os.environ.pop(queries.ENV, None)
        else:
            os.environ[queries.ENV] = saved


def _one_line(message: str) -> str:
    """An error is one line even when it quotes a path or ref holding a line break."""
    return message.replace("\r", "\\r").replace("\n", "\\n")

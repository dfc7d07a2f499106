"""The parser pieces every subcommand shares: program name, one-line usage errors, --repo/--sha/--queries."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from annotator import queries
from annotator.errors import AnnotatorError
from annotator.source.refs import DEFAULT_SHA

PROG = "annotate"


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, exit 2, no usage dump
        raise AnnotatorError(f"{message} (see `{self.prog} --help`)")


def given(fix: str) -> Callable[[str], Path]:
    """An argparse type for a path option: an empty value is an error naming `fix`, not the current
    folder (Path('') is '.', so `--lab ''` would otherwise write into the working folder)."""

    def path(value: str) -> Path:
        if not value.strip():
            raise argparse.ArgumentTypeError(f"{value!r} names no path; {fix}")
        return Path(value)

    return path


out_dir = given("pass a folder, or omit --out for out/<version>/")


def repo_spec(value: str) -> str:
    """--repo R: an empty value is an error, not a silent fall-back to $ANNOTATE_REPO or GitHub."""
    if not value.strip():
        raise argparse.ArgumentTypeError(
            f"{value!r} names no repository; pass a vLLM clone or URL, or omit --repo for $ANNOTATE_REPO"
        )
    return value


def common(p: argparse.ArgumentParser, sha: bool = True) -> None:
    p.add_argument(
        "--queries",
        metavar="DIR",
        help=f"a course's own copy of the queries folder (files there win over the shipped ones); "
        f"default ${queries.ENV}",
    )
    p.add_argument(
        "--repo",
        metavar="R",
        type=repo_spec,
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


def use_queries(args: argparse.Namespace) -> None:
    """Make `--queries DIR` the queries every stage reads (main() restores the environment after)."""
    folder = getattr(args, "queries", None)
    if folder is not None:
        if not folder:
            raise AnnotatorError("--queries '' names no folder; pass a copy of queries/ or leave it out")
        os.environ[queries.ENV] = os.path.abspath(folder)
    queries.override()  # a folder that is not there is an error now, before anything is read

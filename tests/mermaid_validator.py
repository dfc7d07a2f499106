"""Checks mermaid diagrams with mermaid's own parser (tools/mermaid/validate.mjs, run by node).

A pytest plugin module: register it with ``pytest_plugins = ["tests.mermaid_validator"]`` in
tests/conftest.py. Its fixture `mermaid_validate` is `validate` below; it skips the test when node or
tools/mermaid/node_modules is missing (install with ``npm ci --prefix tools/mermaid``), unless
ANNOTATE_REQUIRE_MERMAID=1, where it fails instead. Tests that import this module without the fixture call
`require_mermaid()` themselves.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

TOOL_DIR = Path(__file__).resolve().parent.parent / "tools" / "mermaid"
SCRIPT = TOOL_DIR / "validate.mjs"
REQUIRE_ENV = "ANNOTATE_REQUIRE_MERMAID"
INSTALL_HINT = "npm ci --prefix tools/mermaid"

Validate = Callable[[list[str]], list["Result"]]


@dataclass(frozen=True)
class Result:
    """Mermaid's verdict on one diagram."""

    ok: bool
    type: str | None  # mermaid's diagram type ("sequence", "classDiagram") when ok
    error: str | None  # mermaid's parse error when not ok
    texts: tuple[str, ...] | None = None  # labels the parser extracted, entities decoded (sequence, class)


def unavailable(tool_dir: Path | None = None) -> str | None:
    """Why the validator cannot run here, or None when it can."""
    modules = (tool_dir or TOOL_DIR) / "node_modules"
    if shutil.which("node") is None:
        return "node is not on PATH"
    if not (modules / "mermaid").is_dir() or not (modules / "jsdom").is_dir():
        return f"{modules} lacks mermaid or jsdom: run `{INSTALL_HINT}`"
    return None


def require_mermaid(tool_dir: Path | None = None) -> None:
    """Skip the calling test when the validator cannot run (fail it under ANNOTATE_REQUIRE_MERMAID=1)."""
    reason = unavailable(tool_dir)
    if reason is None:
        return
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"mermaid validator required ({REQUIRE_ENV}=1) but unavailable: {reason}", pytrace=False)
    pytest.skip(f"mermaid validator unavailable: {reason}")


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("node is not on PATH")
    return node


def validate(diagrams: list[str]) -> list[Result]:
    """Parse every diagram with mermaid, all in one node process (about 1 s, then a few ms per diagram)."""
    if not diagrams:
        return []
    proc = subprocess.run(
        [_node(), str(SCRIPT)],
        input=json.dumps(diagrams),
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=TOOL_DIR,
        timeout=300,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{SCRIPT.name} exited {proc.returncode}: {proc.stderr.strip()}")
    raw = json.loads(proc.stdout)
    if not isinstance(raw, list) or len(raw) != len(diagrams):
        raise RuntimeError(f"{SCRIPT.name} gave {proc.stdout[:200]!r} for {len(diagrams)} diagrams")
    return [
        Result(
            ok=bool(r["ok"]),
            type=r.get("type"),
            error=r.get("error"),
            texts=None if r.get("texts") is None else tuple(r["texts"]),
        )
        for r in raw
    ]


def check_markdown(paths: list[Path]) -> tuple[int, str]:
    """Check every ```mermaid block of these Markdown files: (exit code, the ``file:line: error`` lines).

    The exit code is 0 when all blocks parse, 1 when one does not, 2 on a usage or read error.
    """
    proc = subprocess.run(
        [_node(), str(SCRIPT), "--markdown", *(str(p) for p in paths)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=TOOL_DIR,
        timeout=300,
        check=False,
    )
    return proc.returncode, proc.stdout


@pytest.fixture(scope="session")
def mermaid_validate() -> Validate:
    """`validate`, after `require_mermaid` (skip, or fail under ANNOTATE_REQUIRE_MERMAID=1, without node)."""
    require_mermaid()
    return validate

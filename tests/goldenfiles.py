"""The one golden-file comparison of the suite: exact bytes, and a refresh command named on failure.

Refresh every golden after an intended change of the output, then read the diff before committing:
    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py tests/test_regen_golden.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parent / "golden"
REFRESH = "UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py tests/test_regen_golden.py"


def compare(path: Path, actual: str) -> None:
    """Assert that `actual` is the golden file's text, byte for byte (or rewrite it under UPDATE_GOLDEN)."""
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(actual.encode("utf-8"))
        return
    if not path.exists():
        pytest.fail(f"golden file {path} is missing; create it with: {REFRESH}")
    expected = path.read_bytes().decode("utf-8")
    assert actual == expected, f"{path} differs from the output; if the change is intended run: {REFRESH}"

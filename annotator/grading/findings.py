"""Findings: what `annotate check` reports, with a severity, and for a citation what it resolved to.

Errors are what a grader deducts for (a wrong file, lines out of range or outside the symbol named,
another commit, verbatim copying, a missing or empty answer, an answer without a citation, short
prose, no closing paragraph, notes that cannot be read). Warnings are what the tool cannot tell (an
ambiguous citation or file name, a manifest whose version or date disagrees with the commit, citations
past the checking cap). Codes are stable (README "Graders: check and cite").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

Severity = Literal["error", "warning"]

WARNINGS = frozenset(
    {
        "cite-ambiguous",
        "cite-ambiguous-file",
        "cite-too-many",
        "cite-too-wide",
        "manifest-version-mismatch",
        "manifest-date-mismatch",
    }
)


def severity(code: str) -> Severity:
    return "warning" if code in WARNINGS else "error"


@dataclass(frozen=True, slots=True)
class CiteRef:
    """A citation as written (text, and its column span in the notes line: str indexes, end exclusive)
    and the file and lines it resolved to (path None: not resolved)."""

    text: str
    col: int
    end_col: int
    path: str | None
    start: int | None
    end: int | None


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem: a stable code, the notes file, the 1-based line (None: the whole file), a message,
    its severity, and for a citation finding the citation."""

    code: str
    path: str
    line: int | None
    message: str
    severity: Severity = "error"
    cite: CiteRef | None = None


def finding(code: str, path: str, line: int | None, message: str, cite: CiteRef | None = None) -> Finding:
    return Finding(code, path, line, message, severity(code), cite)


class Emit(Protocol):
    def __call__(self, code: str, line: int | None, message: str, cite: CiteRef | None = None) -> None: ...


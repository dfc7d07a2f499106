"""The one exception family the CLI turns into a one-line message and exit status 2."""

from __future__ import annotations


class AnnotatorError(Exception):
    """A user-facing error: the message names the problem and the fix."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        return f"{where}{self.message}"


class SourceError(AnnotatorError):
    """The repository, ref or files could not be read."""


class LayoutError(AnnotatorError):
    """No known layout of vLLM's allocator files matches the commit."""


class ExtractError(AnnotatorError):
    """A source file could not be parsed."""


class NotesError(AnnotatorError):
    """A notes file could not be read, merged or checked."""


class QueryError(AnnotatorError):
    """A query file (queries/*.toml, or a course's own copy) is missing or malformed."""

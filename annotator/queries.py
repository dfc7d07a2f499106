"""The declarative queries: where they are, and a checked reader for their TOML.

The queries ship inside the package as `annotator.querydata` (the repository's top-level `queries/`
folder, mapped into the wheel by pyproject.toml) and are found with `importlib.resources`, so a normal
`pip install` works. A course may use its own copy without touching the installed package: `--queries
DIR` or `$ANNOTATE_QUERIES`. Each file or folder found in DIR wins (a `questions/` folder there
replaces the shipped questions); the rest come from the package.

`Fields` reads one TOML table with typed accessors whose errors name the file, the table and the
field, so a bad query file is one line that says what to fix.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any, NoReturn

from annotator.errors import QueryError

ENV = "ANNOTATE_QUERIES"


def shipped() -> Path:
    """The queries folder installed with the package."""
    return Path(str(resources.files("annotator.querydata")))


def override() -> Path | None:
    """The course's own queries folder ($ANNOTATE_QUERIES, set by --queries), if any."""
    value = os.environ.get(ENV)
    if not value:
        return None
    folder = Path(value).expanduser()
    if not folder.is_dir():
        raise QueryError(
            f"queries folder {value!r} ({ENV} or --queries) is not a folder; pass a copy of queries/"
        )
    return folder


def path(relative: str) -> Path:
    """The file or folder `relative` ("layouts.toml", "questions"): the course's copy, else the package's."""
    own = override()
    if own is not None and (own / relative).exists():
        found, file = own / relative, relative.endswith(".toml")
        if found.is_file() != file:  # a `questions` file would silently drop every question
            kind = "a file" if file else "a folder of .toml files"
            raise QueryError(f"{relative} must be {kind}; fix or remove it", str(found))
        return found
    return shipped() / relative


def load(file: Path) -> dict[str, Any]:
    """A TOML file as a dict; a missing or malformed file is one QueryError naming it."""
    try:
        with file.open("rb") as fh:
            text = fh.read().decode("utf-8-sig")  # a byte order mark (Windows editors) is not TOML's
        data: dict[str, Any] = tomllib.loads(text)
        return data
    except OSError as exc:
        raise QueryError(f"cannot read query file: {exc.strerror or exc}; restore it", str(file)) from None
    except UnicodeDecodeError:
        raise QueryError("not UTF-8; save the file as UTF-8", str(file)) from None
    except tomllib.TOMLDecodeError as exc:
        raise QueryError(f"not valid TOML ({exc}); fix the file", str(file)) from None


class Fields:
    """Typed access to one table of a query file; every error names file, table and field."""

    def __init__(self, data: Any, file: Path, where: str) -> None:
        self.file, self.where = file, where
        if not isinstance(data, Mapping):
            self._fail("", "must be a table")
        self.data: Mapping[str, Any] = data

    def _fail(self, key: str, what: str) -> NoReturn:
        where = "" if self.where == self.file.name else f"{self.where} "  # the file's top level
        field = f"field {key!r} " if key else ""
        raise QueryError(f"{where}{field}{what}; fix the file", str(self.file))

    def _get(self, key: str, default: Any) -> Any:
        if key in self.data:
            return self.data[key]
        if default is _REQUIRED:
            self._fail(key, "is missing")
        return default

    def text(self, key: str, default: str | None = None) -> str:
        value = self._get(key, _REQUIRED if default is None else default)
        if not isinstance(value, str):
            self._fail(key, "must be a string")
        return value

    def number(self, key: str, default: int | None = None) -> int:
        value = self._get(key, _REQUIRED if default is None else default)
        if not isinstance(value, int) or isinstance(value, bool):
            self._fail(key, "must be a whole number")
        return value

    def flag(self, key: str, default: bool = False) -> bool:
        value = self._get(key, default)
        if not isinstance(value, bool):
            self._fail(key, "must be true or false")
        return value

    def texts(self, key: str, default: tuple[str, ...] | None = None) -> tuple[str, ...]:
        value = self._get(key, _REQUIRED if default is None else default)
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            self._fail(key, "must be a list of strings")
        return tuple(value)

    def text_map(self, key: str) -> dict[str, str]:
        value = self._get(key, {})
        if not isinstance(value, Mapping) or not all(isinstance(v, str) for v in value.values()):
            self._fail(key, "must be a table of strings")
        return dict(value)

    def tables(self, key: str, required: bool = True) -> list[Fields]:
        """The `[[key]]` array of tables, each as Fields."""
        value = self._get(key, _REQUIRED if required else [])
        if not isinstance(value, list):
            self._fail(key, f"must be an array of tables ([[{key}]])")
        return [Fields(v, self.file, f"[[{key}]] #{i + 1}") for i, v in enumerate(value)]

    def has(self, key: str) -> bool:
        return key in self.data


_REQUIRED: Any = object()


def document(relative: str, file: Path | None = None) -> Fields:
    """The query file `relative` (or an explicit `file`), read and wrapped for checked access."""
    file = file or path(relative)
    return Fields(load(file), file, file.name)

"""The defaults query (queries/defaults.toml) as frozen data: one `Switch` per question ("which engine runs
by default?"), its ordered rules, its run-time resolution of a `None` default and its dated history.

Loading only; annotator/snapshot/defaults.py evaluates the switches against a commit's tree.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from annotator import queries
from annotator.errors import QueryError

ReadKind = Literal["class_field", "init_param", "getenv_default"]
READ_KINDS: tuple[ReadKind, ...] = ("class_field", "init_param", "getenv_default")


@dataclass(frozen=True, slots=True)
class Read:
    """Where a literal default lives in the code, as an ast shape (see queries/defaults.toml)."""

    kind: ReadKind
    files: tuple[str, ...]
    cls: str = ""
    field: str = ""
    function: str = "__init__"
    param: str = ""
    dict: str = ""
    key: str = ""
    follow: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Rule:
    present: tuple[str, ...]
    absent: tuple[str, ...]
    switches: tuple[tuple[str, str], ...]
    read: Read | None
    check: Read | None
    mapping: tuple[tuple[str, str], ...]
    value: str
    because: str


@dataclass(frozen=True, slots=True)
class Auto:
    """How a default of `None` ("decided at run time") resolves: by another switch's value, or fixed."""

    by: str
    values: tuple[tuple[str, str], ...]
    value: str
    because: str


@dataclass(frozen=True, slots=True)
class Switch:
    name: str
    question: str
    rules: tuple[Rule, ...]
    auto: Auto | None
    history: tuple[tuple[str, str], ...]  # (ISO date since, value), in date order

    def read_files(self) -> tuple[str, ...]:
        """Every file a rule of this switch may read."""
        out: list[str] = []
        for rule in self.rules:
            for read in (rule.read, rule.check):
                if read is not None:
                    out += [*read.files, *read.follow]
        return tuple(dict.fromkeys(out))


def load_switches(path: Path | None = None) -> tuple[Switch, ...]:
    return _load(path or queries.path("defaults.toml"))


@lru_cache(maxsize=4)
def _load(path: Path) -> tuple[Switch, ...]:
    doc = queries.document("defaults.toml", path)
    switches: list[Switch] = []
    for raw in doc.tables("switch"):
        name = raw.text("name")
        rules = tuple(_rule(r, [s.name for s in switches]) for r in raw.tables("rule"))
        auto = None
        if raw.has("auto"):
            a = queries.Fields(raw.data["auto"], doc.file, f"[switch.auto] of {name!r}")
            values = {k: v for k, v in a.data.items() if k not in ("by", "value", "because")}
            if not all(isinstance(v, str) for v in values.values()):
                raise QueryError(
                    f"[switch.auto] of {name!r}: every value must be a string; fix the file", str(doc.file)
                )
            auto = Auto(
                a.text("by", ""), tuple(sorted(values.items())), a.text("value", ""), a.text("because", "")
            )
        history = tuple((h.text("since"), h.text("value")) for h in raw.tables("history", required=False))
        switches.append(Switch(name, raw.text("question"), rules, auto, history))
    return tuple(switches)


def _rule(r: queries.Fields, earlier: list[str]) -> Rule:
    when = queries.Fields(r.data.get("when", {}), r.file, f"{r.where} when")
    switches = tuple(sorted(when.text_map("switches").items()))
    for name, _ in switches:
        if name not in earlier:
            raise QueryError(
                f"{r.where} when.switches names {name!r}, which is not an earlier switch; fix the file",
                str(r.file),
            )
    read = _read(r, "read")
    if read is None and not r.has("value"):
        r._fail("value", "is missing (a rule without `read` gives a fixed `value`)")
    return Rule(
        present=when.texts("present", ()),
        absent=when.texts("absent", ()),
        switches=switches,
        read=read,
        check=_read(r, "check"),
        mapping=tuple(sorted(r.text_map("map").items())),
        value=r.text("value", "") if r.has("value") else "",
        because=r.text("because"),
    )


def _read(r: queries.Fields, key: str) -> Read | None:
    if not r.has(key):
        return None
    t = queries.Fields(r.data[key], r.file, f"{r.where} {key}")
    kind = t.text("kind")
    if kind not in READ_KINDS:
        t._fail("kind", f"must be one of {', '.join(READ_KINDS)}")
    return Read(
        kind=kind,  # type: ignore[arg-type]  # checked just above
        files=t.texts("files"),
        cls=t.text("class", ""),
        field=t.text("field", ""),
        function=t.text("function", "__init__"),
        param=t.text("param", ""),
        dict=t.text("dict", ""),
        key=t.text("key", ""),
        follow=t.texts("follow", ()),
    )

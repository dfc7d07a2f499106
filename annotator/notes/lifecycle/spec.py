"""The lifecycle query (queries/lifecycle.toml): which calls a request's lifecycle diagram draws, and
where. Also the small helpers on "path::Class.method" node names shared by the walk and the renderer.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from annotator import queries
from annotator.links import node_id

ENGINE, SCHEDULER, MANAGER, ALLOCATOR = "Engine", "Scheduler", "BlockManager", "Allocator"
CALLER_SIDE = (ENGINE, SCHEDULER)


@dataclass(frozen=True, slots=True)
class Step:
    label: str
    calls: tuple[str, ...]
    group: str = ""
    branch: str = ""
    within: tuple[str, ...] = ()
    deep: bool = False
    note: str = ""

    @property
    def block(self) -> str:
        return self.group or f"step:{self.label}"


@dataclass(frozen=True, slots=True)
class Spec:
    """The lifecycle query of one layout."""

    name: str
    entries: tuple[str, ...]
    engine: tuple[str, ...]
    scheduler: tuple[str, ...]
    managers: tuple[str, ...]
    depth: int
    skip: tuple[str, ...]  # "Class.method" not walked (e.g. the chunked-prefill path)
    hide: tuple[str, ...]  # class names neither drawn nor walked (trackers, metrics)
    groups: tuple[tuple[str, str], ...]  # (group id, "alt" | "opt"), in file order
    steps: tuple[Step, ...]
    # switch of queries/defaults.toml -> the classes it chooses between; those the default does not
    # name are neither walked nor drawn (a Note names them)
    switched: tuple[tuple[str, tuple[str, ...]], ...] = ()
    prefer: tuple[str, ...] = ()  # implementations followed at a dispatch for an ordinary model
    prefer_why: str = ""


def load_specs(path: Path | None = None) -> dict[str, Spec]:
    return dict(_load_specs(path or queries.path("lifecycle.toml")))


@lru_cache(maxsize=4)
def _load_specs(path: Path) -> tuple[tuple[str, Spec], ...]:
    specs = []
    for raw in queries.document("lifecycle.toml", path).tables("layout"):
        steps = tuple(
            Step(
                label=s.text("label", s.text("note", "")),
                calls=s.texts("calls", ()),
                group=s.text("group", ""),
                branch=s.text("branch", ""),
                within=s.texts("within", ()),
                deep=s.flag("deep"),
                note=s.text("note", ""),
            )
            for s in raw.tables("step", required=False)
        )
        spec = Spec(
            name=raw.text("name"),
            entries=raw.texts("entries"),
            engine=raw.texts("engine", ()),
            scheduler=raw.texts("scheduler", ()),
            managers=raw.texts("managers", ()),
            depth=raw.number("depth", 3),
            skip=raw.texts("skip", ()),
            hide=raw.texts("hide", ()),
            groups=tuple(raw.text_map("groups").items()),
            steps=steps,
            switched=_switched(raw),
            prefer=raw.texts("prefer", ()),
            prefer_why=raw.text("prefer_why", ""),
        )
        specs.append((spec.name, spec))
    return tuple(specs)


def _switched(raw: queries.Fields) -> tuple[tuple[str, tuple[str, ...]], ...]:
    table = queries.Fields(raw.data.get("switched", {}), raw.file, f"{raw.where} switched")
    return tuple((name, table.texts(name)) for name in sorted(table.data))


@dataclass(frozen=True, slots=True)
class Event:
    """A drawn call: caller and callee nodes ("path::Qualname"), the call-site line and its step."""

    index: int
    caller: str
    callee: str
    lineno: int
    step: Step
    level: int = 0  # class crossings below the caller side: 1 = a scheduler call into the manager
    others: tuple[str, ...] = ()  # implementations of a dispatch that were not followed (class names)


def owner(node: str) -> str:
    """The class of a "path::Class.method" node ("" for a module-level function)."""
    path, _, qual = node.partition("::")
    qual = qual.split("@", 1)[0]
    return node_id(path, qual.rpartition('.')[0]) if "." in qual else ""


def method(node: str) -> str:
    return node.partition("::")[2].split("@", 1)[0].rpartition(".")[2]


def qualname(node: str) -> str:
    return node.partition("::")[2].split("@", 1)[0]

# The lifecycle query (queries/lifecycle.toml): which calls a request's lifecycle diagram draws, and
# where. Also the small helpers on "path::Class.method" node names shared by the walk and the renderer.
from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

QUERY = Path(__file__).resolve().parent.parent / "queries" / "lifecycle.toml"
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


def load_specs(path: Path | None = None) -> dict[str, Spec]:
    return dict(_load_specs(path or QUERY))


@lru_cache(maxsize=4)
def _load_specs(path: Path) -> tuple[tuple[str, Spec], ...]:
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    specs = []
    for raw in data["layout"]:
        steps = tuple(
            Step(
                label=s.get("label", s.get("note", "")),
                calls=tuple(s.get("calls", ())),
                group=s.get("group", ""),
                branch=s.get("branch", ""),
                within=tuple(s.get("within", ())),
                deep=bool(s.get("deep", False)),
                note=s.get("note", ""),
            )
            for s in raw.get("step", ())
        )
        spec = Spec(
            name=raw["name"],
            entries=tuple(raw["entries"]),
            engine=tuple(raw.get("engine", ())),
            scheduler=tuple(raw.get("scheduler", ())),
            managers=tuple(raw.get("managers", ())),
            depth=int(raw.get("depth", 3)),
            skip=tuple(raw.get("skip", ())),
            hide=tuple(raw.get("hide", ())),
            groups=tuple(raw.get("groups", {}).items()),
            steps=steps,
        )
        specs.append((spec.name, spec))
    return tuple(specs)


@dataclass(frozen=True, slots=True)
class Event:
    """A drawn call: caller and callee nodes ("path::Qualname"), the call-site line and its step."""

    index: int
    caller: str
    callee: str
    lineno: int
    step: Step
    level: int = 0  # class crossings below the caller side: 1 = a scheduler call into the manager


def owner(node: str) -> str:
    """The class of a "path::Class.method" node ("" for a module-level function)."""
    path, _, qual = node.partition("::")
    qual = qual.split("@", 1)[0]
    return f"{path}::{qual.rpartition('.')[0]}" if "." in qual else ""


def method(node: str) -> str:
    return node.partition("::")[2].split("@", 1)[0].rpartition(".")[2]


def qualname(node: str) -> str:
    return node.partition("::")[2].split("@", 1)[0]

"""How much of the skeleton each class and method gets, so that it fits a 4-6 hour read.

A method on the lifecycle's default path (private helpers included) or cited by a question's lead gets
a section with three prompts (does / invariants / failures), one if it is trivial (an abstract
method has no body to explain: its class's API table lists it); another public method of a class on the
default path gets a section with one "does" prompt; a trivial method (a few lines: getters, `__repr__`)
is listed in its class's API table only. Classes off the default path, and the methods without a
section, are rows of the index appendix. `--full` expands everything, and a key that holds a student's
words keeps its section (regeneration never moves prose into the index). Pure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from annotator.links import node_id
from annotator.model import ClassInfo, CommitModel, Function

Weight = Literal["full", "does", "api", "index"]
PROMPTS: dict[Weight, tuple[str, ...]] = {
    "full": ("does", "invariants", "failures"),
    "does": ("does",),
    "api": (),
    "index": (),
}
PROMPT_TEXTS = {
    "does": "What does `{name}` do, in one sentence?",
    "invariants": "Which invariants does it preserve?",
    "failures": "What could go wrong, and how does the code handle it?",
}
HOLDS_TEXT = "What does `{name}` hold, and why does the allocator need it?"
# A method's or class's prompt as a stub line: a slot holding only one is empty, whatever the weight of
# its section at the commit that rendered it (a regeneration between --full and weighted notes).
_PROMPT_LINE = re.compile(
    r"_(?:What does `[\w.]+` do, in one sentence\?|Which invariants does it preserve\?"
    r"|What could go wrong, and how does the code handle it\?"
    r"|What does `[\w.]+` hold, and why does the allocator need it\?)_ <!-- annotate:stub -->"
)


def is_prompt_stub(line: str) -> bool:
    """Whether a stripped line is one of the tool's method or class prompts (see PROMPT_TEXTS)."""
    return _PROMPT_LINE.fullmatch(line) is not None


TRIVIAL_LINES = 5  # a def spanning at most this many lines (signature included) is trivial


@dataclass(frozen=True, slots=True)
class Weights:
    full: bool = False  # --full: every section, every prompt
    classes: frozenset[str] = frozenset()  # "path::Class" with a class section
    path_methods: frozenset[str] = frozenset()  # "path::Qualname" on the lifecycle's default path
    cited: tuple[tuple[str, int, int], ...] = ()  # (path, first, last) lines the questions' leads cite
    keep: frozenset[str] = frozenset()  # slot keys holding a student's words (see markers.written_sections)
    compact: frozenset[str] = frozenset()  # files of the other engine: class sections without methods
    prompted: frozenset[str] = (
        frozenset()
    )  # "path::Class" on the lifecycle path: its public methods get "does"

    def has_class(self, path: str, cls: ClassInfo) -> bool:
        if self.full:
            return True
        key = node_id(path, cls.qualname)
        return key in self.classes or any(
            k == f"class:{key}" or k.startswith((f"class:{key}/", f"method:{key}.")) for k in self.keep
        )

    def method(self, path: str, cls: ClassInfo | None, fn: Function, outside: frozenset[str]) -> Weight:
        if self.full and (fn.public or node_id(path, fn.qualname) in outside):
            return "full"
        node = node_id(path, fn.key)
        kept = self._kept(f"method:{node}")
        on_path = path not in self.compact and (node in self.path_methods or self._cited(path, fn))
        if kept == "full" or (on_path and not (fn.abstract or _trivial(fn))):
            return "full"
        if on_path and not fn.abstract:  # a trivial method on the path: a section, one prompt
            return "does"
        in_class = cls is not None and node_id(path, cls.qualname) in self.classes
        if path in self.compact:  # the other engine: API tables only
            return _at_least("api" if in_class else "index", kept)
        if not in_class or not (fn.public or node_id(path, fn.qualname) in outside):
            return _at_least("index", kept)
        prompted = cls is not None and node_id(path, cls.qualname) in self.prompted
        weight: Weight = "does" if prompted and not (_trivial(fn) or fn.abstract) else "api"
        return _at_least(weight, kept)

    def _kept(self, section: str) -> Weight | None:
        """The least weight that keeps every slot of `section` holding the student's words."""
        slots = {k.removeprefix(section) for k in self.keep if k == section or k.startswith(section + "/")}
        if slots & {"/invariants", "/failures"}:
            return "full"
        return "does" if slots else None

    def _cited(self, path: str, fn: Function) -> bool:
        """A lead cites lines inside this method (not a whole class around it)."""
        inside = [(first, last) for p, first, last in self.cited if p == path]
        return any(fn.lineno <= first and last <= fn.end_lineno for first, last in inside)


def _at_least(weight: Weight, kept: Weight | None) -> Weight:
    order: tuple[Weight, ...] = ("index", "api", "does", "full")
    return weight if kept is None or order.index(weight) >= order.index(kept) else kept


def _trivial(fn: Function) -> bool:
    dunder = fn.name.startswith("__") and fn.name.endswith("__") and fn.name != "__init__"
    return dunder or fn.kind == "property" or fn.end_lineno - fn.lineno + 1 <= TRIVIAL_LINES


def section_keys(model: CommitModel) -> frozenset[str]:
    """Every class and method key of the model (for callers that want all sections kept)."""
    out = set()
    for f in model.files:
        for cls in f.classes:
            out.add(f"class:{node_id(f.path, cls.qualname)}")
            out |= {f"method:{node_id(f.path, fn.key)}" for fn in cls.methods}
    return frozenset(out)

"""Names across a commit's files, resolved by module path and imports (never by bare name alone)."""

from __future__ import annotations

import builtins
from dataclasses import dataclass, field
from functools import cached_property

from annotator.links import module_name, node_id
from annotator.model import ClassInfo, FileModel, Function

# What a name can stand for: ("class", class key), ("func", function key), ("module", module name),
# ("alias", "path::Name") or ("ext", name) for anything outside the model (builtins, other packages).
Symbol = tuple[str, str]
_NO_METHODS = {"object", "ABC", "abc.ABC", "Protocol", "typing.Protocol", "Generic", "typing.Generic"}
BUILTINS = frozenset(dir(builtins))


def class_of(key: str) -> str:
    """The class key of a method key ("p::A.m" -> "p::A"); "" for a module-level function."""
    path, _, qual = key.partition("::")
    owner = qual.split("@")[0].rpartition(".")[0]
    return node_id(path, owner) if owner else ""


@dataclass
class Index:
    """Every class and function of the model, and how names in each file resolve to them."""

    files: tuple[FileModel, ...]
    classes: dict[str, ClassInfo] = field(default_factory=dict)  # "path::Qualname" -> class
    functions: dict[str, Function] = field(default_factory=dict)  # "path::key" -> function
    owner: dict[str, FileModel] = field(default_factory=dict)  # class or function key -> file
    modules: dict[str, FileModel] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for f in self.files:
            self.modules[module_name(f.path)] = f
            for cls in f.classes:
                self.classes[node_id(f.path, cls.qualname)] = cls
                self.owner[node_id(f.path, cls.qualname)] = f
                for fn in cls.methods:
                    self._add_function(f, fn)
            for fn in f.functions:
                self._add_function(f, fn)

    def _add_function(self, f: FileModel, fn: Function) -> None:
        self.functions[node_id(f.path, fn.key)] = fn
        self.owner[node_id(f.path, fn.key)] = f

    # -- names ---------------------------------------------------------------------------------
    def lookup(self, f: FileModel, dotted: str, depth: int = 0) -> list[Symbol]:
        """What `dotted` (e.g. "BlockSpaceManager", "bm.BlockAllocator") names in file `f`."""
        head, _, rest = dotted.partition(".")
        found = self._top(f, head, depth)
        for part in rest.split(".") if rest else ():
            found = [s for sym in found for s in self.member(sym, part, depth)]
        return found

    def _top(self, f: FileModel, name: str, depth: int) -> list[Symbol]:
        if any(c.qualname == name for c in f.classes):
            return [("class", node_id(f.path, name))]
        if any(fn.name == name and not fn.redefined for fn in f.functions):
            return [("func", node_id(f.path, name))]
        if any(a.name == name for a in f.aliases):
            return [("alias", node_id(f.path, name))]
        targets = [full for local, full in f.imports if local == name]
        if targets:
            return [s for full in targets for s in self.resolve_full(full, depth + 1)]
        return [("ext", name)] if name in BUILTINS else []

    def resolve_full(self, full: str, depth: int = 0) -> list[Symbol]:
        """A fully qualified name ("vllm.core.block.interfaces.Block") -> symbols."""
        if full in self.modules:
            return [("module", full)]
        module, _, member = full.rpartition(".")
        if module in self.modules and depth < 8:
            found = self._top(self.modules[module], member, depth)
            return found or [("ext", full)]
        return [("ext", full)]

    def member(self, sym: Symbol, name: str, depth: int = 0) -> list[Symbol]:
        kind, key = sym
        if kind == "module":
            return self._top(self.modules[key], name, depth + 1) or [("ext", f"{key}.{name}")]
        if kind == "class":
            if f"{key}.{name}" in self.classes:
                return [("class", f"{key}.{name}")]
            method = self.find_method(key, name)
            return [("func", method)] if method else []
        if kind == "ext":
            return [("ext", f"{key}.{name}")]
        return []

    # -- classes -------------------------------------------------------------------------------
    def bases(self, key: str) -> list[Symbol]:
        return self._bases[key]

    @cached_property
    def _bases(self) -> dict[str, list[Symbol]]:
        out: dict[str, list[Symbol]] = {}
        for key, cls in self.classes.items():
            f = self.owner[key]
            out[key] = [s for b in cls.bases if b not in _NO_METHODS for s in self._base(f, b)]
        return out

    def _base(self, f: FileModel, text: str) -> list[Symbol]:
        found = self.lookup(f, text.split("[")[0].strip())
        return [s for s in found if s[0] in ("class", "ext")] or [("ext", text)]

    def mro(self, key: str) -> list[str]:
        out: list[str] = []
        todo = [key]
        while todo:
            k = todo.pop(0)
            if k not in out:
                out.append(k)
                todo.extend(s[1] for s in self._bases.get(k, []) if s[0] == "class")
        return out

    def has_external_base(self, key: str) -> bool:
        return any(s[0] == "ext" for k in self.mro(key) for s in self._bases.get(k, []))

    @cached_property
    def subclasses(self) -> dict[str, set[str]]:
        """Class key -> every class that derives from it (transitively)."""
        out: dict[str, set[str]] = {k: set() for k in self.classes}
        for key in self.classes:
            for ancestor in self.mro(key)[1:]:
                out[ancestor].add(key)
        return out

    def find_method(self, cls_key: str, name: str) -> str | None:
        """The key of the method `name` as seen from class `cls_key` (its own or inherited)."""
        for k in self.mro(cls_key):
            found = self._methods[k].get(name)
            if found is not None:
                return found
        return None

    @cached_property
    def _methods(self) -> dict[str, dict[str, str]]:
        """Class key -> {method name: method key} of the defs that count (no setters, overload stubs)."""
        table: dict[str, dict[str, str]] = {}
        for key, cls in self.classes.items():
            path = key.partition("::")[0]
            table[key] = {
                fn.name: node_id(path, fn.key)
                for fn in cls.methods
                if fn.kind not in ("setter", "overload") and not fn.redefined
            }
        return table

    @cached_property
    def _ext_subclasses(self) -> dict[str, list[str]]:
        """Full name of a base class from outside the model -> the model classes deriving from it."""
        out: dict[str, set[str]] = {}
        for key, bases in self._bases.items():
            for kind, name in bases:
                if kind == "ext":
                    out.setdefault(name, set()).update([key, *self.subclasses[key]])
        return {name: sorted(keys) for name, keys in out.items()}

    def implementations(self, ext_name: str, method: str) -> list[str]:
        """The methods `method` of the model classes that implement an outside interface."""
        found = (self.find_method(k, method) for k in self._ext_subclasses.get(ext_name, ()))
        return sorted({k for k in found if k is not None})

    def overrides(self, method_key: str) -> list[str]:
        """Overrides of a method in the subclasses of its class."""
        name = self.functions[method_key].name
        found = []
        for sub in sorted(self.subclasses.get(class_of(method_key), ())):
            own = next(
                (fn for fn in self.classes[sub].methods if fn.name == name and fn.kind != "overload"), None
            )
            if own is not None and not own.redefined and own.kind != "setter":
                found.append(node_id(sub.partition('::')[0], own.key))
        return found

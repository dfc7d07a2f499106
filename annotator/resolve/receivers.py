"""The types of receivers: what `self.block_manager`, a parameter or a call result can be at run time.

A receiver's type comes from annotations (of attributes, parameters, locals), constructor calls, and the
return annotation or `return` values of factories; an attribute assigned different classes in different
branches gets every one. Names resolve by module path and imports only (resolve/symbols.py). The edges
themselves are made in resolve/calls.py and gathered in resolve/graph.py."""

from __future__ import annotations

import re
from dataclasses import dataclass

from annotator.links import node_id
from annotator.model import FileModel, Function, StateVar
from annotator.resolve.symbols import Index, class_of
from annotator.resolve.typeexpr import type_names

# A value's type: (kind, key, depth). kind: "inst" (an instance of class key), "cls" (the class
# itself), "func" (a function key), "module", "ext" (outside the model); depth = container levels.
Ref = tuple[str, str, int]
_STEP = re.compile(r"\.(\w+)|(\[\])|(\(\))")
_LIMIT = 12
_BUILTIN_CONTAINERS = {"list", "dict", "tuple", "set", "frozenset", "deque", "collections.deque"}


@dataclass(frozen=True)
class Ctx:
    file: FileModel
    cls: str | None  # class key of the method, None for a module-level function
    fn: Function | None


class Resolver:
    """Types of paths, attributes and call results over one commit's Index (memoized)."""

    def __init__(self, index: Index) -> None:
        self.ix = index
        self._memo: dict[str, set[Ref]] = {}
        self._by_path = {f.path: f for f in index.files}

    # -- annotations ---------------------------------------------------------------------------
    def ann_refs(self, f: FileModel, text: str, depth: int = 0) -> set[Ref]:
        out: set[Ref] = set()
        for t in type_names(text):
            found = self.ix.lookup(f, t.name)
            for kind, key in found:
                if kind == "class":
                    out.add(("cls" if t.is_class else "inst", key, t.depth))
                elif kind == "alias" and depth < _LIMIT:
                    out |= {(k, q, d + t.depth) for k, q, d in self._alias_refs(key, depth + 1)}
                elif kind == "ext":
                    out.add(("ext", key, t.depth))
            if not found:
                out.add(("ext", t.name, t.depth))
        return out

    def _alias_refs(self, key: str, depth: int) -> set[Ref]:
        path, _, name = key.partition("::")
        f = self._by_path[path]
        alias = next(a for a in f.aliases if a.name == name)
        return self.ann_refs(f, alias.text, depth)

    # -- paths ---------------------------------------------------------------------------------
    def path_refs(self, ctx: Ctx, path: str, depth: int = 0) -> set[Ref] | None:
        """The types `path` ("self.scheduler[]", "block", "Foo.create") can have; None: unknown root."""
        root = re.match(r"super\(\)|\w+", path)
        if root is None or depth > _LIMIT:
            return set()
        refs = self._root_refs(ctx, root.group(0), depth)
        if refs is None:
            return None
        for attr, sub, call in _STEP.findall(path[root.end() :]):
            if call:
                refs = self._call(refs, depth)
            else:
                refs = self._index(refs) if sub else self._attr(refs, attr, depth)
        return refs

    def _root_refs(self, ctx: Ctx, name: str, depth: int) -> set[Ref] | None:
        if name in ("self", "cls") and ctx.cls:
            return {("inst" if name == "self" else "cls", ctx.cls, 0)}
        if name == "super()" and ctx.cls:
            parents = self.ix.mro(ctx.cls)[1:]
            ext = {("ext", "super", 0)} if self.ix.has_external_base(ctx.cls) else set()
            return {("inst", p, 0) for p in parents} | ext
        bound = [b for n, b in ctx.fn.locals if n == name] if ctx.fn else []
        if bound and ctx.fn is not None:
            memo = f"local {ctx.file.path}::{ctx.fn.key}:{name}"
            if memo not in self._memo:
                self._memo[memo] = set()  # `x = f(x)` rebinds x: a cycle gives nothing more
                self._memo[memo] = {r for b in bound for r in self.binding_refs(ctx, b, depth + 1)}
            return self._memo[memo]
        refs: set[Ref] = set()
        for kind, key in self.ix.lookup(ctx.file, name):
            if kind == "alias":
                refs |= self._alias_refs(key, depth + 1)
            else:
                refs.add(({"class": "cls", "func": "func", "module": "module"}.get(kind, "ext"), key, 0))
        return refs or None

    def binding_refs(self, ctx: Ctx, binding: str, depth: int) -> set[Ref]:
        kind, _, body = binding.partition(":")
        if kind == "type":
            return self.ann_refs(ctx.file, body)
        if kind == "path":
            return self.path_refs(ctx, body, depth) or set()
        if kind == "call":
            items = 0
            while body.endswith("[]"):
                body, items = body[:-2], items + 1
            refs = self.call_refs(ctx, body, depth)
            for _ in range(items):
                refs = self._index(refs)
            return refs
        return set()

    def _index(self, refs: set[Ref]) -> set[Ref]:
        """An item of a container; a class subscripted (`Queue[int]`) stays the class; an item of a
        bare `list`/`dict` (a display, no annotation) is unknown."""
        keep = {r for r in refs if (r[0] == "ext" and r[1] not in _BUILTIN_CONTAINERS) or r[0] == "cls"}
        return {(k, key, d - 1) for k, key, d in refs if d > 0} | {r for r in keep if r[2] == 0}

    def _attr(self, refs: set[Ref], name: str, depth: int) -> set[Ref]:
        out: set[Ref] = set()
        for kind, key, d in sorted(refs):  # sorted: memoized cycles stay deterministic
            if d > 0 or kind == "ext":
                out.add(("ext", f"{key}.{name}", 0))
            elif kind in ("inst", "cls"):
                out |= self.attr_refs(key, name, kind == "cls", depth)
            elif kind == "module":
                out |= {
                    (k if k != "class" else "cls", q, 0) for k, q in self.ix.member(("module", key), name)
                }
        return out

    def attr_refs(self, cls_key: str, name: str, on_class: bool, depth: int) -> set[Ref]:
        """Types of `obj.name` for an instance (or the class itself) of `cls_key`."""
        if on_class and f"{cls_key}.{name}" in self.ix.classes:
            return {("cls", f"{cls_key}.{name}", 0)}
        for k in self.ix.mro(cls_key):
            cls = self.ix.classes[k]
            var = next((v for v in cls.state if v.name == name), None)
            if var is not None:
                return self.var_refs(k, var, depth)
            fn = next((m for m in cls.methods if m.name == name and m.kind != "setter"), None)
            if fn is not None:
                key = node_id(k.partition('::')[0], fn.key)
                return self.return_refs(key, depth) if fn.kind == "property" else {("func", key, 0)}
        return {("ext", name, 0)} if self.ix.has_external_base(cls_key) else set()

    def var_refs(self, cls_key: str, var: StateVar, depth: int) -> set[Ref]:
        memo = f"var {cls_key}.{var.name}"
        if memo in self._memo:
            return self._memo[memo]
        self._memo[memo] = set()  # a cycle gives nothing rather than recursing
        f = self.ix.owner[cls_key]
        refs: set[Ref] = set()
        for text in (var.annotation or "", *var.value_types):
            refs |= self.ann_refs(f, text) if text else set()
        cls = self.ix.classes[cls_key]
        methods: list[Function | None] = [m for m in cls.methods if m.name in var.assigned_in] or [None]
        for fn in methods:
            ctx = Ctx(f, cls_key, fn)
            for target in var.value_calls:
                refs |= self.call_refs(ctx, target, depth + 1)
            for target in var.item_calls:
                refs |= {(k, q, d + 1) for k, q, d in self.call_refs(ctx, target, depth + 1)}
            for path in var.value_paths:
                refs |= self.path_refs(ctx, path, depth + 1) or set()
        self._memo[memo] = refs
        return refs

    def call_refs(self, ctx: Ctx, target: str, depth: int) -> set[Ref]:
        """What calling `target` gives: an instance for a class, the return types for a function.

        Calling a local variable that holds something from outside (`Scheduler = config.cls;
        Scheduler()`) gives an opaque result, marked "?": a class chosen at run time.
        """
        out = self._call(self.path_refs(ctx, target, depth + 1) or set(), depth)
        local = ctx.fn is not None and any(n == target.partition(".")[0] for n, _ in ctx.fn.locals)
        if local and out and all(k == "ext" for k, _, _ in out):
            return {(k, q if q.startswith("?") else f"?{q}", d) for k, q, d in out}
        return out

    def _call(self, refs: set[Ref], depth: int) -> set[Ref]:
        out: set[Ref] = set()
        for kind, key, d in sorted(refs):
            if kind == "cls" and d == 0:
                out.add(("inst", key, 0))
            elif kind == "func":
                out |= self.return_refs(key, depth + 1)
            elif kind == "ext":
                out.add(("ext", f"{key}()", 0))
        return out

    def return_refs(self, fn_key: str, depth: int) -> set[Ref]:
        memo = f"ret {fn_key}"
        if memo in self._memo:
            return self._memo[memo]
        self._memo[memo] = set()
        fn = self.ix.functions[fn_key]
        f = self.ix.owner[fn_key]
        refs = self.ann_refs(f, fn.returns) if fn.returns else set()
        ctx = Ctx(f, class_of(fn_key) or None, fn)
        for b in fn.returned:
            refs |= self.binding_refs(ctx, b, depth + 1)
        self._memo[memo] = refs
        return refs

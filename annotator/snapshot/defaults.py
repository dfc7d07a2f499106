"""Which implementation runs by default at a commit, read from the commit's own code.

queries/defaults.toml declares the switches (engine, prefix caching, block manager, async scheduling,
scheduler class, engine loop) and where each default lives; this module reads those literals with the
stdlib `ast` (vLLM is never imported) and gives a `Defaults` value that the snapshot carries. A rule that
cannot read its literal falls through; when no rule applies, the dated history in the query file decides
and the setting says so. The notes print which defaults their diagrams assume.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from annotator.pyparse import parse
from annotator.snapshot.defaultsquery import Read, Rule, Switch, load_switches


@dataclass(frozen=True, slots=True)
class Setting:
    """One switch's value at a commit, and why."""

    name: str
    question: str
    value: str
    because: str
    evidence: str  # "vllm/envs.py:476", "tree" (decided by which paths exist) or "history"
    auto: bool = False  # the code's default is None, resolved as the query's [switch.auto] says
    warning: str = ""  # a second read of the code (`check`) disagrees with the first (the first wins)
    history: str = ""  # the value the dated history gives at the commit's date ("" = no entry)


@dataclass(frozen=True, slots=True)
class Defaults:
    settings: tuple[Setting, ...] = ()

    def get(self, name: str, default: str = "") -> str:
        return next((s.value for s in self.settings if s.name == name), default)

    def matches(self, wanted: tuple[tuple[str, str], ...]) -> bool:
        return all(self.get(name) == value for name, value in wanted)

    def disagreements(self) -> tuple[str, ...]:
        """Where the code and the dated history (or two reads of the code) disagree: for reviewers."""
        out = [f"{s.name}: {s.warning}" for s in self.settings if s.warning]
        out += [
            f"{s.name}: the code says {s.value!r} ({s.evidence}), the dated history {s.history!r}"
            for s in self.settings
            if s.history and s.evidence != "history" and s.history != s.value
        ]
        return tuple(out)


NONE = Defaults()
Reader = Callable[[str], str | None]  # path -> source text, None when the commit has no such file


def evaluate(
    paths: frozenset[str], date: str, read: Reader, switches: tuple[Switch, ...] | None = None
) -> Defaults:
    """The value of every switch at a commit whose tree holds `paths`, committed at ISO `date`."""
    modules = _Modules(read)
    done: dict[str, Setting] = {}
    for switch in switches if switches is not None else load_switches():
        found = None
        for rule in switch.rules:
            found = _apply(switch, rule, paths, done, modules)
            if found is not None:
                break
        history = _history(switch, date)
        if found is None:
            why = "no rule of queries/defaults.toml found its literal in the code: from the dated history"
            found = Setting(switch.name, switch.question, history or "unknown", why, "history")
        done[switch.name] = replace(found, history=history)
    return Defaults(tuple(done.values()))


def files_to_read(switches: tuple[Switch, ...] | None = None) -> tuple[str, ...]:
    return tuple(dict.fromkeys(p for s in switches or load_switches() for p in s.read_files()))


def _exists(path: str, paths: frozenset[str]) -> bool:
    return path in paths or any(p.startswith(path.rstrip("/") + "/") for p in paths)


def _apply(
    switch: Switch, rule: Rule, paths: frozenset[str], done: dict[str, Setting], modules: _Modules
) -> Setting | None:
    if not all(_exists(p, paths) for p in rule.present) or any(_exists(p, paths) for p in rule.absent):
        return None
    if any(name not in done or done[name].value != value for name, value in rule.switches):
        return None
    if rule.read is None:
        return Setting(switch.name, switch.question, rule.value, rule.because, "tree")
    got = modules.read(rule.read)
    mapping = dict(rule.mapping)
    if got is None or got[0] not in mapping:
        return None
    literal, where = got
    setting = Setting(switch.name, switch.question, mapping[literal], rule.because, where)
    if setting.value == "auto" and switch.auto is not None:
        auto = switch.auto
        value = dict(auto.values).get(done[auto.by].value, "") if auto.by in done else auto.value
        setting = Setting(
            switch.name,
            switch.question,
            value or auto.value or "auto",
            f"{rule.because} is None: {auto.because}",
            where,
            auto=True,
        )
    if rule.check is not None:
        other = modules.read(rule.check)
        if other is not None and other[0] != literal:
            setting = _warn(setting, f"{other[1]} says {other[0]!r}, {where} says {literal!r}")
    return setting


def _warn(s: Setting, text: str) -> Setting:
    return replace(s, warning=text)


def _history(switch: Switch, date: str) -> str:
    when = _date(date)
    value = ""
    for since, v in switch.history:
        if _date(since) <= when:
            value = v
    return value


def _date(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


class _Modules:
    """Each file parsed once per commit; a file that does not parse is treated as absent."""

    def __init__(self, read: Reader) -> None:
        self._read = read
        self._trees: dict[str, ast.Module | None] = {}

    def tree(self, path: str) -> ast.Module | None:
        if path not in self._trees:
            text = self._read(path)
            try:
                self._trees[path] = parse(text) if text is not None else None
            except (SyntaxError, ValueError):
                self._trees[path] = None
        return self._trees[path]

    def read(self, r: Read) -> tuple[str, str] | None:
        """(the literal, "path:line") of the default `r` names, in the first of its files that has it."""
        for path in r.files:
            mod = self.tree(path)
            if mod is None:
                continue
            if r.kind == "class_field":
                found = self._class_field(path, mod, r.cls, r.field, r.follow, 0)
            elif r.kind == "init_param":
                found = _init_param(path, mod, r.cls, r.function, r.param)
            else:
                found = _getenv(path, mod, r.dict, r.key)
            if found is not None:
                return found
        return None

    def _class_field(
        self, path: str, mod: ast.Module, cls: str, name: str, follow: tuple[str, ...], depth: int
    ) -> tuple[str, str] | None:
        node = _class(mod, cls)
        for st in node.body if node is not None else []:
            target, value = _assigned(st)
            if target != name or value is None:
                continue
            value = _unwrap_field(value)
            if (
                isinstance(value, ast.Attribute)
                and isinstance(value.value, ast.Name)
                and follow
                and depth < 3
            ):
                for other in follow:
                    om = self.tree(other)
                    got = (
                        self._class_field(other, om, value.value.id, value.attr, follow, depth + 1)
                        if om
                        else None
                    )
                    if got is not None:
                        return got[0], f"{path}:{st.lineno} -> {got[1]}"
                return None
            return _literal(value), f"{path}:{st.lineno}"
        return None


def _class(mod: ast.Module, name: str) -> ast.ClassDef | None:
    return next((n for n in mod.body if isinstance(n, ast.ClassDef) and n.name == name), None)


def _assigned(st: ast.stmt) -> tuple[str, ast.expr | None]:
    if isinstance(st, ast.AnnAssign) and isinstance(st.target, ast.Name):
        return st.target.id, st.value
    if isinstance(st, ast.Assign) and len(st.targets) == 1 and isinstance(st.targets[0], ast.Name):
        return st.targets[0].id, st.value
    return "", None


def _unwrap_field(value: ast.expr) -> ast.expr:
    """`Field(default=X)`, `field(default=X)`, `Field(X)` -> X."""
    if isinstance(value, ast.Call):
        func = value.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if name in ("Field", "field"):
            for kw in value.keywords:
                if kw.arg == "default":
                    return kw.value
            if name == "Field" and value.args:
                return value.args[0]
    return value


def _literal(node: ast.expr | None) -> str:
    """A constant as the query's `map` keys spell it ("True", "None", "0"); anything else is "<expr>"."""
    if isinstance(node, ast.Constant):
        if node.value is None or isinstance(node.value, bool):
            return repr(node.value)
        return str(node.value)
    return "<expr>"


def _init_param(path: str, mod: ast.Module, cls: str, function: str, param: str) -> tuple[str, str] | None:
    node = _class(mod, cls)
    for fn in node.body if node is not None else []:
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)) or fn.name != function:
            continue
        a = fn.args
        positional = [*a.posonlyargs, *a.args]
        defaults: list[ast.expr | None] = [None] * (len(positional) - len(a.defaults)) + list(a.defaults)
        pairs = [*zip(positional, defaults, strict=True), *zip(a.kwonlyargs, a.kw_defaults, strict=True)]
        for arg, default in pairs:
            if arg.arg == param and default is not None:
                return _literal(default), f"{path}:{default.lineno}"
    return None


_GETENV = ("os.getenv", "os.environ.get", "getenv", "environ.get")


def _getenv(path: str, mod: ast.Module, name: str, key: str) -> tuple[str, str] | None:
    for st in mod.body:
        target, value = _assigned(st)
        if isinstance(st, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in st.targets):
            target = name
        if target != name or not isinstance(value, ast.Dict):
            continue
        for k, v in zip(value.keys, value.values, strict=True):
            if not (isinstance(k, ast.Constant) and k.value == key):
                continue
            for call in ast.walk(v):
                if (
                    isinstance(call, ast.Call)
                    and len(call.args) >= 2
                    and ast.unparse(call.func) in _GETENV
                    and isinstance(call.args[0], ast.Constant)
                    and call.args[0].value == key
                ):
                    return _literal(call.args[1]), f"{path}:{call.args[1].lineno}"
    return None

"""The libcst reader: one source file -> FileModel (vLLM is never imported or run). Allocator files are
read with it; caller and hand-off files with the `ast` reader (extract/astvisitor.py), same model.

The visitor only gathers; per-node decisions live in annotator/extract/nodes.py and the assembly of
frozen model objects in annotator/extract/build.py. Choices a reader should know:
- Line numbers equal what stdlib `ast` reports: for a `def`/`class`, the `def` line (decorators
excluded) to the end of its last statement. They are counted during the visit (CountedLines),
which costs half as much as libcst's PositionProvider (MetadataWrapper) and gives the same numbers;
`positions=True` uses PositionProvider, the reference the tests compare with (extract/lines.py).
- A function nested in a method is part of that method: its calls, asserts, raises, comments and
`self.x = ...` assignments count as the method's, and it gets no entry of its own. A class
defined inside a function is likewise part of the function.
- Imports anywhere in the file (also inside functions and `if TYPE_CHECKING:`) are recorded, so
that names imported locally by a factory resolve.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from annotator.errors import ExtractError
from annotator.extract import nodes as n
from annotator.extract.build import ClassBuilder, FuncBuilder, Gathering, build_file
from annotator.extract.common import comment_text, from_module, is_pragma, one_line, package_name
from annotator.extract.lines import CountedLines, Lines, PositionLines, counting_misses
from annotator.extract.values import Target
from annotator.model import Alias, Evidence, FileModel, FileRole


def extract_file(path: str, role: FileRole, blob: str, text: str, positions: bool | None = None) -> FileModel:
    """Parse `text` (the file at `path`) and return its model; ExtractError if it does not parse.

    Lines are counted during the visit (`positions=False`) or taken from PositionProvider (`True`):
    the same model, but for layouts counting gets wrong, which the default (None) reads with
    PositionProvider.
    """
    if positions is None:
        positions = counting_misses(text)
    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        detail = re.sub(r"^parser error: error at \d+:\d+: ", "", exc.message)
        raise ExtractError(f"not valid Python, cannot extract it ({detail})", path, exc.raw_line) from None
    except (RecursionError, MemoryError) as exc:  # pragma: no cover - pathological input
        raise ExtractError(f"cannot parse: {type(exc).__name__}", path) from None
    if positions:
        lines: Lines = PositionLines(MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider))
    else:
        lines = CountedLines()
    collector = Collector(module, package_name(path), lines)
    with warnings.catch_warnings():  # docstrings are evaluated: "\d" in one warns about vLLM's code
        warnings.simplefilter("ignore")
        try:
            module.visit(collector)
        except RecursionError:
            detail = "nested too deeply to read (an expression of hundreds of terms)"
            raise ExtractError(detail, path) from None
    return build_file(path, role, blob, len(text.splitlines()), collector)


class _Dispatch(dict[type, Callable[..., object] | None]):
    """Node type -> the visitor's visit_X (or leave_X), looked up once per type, not per node."""

    def __init__(self, visitor: type, prefix: str) -> None:
        super().__init__()
        self.visitor = visitor
        self.prefix = prefix

    def __missing__(self, kind: type) -> Callable[..., object] | None:
        self[kind] = found = getattr(self.visitor, self.prefix + kind.__name__, None)
        return found


class Collector(cst.CSTVisitor, Gathering):
    """Gathers a module's classes, functions, aliases and imports.

    After visiting, `classes` (every class, nested ones included, in source order), `functions`
    (module-level functions), `aliases` and `imports` are populated.
    """

    def __init__(self, module: cst.Module, package: str, lines: Lines) -> None:
        cst.CSTVisitor.__init__(self)
        Gathering.__init__(self, package)
        self.module = module
        self.lines = lines

    # -- dispatch, positions and text ----------------------------------------------------------
    # Subtrees that hold nothing the model needs (parameter lists, decorators, import statements)
    # are not visited: their text is read whole, and only their newlines are counted.
    _SKIP = frozenset((cst.Parameters, cst.Decorator, cst.Import, cst.ImportFrom))

    def on_visit(self, node: cst.CSTNode) -> bool:
        self.lines.entered(node)
        handler = _VISIT[type(node)]
        if handler is not None:
            handler(self, node)
        if type(node) in self._SKIP:
            self.lines.skipped(node, self.code)
            return False
        return True

    def on_leave(self, original_node: cst.CSTNode) -> None:
        self.lines.left(original_node)
        handler = _LEAVE[type(original_node)]
        if handler is not None:
            handler(self, original_node)

    # libcst asks a visitor about every attribute of every node (looking up `visit_Node_attr` by a
    # formatted name each time); this one has no such handlers, so it answers without looking.
    def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        pass

    def on_leave_attribute(self, original_node: cst.CSTNode, attribute: str) -> None:
        pass

    def line(self, node: cst.CSTNode) -> int:
        """The first line of a node already entered."""
        return self.lines.start(node)

    def code(self, node: cst.CSTNode) -> str:
        return self.module.code_for_node(node)

    # -- scopes --------------------------------------------------------------------------------
    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        if self._func is not None:
            self._nested += 1
            return True
        outer = self._class_stack[-1].qualname + "." if self._class_stack else ""
        cls = ClassBuilder(
            name=node.name.value,
            qualname=outer + node.name.value,
            lineno=0,  # set when left
            end_lineno=0,
            bases=tuple(one_line(self.code(a.value)) for a in node.bases if a.keyword is None),
            decorators=tuple(one_line(self.code(d.decorator)) for d in node.decorators),
            doc=n.docstring(node),
        )
        self.classes.append(cls)
        self._class_stack.append(cls)
        return True

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        if self._func is not None:
            self._nested -= 1
        else:
            cls = self._class_stack.pop()
            cls.lineno, cls.end_lineno = self.lines.def_span(original_node)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        if self._func is not None:
            self._nested += 1
            self._func.add_params(n.params(node, self.code))
            return True
        self._func = FuncBuilder.start(
            node.name.value,
            self._class_stack[-1] if self._class_stack else None,
            decorators=tuple(self.code(d.decorator) for d in node.decorators),
            params_text=self.code(node.params),
            params=n.params(node, self.code),
            first_param=n.first_param(node),
            returns=self.code(node.returns.annotation) if node.returns else "",
            doc=n.docstring(node),
        )
        return True

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        if self._nested:
            self._nested -= 1
            return
        func, self._func = self._func, None
        assert func is not None
        func.lineno, func.end_lineno = self.lines.def_span(original_node)
        self.finish_def(func)

    # -- statements ----------------------------------------------------------------------------
    # Assignments are taken when left, once the lines of their targets are known.
    def leave_Assign(self, original_node: cst.Assign) -> None:
        for target in original_node.targets:
            self._assigned(target.target, original_node.value, None)

    def leave_AnnAssign(self, original_node: cst.AnnAssign) -> None:
        ann = one_line(self.code(original_node.annotation.annotation))
        self._assigned(original_node.target, original_node.value, ann)

    def leave_AugAssign(self, original_node: cst.AugAssign) -> None:
        if self._func is not None:
            self._func.assign(self._targets(original_node.target), None, None)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        if self._func is not None and isinstance(node.target, cst.Name):
            self._func.bind(node.target.value, n.bindings(node.value))

    def visit_For(self, node: cst.For) -> None:
        self._loop(node.target, node.iter)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self._loop(node.target, node.iter)

    def _loop(self, target: cst.BaseExpression, iterable: cst.BaseExpression) -> None:
        """`for x in xs` binds x to an item of xs; `for i, x in enumerate(xs)` too."""
        if self._func is None:
            return
        if isinstance(target, cst.Name):
            self._func.bind(target.value, n.bindings(iterable), item=True)
        elif (
            isinstance(target, cst.Tuple)
            and len(target.elements) == 2
            and isinstance(target.elements[1].value, cst.Name)
            and isinstance(iterable, cst.Call)
            and n.dotted(iterable.func) == "enumerate"
            and iterable.args
        ):
            self._func.bind(target.elements[1].value.value, n.bindings(iterable.args[0].value), item=True)

    def _assigned(
        self, target: cst.BaseExpression, value: cst.BaseExpression | None, ann: str | None
    ) -> None:
        if self._func is not None:
            self._func.assign(self._targets(target), n.value(value) if value is not None else None, ann)
        elif self._class_stack:
            for t in n.targets(target):
                if isinstance(t, cst.Name):
                    field_value = n.value(value) if value is not None else None
                    self._class_stack[-1].class_field(t.value, self.line(t), ann, field_value)
        elif (
            isinstance(target, cst.Name) and value is not None and n.is_alias_value(target.value, value, ann)
        ):
            end = self.lines.end(value)
            self.aliases.append(Alias(target.value, self.line(target), end, one_line(self.code(value))))

    def _targets(self, target: cst.BaseExpression) -> list[Target]:
        out = []
        for t in n.targets(target):
            name = t.value if isinstance(t, cst.Name) else None
            base = t.value.value if isinstance(t, cst.Attribute) and isinstance(t.value, cst.Name) else None
            attr = t.attr.value if base is not None and isinstance(t, cst.Attribute) else None
            out.append(Target(id(t), self.line(t), name, base, attr))
        return out

    # -- evidence ------------------------------------------------------------------------------
    def visit_Assert(self, node: cst.Assert) -> None:
        if self._func is not None:
            self._func.asserts.append(Evidence("assert", self.line(node), one_line(self.code(node))))

    def visit_Raise(self, node: cst.Raise) -> None:
        if self._func is not None:
            self._func.raises.append(Evidence("raise", self.line(node), one_line(self.code(node))))

    def visit_Comment(self, node: cst.Comment) -> None:
        if self._func is not None and not is_pragma(node.value):
            text = comment_text(node.value)
            if text:
                self._func.comments.append(Evidence("comment", self.line(node), text))

    def visit_Return(self, node: cst.Return) -> None:
        if self._func is not None and not self._nested and node.value is not None:
            self._func.returned.extend(n.bindings(node.value))

    def leave_Attribute(self, original_node: cst.Attribute) -> None:
        if self._func is not None:
            path = n.path_of(original_node.value)
            self._func.read(id(original_node), self.line(original_node), path, original_node.attr.value)

    def leave_Call(self, original_node: cst.Call) -> None:  # when left: parentheses are behind us
        if self._func is None:
            return
        func = original_node.func
        line = self.line(original_node)
        if isinstance(func, cst.Attribute):
            path = n.path_of(func.value)
            simple = path and "[" not in path and "(" not in path
            receiver = path if simple else one_line(self.code(func.value))
            self._func.call(id(func), line, receiver, func.attr.value, path)
        else:
            self._func.call(id(func), line, "", func.value if isinstance(func, cst.Name) else "", "")

    # -- imports -------------------------------------------------------------------------------
    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            full = n.dotted(alias.name) or ""
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                self.imports.append((alias.asname.name.value, full))
            else:
                self.imports.append((full.split(".")[0], full.split(".")[0]))

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        base = self._from_module(node)
        if base is None or isinstance(node.names, cst.ImportStar):
            return
        for alias in node.names:
            name = n.dotted(alias.name) or ""
            local = (
                alias.asname.name.value if alias.asname and isinstance(alias.asname.name, cst.Name) else name
            )
            self.imports.append((local, f"{base}.{name}" if base else name))

    def _from_module(self, node: cst.ImportFrom) -> str | None:
        written = n.dotted(node.module) if node.module is not None else ""
        if written is None:
            return None
        return from_module(self.package, written, len(node.relative))


_VISIT = _Dispatch(Collector, "visit_")
_LEAVE = _Dispatch(Collector, "leave_")

"""The fast reader: one source file -> FileModel with the stdlib `ast` (and one regular-expression pass
for comments and string literals), for caller and hand-off files (three quarters of the lines a layout
reads). Allocator files keep libcst (extract/visitor.py).

The model must equal libcst's to the last field, so this reader walks the tree in source order and fires
the same events the libcst collector handles, at the same moments (a `for` binds when entered, an
assignment when left, a call or attribute read when left), skipping what libcst skips (parameter lists,
decorators, imports). Text, parentheses and comments come from extract/astsource.py. Files whose shape
this reader does not vouch for (a byte-order mark, lone carriage returns, source `ast` rejects or nests
too deep) are read with libcst instead, so a damaged file gets libcst's error message either way.
tests/test_reader_equivalence.py compares both readers on every fixture and corpus file, and
tests/test_real_extract.py on real commits.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from annotator.extract import astnodes as a
from annotator.extract.astsource import Comment, Source
from annotator.extract.astwalk import children, unstar
from annotator.extract.build import ClassBuilder, FuncBuilder, Gathering, build_file
from annotator.extract.common import comment_text, doc_line, from_module, is_pragma, one_line, package_name
from annotator.extract.values import Param, Target
from annotator.model import Alias, Evidence, FileModel, FileRole
from annotator.pyparse import parse

_DefNode = ast.FunctionDef | ast.AsyncFunctionDef


def extract_file_ast(path: str, role: FileRole, blob: str, text: str) -> FileModel:
    """The model of `text` (the file at `path`), identical to libcst's; libcst reads what this cannot."""
    collector = _collect(path, text)
    if collector is None:
        from annotator.extract.visitor import extract_file

        return extract_file(path, role, blob, text)
    return build_file(path, role, blob, len(text.splitlines()), collector)


def _collect(path: str, text: str) -> AstCollector | None:
    if text.startswith("\ufeff") or "\r" in text.replace("\r\n", ""):
        return None
    try:
        tree = parse(text)
        source = Source(text)
        if not text.isascii() and not source.identifiers_as_written():
            return None
        collector = AstCollector(source, package_name(path))
        collector.visit(tree)
    except (SyntaxError, ValueError, RecursionError, MemoryError):  # SourceError is a ValueError
        return None
    return collector


class AstCollector(Gathering):
    """Gathers a module's classes, functions, aliases and imports, as extract.visitor.Collector does."""

    def __init__(self, source: Source, package: str) -> None:
        super().__init__(package)
        self.src = source
        # Where libcst does not look for comments inside the current function: parameter lists and
        # import statements (start, end positions) and decorator lines (first, last)
        self._spans: list[tuple[int, int]] = []
        self._decorator_lines: list[tuple[int, int]] = []

    def visit(self, node: ast.AST) -> None:
        kind = type(node)
        pre = _PRE.get(kind)
        if pre is not None and pre(self, node) is False:
            return
        for child in children(node):
            self.visit(child)
        post = _POST.get(kind)
        if post is not None:
            post(self, node)

    # -- scopes --------------------------------------------------------------------------------
    def enter_class(self, node: ast.ClassDef) -> None:
        if self._func is not None:
            self._nested += 1
            self._skip_decorators(node)
            return
        outer = self._class_stack[-1].qualname + "." if self._class_stack else ""
        cls = ClassBuilder(
            name=node.name,
            qualname=outer + node.name,
            lineno=0,  # set when left
            end_lineno=0,
            bases=self._bases(node),
            decorators=tuple(one_line(self.src.code(d)) for d in node.decorator_list),
            doc=doc_line(ast.get_docstring(node, clean=True)),
        )
        self.classes.append(cls)
        self._class_stack.append(cls)

    def _bases(self, node: ast.ClassDef) -> tuple[str, ...]:
        """Base texts with their own parentheses, not the class's (the first "(" after `class`)."""
        if not node.bases:
            return ()
        own = self.src.text.index("(", self.src.offset(node.lineno, node.col_offset))
        return tuple(one_line(self.src.code(unstar(b), stop=own)) for b in node.bases)

    def leave_class(self, node: ast.ClassDef) -> None:
        if self._func is not None:
            self._nested -= 1
        else:
            cls = self._class_stack.pop()
            cls.lineno, cls.end_lineno = node.lineno, node.end_lineno or node.lineno

    def enter_def(self, node: _DefNode) -> None:
        text, first, close = self.src.parameters(node)
        if self._func is not None:
            self._nested += 1
            self._func.add_params(self._params(node.args))
            self._spans.append((first, close))
            self._skip_decorators(node)
            return
        self._spans, self._decorator_lines = [(first, close)], []
        self._func = FuncBuilder.start(
            node.name,
            self._class_stack[-1] if self._class_stack else None,
            decorators=tuple(self.src.code(d) for d in node.decorator_list),
            params_text=text,
            params=self._params(node.args),
            first_param=a.first_param(node.args),
            returns=self.src.code(node.returns) if node.returns else "",
            doc=doc_line(ast.get_docstring(node, clean=True)),
        )

    def leave_def(self, node: _DefNode) -> None:
        if self._nested:
            self._nested -= 1
            return
        func, self._func = self._func, None
        assert func is not None
        func.lineno, func.end_lineno = node.lineno, node.end_lineno or node.lineno
        for c in self.src.comments_in(func.lineno, func.end_lineno):
            if not self._skipped(c) and not is_pragma(c.text):
                text = comment_text(c.text)
                if text:
                    func.comments.append(Evidence("comment", c.line, text))
        self.finish_def(func)

    def _params(self, args: ast.arguments) -> list[Param]:
        return [
            Param(arg.arg, self.src.code(arg.annotation) if arg.annotation else "", star)
            for arg, star in a.params(args)
        ]

    def _skip_decorators(self, node: _DefNode | ast.ClassDef) -> None:
        if node.decorator_list:
            first = self.src.line_of(self.src.extent(node.decorator_list[0])[0])
            last = self.src.line_of(self.src.extent(node.decorator_list[-1])[1] - 1)
            self._decorator_lines.append((first, last))

    def enter_lambda(self, node: ast.Lambda) -> None:
        if self._func is not None and (params := self.src.lambda_parameters(node)) is not None:
            self._spans.append(params)

    def _skipped(self, c: Comment) -> bool:
        return any(lo <= c.line <= hi for lo, hi in self._decorator_lines) or any(
            start <= c.offset < end for start, end in self._spans
        )

    # -- statements ----------------------------------------------------------------------------
    def leave_assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self._assigned(target, node.value, None)

    def leave_ann_assign(self, node: ast.AnnAssign) -> None:
        self._assigned(node.target, node.value, one_line(self.src.code(node.annotation)))

    def leave_aug_assign(self, node: ast.AugAssign) -> None:
        if self._func is not None:
            self._func.assign(self._targets(node.target), None, None)

    def enter_named(self, node: ast.NamedExpr) -> None:
        if self._func is not None and isinstance(node.target, ast.Name):
            self._func.bind(node.target.id, a.bindings(node.value))

    def enter_for(self, node: ast.For | ast.AsyncFor | ast.comprehension) -> None:
        """`for x in xs` binds x to an item of xs; `for i, x in enumerate(xs)` too."""
        if self._func is None:
            return
        target, iterable = node.target, node.iter
        if isinstance(target, ast.Name):
            self._func.bind(target.id, a.bindings(iterable), item=True)
        elif (
            isinstance(target, ast.Tuple)
            and len(target.elts) == 2
            and isinstance(second := unstar(target.elts[1]), ast.Name)
            and isinstance(iterable, ast.Call)
            and a.dotted(iterable.func) == "enumerate"
            and (first := a.first_arg(iterable)) is not None
        ):
            self._func.bind(second.id, a.bindings(first), item=True)

    def _assigned(self, target: ast.expr, value: ast.expr | None, ann: str | None) -> None:
        if self._func is not None:
            self._func.assign(self._targets(target), a.value(value) if value is not None else None, ann)
        elif self._class_stack:
            for t in a.targets(target):
                if isinstance(t, ast.Name):
                    field_value = a.value(value) if value is not None else None
                    self._class_stack[-1].class_field(t.id, t.lineno, ann, field_value)
        elif isinstance(target, ast.Name) and value is not None:
            concatenated = isinstance(value, ast.JoinedStr) and self.src.concatenated(value)
            if a.is_alias_value(target.id, value, ann, concatenated):
                end = value.end_lineno or value.lineno
                self.aliases.append(Alias(target.id, target.lineno, end, one_line(self.src.code(value))))

    def _targets(self, target: ast.expr) -> list[Target]:
        out = []
        for t in a.targets(target):
            base = t.value.id if isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) else None
            attr = t.attr if base is not None and isinstance(t, ast.Attribute) else None
            out.append(Target(id(t), t.lineno, t.id if isinstance(t, ast.Name) else None, base, attr))
        return out

    # -- evidence ------------------------------------------------------------------------------
    def enter_assert(self, node: ast.Assert) -> None:
        if self._func is not None:
            self._func.asserts.append(Evidence("assert", node.lineno, one_line(self.src.statement(node))))

    def enter_raise(self, node: ast.Raise) -> None:
        if self._func is not None:
            self._func.raises.append(Evidence("raise", node.lineno, one_line(self.src.statement(node))))

    def enter_return(self, node: ast.Return) -> None:
        if self._func is not None and not self._nested and node.value is not None:
            self._func.returned.extend(a.bindings(node.value))

    def leave_attribute(self, node: ast.Attribute) -> None:
        if self._func is not None:
            self._func.read(id(node), node.lineno, a.path_of(node.value), node.attr)

    def leave_call(self, node: ast.Call) -> None:
        if self._func is None:
            return
        func = node.func
        if isinstance(func, ast.Attribute):
            path = a.path_of(func.value)
            simple = path and "[" not in path and "(" not in path
            receiver = path if simple else one_line(self.src.code(func.value))
            self._func.call(id(func), node.lineno, receiver, func.attr, path)
        else:
            self._func.call(id(func), node.lineno, "", a.name_of(func) or "", "")

    # -- imports -------------------------------------------------------------------------------
    def enter_import(self, node: ast.Import) -> bool:
        self._skip_statement(node)
        for alias in node.names:
            if alias.asname is not None:
                self.imports.append((alias.asname, alias.name))
            else:
                self.imports.append((alias.name.split(".")[0], alias.name.split(".")[0]))
        return False

    def enter_import_from(self, node: ast.ImportFrom) -> bool:
        self._skip_statement(node)
        if any(alias.name == "*" for alias in node.names):
            return False
        base = from_module(self.package, node.module or "", node.level)
        for alias in node.names:
            local = alias.asname if alias.asname is not None else alias.name
            self.imports.append((local, f"{base}.{alias.name}" if base else alias.name))
        return False

    def _skip_statement(self, node: ast.stmt) -> None:
        if self._func is not None:
            self._spans.append(self.src.span(node))


_Handler = Callable[..., object]  # (collector, node of the key type) -> False to skip its children
_PRE: dict[type, _Handler] = {
    ast.ClassDef: AstCollector.enter_class,
    ast.FunctionDef: AstCollector.enter_def,
    ast.AsyncFunctionDef: AstCollector.enter_def,
    ast.NamedExpr: AstCollector.enter_named,
    ast.For: AstCollector.enter_for,
    ast.AsyncFor: AstCollector.enter_for,
    ast.comprehension: AstCollector.enter_for,
    ast.Assert: AstCollector.enter_assert,
    ast.Raise: AstCollector.enter_raise,
    ast.Return: AstCollector.enter_return,
    ast.Lambda: AstCollector.enter_lambda,
    ast.Import: AstCollector.enter_import,
    ast.ImportFrom: AstCollector.enter_import_from,
}
_POST: dict[type, _Handler] = {
    ast.ClassDef: AstCollector.leave_class,
    ast.FunctionDef: AstCollector.leave_def,
    ast.AsyncFunctionDef: AstCollector.leave_def,
    ast.Assign: AstCollector.leave_assign,
    ast.AnnAssign: AstCollector.leave_ann_assign,
    ast.AugAssign: AstCollector.leave_aug_assign,
    ast.Attribute: AstCollector.leave_attribute,
    ast.Call: AstCollector.leave_call,
}

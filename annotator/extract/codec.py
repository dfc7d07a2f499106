"""FileModel <-> plain JSON data, for the model cache: every field by name, checked on the way back in."""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
from functools import cache
from typing import Any

from annotator import model
from annotator.model import FileModel


def encode_file(fm: FileModel) -> dict[str, Any]:
    out = _encode(fm)
    assert isinstance(out, dict)
    return out


def decode_file(data: Any) -> FileModel:
    """Rebuild a FileModel; raises TypeError/KeyError/ValueError when the data has another shape."""
    fm = _decode(FileModel, data)
    assert isinstance(fm, FileModel)
    return fm


def _encode(value: Any) -> Any:
    kind = type(value)
    names = _FIELDS.get(kind)
    if names is None:
        _FIELDS[kind] = names = (
            tuple(f.name for f in dataclasses.fields(kind)) if dataclasses.is_dataclass(kind) else ()
        )
    if names:
        return {name: _encode(getattr(value, name)) for name in names}
    if isinstance(value, (tuple, list)):
        return [_encode(v) for v in value]
    return value


_FIELDS: dict[type, tuple[str, ...]] = {}  # a dataclass's field names, looked up once per type; () for others


def _decode(hint: Any, data: Any) -> Any:
    return _decoder(hint)(data)


@cache
def _decoder(hint: Any) -> Callable[[Any], Any]:
    """A function that checks and rebuilds data of type `hint`, made once per type."""
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return _dataclass_decoder(hint)
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        item = _decoder(args[0])
        return lambda data: tuple(item(v) for v in _list(data))
    if origin is tuple:
        items = [_decoder(a) for a in args]

        def fixed(data: Any) -> Any:
            values = _list(data)
            if len(values) != len(items):
                raise ValueError("tuple of the wrong length")
            return tuple(f(v) for f, v in zip(items, values, strict=True))

        return fixed
    if origin in (typing.Union, types.UnionType):
        inner = _decoder(next(a for a in args if a is not type(None)))
        return lambda data: None if data is None else inner(data)
    if origin is typing.Literal:  # a kind: one of the allowed strings, nothing else
        allowed = frozenset(args)
        return lambda data: _allowed(allowed, data)
    if hint in (str, int, bool):
        return lambda data: _checked(hint, data)
    raise TypeError(f"cannot decode {hint!r}")


def _dataclass_decoder(cls: type) -> Callable[[Any], Any]:
    hints = typing.get_type_hints(cls, vars(model))
    fields = [(f.name, _decoder(hints[f.name])) for f in dataclasses.fields(cls)]

    def decode(data: Any) -> Any:
        if not isinstance(data, dict):
            raise TypeError(f"{cls.__name__}: expected an object")
        return cls(**{name: f(data[name]) for name, f in fields})

    return decode


def _list(data: Any) -> list[Any]:
    if not isinstance(data, list):
        raise TypeError("expected a list")
    return data


def _checked(kind: type, data: Any) -> Any:
    if type(data) is not kind:
        raise TypeError(f"expected {kind.__name__}")
    return data


def _allowed(allowed: frozenset[Any], data: Any) -> Any:
    if type(data) is not str or data not in allowed:
        raise ValueError(f"{data!r} is not one of {sorted(allowed)}")
    return data

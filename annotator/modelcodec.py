# FileModel <-> plain JSON data, for the cache: every field by name, checked on the way back in.
from __future__ import annotations

import dataclasses
import types
import typing
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
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (tuple, list)):
        return [_encode(v) for v in value]
    return value


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls, vars(model))


def _decode(hint: Any, data: Any) -> Any:
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        if not isinstance(data, dict):
            raise TypeError(f"{hint.__name__}: expected an object")
        hints = _hints(hint)
        return hint(**{f.name: _decode(hints[f.name], data[f.name]) for f in dataclasses.fields(hint)})
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin is tuple:
        if not isinstance(data, list):
            raise TypeError("expected a list")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_decode(args[0], v) for v in data)
        if len(args) != len(data):
            raise ValueError("tuple of the wrong length")
        return tuple(_decode(a, v) for a, v in zip(args, data, strict=True))
    if origin in (typing.Union, types.UnionType):
        if data is None and type(None) in args:
            return None
        return _decode(next(a for a in args if a is not type(None)), data)
    if hint in (str, int, bool):
        if type(data) is not hint:
            raise TypeError(f"expected {hint.__name__}")
        return data
    raise TypeError(f"cannot decode {hint!r}")

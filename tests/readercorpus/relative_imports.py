from __future__ import annotations

from . import sibling
from .mod import a, b as c
from .. import up
from ..pkg import thing
from ... import three
from .... import four
from ..... import five
from ...... import six
from .deep.er.mod import (
    x as y,
    z,
)
import a . b
import os.path, sys as system
from . mod import spaced
from.nospace import tight
import collections.abc


def inner():
    from ...lazy import late as later
    import json as js
    return later, js

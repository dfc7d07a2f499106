"""A package __init__: relative imports start from the package itself."""

from . import sibling
from .sub import thing
from .. import parent
from ..other.mod import Klass as Alias
import os.path as osp
from os import path, sep as separator


def uses():
    from .lazy import late  # inside a function
    return late, sibling, thing, parent, Alias, osp, path, separator

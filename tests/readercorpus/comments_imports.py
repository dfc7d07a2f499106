from .star_module import *  # star import at module level


class Loader:
    def load(self):
        import json  # json import
        from os import (  # after paren
            path,  # path
            # own line
            sep as separator,  # sep
        )
        from . import (
            sibling,  # relative
        )
        from .. import parent
        from ..pkg.mod import (thing as other_thing,
                               # inside
                               )
        import collections.abc as cabc, os.path  # two
        # after imports
        return json, path, separator, sibling, parent, other_thing, cabc

    def lazy(self):
        if self:
            from typing import TYPE_CHECKING
            if TYPE_CHECKING:
                from ...deep.module import Klass  # deep relative
                return Klass
        return None

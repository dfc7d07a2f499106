"""Parsing Python source with the stdlib `ast`, quietly: the one way every stage parses vLLM's files.

Parsing vLLM's sources makes Python warn about their own lint (an invalid escape such as "\\d" is a
DeprecationWarning on 3.11 and a SyntaxWarning printed on the user's terminal from 3.12). Those
warnings are about vLLM's code, not about the user's command, so they are silenced here.
"""

from __future__ import annotations

import ast
import warnings


def parse(text: str) -> ast.Module:
    """`ast.parse(text)` without warnings; SyntaxError and ValueError as ast.parse raises them."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ast.parse(text)

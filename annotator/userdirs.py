"""The per-user cache folder, one for every cache of the tool (extracted models, remote clones).

Where platformdirs puts caches on each OS: `~/.cache/vllm-annotator` on Linux, `~/Library/Caches/
vllm-annotator` on macOS, `%LOCALAPPDATA%\\vllm-annotator\\Cache` on Windows. An absolute
`$XDG_CACHE_HOME` moves it on every OS (`$XDG_CACHE_HOME/vllm-annotator`); a relative one is ignored, as
the XDG specification says, so that both caches never depend on the working folder.
"""

from __future__ import annotations

import os
from pathlib import Path

from annotator.errors import AnnotatorError

APP = "vllm-annotator"


def cache_root() -> Path:
    """The tool's absolute cache folder (not created here)."""
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / APP
    import platformdirs  # only when no XDG_CACHE_HOME: most runs in tests and CI never need it

    saved = os.environ.pop("XDG_CACHE_HOME", None) if xdg else None  # relative: as if unset
    try:
        root = platformdirs.user_cache_path(APP, appauthor=False)
    finally:
        if saved is not None:
            os.environ["XDG_CACHE_HOME"] = saved
    if not root.is_absolute():  # no home folder to expand `~` against
        raise AnnotatorError("no home folder for the cache; set XDG_CACHE_HOME to an absolute folder")
    return root

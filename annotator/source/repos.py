"""Open the repository a run reads: a local clone or bare git folder, or a URL through the clone cache.

The one place that chooses between `local.Source` and `remote.RemoteSource`, so neither imports the other.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from annotator.errors import SourceError
from annotator.source.local import Source, check_repo_spec, open_local
from annotator.source.refs import VLLM_URL, is_url


def open_source(spec: str | None, progress: Any = None) -> Source:
    """`spec`: a path or URL, else $ANNOTATE_REPO, else vLLM's GitHub URL.

    `progress`: for a URL, a `progress.Display` (None: a rich display when stderr is a terminal).
    """
    spec = spec or os.environ.get("ANNOTATE_REPO") or VLLM_URL
    check_repo_spec(spec)
    if shutil.which(os.environ.get("GIT_PYTHON_GIT_EXECUTABLE") or "git") is None:
        raise SourceError("git is not installed (or not on PATH); install git 2.29 or later")
    if is_url(spec):
        from annotator.source import remote  # gitpython and the cache only when a URL is given

        return remote.open_cached_clone(spec, progress)
    return Source(open_local(Path(spec).expanduser()), spec)

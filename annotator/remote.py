# Remote repositories: a per-user cached partial clone (work in progress; see issue 2).
from __future__ import annotations

from typing import Any

from annotator.errors import SourceError


def open_cached_clone(url: str, progress: Any = None) -> Any:
    raise SourceError(
        f"cannot reach {url}: remote URLs are not supported yet; pass --repo PATH to a local clone"
    )

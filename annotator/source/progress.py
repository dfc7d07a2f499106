"""Fetch progress for remote repositories: where it goes (Display: quiet, or a rich bar on a
terminal) and how git's stderr is read into it (GitProgress).
"""

from __future__ import annotations

import os
import re
import sys
from typing import Any, Protocol

_PROGRESS = re.compile(
    r"(?:remote: )?(?P<stage>[A-Za-z ]+):\s+"
    r"(?:(?P<pct>\d+)% \((?P<done>\d+)/(?P<total>\d+)\)|(?P<count>\d+))(?P<rest>.*)"
)
_RECEIVED = re.compile(r"(\d+(?:\.\d+)? (?:bytes|[KMG]iB))")


class Display(Protocol):
    """Where fetch progress goes. `live` asks git for progress output."""

    live: bool

    def start(self, what: str) -> None: ...

    def update(self, stage: str, done: float | None, total: float | None, detail: str) -> None: ...

    def stop(self, summary: str = "") -> None: ...

    def note(self, text: str) -> None: ...


class QuietDisplay:
    """No progress: stderr is not a terminal (tests, CI, pipes). Notes (a wait for the cache's lock,
    files a killed git left, a damaged cache rebuilt) are still one plain line each on stderr."""

    live = False

    def start(self, what: str) -> None:
        return None

    def update(self, stage: str, done: float | None, total: float | None, detail: str) -> None:
        return None

    def stop(self, summary: str = "") -> None:
        return None

    def note(self, text: str) -> None:
        sys.stderr.write(text + "\n")  # the display is the cli's channel to stderr, as RichDisplay's is
        sys.stderr.flush()


class RichDisplay:
    """A transient rich progress bar on stderr, then one dim summary line per fetch."""

    live = True

    def __init__(self, console: Any = None) -> None:
        from rich.console import Console

        self.console = console or Console(stderr=True)
        self._progress: Any = None
        self._task: Any = None
        self._what = ""

    def start(self, what: str) -> None:
        from rich.progress import BarColumn, Progress, SpinnerColumn, TaskProgressColumn, TextColumn

        self.stop()
        self._what = what
        self._progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            TaskProgressColumn(),
            TextColumn("{task.fields[detail]}"),
            console=self.console,
            transient=True,
        )
        self._progress.start()
        self._task = self._progress.add_task(what, total=None, detail="")

    def update(self, stage: str, done: float | None, total: float | None, detail: str) -> None:
        if self._progress is not None:
            self._progress.update(
                self._task,
                description=f"{self._what}: {stage}",
                completed=done or 0,
                total=total,
                detail=detail,
            )

    def stop(self, summary: str = "") -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
            if summary:
                self.console.print(summary, style="dim", highlight=False, markup=False)

    def note(self, text: str) -> None:
        self.stop()
        self.console.print(text, highlight=False, markup=False)


def default_display() -> Display:
    if sys.stderr.isatty() and os.environ.get("TERM") != "dumb":
        return RichDisplay()
    return QuietDisplay()


class GitProgress:
    """Reads the stderr of one git command, line by line (`feed`): progress lines go to the display,
    anything else is kept in `errors`. `received` is the download size git last reported."""

    def __init__(self, display: Display, label: str) -> None:
        self.display = display
        self.label = label
        self.errors: list[str] = []
        self.received = ""

    def feed(self, line: str) -> None:
        line = line.rstrip()
        m = _PROGRESS.fullmatch(line)
        if m and not line.startswith(("fatal:", "error:", "warning:")):
            done = m["done"] or m["count"]
            total = float(m["total"]) if m["total"] else None
            rest = m["rest"].strip(" ,").removesuffix("done.").strip(" ,")
            got = _RECEIVED.search(rest)
            if m["stage"] == "Receiving objects" and got:
                self.received = got[1]
            self.display.update(m["stage"].lower(), float(done), total, rest)
        elif line:
            self.errors.append(line)
            if "filtering not recognized by server" in line:
                self.display.note(
                    f"warning: {self.label} does not allow partial clones (uploadpack.allowFilter): "
                    "file contents are downloaded in full"
                )

"""Git commands on a cache repository: reads that never touch the network, and the fetch and
ls-remote runs (with progress) that do; every command runs under the protocol restrictions.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.errors import SourceError
from annotator.source.progress import Display, GitProgress
from annotator.source.refs import FULL_SHA
from annotator.source.urls import LOCAL_CLONE_HINT, SCHEMES

if TYPE_CHECKING:
    import git

PROTOCOL_CONFIG = ("protocol.allow=never", *(f"protocol.{s}.allow=always" for s in SCHEMES))
GIT_ENV = {
    "GIT_ALLOW_PROTOCOL": ":".join(SCHEMES),  # overrides any protocol.* config, also in child gits
    "GIT_TERMINAL_PROMPT": "0",  # fail rather than ask for a user name or password
    "GCM_INTERACTIVE": "never",
    "GIT_NO_LAZY_FETCH": "1",  # git 2.45+, 2.39.4+: reads never fetch behind the lock (we prefetch)
}
_GIT_LOCK = re.compile(r"Unable to create '([^']+\.lock)': File exists")
FETCH_BATCH = 1000  # objects named on one fetch command line


class _GitFailed(Exception):
    """A git command failed; `reason` is the first thing it said that is no warning (the most
    specific: git's later lines are generic, like "Could not read from remote repository")."""

    def __init__(self, lines: list[str]) -> None:
        said = [ln for ln in lines if ln.strip() and not ln.startswith(("warning:", "hint:"))]
        reason = (said[:1] or lines[-1:] or ["git failed"])[0].strip()
        reason = re.sub(r"^(fatal|error): ", "", reason)[:300]
        reason = re.sub(r"(://[^/@:\s]*):[^/@\s]*@", r"\1:***@", reason)  # no password in messages
        super().__init__(reason)
        self.reason = reason


def open_repo(path: Path) -> git.Repo:
    """A cache repository, with the protocol restrictions on every git command run in it."""
    import git

    repo = git.Repo(path)
    repo.git.update_environment(**GIT_ENV)
    repo.git.set_persistent_git_options(c=list(PROTOCOL_CONFIG))
    return repo


def _refuse_unsafe(command: str, opts: list[str], args: tuple[str, ...]) -> None:
    """gitpython's own guards, on top of building every argument here from checked input."""
    import git

    try:
        if command == "fetch":
            git.Git.check_unsafe_options(options=[*opts, *args], unsafe_options=["--upload-pack", "--exec"])
        for arg in args:
            git.Git.check_unsafe_protocols(arg)
    except (git.UnsafeOptionError, git.UnsafeProtocolError) as exc:
        raise SourceError(f"refused to run git {command}: {exc}") from None


class _CacheGit:
    """Git commands on one cache repository; callers hold the cache's lock for any change."""

    def __init__(
        self, repo: git.Repo, label: str, display: Display, lock_fd: Callable[[], int | None] = lambda: None
    ) -> None:
        self.repo = repo
        self.label = label
        self.display = display
        self.path = Path(repo.git_dir)
        self.lock_fd = lock_fd  # the cache lock's descriptor while held: the network commands inherit it

    # reading, never the network

    def present(self, shas: Iterable[str]) -> set[str]:
        """Which of these objects the cache holds (gitdb reads the packs: no lazy fetch possible)."""
        from gitdb import GitDB

        db = GitDB(str(self.path / "objects"))
        return {s for s in shas if db.has_object(bytes.fromhex(s))}

    def rev_parse(self, expr: str) -> str | None:
        """The commit `expr` names in the cache (only for names and abbreviations, or SHAs present)."""
        import git

        try:
            out = str(
                self.repo.git.rev_parse("--verify", "--quiet", "--end-of-options", f"{expr}^{{commit}}")
            )
        except git.GitCommandError:
            return None
        return out.strip() if FULL_SHA.fullmatch(out.strip()) else None

    def damage(self) -> str | None:
        """Why this cache cannot be used, or None: a pack whose header or checksum does not match its
        index (overwritten, truncated), or a config or refs git cannot read. Cheap: a few bytes of each
        pack, and two git commands."""
        from annotator.source.local import damaged_pack, unreadable

        return damaged_pack(self.path) or unreadable(self.repo)

    def shallow(self) -> bool:
        return (self.path / "shallow").is_file()

    def exact_tag(self, sha: str) -> str | None:
        import git

        try:
            out = self.repo.git.describe("--tags", "--exact-match", "--match", "v[0-9]*", sha)
        except git.GitCommandError:
            return None
        return str(out).strip() or None

    def update_ref(self, ref: str, sha: str) -> None:
        self.repo.git.update_ref("--no-deref", ref, sha)

    # the network

    def run(self, command: str, *args: str, what: str, config: tuple[str, ...] = ()) -> str:
        """Run `git fetch` or `git ls-remote` with progress on the display; stdout, or _GitFailed."""
        import git

        opts: list[str] = ["--progress"] if self.display.live and command == "fetch" else []
        progress = GitProgress(self.display, self.label)
        out: list[str] = []
        _refuse_unsafe(command, opts, args)
        self.display.start(what)
        ok = False
        fd = self.lock_fd()
        options = [arg for c in (*PROTOCOL_CONFIG, *config) for arg in ("-c", c)]
        try:
            # git and every process it starts (index-pack, upload-pack, remote helpers) inherit the
            # cache's flocked descriptor: the cache stays locked until the last of them exits, even if
            # annotate is killed first (annotator/locking.py).
            inherit: dict[str, Any] = {} if fd is None else {"pass_fds": (fd,)}  # none on Windows
            proc = self.repo.git.execute(
                [git.Git.GIT_PYTHON_GIT_EXECUTABLE or "git", *options, command, *opts, *args],
                as_process=True,
                universal_newlines=True,
                **inherit,
            )
            git.cmd.handle_process_output(
                proc, out.append, progress.feed, finalizer=None, decode_streams=False
            )
            proc.wait(stderr="\n".join(progress.errors))
            ok = True
        except git.GitCommandError:
            failed = _GitFailed(progress.errors)
            held = _GIT_LOCK.search(failed.reason)
            if held:  # ours were removed when the cache was locked: another git is working in the cache
                raise SourceError(
                    f"git's lock {held[1]} is held by another git working in the cache {self.path}; wait "
                    "for it to finish and run again (delete that file if no git is running)"
                ) from None
            raise failed from None
        finally:
            self.display.stop(f"{what}: done ({progress.received})" if ok and progress.received else "")
        return "".join(out)

    def ls_remote(self, *args: str, what: str) -> dict[str, str]:
        """Remote ref -> the commit it names (tags peeled), or SourceError: unreachable."""
        try:
            out = self.run("ls-remote", *args, what=what)
        except _GitFailed as exc:
            raise self.unreachable(exc) from None
        objs: dict[str, str] = {}
        peeled: dict[str, str] = {}
        for line in out.splitlines():
            sha, _, name = line.partition("\t")
            if not FULL_SHA.fullmatch(sha):
                continue
            if name.endswith("^{}"):
                peeled[name[:-3]] = sha
            else:
                objs[name] = sha
        return {name: peeled.get(name, sha) for name, sha in objs.items()}

    def unreachable(self, exc: _GitFailed) -> SourceError:
        return SourceError(f"cannot reach {self.label} ({exc.reason}); {LOCAL_CLONE_HINT}")

    def probe(self) -> None:
        """SourceError if the remote cannot be reached at all."""
        self.ls_remote("--end-of-options", "origin", "HEAD", what=f"checking {self.label}")

    def fetch(self, *args: str, what: str, config: tuple[str, ...] = ()) -> None:
        """git fetch; a fetch that fails leaves no pack behind (a server that ignores filters may have
        sent tens of MB before the fetch failed: nothing refers to them)."""
        before = self._packs()
        try:
            self.run(
                "fetch",
                "--no-tags",
                "--no-write-fetch-head",
                "--recurse-submodules=no",
                *args,
                what=what,
                config=config,
            )
        except _GitFailed:
            for pack in self._packs() - before:
                for part in pack.parent.glob(pack.stem + ".*"):
                    part.unlink(missing_ok=True)
            raise

    def _packs(self) -> set[Path]:
        return set((self.path / "objects" / "pack").glob("pack-*.pack"))

    def fetch_objects(self, shas: list[str], what: str) -> None:
        """Fetch these objects (blobs, or trees with their sub-trees but no blobs) in one round trip,
        the way git's own on-demand fetch does."""
        noop = ("fetch.negotiationAlgorithm=noop",)
        try:
            for start in range(0, len(shas), FETCH_BATCH):  # one round trip unless the list is huge
                batch = shas[start : start + FETCH_BATCH]
                self.fetch("--filter=blob:none", "--end-of-options", "origin", *batch, what=what, config=noop)
        except _GitFailed as exc:
            self.probe()
            raise SourceError(f"{self.label} did not send {len(shas)} objects ({exc.reason})") from None

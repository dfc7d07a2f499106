# Remote repositories: a per-user cache of partial clones that download only what a run reads.
#
# A URL is cloned on first use into $XDG_CACHE_HOME/vllm-annotator/repos/<name>-<hash>/, a bare
# repository set up as a partial clone of the URL. Nothing is downloaded up front:
#   - a full SHA, or a tag or branch (looked up with `git ls-remote`), is fetched on its own,
#     shallow (--depth=1) and blobless (--filter=blob:none): the commit and its trees, no file
#     contents;
#   - an abbreviated SHA cannot be looked up at the remote, so the commit history is fetched
#     (--filter=tree:0: commits only, no trees, no contents) and the SHA resolved locally; then the
#     trees of that one commit are fetched;
#   - the few file contents a run reads are fetched in one batch (`RemoteSource.prefetch`).
# Later runs reuse the cache: a full SHA or tag the cache has needs no network at all.
# Versions come only from exact tags (the remote's, via ls-remote --tags, remembered as local tags),
# never from `git describe` counts, which would depend on how much history the cache happens to hold.
#
# Two processes may use one cache: every change to it (the first clone, each fetch, each ref update)
# happens under an flock on <cache>.lock, and the first clone is built in a temporary folder that is
# renamed into place only once it holds the commit asked for. Reads need no lock (git's object store
# is safe to read while another process fetches).
#
# Security: URLs are checked (check_url) before anything runs, and every git command on a cache runs
# with protocol.allow=never plus the plain transports allowed (and GIT_ALLOW_PROTOCOL), so a remote
# helper such as ext:: (which runs commands) is refused by git itself even if a URL got past the
# check or the user's git config rewrites one (url.<base>.insteadOf). URLs live in the cache's
# config, never on a command line; refs are checked (source.check_ref) and passed after
# --end-of-options.
from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

from annotator.errors import SourceError
from annotator.source import _REF_OK, FULL_SHA, VLLM_URL, Commit, Source, check_ref

if TYPE_CHECKING:
    import git

SCHEMES = ("https", "http", "ssh", "git", "file")
PROTOCOL_CONFIG = ("protocol.allow=never", *(f"protocol.{s}.allow=always" for s in SCHEMES))
GIT_ENV = {
    "GIT_ALLOW_PROTOCOL": ":".join(SCHEMES),  # overrides any protocol.* config, also in child gits
    "GIT_TERMINAL_PROMPT": "0",  # fail rather than ask for a user name or password
    "GCM_INTERACTIVE": "never",
    "GIT_NO_LAZY_FETCH": "1",  # git 2.45+, 2.39.4+: reads never fetch behind the lock (we prefetch)
}
LOCAL_CLONE_HINT = (
    f"to work from a local clone instead: git clone {VLLM_URL} ~/src/vllm, then --repo ~/src/vllm"
)
MIN_GIT = (2, 29)  # --no-write-fetch-head; partial clone and --filter with --depth are older
FETCH_BATCH = 1000  # objects named on one fetch command line
LOCK_TIMEOUT = 900.0  # seconds to wait for another process's fetch before giving up
CACHE_CONFIG = (
    ("core.repositoryformatversion", "1"),
    ("extensions.partialClone", "origin"),
    ("remote.origin.promisor", "true"),
    ("remote.origin.partialclonefilter", "blob:none"),
    ("remote.origin.tagOpt", "--no-tags"),
    # No automatic gc or maintenance: it would repack under the feet of a concurrent reader.
    ("gc.auto", "0"),
    ("maintenance.auto", "false"),
    ("fetch.writeCommitGraph", "false"),
    ("core.logAllRefUpdates", "false"),
)
_SCP = re.compile(r"(?P<user>[A-Za-z0-9_.+-]+)@(?P<host>[A-Za-z0-9_.-]+):(?P<path>[^\s].*)")
_HOSTPORT = re.compile(r"[A-Za-z0-9_.-]*(:[0-9]*)?|\[[0-9A-Fa-f:.]+\](:[0-9]*)?")
_HELPER = re.compile(r"[A-Za-z0-9+.-]*::")  # git's transport::address (a remote helper)
_IPV6 = re.compile(r"\[[0-9A-Fa-f:.]+\]")
_SHORT_SHA = re.compile(r"[0-9a-f]{4,39}")
_RELEASE_TAG = re.compile(r"v[0-9][A-Za-z0-9._+-]*")
_PROGRESS = re.compile(
    r"(?:remote: )?(?P<stage>[A-Za-z ]+):\s+"
    r"(?:(?P<pct>\d+)% \((?P<done>\d+)/(?P<total>\d+)\)|(?P<count>\d+))(?P<rest>.*)"
)
_RECEIVED = re.compile(r"(\d+(?:\.\d+)? (?:bytes|[KMG]iB))")


# -- URLs --------------------------------------------------------------------------------------


def check_url(url: str) -> str:
    """Accept only URLs git fetches over its plain transports; refuse anything that could be an
    option or run a command (remote helpers, hosts or users starting with '-', control characters)."""

    def bad(why: str) -> SourceError:
        return SourceError(
            f"--repo {redact(url)!r} {why}; use an https://, ssh://, git:// or file:// URL, "
            "user@host:path, or a local path"
        )

    if url.startswith("-"):
        raise bad("looks like an option")
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in url):
        raise bad("contains control characters")
    if _HELPER.match(url) or "::" in _IPV6.sub("", url) or url.lower().startswith("ext:"):
        raise bad(
            "is a remote-helper address (transport::address), refused: helpers such as ext:: run commands"
        )
    scheme, sep, _rest = url.partition("://")
    if not sep:
        m = _SCP.fullmatch(url)
        if m is None or " " in url:
            raise bad("is not a URL git can fetch")
        if m["user"].startswith("-") or m["host"].startswith("-"):
            raise bad("has a user or host name starting with '-'")
        return url
    if scheme.lower() not in SCHEMES:
        raise bad(f"uses an unsupported scheme {scheme!r}")
    if " " in url and scheme.lower() != "file":
        raise bad("contains a space")
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise bad(f"is not a valid URL ({exc})") from None
    userinfo, _, hostport = parts.netloc.rpartition("@")
    if scheme.lower() != "file" and not hostport:
        raise bad("has no host")
    if hostport.startswith("-") or userinfo.startswith("-") or "%" in parts.netloc:
        raise bad("has a user or host name starting with '-' or escaped")
    if not _HOSTPORT.fullmatch(hostport):
        raise bad(f"has an invalid host {hostport!r}")
    return url


def redact(url: str) -> str:
    """The URL without a password, for messages."""
    return re.sub(r"^([A-Za-z][A-Za-z0-9+.-]*://[^/@:]*):[^/@]*@", r"\1:***@", url)


def cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME", "")
    if base and os.path.isabs(base):
        return Path(base) / "vllm-annotator" / "repos"
    try:
        home = Path.home()
    except RuntimeError:
        raise SourceError("no home folder for the cache of remote clones; set XDG_CACHE_HOME") from None
    return home / ".cache" / "vllm-annotator" / "repos"


def cache_name(url: str) -> str:
    """A readable folder name for the URL (host and path) plus a hash of the whole URL."""
    m = _SCP.fullmatch(url)
    if m:
        readable = f"{m['host']}/{m['path']}"
    else:
        parts = urlsplit(url)
        readable = f"{parts.hostname or ''}/{parts.path}"
    readable = re.sub(r"[^A-Za-z0-9._-]+", "_", readable.removesuffix("/").removesuffix(".git"))
    readable = readable.strip("._-")[-48:].lstrip("._-") or "repo"
    return f"{readable}-{hashlib.sha256(url.encode()).hexdigest()[:12]}"


# -- progress display --------------------------------------------------------------------------


class Display(Protocol):
    """Where fetch progress goes. `live` asks git for progress output."""

    live: bool

    def start(self, what: str) -> None: ...

    def update(self, stage: str, done: float | None, total: float | None, detail: str) -> None: ...

    def stop(self, summary: str = "") -> None: ...

    def note(self, text: str) -> None: ...


class QuietDisplay:
    """No output at all: stderr is not a terminal (tests, CI, pipes)."""

    live = False

    def start(self, what: str) -> None:
        return None

    def update(self, stage: str, done: float | None, total: float | None, detail: str) -> None:
        return None

    def stop(self, summary: str = "") -> None:
        return None

    def note(self, text: str) -> None:
        return None


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


# -- git on a cache repository -----------------------------------------------------------------


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


class _Ops:
    """Git operations on one cache repository; callers hold the cache's lock for any change."""

    def __init__(self, repo: git.Repo, label: str, display: Display) -> None:
        self.repo = repo
        self.label = label
        self.display = display
        self.path = Path(repo.git_dir)

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
        errors: list[str] = []
        out: list[str] = []
        received = ""

        def on_stderr(line: str) -> None:
            nonlocal received
            line = line.rstrip()
            m = _PROGRESS.fullmatch(line)
            if m and not line.startswith(("fatal:", "error:", "warning:")):
                done = m["done"] or m["count"]
                total = float(m["total"]) if m["total"] else None
                rest = m["rest"].strip(" ,").removesuffix("done.").strip(" ,")
                got = _RECEIVED.search(rest)
                if m["stage"] == "Receiving objects" and got:
                    received = got[1]
                self.display.update(m["stage"].lower(), float(done), total, rest)
            elif line:
                errors.append(line)
                if "filtering not recognized by server" in line:
                    self.display.note(
                        f"warning: {self.label} does not allow partial clones (uploadpack.allowFilter): "
                        "file contents are downloaded in full"
                    )

        try:  # gitpython's own guards, on top of building every argument here from checked input
            if command == "fetch":
                git.Git.check_unsafe_options(
                    options=[*opts, *args], unsafe_options=["--upload-pack", "--exec"]
                )
            for arg in args:
                git.Git.check_unsafe_protocols(arg)
        except (git.UnsafeOptionError, git.UnsafeProtocolError) as exc:
            raise SourceError(f"refused to run git {command}: {exc}") from None
        self.display.start(what)
        ok = False
        try:
            if config:
                self.repo.git(c=list(config))
            proc = getattr(self.repo.git, command.replace("-", "_"))(
                *opts, *args, as_process=True, universal_newlines=True
            )
            git.cmd.handle_process_output(proc, out.append, on_stderr, finalizer=None, decode_streams=False)
            proc.wait(stderr="\n".join(errors))
            ok = True
        except git.GitCommandError:
            raise _GitFailed(errors) from None
        finally:
            self.display.stop(f"{what}: done ({received})" if ok and received else "")
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
        self.run(
            "fetch",
            "--no-tags",
            "--no-write-fetch-head",
            "--recurse-submodules=no",
            *args,
            what=what,
            config=config,
        )

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

    # resolving a ref, fetching what is missing (under the lock)

    def resolve(self, ref: str) -> str:
        try:
            sha = self.resolve_locally(ref) or self.resolve_remotely(ref)
        except _GitFailed as exc:  # a fetch of a ref the remote just listed: it went away, or we did
            self.probe()
            raise SourceError(f"fetching {ref} from {self.label} failed ({exc.reason}); try again") from None
        self.ensure_trees(sha)
        return sha

    def resolve_locally(self, ref: str) -> str | None:
        """A full SHA or a tag the cache holds, or an abbreviation it can expand: no network.
        Branches (and HEAD) always ask the remote, since they move."""
        if FULL_SHA.fullmatch(ref):
            return self.rev_parse(ref) if self.present([ref]) else None
        tag = self.rev_parse(f"refs/tags/{ref}")
        if tag or not _SHORT_SHA.fullmatch(ref):
            return tag
        sha = self.rev_parse(ref)
        if sha is None:
            self.check_unambiguous(ref)  # several commits in the cache: more at the remote
        return sha

    def resolve_remotely(self, ref: str) -> str:
        if FULL_SHA.fullmatch(ref):
            return self.fetch_commit(ref)
        candidates = [f"refs/tags/{ref}", f"refs/heads/{ref}"]
        if ref.startswith("refs/"):
            candidates.insert(0, ref)
        if ref == "HEAD":
            candidates = ["HEAD"]
        found = self.ls_remote(
            "--end-of-options",
            "origin",
            *candidates,
            *(f"{c}^{{}}" for c in candidates if "/tags/" in c),
            what=f"looking up {ref} at {self.label}",
        )
        for name in candidates:
            if name in found:
                return self.fetch_ref(name, found[name], ref)
        if _SHORT_SHA.fullmatch(ref):
            self.fetch_history(ref)
            sha = self.rev_parse(ref)
            if sha:
                return sha
            self.check_unambiguous(ref)
        raise SourceError(
            f"unknown ref {ref!r} at {self.label}: no such tag or branch"
            + (", and no commit starts with it" if _SHORT_SHA.fullmatch(ref) else "")
            + "; check the SHA, tag or branch"
        )

    def check_unambiguous(self, prefix: str) -> None:
        import git

        try:
            out = str(self.repo.git.rev_parse(f"--disambiguate={prefix}"))
        except git.GitCommandError:
            return
        if len(out.split()) > 1:
            raise SourceError(
                f"--sha {prefix} is ambiguous: {len(out.split())} objects of {self.label} start with it; "
                "pass more digits or the full SHA"
            )

    def fetch_commit(self, sha: str) -> str:
        try:
            self.fetch(
                "--depth=1",
                "--filter=blob:none",
                "--end-of-options",
                "origin",
                sha,
                what=f"fetching {sha[:12]} from {self.label} (one commit, no file contents)",
            )
        except _GitFailed as exc:
            self.probe()
            raise SourceError(
                f"unknown commit {sha} at {self.label} ({exc.reason}); check the SHA "
                "(the server must also allow fetching commits by SHA, as GitHub does)"
            ) from None
        self.update_ref(f"refs/annotator/commits/{sha}", sha)  # reachable: later fetches send it as a "have"
        found = self.rev_parse(sha)
        if found is None:
            raise SourceError(f"{sha} at {self.label} is not a commit")
        return found

    def fetch_ref(self, remote_ref: str, commit: str, ref: str) -> str:
        local = remote_ref if remote_ref.startswith("refs/tags/") else f"refs/annotator/{remote_ref}"
        if self.present([commit]):
            self.update_ref(local, commit)
        else:
            self.fetch(
                "--depth=1",
                "--filter=blob:none",
                "--end-of-options",
                "origin",
                f"+{remote_ref}:{local}",
                what=f"fetching {ref} from {self.label} (one commit, no file contents)",
            )
        sha = self.rev_parse(local)
        if sha is None:
            raise SourceError(f"{ref} at {self.label} does not name a commit")
        return sha

    def fetch_history(self, ref: str) -> None:
        """All branches' and tags' commits (no trees, no contents): what an abbreviation needs."""
        args = ["--filter=tree:0", *(["--unshallow"] if self.shallow() else [])]
        self.fetch(
            *args,
            "--end-of-options",
            "origin",
            "+refs/heads/*:refs/annotator/refs/heads/*",
            "+refs/tags/*:refs/tags/*",
            what=f"fetching the commit history of {self.label} to expand {ref} (commits only)",
        )

    def ensure_trees(self, sha: str) -> None:
        """The commit's folder listings (missing after a history fetch): one round trip."""
        header = str(self.repo.git.cat_file("commit", sha))  # `rev-parse sha^{tree}` would read the tree
        tree = header.split("\n", 1)[0].removeprefix("tree ")
        if not self.present([tree]):
            self.fetch_objects([tree], f"fetching the folders of {sha[:12]} from {self.label}")


# -- the cache and the Source over it ----------------------------------------------------------


def _flock(fd: int) -> None:
    """Take an exclusive flock without waiting (BlockingIOError when another process holds it)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        raise SourceError(f"remote URLs need flock (a POSIX system); {LOCAL_CLONE_HINT}") from None
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


class _Cache:
    """One cached repository folder and the lock next to it."""

    def __init__(self, url: str, display: Display) -> None:
        self.url = url
        self.display = display
        self.root = cache_root()
        self.path = self.root / cache_name(url)
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self._held = False

    def exists(self) -> bool:
        return (self.path / "HEAD").is_file()

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Exclusive use of the cache for changes (re-entrant within this object)."""
        if self._held:
            yield
            return
        fd = self._lock()
        self._held = True
        try:
            yield
        finally:
            self._held = False
            os.close(fd)  # releases the lock

    def _lock(self) -> int:
        deadline = time.monotonic() + LOCK_TIMEOUT
        waiting = False
        while True:
            try:
                self.root.mkdir(parents=True, exist_ok=True)
                fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError as exc:
                raise SourceError(
                    f"cannot use the cache {self.root}: {exc.strerror}; set XDG_CACHE_HOME"
                ) from None
            try:
                _flock(fd)
            except BlockingIOError:
                os.close(fd)
                if not waiting:
                    self.display.note(f"waiting for another annotate using {self.path} ...")
                    waiting = True
                if time.monotonic() > deadline:
                    raise SourceError(
                        f"the cache {self.path} stayed locked by another process for {LOCK_TIMEOUT:.0f} s; "
                        f"try again, or remove {self.lock_path} if no annotate is running"
                    ) from None
                time.sleep(0.05)
                continue
            try:  # the holder before us may have removed the lock file (see unlink_if_unused)
                same = os.stat(self.lock_path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if same:
                return fd
            os.close(fd)

    def unlink_if_unused(self) -> None:
        """Remove the lock file of a cache that was never created (under the lock): a mistyped URL
        leaves nothing behind."""
        if self._held and not self.exists():
            with contextlib.suppress(OSError):
                self.lock_path.unlink()

    def create(self) -> Path:
        """A new, empty partial-clone repository in a temporary folder beside the cache (under the lock)."""
        import git

        for stale in self.root.glob(f".tmp-{self.path.name}-*"):  # left by a killed process
            shutil.rmtree(stale, ignore_errors=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".tmp-{self.path.name}-", dir=self.root))
        try:
            repo = git.Repo.init(tmp, bare=True)
            for key, value in (("remote.origin.url", self.url), *CACHE_CONFIG):
                repo.git.config("--end-of-options", key, value)
            repo.close()
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return tmp


class RemoteSource(Source):
    """A Source over the cached partial clone of a URL: fetches commits and blobs as asked."""

    def __init__(self, url: str, display: Display) -> None:
        super().__init__(None, redact(url))
        self.url = url
        self.display = display
        self.cache = _Cache(url, display)
        self._ops: _Ops | None = None
        if self.cache.exists():
            self._attach(self.cache.path)

    def _attach(self, path: Path) -> _Ops:
        self._repo = open_repo(path)
        self._ops = _Ops(self._repo, self.label, self.display)
        return self._ops

    def _ops_or_fail(self) -> _Ops:
        if self._ops is None:
            raise SourceError(f"no commit of {self.label} has been fetched yet")
        return self._ops

    def resolve(self, ref: str) -> str:
        check_ref(ref)
        with self.cache.locked():
            if self._ops is None and self.cache.exists():  # another process cloned it meanwhile
                self._attach(self.cache.path)
            if self._ops is not None:
                return self._ops.resolve(ref)
            try:
                return self._first_clone(ref)
            except BaseException:
                self.cache.unlink_if_unused()
                raise

    def _first_clone(self, ref: str) -> str:
        """Clone into a temporary folder, fetch `ref` there, and only then rename it into place."""
        try:
            tmp = self.cache.create()
        except OSError as exc:
            raise SourceError(
                f"cannot write the cache {self.cache.root}: {exc.strerror}; set XDG_CACHE_HOME"
            ) from None
        repo = open_repo(tmp)
        try:
            sha = _Ops(repo, self.label, self.display).resolve(ref)
            repo.close()
            os.rename(tmp, self.cache.path)
        except BaseException as exc:
            repo.close()
            shutil.rmtree(tmp, ignore_errors=True)
            if isinstance(exc, OSError):
                raise SourceError(f"cannot write the cache {self.cache.root}: {exc.strerror}") from None
            raise
        self._attach(self.cache.path)
        return sha

    def commit(self, sha: str) -> Commit:
        with self._damage_reported():
            return super().commit(sha)

    def tree(self, sha: str, prefix: str = "vllm") -> dict[str, str]:
        with self._damage_reported():
            return super().tree(sha, prefix)

    @contextmanager
    def _damage_reported(self) -> Iterator[None]:
        """Reads of a commit resolve() fetched fail only if the cache was damaged from outside."""
        import git

        try:
            yield
        except (git.GitCommandError, ValueError) as exc:
            raise SourceError(
                f"the cache {self.cache.path} of {self.label} looks damaged ({str(exc).strip()[-200:]}); "
                "delete that folder and run again"
            ) from None

    def prefetch(self, blobs: Iterable[str]) -> None:
        """Fetch the blobs the cache lacks, all in one round trip."""
        ops = self._ops_or_fail()
        wanted = list(dict.fromkeys(blobs))
        if not wanted or ops.present(wanted) == set(wanted):
            return
        with self.cache.locked():
            have = ops.present(wanted)
            missing = [b for b in wanted if b not in have]
            if missing:
                ops.fetch_objects(missing, f"fetching {len(missing)} files from {self.label}")
            if ops.present(missing) != set(missing):
                raise SourceError(f"{self.label} did not send the contents of {len(missing)} files")

    def read(self, blob: str) -> bytes:
        if not self._ops_or_fail().present([blob]):
            self.prefetch([blob])
        return super().read(blob)

    def tags_at(self, sha: str) -> str | None:
        """An exact release tag of the commit: the cache's tags, else the remote's (`git ls-remote
        --tags`), or None. Never "N commits after a tag": a shallow cache cannot count them, and
        whether the cache happens to hold the history (after an abbreviated SHA) must not change
        the output. The release table or `__version__` then says the version, and says so."""
        ops = self._ops_or_fail()
        tag = ops.exact_tag(sha)
        if tag:
            return tag
        try:
            refs = ops.ls_remote(
                "--tags", "--end-of-options", "origin", what=f"looking up tags at {self.label}"
            )
        except SourceError:
            self.display.note(f"note: {self.label} unreachable: the version cannot come from its tags")
            refs = {}
        names = sorted(
            name.removeprefix("refs/tags/")
            for name, commit in refs.items()
            if commit == sha
            and _REF_OK.fullmatch(name)
            and _RELEASE_TAG.fullmatch(name.removeprefix("refs/tags/"))
        )
        if names:
            with self.cache.locked():
                ops.update_ref(f"refs/tags/{names[0]}", sha)  # lightweight: later runs need no network
            return names[0]
        return None


def open_cached_clone(url: str, progress: Display | None = None) -> RemoteSource:
    """The Source for a URL: its cache is created (or updated) when a ref is resolved."""
    import git

    check_url(url)
    version = git.Git().version_info
    if version[:2] < MIN_GIT:
        raise SourceError(
            f"git {'.'.join(map(str, version))} is too old for partial clones (need "
            f"{'.'.join(map(str, MIN_GIT))}+); upgrade git, or {LOCAL_CLONE_HINT}"
        )
    return RemoteSource(url, progress or default_display())

"""Remote repository URLs: which ones git may fetch (check_url), how they appear in messages
(redact), and the cache folder each one gets (cache_name).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from urllib.parse import urlsplit

from annotator.errors import SourceError
from annotator.source.refs import VLLM_URL

SCHEMES = ("https", "http", "ssh", "git", "file")
LOCAL_CLONE_HINT = (
    f"to work from a local clone instead: git clone {VLLM_URL} ~/src/vllm, then --repo ~/src/vllm"
)
_SCP = re.compile(r"(?P<user>[A-Za-z0-9_.+-]+)@(?P<host>[A-Za-z0-9_.-]+):(?P<path>[^\s].*)")
_HOSTPORT = re.compile(r"[A-Za-z0-9_.-]*(:[0-9]*)?|\[[0-9A-Fa-f:.]+\](:[0-9]*)?")
_HELPER = re.compile(r"[A-Za-z0-9+.-]*::")  # git's transport::address (a remote helper)
_IPV6 = re.compile(r"\[[0-9A-Fa-f:.]+\]")

_Refusal = Callable[[str], SourceError]  # why -> the error that refuses the URL


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
        _check_scp_address(url, bad)
    else:
        _check_scheme_url(url, scheme, bad)
    return url


def _check_scp_address(url: str, bad: _Refusal) -> None:
    """The scp-like form, user@host:path."""
    m = _SCP.fullmatch(url)
    if m is None or " " in url:
        raise bad("is not a URL git can fetch")
    if m["user"].startswith("-") or m["host"].startswith("-"):
        raise bad("has a user or host name starting with '-'")


def _check_scheme_url(url: str, scheme: str, bad: _Refusal) -> None:
    """A scheme://[user@]host[:port]/path URL."""
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


def redact(url: str) -> str:
    """The URL without a password, for messages."""
    return re.sub(r"^([A-Za-z][A-Za-z0-9+.-]*://[^/@:]*):[^/@]*@", r"\1:***@", url)


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

"""A Windows-shaped (and macOS-shaped) run on Linux: no Windows machine is at hand, so the OS's
behaviour is simulated where the code depends on it.

- Paths in messages and diffs: `os.sep` is `\\` (and `os.altsep` `/`) in the module that turns paths
  into text, and the course folder's name holds a `\\` as a Windows path would.
- Line ends: notes saved with CRLF (an editor, or git's autocrlf checkout) come back entirely CRLF,
  LF notes stay LF, and a CRLF README or manifest is not taken for a hand edit.
- No `fcntl` and no `os.O_NONBLOCK` (Windows has neither) for generating, regenerating and checking.
- The cache folder where platformdirs puts it on macOS and on Windows.
"""

from __future__ import annotations

import json
import os
import sys
import types
from pathlib import Path

import pytest

from annotator.links import shown_path
from tests.test_lab import MANIFEST, NOTES, README, check_json
from tests.test_regen import annotate, fill, history  # noqa: F401  (fixture)


@pytest.fixture
def windows_seps(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = types.SimpleNamespace(sep="\\", altsep="/", fspath=os.fspath)
    monkeypatch.setattr("annotator.links.os", fake)


@pytest.mark.usefixtures("windows_seps")
def test_a_windows_path_is_shown_with_slashes() -> None:
    assert shown_path("C:\\Users\\me\\course\\docs\\notes.md") == "C:/Users/me/course/docs/notes.md"
    assert shown_path("C:\\course/docs\\notes.md") == "C:/course/docs/notes.md"


def test_a_backslash_in_a_linux_file_name_is_kept() -> None:
    assert shown_path(Path("odd\\name") / "notes.md") == "odd\\name/notes.md"


def crlf_only(text: str) -> bool:
    return "\r\n" in text and text.count("\n") == text.count("\r\n")


@pytest.mark.usefixtures("windows_seps")
def test_a_windows_shaped_run_from_generation_to_check(
    history: tuple[Path, list[str]],  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "fcntl", None)  # `import fcntl` raises, as on Windows
    monkeypatch.delattr(os, "O_NONBLOCK")
    repo, shas = history
    course = tmp_path / "Users\\me\\course"  # one folder named as a Windows path would read
    course.mkdir()
    status, _, err = annotate(capsys, repo, "--sha", "v0.3.3", "--lab", str(course))
    assert status == 0, err
    assert "\\" not in err and f"{tmp_path.as_posix()}/Users/me/course/{NOTES}" in err

    # The student's editor (or git's autocrlf checkout) saved everything with CRLF.
    written, words = fill((course / NOTES).read_text(encoding="utf-8"))
    for name, text in ((NOTES, written), (README, None), (MANIFEST, None)):
        text = text if text is not None else (course / name).read_text(encoding="utf-8")
        (course / name).write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    status, _, err = annotate(capsys, repo, "--sha", "v0.4.0", "--lab", str(course))
    assert status == 0, err
    assert "\\" not in err and "edited by hand" not in err  # a CRLF README is still the tool's
    notes = (course / NOTES).read_bytes().decode("utf-8")
    assert crlf_only(notes) and all(w.replace("\n", "\r\n") in notes for w in words.values())
    readme = (course / README).read_bytes().decode("utf-8")
    assert crlf_only(readme) and shas[1] in readme
    manifest = (course / MANIFEST).read_bytes().decode("utf-8")
    assert crlf_only(manifest) and json.loads(manifest)["sha"] == shas[1]
    assert crlf_only((course / f"{NOTES}.bak").read_bytes().decode("utf-8"))

    data = check_json(capsys, repo, str(course))
    (result,) = data["files"]  # type: ignore[misc]
    assert "\\" not in result["path"] and result["path"].endswith(NOTES) and result["sha"] == shas[1]

    # Regenerating again at the same commit changes nothing, CRLF included.
    before = {p: p.read_bytes() for p in course.rglob("*") if p.is_file()}
    assert annotate(capsys, repo, "--sha", "v0.4.0", "--lab", str(course))[0] == 0
    assert {p: p.read_bytes() for p in course.rglob("*") if p.is_file()} == before


def test_lf_notes_stay_lf_and_mixed_notes_take_their_most_common_line_end(
    history: tuple[Path, list[str]],  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    repo, _ = history
    out = tmp_path / "out"
    assert annotate(capsys, repo, "--sha", "v0.3.3", "--out", str(out))[0] == 0
    written, words = fill((out / "vllm-block-manager-annotated.md").read_text(encoding="utf-8"))
    notes = out / "vllm-block-manager-annotated.md"
    notes.write_bytes(written.encode("utf-8"))
    assert annotate(capsys, repo, "--sha", "v0.4.0", "--out", str(out))[0] == 0
    text = notes.read_bytes().decode("utf-8")
    assert "\r" not in text and all(w in text for w in words.values())

    lines = text.splitlines(keepends=True)  # two lines in three with CRLF: the notes are CRLF notes
    mixed = "".join(line.replace("\n", "\r\n") if i % 3 else line for i, line in enumerate(lines))
    notes.write_bytes(mixed.encode("utf-8"))
    assert annotate(capsys, repo, "--sha", "v0.3.3", "--out", str(out))[0] == 0
    assert crlf_only(notes.read_bytes().decode("utf-8"))


def test_a_byte_order_mark_is_kept_through_a_regeneration(
    history: tuple[Path, list[str]],  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    repo, _ = history
    out = tmp_path / "out"
    assert annotate(capsys, repo, "--sha", "v0.3.3", "--out", str(out))[0] == 0
    notes = out / "vllm-block-manager-annotated.md"
    notes.write_bytes(b"\xef\xbb\xbf" + notes.read_bytes().replace(b"\n", b"\r\n"))
    assert annotate(capsys, repo, "--sha", "v0.4.0", "--out", str(out))[0] == 0
    data = notes.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf<!-- annotate:gen header -->\r\n")
    assert data.count(b"\xef\xbb\xbf") == 1


@pytest.fixture
def no_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    return tmp_path


def test_the_cache_on_macos_is_under_library_caches(no_xdg: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import platformdirs
    from platformdirs.macos import MacOS

    from annotator.userdirs import cache_root

    monkeypatch.setattr(platformdirs, "PlatformDirs", MacOS)
    assert cache_root() == no_xdg / "home" / "Library" / "Caches" / "vllm-annotator"


def test_the_cache_on_windows_is_under_localappdata(no_xdg: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import platformdirs
    from platformdirs import windows

    from annotator.userdirs import cache_root

    local = no_xdg / "AppData" / "Local"
    monkeypatch.setattr(platformdirs, "PlatformDirs", windows.Windows)
    monkeypatch.setattr(windows, "get_win_folder", windows.get_win_folder_from_env_vars)
    monkeypatch.setenv("LOCALAPPDATA", str(local))
    assert cache_root() == local / "vllm-annotator" / "Cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(no_xdg / "xdg"))  # an absolute XDG_CACHE_HOME still wins
    assert cache_root() == no_xdg / "xdg" / "vllm-annotator"


def test_the_cache_on_linux_follows_xdg_and_defaults_to_dot_cache(
    no_xdg: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import platformdirs
    from platformdirs.unix import Unix

    from annotator.userdirs import cache_root

    monkeypatch.setattr(platformdirs, "PlatformDirs", Unix)
    assert cache_root() == no_xdg / "home" / ".cache" / "vllm-annotator"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")  # not absolute: ignored, as XDG says
    assert cache_root() == no_xdg / "home" / ".cache" / "vllm-annotator"
    assert os.environ["XDG_CACHE_HOME"] == "relative/cache"  # and left as it was
    monkeypatch.setenv("XDG_CACHE_HOME", str(no_xdg / "xdg"))
    assert cache_root() == no_xdg / "xdg" / "vllm-annotator"


def test_both_caches_share_the_one_root(no_xdg: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import platformdirs
    from platformdirs.macos import MacOS

    from annotator.extract import cache
    from annotator.source import clonecache

    monkeypatch.setattr(platformdirs, "PlatformDirs", MacOS)
    root = no_xdg / "home" / "Library" / "Caches" / "vllm-annotator"
    assert (clonecache.cache_root(), cache.cache_dir()) == (root / "repos", root / "models")

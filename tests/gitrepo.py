"""Build small git repositories of fake vLLM trees for tests (never vLLM's own code)."""

from __future__ import annotations

import atexit
import functools
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ERAS = ("era1", "era2", "era3", "era4", "era5")
# An era that is another era plus a patch, as in vLLM's history, so only the change is kept in the
# repository: era 3 is era 2 after the v1 manager's removal and the v2 manager's rename; era 5 (two
# engines, V1 the default) is era 3 with era 4's vllm/v1 folder laid over it, then its own patch.
DERIVED: dict[str, tuple[str, str, tuple[tuple[str, str], ...]]] = {
    "era3": ("era2", "era3.patch", ()),
    "era5": ("era3", "era5.patch", (("era4", "vllm/v1"),)),
}
_ENV = {
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
}


def tree(era: str) -> Path:
    """The folder of a fixture era: tests/fixtures/ERA, or a derived era built once per test run."""
    if era not in DERIVED:
        return FIXTURES / era
    return _derived(era)


@functools.cache
def _derived(era: str) -> Path:
    base, patch, overlays = DERIVED[era]
    root = Path(tempfile.mkdtemp(prefix=f"annotator-{era}-"))
    atexit.register(shutil.rmtree, root, True)
    shutil.copytree(tree(base), root / era, ignore=shutil.ignore_patterns("__pycache__"))
    for other, folder in overlays:
        skip = shutil.ignore_patterns("__pycache__")
        shutil.copytree(tree(other) / folder, root / era / folder, ignore=skip)
    text = (FIXTURES / patch).read_text(encoding="utf-8")
    # Deletions are written without their old text (git diff -D); remove those files here.
    for path in re.findall(r"^diff --git a/(\S+) b/\S+\ndeleted file mode", text, re.M):
        (root / era / path).unlink()
    deleted = r"^diff --git a/\S+ b/\S+\ndeleted file mode[^\n]*\n(?:index [^\n]*\n)?"
    rest = re.sub(deleted, "", text, flags=re.M)
    apply = ["git", "apply", "-"]
    subprocess.run(apply, cwd=root / era, input=rest, text=True, check=True, capture_output=True)
    return root / era


@dataclass
class Step:
    """One commit: start from `tree` (a folder under tests/fixtures) or the previous commit,
    then write `files` (None deletes), `rename` (old -> new paths)."""

    tree: str | None = None
    files: dict[str, str | None] = field(default_factory=dict)
    rename: dict[str, str] = field(default_factory=dict)
    tag: str | None = None
    message: str = "commit"


def git(repo: Path, *args: str, date: str = "2024-03-01T12:00:00Z") -> str:
    env = {**os.environ, **_ENV, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    return subprocess.run(
        ["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True
    ).stdout.strip()


def make_repo(root: Path, steps: list[Step]) -> tuple[Path, list[str]]:
    """Create a repository at root/repo with one commit per step; return it and the SHAs."""
    repo = root / "repo"
    repo.mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    shas: list[str] = []
    for i, step in enumerate(steps):
        if step.tree is not None:
            for child in repo.iterdir():
                if child.name != ".git":
                    shutil.rmtree(child) if child.is_dir() else child.unlink()
            shutil.copytree(
                tree(step.tree),
                repo,
                dirs_exist_ok=True,
                ignore=shutil.ignore_patterns("__pycache__"),
            )
        for old, new in step.rename.items():
            (repo / new).parent.mkdir(parents=True, exist_ok=True)
            (repo / old).rename(repo / new)
        for path, text in step.files.items():
            target = repo / path
            if text is None:
                target.unlink()
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
        date = f"2024-03-{i + 1:02d}T12:00:00Z"
        git(repo, "add", "-A", date=date)
        git(repo, "commit", "-q", "--allow-empty", "-m", step.message, date=date)
        shas.append(git(repo, "rev-parse", "HEAD"))
        if step.tag:
            git(repo, "tag", step.tag, date=date)
    return repo, shas

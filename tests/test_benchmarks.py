"""The benchmark's pure helpers on fake data (benchmarks/run.py). Nothing is timed here."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.run import (
    RELEASES,
    Row,
    Timed,
    count_blobs,
    dir_bytes,
    distinct_files,
    fmt_bytes,
    fmt_ratio,
    fmt_seconds,
    handwritten_notes,
    load_releases,
    markdown_table,
    median_timed,
    spread,
    vary_notes,
)

SKELETON = """<!-- annotate:gen header -->
# Notes
<!-- annotate:/gen header sum=00000000 -->
<!-- annotate:slot class:a.py::A/holds -->
_What does `A` hold?_ <!-- annotate:stub -->

<!-- annotate:slot q:1/answer -->
_Answer here._ <!-- annotate:stub -->

<!-- annotate:slot closing/theory -->
"""


def test_median_time_and_highest_peak_memory() -> None:
    runs = [Timed(3.0, 10), Timed(1.0, 30), Timed(2.0, 20)]
    assert median_timed(runs) == Timed(2.0, 30)
    with pytest.raises(ValueError):
        median_timed([])


def test_blobs_are_counted_once_across_manifests() -> None:
    manifests = [
        {"files": [{"blob": "a", "lines": 3}, {"blob": "b", "lines": 5}]},
        {"files": [{"blob": "b", "lines": 5}, {"blob": "c", "lines": 7}]},
        {},
    ]
    assert count_blobs(manifests) == 3
    assert distinct_files(manifests) == {"a": 3, "b": 5, "c": 7}


def test_spread_keeps_first_and_last() -> None:
    items = list(range(64))
    picked = spread(items, 6)
    assert len(picked) == 6 and picked[0] == 0 and picked[-1] == 63 and picked == sorted(set(picked))
    assert spread(items[:4], 6) == items[:4]
    assert spread(items, 1) == [0]


def test_releases_parse_in_order() -> None:
    text = '[[release]]\nversion = "v1"\nsha = "aa"\n\n[[release]]\nversion = "v2"\nsha = "bb"\n'
    assert load_releases(text) == [("v1", "aa"), ("v2", "bb")]
    shipped = load_releases(RELEASES.read_text(encoding="utf-8"))
    assert len(shipped) > 10 and all(len(sha) == 40 for _, sha in shipped)


def test_table_is_markdown_with_one_row_per_figure() -> None:
    rows = [
        Row("cold", "1.00 s", "2.00 s (pyreverse)", "0.50 x", "<= 0.75 x", True, "50 MiB / 60 MiB"),
        Row("a|b", "1", "2", "3", "—", None),
        Row("check", "30 s", "1 s", "30.00 x", "<= 10 x", False),
    ]
    lines = markdown_table(rows).splitlines()
    assert lines[0].startswith("| figure | measured | baseline | ratio | target | met? |")
    assert lines[1].count("---") == 7
    assert "| yes |" in lines[2] and "| — |" in lines[3] and "**no**" in lines[4]
    assert "a\\|b" in lines[3]
    assert all(line.count(" | ") == 6 for line in lines[2:])


def test_formats() -> None:
    assert fmt_seconds(0.25) == "250 ms" and fmt_seconds(2.5) == "2.50 s"
    assert fmt_bytes(57_600) == "57.6 KB" and fmt_bytes(207_000_000) == "207.0 MB" and fmt_bytes(12) == "12 B"
    assert fmt_ratio(1, 4) == "0.25 x" and fmt_ratio(1, 400, percent=True) == "0.25 %"
    assert fmt_ratio(1, 0) == "n/a"


def test_invented_prose_fills_every_slot_and_varies_by_seed() -> None:
    files = [("vllm/a.py", 40)]
    one, again, other = (
        vary_notes(SKELETON, 1, files),
        vary_notes(SKELETON, 1, files),
        vary_notes(SKELETON, 2, files),
    )
    assert one == again and one != other
    assert one.count("<!-- annotate:slot") == 3 and one.count("annotate:stub") == 2
    assert one.startswith(SKELETON.splitlines()[0])
    answer = one.split("<!-- annotate:slot q:1/answer -->")[1]
    assert "See vllm/a.py:" in answer
    holds = one.split("<!-- annotate:slot class:a.py::A/holds -->")[1].split("<!-- annotate:slot")[0]
    assert "See " not in holds and len(holds.split()) >= 20


def test_dir_bytes(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x").write_bytes(b"12345")
    (tmp_path / "y").write_bytes(b"123")
    assert dir_bytes(tmp_path) == 8


def test_regeneration_benchmark_doubles_the_size_and_divides_the_times() -> None:
    from benchmarks.bench_regen import doubling_ratios, sizes

    assert sizes(1000, 7000) == [1, 2, 4, 8]  # the first size at or past the target is measured
    assert sizes(1000, 500) == [1]
    assert doubling_ratios([1.0, 2.0, 8.0]) == [None, 2.0, 4.0]
    assert doubling_ratios([0.0, 1.0]) == [None, None]


def test_handwritten_notes_vary_by_seed_and_cite_the_files() -> None:
    files = [("vllm/core/block_manager.py", 300), ("vllm/block.py", 80)]
    files += [(f"vllm/f{i}.py", 50) for i in range(9)]
    sha = "a" * 40
    one, again, other = (handwritten_notes(s, files, sha) for s in (1, 1, 2))
    assert one == again and one != other
    assert f"Commit: {sha}" in one and "## vllm/core/block_manager.py" in one
    assert [n for n in range(1, 6) if f"## Q{n}. " in one] == [1, 2, 3, 4, 5]
    assert "## Closing: back to the theory" in one and "<!-- annotate:" not in one
    assert len(one.split()) > 1500


def test_era_benchmark_names_release_commits() -> None:
    """The eras the cold-run table prints are the releases of queries/releases.toml they claim to be."""
    from benchmarks.bench_eras import ERAS
    from benchmarks.run import RELEASES

    releases = dict(load_releases(RELEASES.read_text(encoding="utf-8")))
    assert [releases.get(version) for version, _ in ERAS] == [sha for _, sha in ERAS]

"""Where each part of a student's old notes goes in the new skeleton: the plan a merge fills and assembles.

Its own module so that the merge (regen/merge.py) and the "code changed" decisions (regen/mergeflags.py)
share it without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from annotator.regen.oldnotes import Part


@dataclass
class Plan:
    """The old notes sorted by where their text goes in the new skeleton."""

    free: str = ""
    slots: dict[str, list[str]] = field(default_factory=dict)  # new slot key -> old bodies
    after: dict[str, list[str]] = field(default_factory=dict)  # new gen key -> old after-texts
    edited: dict[str, Part] = field(default_factory=dict)  # new gen key -> old hand-edited block
    flags: dict[str, Part] = field(default_factory=dict)  # new section key -> old flag block
    source: dict[str, str] = field(default_factory=dict)  # new section key -> old section key
    orphans: dict[str, list[str]] = field(default_factory=dict)  # orphan key -> texts
    orphan_raw: dict[str, str] = field(default_factory=dict)  # orphan key -> hand-edited gen block
    orphans_raw: str = ""  # the hand-edited "orphans" block, if any
    new_orphans: list[str] = field(default_factory=list)
    fresh: set[str] = field(default_factory=set)  # orphan keys made by this merge
    warnings: list[str] = field(default_factory=list)
    old_keys: set[str] = field(default_factory=set)  # every key of the old notes
    new_keys: set[str] = field(default_factory=set)  # every key of the new skeleton

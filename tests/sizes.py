"""Measure a notes skeleton the way issue 14 bounds it: size, stubs, method sections, and per mermaid
block the participants and messages (sequence diagrams) or classes (class diagrams)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from annotator.notes.markers import STUB

_BLOCK = re.compile(r"```mermaid\n(.*?)```", re.S)
_PARTICIPANT = re.compile(r"^\s*participant \S+", re.M)
_MESSAGE = re.compile(r"^\s*\S+-[->]+[+-]?\S+:", re.M)
_CLASS = re.compile(r"^\s*class \S+", re.M)

BOUNDS = {"kb": 200, "stubs": 150, "participants": 7, "messages": 45, "classes": 12}


@dataclass(frozen=True)
class Sizes:
    kb: int
    stubs: int
    methods: int
    sequences: tuple[tuple[int, int], ...]  # (participants, messages) per sequence diagram
    classes: tuple[int, ...]  # classes per class diagram

    def row(self) -> str:
        seq = " + ".join(f"{p} / {m}" for p, m in self.sequences)
        cls = " + ".join(str(c) for c in self.classes)
        return f"{self.kb} KB | {self.stubs} | {self.methods} | {seq} | {cls}"

    def over(self) -> list[str]:
        out = []
        if self.kb > BOUNDS["kb"]:
            out.append(f"{self.kb} KB")
        if self.stubs > BOUNDS["stubs"]:
            out.append(f"{self.stubs} stubs")
        for p, m in self.sequences:
            if p > BOUNDS["participants"] or m > BOUNDS["messages"]:
                out.append(f"sequence diagram {p} participants / {m} messages")
        out += [f"class diagram of {c} classes" for c in self.classes if c > BOUNDS["classes"]]
        return out


def measure(notes: str) -> Sizes:
    sequences, classes = [], []
    for block in _BLOCK.findall(notes):
        if block.startswith("sequenceDiagram"):
            sequences.append((len(_PARTICIPANT.findall(block)), len(_MESSAGE.findall(block))))
        elif block.startswith("classDiagram"):
            classes.append(len(_CLASS.findall(block)))
    return Sizes(
        kb=round(len(notes.encode("utf-8")) / 1024),
        stubs=notes.count(STUB),
        methods=len(re.findall(r"^<!-- annotate:gen method:", notes, re.M)),
        sequences=tuple(sequences),
        classes=tuple(classes),
    )

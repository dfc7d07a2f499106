"""Hand-written notes files in the marker format, for the graders' tests (about tests/fixtures/era1)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from annotator.notes.markers import gen, slot, stub

BM = "vllm/core/block_manager.py"
WORDS = (
    "allocator", "block", "table", "physical", "logical", "page", "memory", "request", "sequence",
    "token", "free", "list", "reference", "count", "swap", "device", "scheduler", "watermark",
    "eviction", "copy", "write", "fork", "parent", "child", "mapping", "kernel", "cache", "slot",
    "growth", "budget", "paper", "claim", "invariant", "prompt", "decode", "batch", "fragment", "share",
    "preempt", "recompute", "because", "therefore", "while", "whereas", "every", "each", "when", "then",
    "only", "never", "always", "keeps", "holds", "returns", "moves",
)


def prose(n: int, seed: int = 0) -> str:
    """n invented words in sentences of twelve, one paragraph per 60 words."""
    rng = random.Random(seed)
    words = [rng.choice(WORDS) for _ in range(n)]
    out: list[str] = []
    for i in range(0, n, 12):
        chunk = words[i : i + 12]
        out.append(" ".join(chunk).capitalize() + ".")
        out.append("\n\n" if (i // 12) % 5 == 4 else " ")
    return "".join(out).rstrip() + "\n"


@dataclass
class Notes:
    """An honest notes file; change the parts to make one defect at a time."""

    sha: str
    header: str | None = None  # None: the usual header with the commit line
    holds: str = ""
    does: str = ""
    answers: dict[int, str | None] = field(default_factory=dict)  # None drops the slot
    closing: str | None = ""  # "": invented prose; None drops the slot
    extra: str = ""  # text after the file block
    words: int = 1800

    def text(self) -> str:
        header = self.header if self.header is not None else (
            "# Annotated read\n\n| | |\n|---|---|\n"
            f"| commit | [`{self.sha}`](https://github.com/vllm-project/vllm/tree/{self.sha}) |\n"
            "| commit date | 2024-03-01T12:00:00Z |\n"
        )
        share = self.words // 6
        parts = [
            gen("header", header),
            gen(f"file:{BM}", f"## `{BM}`\n\n"),
            prose(share, 1) + self.extra,
            gen(f"class:{BM}::BlockAllocator", "### class `BlockAllocator`\n\n"),
            slot(f"class:{BM}::BlockAllocator/holds", stub("What does it hold?") + self.holds
                 + "It keeps a free list, set up at L17-L20 of its constructor.\n\n" + prose(share, 2)),
            gen(f"method:{BM}::BlockSpaceManager.allocate", "#### `allocate(self, seq_group)`\n\n"),
            slot(f"method:{BM}::BlockSpaceManager.allocate/does",
                 stub("What does it do?") + self.does + "It takes one block per logical block (L81-L84).\n\n"
                 + prose(share, 3)),
            slot(f"method:{BM}::BlockSpaceManager.allocate/invariants", stub("Invariants?") + "\n"),
        ]
        defaults = {
            1: f"Blocks come off the free list in `block_manager.py` L22-L27.\n\n{prose(share // 2, 11)}",
            2: f"Swapping out moves blocks to the CPU: {BM}:137-147.\n\n{prose(share // 2, 12)}",
            3: "Copy on write happens in [append_slot]"
               f"(https://github.com/vllm-project/vllm/blob/{self.sha}/{BM}#L105-L109).\n\n"
               f"{prose(share // 2, 13)}",
            4: f"The block table is a list, vllm/block.py#L39, kept per sequence.\n\n{prose(share // 2, 14)}",
            5: f"The kernel gets block numbers from `BlockSpaceManager.get_block_table` ({BM}:169-171).\n\n"
               f"{prose(share // 2, 15)}",
        }
        for qid in range(1, 6):
            parts.append(gen(f"q:{qid}", f"## Question {qid}\n\nWhere to look.\n\n"))
            answer = self.answers.get(qid, defaults[qid])
            if answer is not None:
                parts.append(slot(f"q:{qid}/answer", stub("Your answer, with line citations.") + answer))
        parts.append(gen("closing", "## Closing: back to the theory\n\n"))
        if self.closing is not None:
            closing = self.closing or prose(share, 20)
            parts.append(slot("closing/theory", stub("Tie the code back to the paper.") + closing))
        return "\n".join(parts)

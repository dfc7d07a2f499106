"""A toy history across three layouts, for merge tests: renamed files and classes, a symbol moved to
another file, deleted, moved (same code, new lines) and changed methods. Toy code, not vLLM's."""

from __future__ import annotations

from annotator.regen.spans import MergeContext
from tests.mergekit import ctx, with_skeleton

SHA_A = "a" * 40
SHA_B = "b" * 40
SHA_C = "c" * 40

_ALLOC = '''class BlockAllocator:
    """Free list."""

    def __init__(self, n):
        self.free_blocks = list(range(n))

    def allocate(self):
        return self.free_blocks.pop()

    def free(self, block):
        self.free_blocks.append(block)
'''

_STATUS = '''class AllocStatus:
    OK = 1
    LATER = 2
'''

_MANAGER = '''class BlockSpaceManager:
    """Block tables."""

    def __init__(self, n):
        self.gpu = BlockAllocator(n)
        self.block_tables = {}

    def can_allocate(self, seq):
        return len(seq) <= len(self.gpu.free_blocks)

    def allocate(self, seq):
        self.block_tables[seq] = [self.gpu.allocate()]

    def swap_in(self, seq):
        return {}

    def fork(self, parent, child):
        self.block_tables[child] = list(self.block_tables[parent])
'''

ERA_A = {
    "vllm/block.py": 'class PhysicalTokenBlock:\n    def __init__(self, n):\n        self.n = n\n',
    "vllm/core/block_manager.py": '"""Era A."""\n\n\n' + _ALLOC + "\n\n" + _STATUS + "\n\n" + _MANAGER,
}

_V1 = (
    _ALLOC.replace("class BlockAllocator:", "class UncachedBlockAllocator:").replace(
        "return self.free_blocks.pop()", "block = self.free_blocks.pop()\n        return block"
    )
    + "\n\n"
    + _MANAGER.replace("class BlockSpaceManager:", "class BlockSpaceManagerV1:")
    .replace("BlockAllocator(n)", "UncachedBlockAllocator(n)")
    .replace("    def swap_in(self, seq):\n        return {}\n\n", "")
    .replace("[self.gpu.allocate()]", "[self.gpu.allocate(), None]")
)

_V2 = '''class BlockSpaceManagerV2:
    """The new manager."""

    def can_allocate(self, seq):
        return True

    def allocate(self, seq):
        pass
'''

ERA_B = {
    "vllm/block.py": ERA_A["vllm/block.py"],
    "vllm/core/interfaces.py": "import enum\n\n\n" + _STATUS,
    "vllm/core/block_manager_v1.py": '"""Era B: moved down."""\nimport enum\n\n\n' + _V1,
    "vllm/core/block_manager_v2.py": _V2,
}

ERA_C = {
    "vllm/core/interfaces.py": ERA_B["vllm/core/interfaces.py"],
    "vllm/core/block_manager.py": "# SPDX\n"
    + _V2.replace("BlockSpaceManagerV2", "SelfAttnBlockSpaceManager").replace("pass", "return None"),
}


def contexts() -> dict[str, MergeContext]:
    return {
        "A": with_skeleton(ctx(SHA_A, "0.3.3", "v0-monolithic", ERA_A)),
        "B": with_skeleton(ctx(SHA_B, "0.4.0", "v0-dual-v1-v2", ERA_B)),
        "C": with_skeleton(ctx(SHA_C, "0.6.3.post1", "v0-v2-only", ERA_C)),
    }

"""vllm-annotator: static, line-anchored notes skeletons for vLLM's KV-cache allocator."""

__version__ = "0.1.0"

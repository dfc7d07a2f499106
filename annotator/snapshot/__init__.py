"""Stage 2, snapshot: one commit's allocator files read once (which files: the layouts query), the
vLLM version of the commit (tags, the release table, the source) and the manifest that records them.

May import: annotator core modules (errors, links, model, queries) and annotator.source.
"""

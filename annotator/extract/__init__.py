"""Stage 3a, extract: one source file -> a frozen FileModel, with libcst only, and the per-file
model cache that makes a second run skip libcst entirely.

This __init__ stays empty so that a cache hit (extract.cache) never imports libcst.
May import: annotator core modules (errors, links, model, queries).
"""

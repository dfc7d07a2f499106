"""Stage 3a, extract: one source file -> a frozen FileModel (libcst for allocator files, stdlib `ast`
for caller and hand-off files, the same model either way), and the per-file
model cache that makes a second run skip both readers.

This __init__ stays empty so that a cache hit (extract.cache) imports no reader.
May import: annotator core modules (errors, links, model, queries).
"""

"""Stage 3b, resolve: names across a commit's files (symbols), receiver types, call edges and the
networkx call graph; `analyze` runs extraction and resolution end to end for a snapshot; `lookup` finds
where a symbol is (shared by the skeleton's question leads and the graders' `cite`).

The call graph's home is `annotator.resolve.graph.call_graph`.
May import: annotator core modules, annotator.snapshot, annotator.extract.
"""

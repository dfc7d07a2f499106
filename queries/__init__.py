"""The declarative queries, shipped inside the package as `annotator.querydata` (read by annotator/queries.py)."""

"""Stage 1, source: git, local and remote. Open a repository (a path or a URL through a per-user
cache of partial clones), resolve refs to full SHAs, list trees and read blobs.

The only package that runs git. May import: annotator.errors (and nothing else of the package).
"""

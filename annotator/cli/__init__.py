"""The command line: parse arguments, run a stage pipeline, print, and write the user's files.

The only layer that prints or writes the user's files (notes, manifest, README); every stage below
returns data. May import every package. `annotator.cli:main` is the console script's entry point.
"""

from annotator.cli.main import main

__all__ = ["main"]

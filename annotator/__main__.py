"""`python -m annotator`: the same as the `annotate` command."""

from annotator.cli.main import main

raise SystemExit(main())

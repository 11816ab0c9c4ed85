"""``python -m evaluation``: the workbench's command line (see :mod:`evaluation.cli`)."""

from evaluation.cli import main

raise SystemExit(main())

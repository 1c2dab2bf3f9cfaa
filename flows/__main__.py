"""`python -m flows` is the same as the `jatsflow` command."""

import sys

from flows.cli import main

sys.exit(main())

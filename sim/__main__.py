"""``python -m sim`` is the ``opgaven`` command."""

import sys

from sim.cli import main

sys.exit(main())

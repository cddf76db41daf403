"""``python -m renaksi.cli``: the ``renaksi`` command."""

import sys

from renaksi.cli import main

sys.exit(main())

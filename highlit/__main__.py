"""``python -m highlit`` is the ``highlit`` command."""

import sys

from highlit.cli import main

sys.exit(main())

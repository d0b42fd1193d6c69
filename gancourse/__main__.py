"""``python -m gancourse``: see ``gancourse.cli``."""

import sys

from gancourse.cli import main

sys.exit(main())

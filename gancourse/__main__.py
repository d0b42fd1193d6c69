"""``python -m gancourse``: see ``gancourse.cli``.

命令行入口，见 ``gancourse.cli``。
"""

import sys

from gancourse.cli import main

if __name__ == "__main__":
    sys.exit(main())

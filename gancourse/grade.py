"""Grade a class: ``python -m gancourse.grade SUBMISSIONS_DIR [--out DIR]``.

批改全班作业：``python -m gancourse.grade 提交文件夹 [--out 输出文件夹]``。

The command lives in ``gancourse.course.grading.cli``; see its ``--help``.
"""

import sys

from gancourse.course.grading.cli import main

__all__ = ["main"]

if __name__ == "__main__":
    sys.exit(main())

"""Old import path of the student-copy tool: use ``gancourse.course.assign``.

学生版生成工具的旧导入路径：请改用 ``gancourse.course.assign``。

Kept so that ``from gancourse import assign`` and
``python -m gancourse.assign lessons/ student/`` keep working; every
name below is the very object defined in ``gancourse.course.assign``.
"""

import sys

from gancourse.course.assign import NOT_IMPLEMENTED
from gancourse.course.assign import SOLUTION_TAG
from gancourse.course.assign import STUB_TAG
from gancourse.course.assign import STUDENT_FOLDER
from gancourse.course.assign import STUDENT_NOTE
from gancourse.course.assign import build_student_copies
from gancourse.course.assign import main
from gancourse.course.assign import make_stub
from gancourse.course.assign import make_student_notebook

__all__ = [
    "NOT_IMPLEMENTED",
    "SOLUTION_TAG",
    "STUDENT_FOLDER",
    "STUDENT_NOTE",
    "STUB_TAG",
    "build_student_copies",
    "main",
    "make_stub",
    "make_student_notebook",
]

if __name__ == "__main__":
    sys.exit(main())

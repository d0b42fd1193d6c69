"""Old import path of the exercise checkers: use ``gancourse.course.exercises``.

练习检查器的旧导入路径：请改用 ``gancourse.course.exercises``。

Kept so that ``from gancourse import exercises`` (the lessons' check cells)
keeps working; every ``check_*`` here is the very object defined in
``gancourse.course.exercises``.
"""

from gancourse.course import exercises as _exercises
from gancourse.course.exercises import *  # noqa: F403 (the same names)

__all__ = list(_exercises.__all__)

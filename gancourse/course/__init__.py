"""Course tooling, kept apart from the library: checkers and student copies.

课程工具（与库代码分开）：练习检查器与学生版笔记本的生成。

``gancourse.course.exercises`` holds the ``check_*`` auto-checkers of the
graded exercises, one module per lesson (``lesson01`` ... ``lesson08``) plus
their shared ``harness``; ``gancourse.course.quiz`` is the quiz engine and
``gancourse.course.quizzes`` the lessons' question banks;
``gancourse.course.assign`` writes the student copies of the lessons
(``python -m gancourse.course.assign lessons/ student/``);
``gancourse.course.grading`` grades a class (``python -m gancourse.grade``),
reading the results that checkers and quizzes append to
``gancourse.course.gradelog``. Nothing is imported here, so importing this
package stays light; the old paths ``gancourse.exercises`` and
``gancourse.assign`` still work.
"""

"""Question banks of the lesson quizzes, one module per lesson.

各课测验的题库，每课一个模块。

``lesson01`` ... ``lesson08`` each define ``QUIZ``, a ``gancourse.course.quiz
.Quiz`` of five bilingual questions on that lesson. A lesson's quiz cells are
``QUIZ.cells()``; its check cell is::

    from gancourse.course.quizzes import lesson01

    score = lesson01.QUIZ.check(quiz_answers)

Nothing is imported here, so importing the package stays light.
"""

"""The class grader: run every student's notebooks and score them.

全班作业的评分程序：运行每位学生的笔记本并评分。

    python -m gancourse.grade SUBMISSIONS_DIR --out grades/ [--timeout 600]

- ``sandbox``: private copies of submissions, notebooks run in their own
  process groups with a wall-clock limit (``execute`` is the runner);
- ``grader``: one student: notebooks, grade log, capstone;
- ``capstone``: refuse unsafe ``.keras`` files, FID/KID scoring, tiers
  (``tiers.json``);
- ``report``: ``grades.csv`` and the bilingual per-student reports;
- ``cli``: the command line.

Nothing is imported here, so importing the package stays light.
"""

"""The grade log: one JSON line per checker or quiz run, when a grader asks.

成绩日志：当评分程序要求时，每次运行检查器或测验都追加一行 JSON。

The class grader (``python -m gancourse.grade``) runs every student notebook
with ``GANCOURSE_GRADE_LOG`` set to a file path. Each ``check_*`` run (through
``exercises.harness.run_cases``) and each ``Quiz.check`` then appends one line
such as ``{"kind": "exercise", "id": "lesson01.minimax_d_loss", "passed":
true, "score": 1.0, "max_score": 1.0}``. Without the variable nothing is
written, and a failed write is ignored: what a student sees never changes.

``read_log`` is the grader's side: it parses a log defensively (a student's
code runs in the same process and may write anything into the file).
"""

import json
import math
import os
import re

ENV_VAR = "GANCOURSE_GRADE_LOG"
KINDS = ("exercise", "quiz")
# 只接受形如 lesson01.minimax_d_loss 的编号 / Only ids like lesson01.name.
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,40}(\.[a-z][a-z0-9_]{0,60})?$")
MAX_LOG_BYTES = 1_000_000
MAX_ENTRIES = 2_000

__all__ = ["ENV_VAR", "read_log", "record"]


def record(kind, item, passed, score, max_score, **details):
    """Append one result to the grade log, if ``GANCOURSE_GRADE_LOG`` is set.

    若设置了 ``GANCOURSE_GRADE_LOG``，向成绩日志追加一条结果。

    Args:
        kind: "exercise" or "quiz".
        item: the id, e.g. "lesson01.minimax_d_loss" or "lesson01.quiz".
        passed: whether the whole item passed.
        score: points earned (0 or 1 for an exercise, correct answers for a
            quiz).
        max_score: points available.
        **details: extra JSON-serialisable fields (e.g. per-question results).
    """
    path = os.environ.get(ENV_VAR)
    if not path:
        return
    entry = {
        "kind": kind,
        "id": item,
        "passed": bool(passed),
        "score": float(score),
        "max_score": float(max_score),
    }
    entry.update(details)
    try:
        line = json.dumps(entry, sort_keys=True)
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(line + "\n")
    except (OSError, TypeError, ValueError):
        pass  # Grading must never change what a student sees.


def _valid(entry):
    if not isinstance(entry, dict) or entry.get("kind") not in KINDS:
        return False
    item = entry.get("id")
    if not isinstance(item, str) or not ID_PATTERN.match(item):
        return False
    score, max_score = entry.get("score"), entry.get("max_score")
    numbers = all(
        isinstance(value, (int, float)) and not isinstance(value, bool)
        for value in (score, max_score)
    )
    return (
        numbers
        and isinstance(entry.get("passed"), bool)
        and math.isfinite(score)
        and math.isfinite(max_score)
        and 0 <= score <= max_score <= 100
    )


def read_log(path):
    """The last valid entry per id of a grade log: {id: entry}.

    读取成绩日志：每个编号取最后一条有效记录，返回 {编号: 记录}。

    Lines that are not JSON, entries of the wrong shape, and anything after
    the first ``MAX_LOG_BYTES`` bytes or ``MAX_ENTRIES`` lines are ignored;
    a missing file gives ``{}``.
    """
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_LOG_BYTES)
    except OSError:
        return {}
    results = {}
    for line in data.decode("utf-8", "replace").splitlines()[:MAX_ENTRIES]:
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if _valid(entry):
            results[entry["id"]] = entry
    return results

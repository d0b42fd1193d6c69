"""The committed student copies (``student/``) match the lessons.

提交的学生版（``student/``）与课程笔记本一致，Colab 按钮打开学生版。

``make student`` writes them; when a lesson changes, run it again.
"""

import json
import re
from pathlib import Path

import pytest

from gancourse.course import assign

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "lessons").glob("[0-9][0-9]_*.ipynb"))
BADGE = re.compile(r"https://colab\.research\.google\.com/github/\S+?\.ipynb")


def _load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def _text(cell):
    source = cell["source"]
    return source if isinstance(source, str) else "".join(source)


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.name)
def test_student_copy_is_current(lesson):
    copy = ROOT / "student" / lesson.name
    assert copy.is_file(), f"missing {copy}: run `make student`"
    expected = assign.make_student_notebook(_load(lesson))
    assert _load(copy) == expected, f"{copy} is stale: run `make student`"


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.name)
def test_student_badge_opens_the_student_copy(lesson):
    notebook = _load(ROOT / "student" / lesson.name)
    first = _text(notebook["cells"][0])
    badges = BADGE.findall(first)
    assert badges == [
        BADGE.findall(_text(_load(lesson)["cells"][0]))[0].replace(
            "/lessons/", "/student/"
        )
    ]
    assert badges[0].endswith(f"/blob/main/student/{lesson.name}")
    assert assign.STUDENT_NOTE in first
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None
            assert "solution" not in cell["metadata"].get("tags", [])


def test_student_copy_of_a_student_copy_is_unchanged():
    lesson = _load(LESSONS[0])
    once = assign.make_student_notebook(lesson)
    assert assign.make_student_notebook(once) == once
    assert once != lesson

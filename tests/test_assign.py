"""Student copies and graded exercises, checked without starting kernels.

学生版与分级练习的检查（不启动内核）。

The cells are executed with ``exec`` in a namespace holding the lessons'
imports: every reference solution must pass its checker, every student stub
must fail it, and plausible wrong answers must fail too.
"""

import ast
import io
import json
import re
from contextlib import redirect_stdout
from pathlib import Path

import keras
import numpy as np
import pytest
import scipy.linalg
import tensorflow as tf

from gancourse.course import assign
from gancourse.course import exercises
from tests.test_exercises_lesson01 import WRONG_ANSWERS as LESSON01_WRONG
from tests.test_exercises_lesson02 import WRONG_ANSWERS as LESSON02_WRONG
from tests.test_exercises_lesson03 import WRONG_ANSWERS as LESSON03_WRONG
from tests.test_exercises_lesson04 import WRONG_ANSWERS as LESSON04_WRONG
from tests.test_exercises_lesson05 import WRONG_ANSWERS as LESSON05_WRONG
from tests.test_exercises_lesson06 import WRONG_ANSWERS as LESSON06_WRONG
from tests.test_exercises_lesson07 import WRONG_ANSWERS as LESSON07_WRONG
from tests.test_exercises_lesson08 import WRONG_ANSWERS as LESSON08_WRONG
from tests.test_exercises_lesson09 import WRONG_ANSWERS as LESSON09_WRONG
from tests.test_exercises_lesson10 import WRONG_ANSWERS as LESSON10_WRONG
from tests.test_exercises_lesson11 import WRONG_ANSWERS as LESSON11_WRONG

LESSON_DIR = Path(__file__).parent.parent / "lessons"
LESSONS = sorted(LESSON_DIR.glob("[0-9][0-9]_*.ipynb"))
# 结课项目按 FID 评分，没有检查器和测验 / The capstone is graded by FID:
# it has no checkers and no quiz.
PROJECTS = {"12_capstone.ipynb"}
GRADED = [path for path in LESSONS if path.name not in PROJECTS]
CHECK_CALL = re.compile(r"exercises\.(check_\w+)\((\w+)\)")
STARS = re.compile(r"^###[^\n]*?(★+)")


def _source(cell):
    source = cell["source"]
    return "".join(source) if isinstance(source, list) else source


def _namespace():
    return {"np": np, "keras": keras, "tf": tf, "scipy": scipy}


def _exercises(notebook):
    """(markdown, solution cell, checker, function name) per exercise."""
    cells = notebook["cells"]
    found = []
    for index, cell in enumerate(cells):
        if "solution" not in cell.get("metadata", {}).get("tags", []):
            continue
        markdown, checker = cells[index - 1], cells[index + 1]
        match = CHECK_CALL.search(_source(checker))
        assert markdown["cell_type"] == "markdown", index
        assert match, f"cell {index + 1} must call exercises.check_*(fn)"
        found.append((_source(markdown), cell, match[1], match[2]))
    return found


def _check(checker, function):
    buffer = io.StringIO()
    with redirect_stdout(buffer):
        result = getattr(exercises, checker)(function)
    return result, buffer.getvalue()


@pytest.fixture(scope="module")
def student_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("student")
    assert assign.main([str(LESSON_DIR), str(out)]) == 0
    return out


@pytest.mark.parametrize("path", GRADED, ids=lambda p: p.name)
def test_lesson_ends_with_graded_exercises(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    found = _exercises(notebook)
    assert len(found) >= 3, "each lesson needs at least 3 graded exercises"
    ratings = []
    for markdown, _, _, _ in found:
        stars = STARS.match(markdown)
        assert stars, f"exercise heading without a star rating: {markdown[:60]}"
        assert re.search(r"练习", markdown) and "Exercise" in markdown
        ratings.append(len(stars[1]))
    assert {1, 2, 3} <= set(ratings), f"graded difficulty: {ratings}"
    assert ratings == sorted(ratings), "from easy to hard"
    # The last cell of the lesson is the last exercise's checker.
    assert CHECK_CALL.search(_source(notebook["cells"][-1]))
    headings = [
        _source(cell).splitlines()[0]
        for cell in notebook["cells"]
        if cell["cell_type"] == "markdown" and _source(cell).startswith("## ")
    ]
    assert headings[-2:] == ["## 小结 / Summary", "## 练习 / Exercises"]


@pytest.mark.parametrize("path", GRADED, ids=lambda p: p.name)
def test_student_copy_round_trip(path, student_dir):
    original = json.loads(path.read_text(encoding="utf-8"))
    student = json.loads((student_dir / path.name).read_text(encoding="utf-8"))
    assert "gancourse" not in student["metadata"]
    assert len(student["cells"]) == len(original["cells"])
    quizzes = 0
    for index, (before, after) in enumerate(
        zip(original["cells"], student["cells"])
    ):
        assert before["cell_type"] == after["cell_type"]
        if after["cell_type"] != "code" and index == 0:
            # 按钮打开学生版，并说明这是学生版 / The badge opens the
            # student copy, and a line says this is the student copy.
            text = _source(after)
            assert assign.STUDENT_NOTE in text
            assert text.replace("\n\n" + assign.STUDENT_NOTE, "", 1) == (
                _source(before).replace(
                    "/blob/main/lessons/", "/blob/main/student/"
                )
            )
            continue
        if after["cell_type"] != "code":
            assert after == before
            continue
        assert after["outputs"] == [] and after["execution_count"] is None
        tags = after.get("metadata", {}).get("tags", [])
        assert "solution" not in tags and "quiz-solution" not in tags
        if not {"exercise", "quiz"} & set(tags):
            assert _source(after) == _source(before)
        if "quiz" in tags:  # 测验答案全部清空 / Every quiz answer is blanked.
            namespace = {}
            exec(_source(after), namespace)  # noqa: S102 - our own cells.
            answers = namespace["quiz_answers"]
            assert answers and set(answers.values()) == {None}
            quizzes += 1
    assert quizzes == 1, "each lesson has one quiz"

    solutions, stubs = _namespace(), _namespace()
    student_exercises = _exercises_by_tag(student)
    reference = _exercises(original)
    assert len(student_exercises) == len(reference)
    for (_, cell, checker, name), stub in zip(reference, student_exercises):
        exec(_source(cell), solutions)  # noqa: S102 - our own lesson cells.
        passed, text = _check(checker, solutions[name])
        assert passed is True and text.startswith("PASS: "), text

        stub_source = _source(stub)
        assert "# TODO" in stub_source and "NotImplementedError" in stub_source
        assert _signature(stub_source, name) == _signature(_source(cell), name)
        exec(stub_source, stubs)  # noqa: S102
        with pytest.raises(NotImplementedError, match="Exercise: implement"):
            _call_anything(stubs[name])
        failed, text = _check(checker, stubs[name])
        assert failed is False, text
        assert text.startswith("FAIL: ") and "not implemented" in text, text
        assert "Hint: " in text and text.isascii()


def _exercises_by_tag(notebook):
    return [
        cell
        for cell in notebook["cells"]
        if "exercise" in cell.get("metadata", {}).get("tags", [])
    ]


def _signature(source, name):
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            return ast.dump(node.args), ast.get_docstring(node)
    raise AssertionError(f"{name} not defined")


def _call_anything(function):
    count = function.__code__.co_argcount - len(function.__defaults__ or ())
    function(*([None] * count))


def test_every_checker_is_used_by_a_lesson():
    used = set()
    for path in LESSONS:
        notebook = json.loads(path.read_text(encoding="utf-8"))
        used |= {checker for _, _, checker, _ in _exercises(notebook)}
    assert used == set(exercises.__all__)


# 每课的错误答案表在它自己的测试文件里 / Each lesson's wrong-answer table
# lives in its own test file (tests/test_exercises_lessonNN.py).
WRONG_ANSWERS = {}
for table in (
    LESSON01_WRONG,
    LESSON02_WRONG,
    LESSON03_WRONG,
    LESSON04_WRONG,
    LESSON05_WRONG,
    LESSON06_WRONG,
    LESSON07_WRONG,
    LESSON08_WRONG,
    LESSON09_WRONG,
    LESSON10_WRONG,
    LESSON11_WRONG,
):
    WRONG_ANSWERS.update(table)


def test_every_checker_has_wrong_answers():
    assert set(WRONG_ANSWERS) == set(exercises.__all__)


@pytest.mark.parametrize(
    "checker, index",
    [
        (name, i)
        for name, wrong in WRONG_ANSWERS.items()
        for i in range(len(wrong))
    ],
)
def test_checkers_fail_on_plausible_wrong_answers(checker, index):
    with np.errstate(all="ignore"):
        passed, text = _check(checker, WRONG_ANSWERS[checker][index])
    assert passed is False, text
    assert text.startswith("FAIL: ") and "Hint: " in text, text
    assert text.count("\n") == 1 and text.isascii(), text


def test_checker_reports_exceptions_and_rejects_non_callables():
    def broken(real_logits, fake_logits):
        raise KeyError("boom")

    passed, text = _check("check_minimax_d_loss", broken)
    assert passed is False
    assert "raised KeyError" in text and "Hint:" in text
    passed, text = _check("check_one_hot", lambda labels, k: "not an array")
    assert passed is False and text.startswith("FAIL: ")
    with pytest.raises(ValueError, match="expects a function"):
        exercises.check_kid(np.zeros(3))


def test_checker_output_is_deterministic():
    def psnr(predicted, target, max_val=2.0):
        return 0.0

    outputs = {_check("check_psnr", psnr)[1] for _ in range(2)}
    assert len(outputs) == 1


def test_make_stub_rejects_cells_it_cannot_stub():
    with pytest.raises(ValueError, match="only imports and function"):
        assign.make_stub("x = 1\n\ndef f():\n    return x\n")
    with pytest.raises(ValueError, match="at least one function"):
        assign.make_stub("import numpy as np\n")
    with pytest.raises(ValueError, match="valid Python"):
        assign.make_stub("def f(:\n")
    stub = assign.make_stub(
        "import math\n\ndef f(a, b=2):\n    return a\n\n"
        "def g():\n    '''Doc.'''\n    return 1\n"
    )
    namespace = {}
    exec(stub, namespace)  # noqa: S102
    assert "import math" in stub and namespace["g"].__doc__ == "Doc."
    for name in ("f", "g"):
        with pytest.raises(NotImplementedError, match=name):
            _call_anything(namespace[name])


def test_assign_errors(tmp_path, capsys):
    assert assign.main([str(tmp_path / "missing"), str(tmp_path / "o")]) == 2
    assert "does not exist" in capsys.readouterr().err
    empty = tmp_path / "empty"
    empty.mkdir()
    assert assign.main([str(empty), str(tmp_path / "o")]) == 2
    assert "No lesson notebooks" in capsys.readouterr().err
    for inside in (LESSON_DIR, LESSON_DIR / "student"):
        with pytest.raises(ValueError, match="must not be the input folder"):
            assign.build_student_copies(LESSON_DIR, inside)
    (tmp_path / "file").write_text("x")
    with pytest.raises(ValueError, match="is a file"):
        assign.build_student_copies(LESSON_DIR, tmp_path / "file")
    bad = tmp_path / "bad"
    bad.mkdir()
    notebook = {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": 1,
                "metadata": {"tags": ["solution"]},
                "outputs": [],
                "source": ["print('no function here')"],
            }
        ],
        "metadata": {},
    }
    (bad / "01_bad.ipynb").write_text(json.dumps(notebook))
    with pytest.raises(ValueError, match="01_bad.ipynb: A solution cell"):
        assign.build_student_copies(bad, tmp_path / "out")

"""The quiz engine and the lesson quizzes (one bank per lesson).

测验引擎与各课的测验题库。
"""

import importlib
import io
import json
import re
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from gancourse.course import assign
from gancourse.course import gradelog
from gancourse.course import quiz
from gancourse.course.quiz import Question
from gancourse.course.quiz import Quiz
from tests.test_bilingual import comparable_length
from tests.test_bilingual import heading_is_bilingual
from tests.test_bilingual import load_glossary
from tests.test_bilingual import term_problems
from tests.test_lesson_claims import claims
from tests.test_lesson_claims import math_errors

QUIZ_DIR = Path(quiz.__file__).parent / "quizzes"
LESSONS = sorted(path.stem for path in QUIZ_DIR.glob("lesson[0-9][0-9].py"))


def _bank(name):
    return importlib.import_module(f"gancourse.course.quizzes.{name}").QUIZ


def _run(function, *args, **kwargs):
    buffer = io.StringIO()
    with redirect_stdout(buffer):
        result = function(*args, **kwargs)
    return result, buffer.getvalue()


def _small_quiz():
    return Quiz(
        "lesson99",
        [
            Question(
                "选哪个？",
                "Which one?",
                choices=[("甲", "first"), ("乙", "second"), "$x^2$"],
                answer="b",
                explanation_zh="因为乙。",
                explanation_en="SECRET-B because of the second.",
            ),
            Question(
                "多少？",
                "How much?",
                answer=0.5,
                tolerance=0.01,
                explanation_zh="一半。",
                explanation_en="SECRET-HALF: one half.",
            ),
        ],
    )


def test_right_wrong_and_unanswered_answers():
    small = _small_quiz()
    score, text = _run(small.check, {"q1": "B", "q2": None})
    assert score == 1
    assert "PASS: q1 (your answer: 'B')." in text
    assert 'TODO: q2 is not answered yet: set quiz_answers["q2"].' in text
    assert "SECRET-B" in text and "SECRET-HALF" not in text
    assert "1/2 correct, 0 answered wrong, 1 not answered yet" in text
    score, text = _run(small.check, {"q1": "a", "q2": "0.505"})
    assert score == 1 and "FAIL: q1" in text and "PASS: q2" in text
    assert text.isascii()
    score, text = _run(small.check, ["c", 0.52])
    assert score == 0 and "SECRET-HALF" in text


def test_nothing_is_revealed_before_an_attempt():
    small = _small_quiz()
    _, text = _run(small.check, {"q1": None, "q2": ""})
    assert "SECRET" not in text and "Why" not in text
    _, text = _run(small.check, {"q1": "z", "q2": "half"})
    assert "SECRET" not in text
    assert "q1 answer 'z' is not one of a, b, c" in text
    assert "SECRET" not in small.markdown()
    assert "SECRET" not in small.answer_source(solution=False)


def test_ask_checks_one_question_and_languages():
    small = _small_quiz()
    passed, text = _run(small.ask, "q2", 0.49, language="zh")
    assert passed is True and "一半" in text
    _, text = _run(small.ask, "q1", "a", language="both")
    assert "因为乙" in text and "SECRET-B" in text
    with pytest.raises(ValueError, match="Received: key='q3'"):
        small.ask("q3", "a")
    with pytest.raises(ValueError, match="language"):
        small.check({}, language="fr")
    with pytest.raises(ValueError, match=r"Received: \['q7'\]"):
        small.check({"q7": "a"})


def test_bad_questions_are_refused():
    with pytest.raises(ValueError, match="answer='e'"):
        Question("题", "Q?", choices=["a", "b"], answer="e")
    with pytest.raises(ValueError, match="numeric"):
        Question("题", "Q?", answer="0.5")
    with pytest.raises(ValueError, match="ASCII"):
        Question("题", "Q?", answer=1, explanation_en="σ is not ASCII")
    with pytest.raises(ValueError, match="quiz_id"):
        Quiz("Lesson 1", [Question("题", "Q?", answer=1)])


def test_grade_log_records_quiz_results(tmp_path, monkeypatch):
    log = tmp_path / "grade.jsonl"
    monkeypatch.setenv(gradelog.ENV_VAR, str(log))
    _run(_small_quiz().check, {"q1": "b", "q2": 3})
    entry = gradelog.read_log(log)["lesson99.quiz"]
    assert entry["score"] == 1 and entry["max_score"] == 2
    assert entry["questions"] == {"q1": "correct", "q2": "wrong"}
    assert entry["passed"] is False


def test_grade_log_is_silent_without_the_variable(tmp_path, monkeypatch):
    monkeypatch.delenv(gradelog.ENV_VAR, raising=False)
    monkeypatch.chdir(tmp_path)
    _, with_nothing = _run(_small_quiz().check, {"q1": "b"})
    monkeypatch.setenv(gradelog.ENV_VAR, str(tmp_path / "no" / "dir.jsonl"))
    _, with_bad_path = _run(_small_quiz().check, {"q1": "b"})
    assert with_nothing == with_bad_path
    assert list(tmp_path.iterdir()) == []


def test_read_log_ignores_garbage(tmp_path):
    log = tmp_path / "log.jsonl"
    good = {"kind": "exercise", "id": "lesson01.x", "passed": True}
    lines = [
        "not json",
        json.dumps(dict(good, score=1, max_score=1)),
        json.dumps(dict(good, score=5, max_score=1)),  # Score > max.
        json.dumps(dict(good, id="../../etc", score=1, max_score=1)),
        json.dumps(dict(good, kind="bonus", score=1, max_score=1)),
        json.dumps(dict(good, passed="yes", score=1, max_score=1)),
        json.dumps([1, 2]),
    ]
    log.write_text("\n".join(lines) + "\n")
    assert list(gradelog.read_log(log)) == ["lesson01.x"]
    assert gradelog.read_log(tmp_path / "missing") == {}


def test_answer_cell_is_blanked_in_the_student_copy():
    bank = _bank("lesson01")
    cells = bank.cells()
    assert [cell["cell_type"] for cell in cells] == [
        "markdown",
        "code",
        "code",
    ]
    assert cells[1]["metadata"]["tags"] == [quiz.SOLUTION_TAG]
    notebook = {"cells": cells, "metadata": {}, "nbformat": 4}
    student = assign.make_student_notebook(notebook)
    answers = "".join(student["cells"][1]["source"])
    assert student["cells"][1]["metadata"]["tags"] == [quiz.STUB_TAG]
    assert student["cells"][0] == cells[0] and student["cells"][2] == cells[2]
    namespace = {}
    exec(answers, namespace)  # noqa: S102 - our own generated cell.
    assert namespace["quiz_answers"] == {key: None for key in bank.questions}
    for question in bank.questions.values():
        assert repr(question.answer) not in answers.split("\n", 1)[1]
    with pytest.raises(ValueError, match="only `name = "):
        quiz.blank_answer_cell("quiz_answers = {'q1': 'a'}\nprint(1)")


@pytest.mark.parametrize("name", LESSONS)
def test_bank_answers_pass_and_blanks_fail(name):
    bank = _bank(name)
    assert bank.quiz_id == name and len(bank.questions) == 5
    namespace = {}
    exec(bank.answer_source(), namespace)  # noqa: S102
    score, text = _run(bank.check, namespace["quiz_answers"])
    assert score == 5, text
    assert text.isascii() and text.count("Why:") == 5
    exec(quiz.blank_answer_cell(bank.answer_source()), namespace)  # noqa: S102
    score, text = _run(bank.check, namespace["quiz_answers"])
    assert score == 0 and "Why" not in text and text.count("TODO") == 5


@pytest.mark.parametrize("name", LESSONS)
def test_bank_markdown_follows_the_lesson_rules(name):
    text = _bank(name).markdown()
    terms, variants = load_glossary()
    assert comparable_length(text)
    assert term_problems(text, terms) == []
    assert all(
        heading_is_bilingual(line)
        for line in text.splitlines()
        if line.startswith("#")
    )
    assert claims(text) == []  # Numbers sit in $...$: no stale claims.
    cell = {"cell_type": "markdown", "source": text}
    assert math_errors({"cells": [cell]}) == []
    assert not [avoid for avoid in variants if avoid in text]


def test_multiple_choice_answers_are_spread_out():
    letters = [
        question.answer
        for name in LESSONS
        for question in _bank(name).questions.values()
        if question.choices is not None
    ]
    assert len(letters) >= 16
    assert max(letters.count(letter) for letter in "abcd") < len(letters) / 2


@pytest.mark.parametrize("name", LESSONS)
def test_questions_are_bilingual(name):
    for question in _bank(name).questions.values():
        assert re.search(r"[\u4e00-\u9fff]", question.prompt_zh)
        assert re.search(r"[\u4e00-\u9fff]", question.explanation_zh)
        assert question.explanation_en and question.prompt_en.isascii()

"""Bilingual quizzes: multiple-choice and numeric questions, auto-checked.

双语测验：选择题与数值题，自动检查，作答后给出解释。

A lesson's quiz has three cells, all built by ``Quiz.cells()``: a markdown
cell with the questions (Chinese and English), a code cell tagged
``quiz-solution`` holding the answers, ``quiz_answers = {"q1": "b", ...}``,
and a check cell ``score = lessonNN.QUIZ.check(quiz_answers)``. The student
copy (``gancourse.course.assign``) blanks every answer to ``None``.

``Quiz.check`` prints one ASCII line per question, ``PASS``, ``FAIL`` or
``TODO`` (not answered yet), then ``Why: ...`` only after an attempt, so
the correct answer is never shown before the student has answered.
"""

import ast
import math
import textwrap

from gancourse.course import gradelog

ANSWERS_NAME = "quiz_answers"
SOLUTION_TAG = "quiz-solution"
STUB_TAG = "quiz"
LETTERS = "abcdefgh"
LANGUAGES = ("en", "zh", "both")

__all__ = ["Question", "Quiz", "blank_answer_cell"]


class Question:
    """One quiz question: multiple choice (a letter) or numeric (a number).

    一道测验题：选择题（答一个字母）或数值题（答一个数，允许误差）。

    Args:
        prompt_zh: the question in Chinese (markdown; math in ``$...$``).
        prompt_en: the question in English (markdown, ASCII).
        choices: for multiple choice, a list of ``(chinese, english)`` pairs,
            or of plain strings used in both languages; ``None`` for a
            numeric question.
        answer: the correct letter ("a", "b", ...) for multiple choice, or
            the correct number for a numeric question.
        tolerance: numeric questions only: the largest accepted absolute
            error.
        explanation_zh: why the answer is right, in Chinese.
        explanation_en: the same in English (ASCII, printed by ``check``).
    """

    def __init__(
        self,
        prompt_zh,
        prompt_en,
        choices=None,
        answer=None,
        tolerance=0.0,
        explanation_zh="",
        explanation_en="",
    ):
        if not (
            prompt_zh and prompt_en and (prompt_en + explanation_en).isascii()
        ):
            raise ValueError(
                "A question needs a Chinese prompt and an ASCII English prompt "
                f"and explanation. Received: prompt_en={prompt_en!r}"
            )
        if choices is not None:
            choices = [
                (c, c) if isinstance(c, str) else tuple(c) for c in choices
            ]
            letters = LETTERS[: len(choices)]
            if not 2 <= len(choices) <= len(LETTERS) or answer not in letters:
                raise ValueError(
                    f"A multiple-choice answer must be one of {list(letters)} "
                    f"(2 to {len(LETTERS)} choices). Received: "
                    f"answer={answer!r}, choices={len(choices)}"
                )
        elif not _is_number(answer) or not tolerance >= 0:
            raise ValueError(
                "A numeric question needs a number answer and a tolerance "
                f">= 0. Received: answer={answer!r}, tolerance={tolerance!r}"
            )
        self.prompt_zh, self.prompt_en = prompt_zh, prompt_en
        self.choices, self.answer = choices, answer
        self.tolerance = float(tolerance)
        self.explanation_zh, self.explanation_en = (
            explanation_zh,
            explanation_en,
        )

    def grade(self, response):
        """ "correct", "wrong", "unanswered" or "invalid" for a response.

        判定一个回答："correct"、"wrong"、"unanswered" 或 "invalid"。
        """
        if response is None or (
            isinstance(response, str) and not response.strip()
        ):
            return "unanswered"
        if self.choices is not None:
            if not isinstance(response, str):
                return "invalid"
            letter = response.strip().strip("()").lower()
            if len(letter) != 1 or letter not in LETTERS[: len(self.choices)]:
                return "invalid"
            return "correct" if letter == self.answer else "wrong"
        value = _to_number(response)
        if value is None:
            return "invalid"
        error = abs(value - float(self.answer))
        limit = self.tolerance + 1e-9 * max(1.0, abs(float(self.answer)))
        return "correct" if error <= limit else "wrong"

    def expected_form(self):
        letters = ", ".join(LETTERS[: len(self.choices or [])])
        return "a number" if self.choices is None else f"one of {letters}"

    def explanation(self, language="en"):
        zh, en = self.explanation_zh, self.explanation_en
        return {"en": en, "zh": zh, "both": f"{zh} / {en}"}[language]

    def markdown(self, number):
        lines = [f"**{number}.** {self.prompt_zh}", "", self.prompt_en]
        if self.choices is not None:
            lines.append("")
            for letter, (zh, en) in zip(LETTERS, self.choices):
                text = zh if zh == en else f"{zh} / {en}"
                lines.append(f"- ({letter}) {text}")
        else:
            lines += ["", "（填一个数 / Answer with a number.）"]
        return "\n".join(lines)


class Quiz:
    """A lesson's quiz: a few ``Question``s checked together.

    一节课的测验：若干道 ``Question``，一起检查并给出解释。

    Args:
        quiz_id: the quiz's id in the grade log, e.g. "lesson01".
        questions: list of ``Question``; their keys are "q1", "q2", ...
    """

    def __init__(self, quiz_id, questions):
        if not gradelog.ID_PATTERN.match(str(quiz_id)) or not questions:
            raise ValueError(
                "A quiz needs an id like 'lesson01' and at least one "
                f"question. Received: quiz_id={quiz_id!r}, "
                f"questions={len(questions or [])}"
            )
        self.quiz_id = quiz_id
        self.questions = {
            f"q{index}": question
            for index, question in enumerate(questions, start=1)
        }

    def _answers(self, answers):
        if isinstance(answers, (list, tuple)):
            answers = dict(zip(self.questions, answers))
        bad = type(answers).__name__
        if isinstance(answers, dict):
            bad = sorted(set(map(str, answers)) - set(self.questions))
        if bad:
            raise ValueError(
                f"`answers` must be a dict with keys in {list(self.questions)}"
                f" such as {{'q1': 'b'}}. Received: {bad}"
            )
        return {key: answers.get(key) for key in self.questions}

    def ask(self, key, answer, language="en"):
        """Check one answer, print PASS/FAIL (and why), return True/False.

        检查一道题的回答，打印结果（作答后附解释），返回是否正确。
        """
        if key not in self.questions:
            raise ValueError(
                f"`key` must be one of {list(self.questions)}. "
                f"Received: key={key!r}"
            )
        _check_language(language)
        return self._report(key, answer, language) == "correct"

    def _report(self, key, answer, language):
        question = self.questions[key]
        verdict = question.grade(answer)
        if verdict == "unanswered":
            print(
                f'TODO: {key} is not answered yet: set {ANSWERS_NAME}["{key}"].'
            )
            return verdict
        if verdict == "invalid":
            print(
                f"FAIL: {key} answer {_short(answer)} is not "
                f"{question.expected_form()}; try again."
            )
            return verdict
        label = "PASS" if verdict == "correct" else "FAIL"
        print(f"{label}: {key} (your answer: {_short(answer)}).")
        why = question.explanation(language)
        print(
            textwrap.fill(
                why, 79, initial_indent="  Why: ", subsequent_indent="  "
            )
        )
        return verdict

    def check(self, answers, language="en"):
        """Check every answer; print one result per question; return score.

        检查全部回答：每题打印一行结果（作答后附解释），返回答对的题数。

        Args:
            answers: dict {"q1": "b", "q2": 0.5, ...} (or a list in order);
                ``None`` marks a question not answered yet.
            language: explanations in "en" (default, ASCII), "zh" or "both".

        Returns:
            int: the number of correct answers.
        """
        answers = self._answers(answers)
        _check_language(language)
        verdicts = {
            key: self._report(key, answers[key], language)
            for key in self.questions
        }
        correct = sum(v == "correct" for v in verdicts.values())
        wrong = sum(v in ("wrong", "invalid") for v in verdicts.values())
        todo = sum(v == "unanswered" for v in verdicts.values())
        print(
            f"Quiz {self.quiz_id}: {correct}/{len(verdicts)} correct, "
            f"{wrong} answered wrong, {todo} not answered yet."
        )
        gradelog.record(
            "quiz",
            f"{self.quiz_id}.quiz",
            correct == len(verdicts),
            correct,
            len(verdicts),
            questions=verdicts,
        )
        return correct

    def markdown(self):
        """The questions as one bilingual markdown cell (no answers).

        把题目写成一个双语 markdown 单元格（不含答案）。
        """
        intro = (
            "### 测验 / Quiz\n\n"
            f"先独立作答，再运行下面的检查单元：在 `{ANSWERS_NAME}` 中为每题"
            '填入选项字母（如 `"b"`）或一个数。作答之前不会显示答案，作答后'
            "显示解释。\n\n"
            "Answer on your own first, then run the check cell below: put a "
            f'choice letter (such as `"b"`) or a number in `{ANSWERS_NAME}` '
            "for each question. The answers stay hidden until you try; an "
            "explanation appears once you have answered.\n\n"
        )
        body = "\n\n".join(
            question.markdown(index)
            for index, question in enumerate(self.questions.values(), 1)
        )
        return intro + body

    def answer_source(self, solution=True):
        """Source of the answers cell: the reference answers, or blanks.

        答案单元格的源代码：参考答案（solution=True）或空白（None）。
        """
        lines = [
            "# 测验答案：选项字母或数值 / Quiz answers: a letter or a number.",
            f"{ANSWERS_NAME} = {{",
        ]
        for key, question in self.questions.items():
            value = _literal(question.answer) if solution else "None"
            lines.append(f'    "{key}": {value},')
        return "\n".join(lines + ["}"])

    def cells(self, module=None):
        """The three notebook cells of this quiz (nbformat 4.5 dicts).

        本测验在笔记本中的三个单元格（nbformat 4.5 字典，带单元格 id）。

        Args:
            module: the bank module name used by the check cell; default
                ``self.quiz_id`` (e.g. "lesson01").
        """
        module = module or self.quiz_id
        check = (
            f"from gancourse.course.quizzes import {module}\n\n"
            f"score = {module}.QUIZ.check({ANSWERS_NAME})"
        )
        return [
            _cell(f"{module}-quiz", "markdown", self.markdown()),
            _cell(
                f"{module}-quiz-answers",
                "code",
                self.answer_source(),
                tags=[SOLUTION_TAG],
            ),
            _cell(f"{module}-quiz-check", "code", check),
        ]


def _cell(cell_id, kind, source, tags=None):
    lines = source.split("\n")
    cell = {
        "cell_type": kind,
        "id": cell_id,
        "metadata": {"tags": list(tags)} if tags else {},
        "source": [line + "\n" for line in lines[:-1]] + [lines[-1]],
    }
    if kind == "code":
        cell.update(execution_count=None, outputs=[])
    return cell


def blank_answer_cell(source):
    """Student copy of a quiz-answers cell: every answer becomes ``None``.

    测验答案单元格的学生版：每个答案替换为 ``None``。

    The cell may hold comments and assignments of dict literals with string
    keys (``quiz_answers = {"q1": "b"}``); leading comment lines are kept.

    Raises:
        ValueError: if the cell holds anything else (it would leak or lose
            code silently).
    """
    try:
        tree = ast.parse(source)
    except SyntaxError as error:
        raise ValueError(
            f"A quiz-answers cell must be valid Python. Received: {error}"
        ) from None
    pieces = []
    for node in tree.body:
        if not _is_answers_assignment(node):
            raise ValueError(
                "A quiz-answers cell may hold only `name = {'q1': ..., ...}` "
                f"assignments. Received a {type(node).__name__} statement on "
                f"line {node.lineno}."
            )
        keys = node.value.keys
        names = " = ".join(target.id for target in node.targets)
        entries = "".join(f'    "{key.value}": None,\n' for key in keys)
        pieces.append(f"{names} = {{\n{entries}}}")
    lines = source.splitlines()
    count = next((i for i, x in enumerate(lines) if not x.startswith("#")), 0)
    return "\n".join(lines[:count] + pieces)


def _is_answers_assignment(node):
    return (
        isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Dict)
        and all(isinstance(target, ast.Name) for target in node.targets)
        and all(
            isinstance(key, ast.Constant) and isinstance(key.value, str)
            for key in node.value.keys
        )
    )


def _literal(answer):
    return f'"{answer}"' if isinstance(answer, str) else repr(answer)


def _is_number(value):
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(value)
    )


def _to_number(response):
    if isinstance(response, bool):
        return None
    try:
        value = float(
            response.strip() if isinstance(response, str) else response
        )
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def _short(value):
    text = " ".join(repr(value).split())
    text = text if len(text) <= 40 else text[:37] + "..."
    return text.encode("ascii", "backslashreplace").decode("ascii")


def _check_language(language):
    if language not in LANGUAGES:
        raise ValueError(
            f"`language` must be one of {list(LANGUAGES)}. "
            f"Received: language={language!r}"
        )

"""The tests every lesson's graded exercises share, made from its tables.

各课分级练习的通用测试：由每课的答案表生成。

Each ``tests/test_exercises_lessonNN.py`` keeps only its lesson's tables
and its own tests:

- ``CHECKERS``, the lesson module's ``__all__``, and ``CASES``, how many
  cases (visible + hidden) each checker runs;
- ``SOLUTIONS``, the reference solutions as the lesson's solution cells
  hold them;
- ``CORRECT_ANSWERS``, other correct ways to write them (each must pass);
- ``WRONG_ANSWERS``, plausible mistakes (each must fail with one ASCII
  line and a hint that never prints the formula; ``tests/test_assign.py``
  imports these tables too);
- ``DIAGNOSES``, ``(checker, index, label)``: the mistake the FAIL line
  names for ``WRONG_ANSWERS[checker][index]``;
- a pattern of what no FAIL line may print (the formula, the solution).

``add_checker_tests(globals(), lesson, ...)`` makes the shared tests from
them and binds them into the test file's namespace, where pytest collects
them under their usual names::

    exercise_tables.add_checker_tests(globals(), lesson03, ...)

``check(checker, function)`` runs one checker and returns ``(passed,
printed text)``; ``solution_cells(notebook)`` reads a lesson's solution
cells.
"""

import io
import json
import re
from contextlib import redirect_stdout

import numpy as np
import pytest

from gancourse.course import exercises


def check(checker, function):
    """Run ``exercises.<checker>`` on ``function``: (passed, printed text)."""
    buffer = io.StringIO()
    with redirect_stdout(buffer), np.errstate(all="ignore"):
        result = getattr(exercises, checker)(function)
    return result, buffer.getvalue()


def solution_cells(notebook):
    """The sources of the cells tagged ``solution`` in ``notebook``."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return [
        "".join(cell["source"])
        for cell in cells
        if "solution" in cell.get("metadata", {}).get("tags", [])
    ]


def _indexed(table):
    """``(checker, index)`` for every answer in a table of answers."""
    return [(n, i) for n, answers in table.items() for i in range(len(answers))]


def add_checker_tests(
    namespace,
    lesson,
    *,
    forbidden,
    stub,
    not_callable,
    mutating,
    deterministic,
    names=None,
    absent=None,
    quoted_names=False,
    quotes_errors=False,
    check_hints=False,
    every_wrong_diagnosed=False,
):
    """Add the shared tests for one lesson to a test module's namespace.

    ``namespace`` is the test module's ``globals()``: the tables are read
    from it by name (``CHECKERS``, ``CASES``, ``SOLUTIONS``,
    ``CORRECT_ANSWERS``, ``WRONG_ANSWERS``, ``DIAGNOSES``; see the module's
    docstring) and the tests are written into it, under the names pytest
    collects. ``lesson`` is the checkers' module (``...exercises.lessonNN``);
    ``forbidden``, a regular expression no FAIL line may match.

    ``stub``, ``(checker, function)``: an unimplemented exercise that raises
    ``NotImplementedError``; ``not_callable``, a checker that must refuse
    an array; ``mutating``, ``{checker: function}``: right answers that
    overwrite their inputs, which must still pass; ``deterministic``,
    ``(checker, function)``: a wrong answer whose FAIL line must be the
    same on two runs.

    Options, for the lessons that need them:

    - ``names``: the function each checker names in its PASS line
      (default: the checker's name without ``check_``);
    - ``absent``: a checker the package must no longer export;
    - ``quoted_names``: the lesson module quotes each name (the grader
      finds a checker by it);
    - ``quotes_errors``: a FAIL line that reports an exception quotes the
      answer's own message, so only its hint is searched for ``forbidden``;
    - ``check_hints``: also test each checker's hint on a stub: no
      ``forbidden`` match and it names the lesson;
    - ``every_wrong_diagnosed``: ``DIAGNOSES`` names a mistake for every
      entry of ``WRONG_ANSWERS`` (lessons 09 and 10).
    """
    checkers = namespace["CHECKERS"]
    cases = namespace["CASES"]
    solutions = namespace["SOLUTIONS"]
    correct = namespace["CORRECT_ANSWERS"]
    wrong = namespace["WRONG_ANSWERS"]
    diagnoses = namespace["DIAGNOSES"]
    number = lesson.__name__.rsplit("lesson", 1)[1]  # "01", ..., "11".
    if names is None:
        names = {name: name[len("check_") :] for name in checkers}

    def test_lesson_module_and_package_export_the_checkers():
        assert lesson.__all__ == checkers, lesson.__all__
        source = open(lesson.__file__).read() if quoted_names else ""
        for name in checkers:
            assert getattr(exercises, name) is getattr(lesson, name), name
            assert f"第 {number} 课" in getattr(lesson, name).__doc__, name
            assert "Spec:" in getattr(lesson, name).__doc__, name
            if quoted_names:
                # The grader knows a checker by its quoted name in the module.
                assert f'"{name[len("check_") :]}"' in source, name
        assert set(correct) == set(wrong) == set(checkers)
        if absent is not None:
            assert not hasattr(exercises, absent), absent

    @pytest.mark.parametrize("checker", checkers)
    def test_reference_solution_passes_every_case(checker):
        passed, text = check(checker, solutions[checker])
        assert passed is True, text
        expected = (
            f"PASS: {names[checker]} matches the reference on "
            f"{cases[checker]} cases.\n"
        )
        assert text == expected, text

    @pytest.mark.parametrize("checker, index", _indexed(correct))
    def test_other_correct_answers_pass(checker, index):
        passed, text = check(checker, correct[checker][index])
        assert passed is True, text

    @pytest.mark.parametrize("checker, index", _indexed(wrong))
    def test_plausible_wrong_answers_fail(checker, index):
        passed, text = check(checker, wrong[checker][index])
        assert passed is False, text
        assert text.startswith("FAIL: ") and "Hint: " in text, text
        assert text.count("\n") == 1 and text.isascii(), text
        # The hint and the diagnosis describe; they never print the formula
        # or the solution code.
        own = text
        if quotes_errors and " raised " in text:
            # The line quotes the answer's own error message.
            own = text.split("Hint: ")[1]
        assert not re.search(forbidden, own), text

    @pytest.mark.parametrize("checker, index, label", diagnoses)
    def test_fail_line_names_the_mistake(checker, index, label):
        _, text = check(checker, wrong[checker][index])
        assert label in text, text

    def test_every_wrong_answer_has_its_diagnosis():
        named = {(checker, index) for checker, index, _ in diagnoses}
        assert named == set(_indexed(wrong))

    def test_hints_never_print_the_formula():
        # Every FAIL line ends with the checker's hint: check it on a stub.
        def stub(*args):
            raise NotImplementedError

        for checker in checkers:
            _, text = check(checker, stub)
            hint = text.split("Hint: ", 1)[1]
            assert not re.search(forbidden, hint), hint
            assert f"lesson {number}" in hint, hint

    def test_stub_and_non_callables():
        passed, text = check(*stub)
        assert passed is False and "not implemented" in text, text
        with pytest.raises(ValueError, match="expects a function"):
            getattr(exercises, not_callable)(np.zeros(3))

    def test_checkers_do_not_depend_on_input_mutation():
        for checker, function in mutating.items():
            assert check(checker, function)[0] is True, checker
        outputs = {check(*deterministic)[1] for _ in range(2)}
        assert len(outputs) == 1, outputs  # Deterministic output.

    tests = [
        test_lesson_module_and_package_export_the_checkers,
        test_reference_solution_passes_every_case,
        test_other_correct_answers_pass,
        test_plausible_wrong_answers_fail,
        test_fail_line_names_the_mistake,
        test_hints_never_print_the_formula if check_hints else None,
        test_every_wrong_answer_has_its_diagnosis
        if every_wrong_diagnosed
        else None,
        test_stub_and_non_callables,
        test_checkers_do_not_depend_on_input_mutation,
    ]
    namespace.update({test.__name__: test for test in tests if test})

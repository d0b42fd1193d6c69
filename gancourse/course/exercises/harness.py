"""Shared machinery of the exercise checkers: run cases, compare, report.

练习检查器的公共部分：运行用例、比较结果、打印 PASS/FAIL。

``run_cases`` runs a student's function on fixed reference cases and prints
one ASCII line, ``PASS: ...`` or ``FAIL: ... Hint: ...``; ``close_to`` builds
a check that compares a result with a NumPy reference. The per-lesson
modules (``lesson01`` ... ``lesson08``) build their cases with these helpers.

When ``GANCOURSE_GRADE_LOG`` is set (by the class grader), every run also
appends its result to that file (``gancourse.course.gradelog``); the printed
text is the same either way.
"""

import inspect
import re

import numpy as np

from gancourse.course import gradelog

__all__ = [
    "close_to",
    "f32",
    "format_number",
    "run_cases",
    "softplus",
]


def _ascii(text, limit=160):
    text = " ".join(str(text).split())
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return text.encode("ascii", "backslashreplace").decode("ascii")


_LESSON_MODULE = re.compile(r"^gancourse\.course\.exercises\.(lesson\d\d)$")


def _exercise_id(name):
    """``lessonNN.name``, from the lesson module that called the harness."""
    frame = inspect.currentframe()
    while frame is not None:
        match = _LESSON_MODULE.match(frame.f_globals.get("__name__", ""))
        if match:
            return f"{match[1]}.{name}"
        frame = frame.f_back
    return name


def run_cases(name, fn, cases, hint):
    """Run ``cases`` (description, call, check) and print PASS or FAIL."""
    item = _exercise_id(name)
    if not callable(fn):
        gradelog.record("exercise", item, False, 0, 1)
        raise ValueError(
            f"The {name} checker expects a function. "
            f"Received: {type(fn).__name__}"
        )
    passed = _run_cases(name, fn, cases, hint)
    gradelog.record("exercise", item, passed, int(passed), 1)
    return passed


def _run_cases(name, fn, cases, hint):
    for description, call, check in cases:
        try:
            result = call(fn)
        except NotImplementedError:
            print(f"FAIL: {name} is not implemented yet. Hint: {hint}")
            return False
        except Exception as error:  # noqa: BLE001 - report, never raise.
            message = _ascii(f"{type(error).__name__}: {error}")
            print(
                f"FAIL: {name} raised {message} ({description}). Hint: {hint}"
            )
            return False
        try:
            problem = check(result)
        except Exception as error:  # noqa: BLE001 - a malformed result.
            problem = _ascii(
                f"could not read the result ({type(error).__name__}: {error})"
            )
        if problem:
            print(f"FAIL: {name} {description}: {problem}. Hint: {hint}")
            return False
    print(f"PASS: {name} matches the reference on {len(cases)} cases.")
    return True


def format_number(value):
    return f"{value:.6g}"


def close_to(expected, rtol=1e-4, atol=1e-5):
    """A check: the result equals ``expected`` (shape and values)."""
    expected = np.asarray(expected, dtype="float64")

    def check(result):
        got = np.asarray(result, dtype="float64")
        if got.shape != expected.shape:
            if expected.ndim == 0 and got.size == 1:
                got = got.reshape(())
            else:
                return f"expected shape {expected.shape}, got shape {got.shape}"
        if not np.all(np.isfinite(got) == np.isfinite(expected)):
            return "got inf or nan (is the computation numerically stable?)"
        finite = np.isfinite(expected)
        if not np.allclose(got[finite], expected[finite], rtol=rtol, atol=atol):
            if expected.ndim == 0:
                return (
                    f"expected {format_number(expected)}, "
                    f"got {format_number(got)}"
                )
            error = np.max(np.abs(got - expected)[finite])
            return (
                f"values differ from the reference (max abs error {error:.3g})"
            )
        if not np.array_equal(
            np.sign(got[~finite]), np.sign(expected[~finite])
        ):
            return "expected +inf"
        return None

    return check


def diagnosed(expected, mistakes, rtol=1e-4, atol=1e-6):
    """``close_to`` that names a known mistake the result matches.

    与 ``close_to`` 相同，但结果恰好等于某个已知错误时，在提示中说出它。

    Args:
        expected: the reference result.
        mistakes: list of ``(label, wrong_result)``; ``label`` names the
            mistake in words (never the formula).
        rtol, atol: tolerances of ``close_to``.

    Returns:
        A function of a result: None when it matches ``expected``, else the
        problem text, ending "; this is what <label> gives" for the first
        mistake it matches.
    """
    check = close_to(expected, rtol=rtol, atol=atol)

    def diagnose(result):
        problem = check(result)
        if problem:
            for label, wrong in mistakes:
                if close_to(wrong, rtol=rtol, atol=atol)(result) is None:
                    return f"{problem}; this is what {label} gives"
        return problem

    return diagnose


def softplus(x):
    return np.logaddexp(0.0, np.asarray(x, dtype="float64"))


def f32(x):
    return np.asarray(x, dtype="float32")

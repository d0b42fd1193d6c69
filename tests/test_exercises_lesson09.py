"""Lesson 09's graded exercises: the checkers, on right and wrong answers.

第 09 课分级练习的检查器：参考答案、其他正确写法与常见错误。

``SOLUTIONS`` are the reference solutions as the lesson's solution cells
hold them; ``CORRECT_ANSWERS`` are other correct ways to write them (each
must pass); ``WRONG_ANSWERS`` are plausible mistakes (each must fail, with
one ASCII line and a hint that never prints the formula).
"""

import re
from pathlib import Path

import numpy as np
import pytest

from gancourse.course.exercises import lesson09
from tests import exercise_tables
from tests.exercise_tables import check

CHECKERS = [
    "check_move_to_distance",
    "check_linear_inversion",
    "check_conditional_direction",
]
# Visible + hidden cases of each checker.
CASES = {
    "check_move_to_distance": 2 + 5,
    "check_linear_inversion": 2 + 6,
    "check_conditional_direction": 2 + 6,
}
NOTEBOOK = next(
    (Path(__file__).parent.parent / "lessons").glob("09_*.ipynb"), None
)


# The reference solutions, as the lesson's `solution` cells hold them.


def move_to_distance(z, normal, offset, target):
    """把潜在向量移到离边界指定的带符号距离 / Move codes to a signed distance.

    z: one code (d,) or a batch (N, d); normal: (d,), any length; offset: a
    number; target: a number, or (N,) for a batch. The boundary is
    normal . z + offset = 0. Returns the codes moved along the unit normal
    so that each signed distance equals its target, with the shape of z.
    """
    z = np.asarray(z, dtype="float64")
    normal = np.asarray(normal, dtype="float64")
    length = np.linalg.norm(normal)
    unit = normal / length
    distance = (z @ normal + offset) / length  # () or (N,)
    step = np.asarray(target, dtype="float64") - distance
    return z + step[..., None] * unit


def linear_inversion(A, x):
    """线性生成器的反演 / Invert a linear generator G(z) = A z.

    A: (D, d), D pixels and d latent dimensions; x: an image (D,). Returns
    (z, error): the minimum-norm code among those that minimise
    |A z - x|^2, and the mean squared pixel error of that code.
    """
    A = np.asarray(A, dtype="float64")
    x = np.asarray(x, dtype="float64")
    z = np.linalg.pinv(A) @ x  # the minimum-norm least-squares code
    error = np.mean((A @ z - x) ** 2)
    return z, error


def conditional_direction(direction, conditions):
    """条件编辑的方向 / The direction that leaves the conditions unchanged.

    direction: (d,); conditions: (k, d), independent rows, 1 <= k < d.
    Returns the unit vector along the part of direction orthogonal to the
    span of all the conditions; raises ValueError if that part is zero.
    """
    direction = np.asarray(direction, dtype="float64")
    conditions = np.asarray(conditions, dtype="float64")
    basis, _ = np.linalg.qr(conditions.T)  # orthonormal basis of the span
    rest = direction - basis @ (basis.T @ direction)
    length = np.linalg.norm(rest)
    if length < 1e-8 * np.linalg.norm(direction):
        raise ValueError(
            "`direction` lies in the span of `conditions`: no direction is "
            "left that keeps every condition unchanged."
        )
    return rest / length


SOLUTIONS = {
    "check_move_to_distance": move_to_distance,
    "check_linear_inversion": linear_inversion,
    "check_conditional_direction": conditional_direction,
}


# Other correct answers.


def _move_squared_length(z, normal, offset, target):
    # One step along the raw normal, scaled by its squared length.
    score = np.dot(z, normal) + offset
    length = np.sqrt(np.sum(normal**2))
    size = (np.asarray(target) * length - score) / length**2
    return z + np.expand_dims(size, -1) * normal


def _move_loop_float32(z, normal, offset, target):
    # No float64: every code on its own, in the input's dtype.
    codes = np.atleast_2d(z)
    targets = np.broadcast_to(target, (len(codes),))
    unit = normal / np.linalg.norm(normal)
    bias = offset / np.linalg.norm(normal)
    moved = [c + (t - (c @ unit + bias)) * unit for c, t in zip(codes, targets)]
    return np.array(moved).reshape(np.shape(z))


def _move_einsum(z, normal, offset, target):
    unit = normal / np.linalg.norm(normal)
    distance = np.einsum("...d,d->...", z, unit) + offset / np.linalg.norm(
        normal
    )
    return z + np.multiply.outer(target - distance, unit)


def _inversion_lstsq(A, x):
    z = np.linalg.lstsq(A, x, rcond=None)[0]
    return z, np.linalg.norm(A @ z - x) ** 2 / len(x)


def _inversion_svd(A, x):
    u, s, vt = np.linalg.svd(np.asarray(A, "float64"), full_matrices=False)
    keep = s > s.max() * max(np.shape(A)) * np.finfo("float64").eps
    z = vt[keep].T @ ((u[:, keep].T @ x) / s[keep])
    return z, float(np.mean((A @ z - x) ** 2))


def _inversion_float32(A, x):
    # pinv in the input's dtype (float32 for the float32 cases).
    z = np.linalg.pinv(A) @ x
    residual = A @ z - x
    return z, residual @ residual / residual.size


def _direction_gram_schmidt(direction, conditions):
    basis = []
    for row in np.asarray(conditions, "float64"):
        for b in basis:
            row = row - (row @ b) * b
        basis.append(row / np.linalg.norm(row))
    rest = np.array(direction, "float64")
    for b in basis:
        rest = rest - (rest @ b) * b
    if np.linalg.norm(rest) < 1e-8 * np.linalg.norm(direction):
        raise ValueError("direction is in the span of the conditions")
    return rest / np.linalg.norm(rest)


def _direction_lstsq(direction, conditions):
    c = np.asarray(conditions, "float64")
    v = np.asarray(direction, "float64")
    rest = v - c.T @ np.linalg.lstsq(c.T, v, rcond=None)[0]
    if np.linalg.norm(rest) <= 1e-8 * np.linalg.norm(v):
        raise ValueError("nothing left")
    return rest / np.linalg.norm(rest)


def _direction_gram_matrix(direction, conditions):
    # The projection through the Gram matrix: fine for independent rows.
    c = np.asarray(conditions, "float64")
    v = np.asarray(direction, "float64")
    rest = v - c.T @ np.linalg.solve(c @ c.T, c @ v)
    if np.linalg.norm(rest) / np.linalg.norm(v) < 1e-8:
        raise ValueError("in the span")
    return rest / np.linalg.norm(rest)


def _direction_svd(direction, conditions):
    u = np.linalg.svd(np.asarray(conditions, "float64").T, full_matrices=False)[
        0
    ]
    rest = direction - u @ (u.T @ direction)
    if np.linalg.norm(rest) < 1e-8 * np.linalg.norm(direction):
        raise ValueError("direction lies in the span")
    return rest / np.linalg.norm(rest)


CORRECT_ANSWERS = {
    "check_move_to_distance": [
        _move_squared_length,
        _move_loop_float32,
        _move_einsum,
    ],
    "check_linear_inversion": [
        _inversion_lstsq,
        _inversion_svd,
        _inversion_float32,
    ],
    "check_conditional_direction": [
        _direction_gram_schmidt,
        _direction_lstsq,
        _direction_gram_matrix,
        _direction_svd,
    ],
}


# Plausible wrong answers.


def _move_with(unit_step=True, unit_distance=True, mistake=None):
    def move(z, normal, offset, target):
        z = np.asarray(z, "float64")
        w = np.asarray(normal, "float64")
        length = np.linalg.norm(w)
        score = z @ w + (0.0 if mistake == "offset" else offset)
        divisor = {True: length, False: 1.0, "squared": length**2}
        distance = score / divisor[unit_distance]
        step = np.asarray(target, "float64") - distance
        if mistake == "target":
            step = np.asarray(target, "float64") + 0 * distance
        if mistake == "sign":
            step = -step
        moved = step[..., None] * (w / length if unit_step else w)
        return moved if mistake == "step only" else z + moved

    return move


def _inversion_transpose(A, x):
    z = A.T @ x
    return z, np.mean((A @ z - x) ** 2)


def _inversion_normal_equations(A, x):
    z = np.linalg.solve(A.T @ A, A.T @ x)
    return z, np.mean((A @ z - x) ** 2)


def _inversion_error(error_of):
    def invert(A, x):
        z = np.linalg.pinv(A) @ x
        return z, error_of(A @ z - x, A.shape)

    return invert


def _inversion_square_block(A, x):
    # Wide A: solve on the first D columns and set the other codes to 0.
    pixels, dims = A.shape
    if pixels >= dims:
        z = np.linalg.lstsq(A, x, rcond=None)[0]
    else:
        z = np.zeros(dims)
        z[:pixels] = np.linalg.solve(A[:, :pixels], x)
    return z, np.mean((A @ z - x) ** 2)


def _inversion_plus_null_space(A, x):
    # A best code plus a part that A sends to 0: fits as well, but longer.
    pseudo = np.linalg.pinv(A)
    z = pseudo @ x + (np.eye(A.shape[1]) - pseudo @ A) @ np.ones(A.shape[1])
    return z, np.mean((A @ z - x) ** 2)


def _inversion_swapped(A, x):
    z, error = linear_inversion(A, x)
    return error, z


def _direction_with(mistake):
    def direction_fn(direction, conditions):
        v = np.asarray(direction, "float64")
        c = np.asarray(conditions, "float64")
        units = c / np.linalg.norm(c, axis=1, keepdims=True)
        basis = np.linalg.qr(c.T)[0]
        if mistake == "separately":
            rest = v - sum((v @ u) * u for u in units)
        elif mistake == "sequential":
            rest = v.copy()
            for u in units:
                rest = rest - (rest @ u) * u
        elif mistake == "inside":
            rest = basis @ (basis.T @ v)
        elif mistake == "first":
            rest = v - (v @ units[0]) * units[0]
        elif mistake == "conditions":
            rest = v - sum((v @ row) * row for row in c)
        else:
            rest = v - basis @ (basis.T @ v)
        length = np.linalg.norm(rest)
        if mistake != "no raise" and length < 1e-8 * np.linalg.norm(v):
            raise ValueError("in the span")
        if mistake == "long":
            return rest
        return -rest / length if mistake == "opposite" else rest / length

    return direction_fn


def _direction_loose_basis(direction, conditions):
    # Orthogonal rows, but each left at its length.
    basis = []
    for row in np.asarray(conditions, "float64"):
        basis.append(row - sum((row @ b) / (b @ b) * b for b in basis))
    rest = direction - sum((direction @ b) * b for b in basis)
    return rest / np.linalg.norm(rest)


def _direction_in_place(direction, conditions):
    conditions /= np.linalg.norm(conditions, axis=1, keepdims=True)
    return conditional_direction(direction, conditions)


WRONG_ANSWERS = {
    "check_move_to_distance": [
        _move_with(unit_step=False, unit_distance=False),
        _move_with(unit_step=False),
        _move_with(unit_distance=False),
        _move_with(mistake="target"),
        _move_with(mistake="sign"),
        _move_with(mistake="offset"),
        _move_with(unit_distance="squared"),
        _move_with(mistake="step only"),
    ],
    "check_linear_inversion": [
        _inversion_transpose,
        _inversion_normal_equations,
        _inversion_error(lambda r, shape: np.sum(r**2)),
        _inversion_error(lambda r, shape: np.sqrt(np.mean(r**2))),
        _inversion_error(lambda r, shape: np.linalg.norm(r)),
        _inversion_error(lambda r, shape: np.sum(r**2) / shape[1]),
        _inversion_error(lambda r, shape: np.mean(r)),
        _inversion_square_block,
        _inversion_plus_null_space,
        _inversion_swapped,
    ],
    "check_conditional_direction": [
        _direction_with("separately"),
        _direction_with("sequential"),
        _direction_with("long"),
        _direction_with("inside"),
        _direction_with("first"),
        _direction_with("conditions"),
        _direction_loose_basis,
        _direction_with("no raise"),
        _direction_with("opposite"),
        _direction_in_place,
    ],
}

# The mistake the FAIL line names, for every wrong answer.
DIAGNOSES = [
    ("check_move_to_distance", 0, "a normal not scaled to unit length"),
    ("check_move_to_distance", 1, "a normal not scaled to unit length"),
    ("check_move_to_distance", 2, "a normal not scaled to unit length"),
    ("check_move_to_distance", 3, "moving by the target itself"),
    ("check_move_to_distance", 4, "the wrong way along the normal"),
    ("check_move_to_distance", 5, "leaving out the offset"),
    ("check_move_to_distance", 6, "the squared length of the normal"),
    ("check_move_to_distance", 7, "the step in place of the moved code"),
    ("check_linear_inversion", 0, "the transpose of A in place of an inverse"),
    ("check_linear_inversion", 1, "raised LinAlgError"),
    ("check_linear_inversion", 1, "solving the normal equations"),
    ("check_linear_inversion", 2, "summing the squared errors"),
    ("check_linear_inversion", 3, "the root of the mean squared error"),
    ("check_linear_inversion", 4, "the length of the residual"),
    ("check_linear_inversion", 5, "the latent dimensions instead of the"),
    ("check_linear_inversion", 6, "the residual without squaring it"),
    ("check_linear_inversion", 7, "not the code of minimum norm"),
    ("check_linear_inversion", 8, "not the code of minimum norm"),
    ("check_linear_inversion", 9, "in the other order"),
    ("check_conditional_direction", 0, "without first making the conditions"),
    ("check_conditional_direction", 1, "without first making the conditions"),
    ("check_conditional_direction", 2, "at its own length (not unit"),
    ("check_conditional_direction", 3, "the part inside the span of the"),
    ("check_conditional_direction", 4, "removing only the first condition"),
    ("check_conditional_direction", 5, "conditions or basis vectors not"),
    ("check_conditional_direction", 6, "conditions or basis vectors not"),
    ("check_conditional_direction", 7, "instead of raising ValueError"),
    ("check_conditional_direction", 8, "the opposite direction"),
    ("check_conditional_direction", 9, "changed its input arrays in place"),
]


# What no FAIL line may print: code or formulas of the solutions.
FORBIDDEN = re.compile(
    r"pinv|lstsq|linalg|svd|qr\(|np\.|\*\*|@|\.T\b|sqrt|solve\(|dot\(|"
    r"\[\.\.\.|None\]|/ ?length|/ ?\|"
)


def _stub(direction, conditions):
    raise NotImplementedError("Exercise: implement conditional_direction")


def _mutating_move(z, normal, offset, target):
    result = move_to_distance(z, normal, offset, target)
    z[...] = 0.0
    normal[...] = 1.0
    return result


def _mutating_inversion(A, x):
    result = linear_inversion(A, x)
    A[...] = 0.0
    x[...] = 0.0
    return result


exercise_tables.add_checker_tests(
    globals(),
    lesson09,
    forbidden=FORBIDDEN,
    stub=("check_conditional_direction", _stub),
    not_callable="check_linear_inversion",
    mutating={
        "check_move_to_distance": _mutating_move,
        "check_linear_inversion": _mutating_inversion,
    },
    deterministic=("check_linear_inversion", _inversion_plus_null_space),
    quoted_names=True,
    check_hints=True,
    every_wrong_diagnosed=True,
)


def test_hidden_cases_are_labelled_and_reached():
    # Right on the visible cases (float64 only), wrong on float32 input.
    def visible_only(z, normal, offset, target):
        if np.asarray(z).dtype == np.float32:
            return np.zeros_like(z)
        return move_to_distance(z, normal, offset, target)

    passed, text = check("check_move_to_distance", visible_only)
    assert passed is False and "on hidden case 1 (float32" in text, text

    # The normal equations pass the visible (tall, full-rank) cases and
    # break on the first hidden one, whose columns are dependent.
    passed, text = check("check_linear_inversion", _inversion_normal_equations)
    assert passed is False and "on hidden case 1 (" in text, text


def test_conditional_direction_must_raise_in_the_span():
    # A right answer that never raises fails only on the in-span case.
    def never_raises(direction, conditions):
        try:
            return conditional_direction(direction, conditions)
        except ValueError:
            return np.full(np.shape(direction), np.nan)

    passed, text = check("check_conditional_direction", never_raises)
    assert passed is False and "a direction inside their span" in text, text

    def wrong_error(direction, conditions):
        try:
            return conditional_direction(direction, conditions)
        except ValueError:
            raise ZeroDivisionError("nothing left") from None

    passed, text = check("check_conditional_direction", wrong_error)
    assert "raised ZeroDivisionError: nothing left, not ValueError" in text


def test_the_checked_properties_hold_for_the_reference():
    # The spec's promises, on a fresh case: the signed distance reaches the
    # target, the edit leaves every condition's score unchanged.
    rng = np.random.default_rng(0)
    z, normal = rng.normal(size=(4, 6)), 3 * rng.normal(size=6)
    moved = move_to_distance(z, normal, -1.0, [0.0, 1.0, -2.0, 0.5])
    distance = (moved @ normal - 1.0) / np.linalg.norm(normal)
    np.testing.assert_allclose(distance, [0.0, 1.0, -2.0, 0.5], atol=1e-12)
    conditions = rng.normal(size=(2, 6))
    conditions[1] += 2 * conditions[0]  # Correlated.
    unit = conditional_direction(normal, conditions)
    np.testing.assert_allclose(conditions @ unit, 0.0, atol=1e-12)
    assert np.isclose(np.linalg.norm(unit), 1.0) and unit @ normal > 0
    A = rng.normal(size=(3, 6))
    z, error = linear_inversion(A, rng.normal(size=3))
    assert error < 1e-20 and np.allclose(
        z, A.T @ np.linalg.solve(A @ A.T, A @ z)
    )


def test_the_notebook_holds_these_solutions():
    sources = exercise_tables.solution_cells(NOTEBOOK) if NOTEBOOK else []
    if not sources:
        pytest.skip("lesson 09's graded exercises are not in its notebook yet")
    assert len(sources) == len(SOLUTIONS)
    namespace = {"np": np}
    for source, (checker, solution) in zip(sources, SOLUTIONS.items()):
        exec(source, namespace)  # noqa: S102 - the lesson's own cells.
        name = solution.__name__
        assert f"def {name}(" in source
        assert check(checker, namespace[name])[0] is True, checker

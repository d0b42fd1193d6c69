"""Checkers of the graded exercises of lesson 09: the latent space.

第 09 课（潜在空间：编码器、反演与编辑）分级练习的检查器。

Every checker runs the visible cases the lesson describes and then hidden
ones (other seeds, sizes and dtypes, and the edge cases: a target of 0, a
wide or rank-deficient A, correlated conditions, a direction inside their
span). When a wrong result is exactly what a known mistake gives, the FAIL
line names the mistake in words; no line ever prints the formula.
"""

from functools import partial

import numpy as np

from gancourse.course.exercises.harness import diagnosed
from gancourse.course.exercises.harness import format_number
from gancourse.course.exercises.harness import run_cases

__all__ = [
    "check_move_to_distance",
    "check_linear_inversion",
    "check_conditional_direction",
]


def _describe(index, visible, text):
    if index < visible:
        return f"for {text}"
    return f"on hidden case {index - visible + 1} ({text})"


def _unit(vector):
    return vector / np.linalg.norm(vector)


_LABELS = {  # The known mistakes, as the FAIL lines name them.
    "raw": "a normal not scaled to unit length",
    "target": "moving by the target itself",
    "sign": "moving the wrong way along the normal",
    "offset": "leaving out the offset",
    "squared": "dividing by the squared length of the normal",
    "step": "returning the step in place of the moved code",
    "sum": "summing the squared errors instead of averaging them",
    "rmse": "the root of the mean squared error (RMSE)",
    "length": "the length of the residual in place of its mean square",
    "latent": "averaging over the latent dimensions instead of the pixels",
    "unsquared": "averaging the residual without squaring it",
    "separately": "removing each condition's projection separately, "
    "without first making the conditions orthogonal",
    "long": "leaving the result at its own length (not unit length)",
    "inside": "keeping the part inside the span of the conditions in place "
    "of the part orthogonal to it",
    "first": "removing only the first condition",
    "conditions": "conditions or basis vectors not scaled to unit length",
    "opposite": "the opposite direction",
    "transpose": "the transpose of A in place of an inverse",
    "longer": "z fits x as well as the reference's code but is longer, so "
    "it is not the code of minimum norm",
    "singular": "several codes fit equally well here, so a method that "
    "expects exactly one, such as solving the normal equations, breaks",
    "changed": "it changed its input arrays in place; the caller's "
    "direction and conditions must stay as they were",
    "no raise": "returned a result instead of raising ValueError (the "
    "direction lies in the span of the conditions: nothing is left)",
}


def _ascii(error):
    text = f"{type(error).__name__}: {' '.join(str(error).split())[:60]}"
    return text.encode("ascii", "backslashreplace").decode("ascii")


def _move_expected(z, normal, offset, target):
    """The reference and the results of known mistakes, in float64."""
    z, w = np.asarray(z, "float64"), np.asarray(normal, "float64")
    t, length = np.asarray(target, "float64"), np.linalg.norm(w)
    unit, score = w / length, z @ w + offset

    def moved(size, along):
        return z + np.asarray(size)[..., None] * along

    expected = moved(t - score / length, unit)
    raw, label = _LABELS["raw"], _LABELS
    mistakes = [
        (raw, moved(t - score, w)),
        (raw, moved(t - score / length, w)),
        (raw, moved(t - score, unit)),
        (label["target"], moved(t + 0 * score, unit)),
        (label["sign"], 2 * z - expected),
        (label["offset"], moved(t - (z @ w) / length, unit)),
        (label["squared"], moved(t - score / length**2, unit)),
        (label["step"], expected - z),
    ]
    return expected, mistakes


def check_move_to_distance(fn):
    """Check ``move_to_distance(z, normal, offset, target)`` (lesson 09).

    检查沿边界法向量移动潜在向量、使其到边界的带符号距离等于目标值（第 09 课）。

    Spec: a linear boundary in latent space is the set of codes z with
    ``normal . z + offset = 0``; ``normal`` (d,) need not have unit length
    and ``offset`` is a number. The signed distance of z to the boundary is
    ``(normal . z + offset) / |normal|``. ``z`` is one code (d,) or a batch
    (N, d), float32 or float64; ``target`` is a number, or for a batch a
    number or an (N,) array (one target per code). Return the codes moved
    along the normal's direction only, so that each signed distance equals
    its target: a float array with the shape of ``z``.
    """
    rng = np.random.default_rng(90)
    settings = [  # dtype, z's shape, normal or scale, offset, target, note.
        ("float64", (2,), [3.0, 4.0], -5.0, 2.0, "normal (3, 4), offset -5"),
        ("float64", (4, 8), 1.0, 0.7, -1.5, "one target for the batch"),
        ("float32", (100,), 50.0, 3.0, 0, "target 0: onto the boundary"),
        ("float32", (5, 100), 1.0, -2.0, "each", "one target per code"),
        ("float64", (8, 8), 1e3, 400.0, "each", "N = d, a long normal"),
        ("float64", (3, 2), [0.0, -0.5], 1.5, 1.0, "normal (0, -0.5)"),
        ("float64", (6, 100), 0.1, 0.25, 0.0, "a short normal, target 0"),
    ]
    cases = []
    for index, setting in enumerate(settings):
        dtype, shape, scale, offset, target, note = setting
        z = rng.standard_normal(shape) if index else np.array([1.0, 2.0])
        if np.ndim(scale) == 0:
            scale = scale * rng.standard_normal(shape[-1])
        z, normal = z.astype(dtype), np.asarray(scale, dtype)
        if target == "each":
            target = np.round(rng.uniform(-3, 3, size=shape[0]), 2)
        expected, mistakes = _move_expected(z, normal, offset, target)
        check = diagnosed(expected, mistakes, rtol=1e-5, atol=1e-5)
        shown = target if np.ndim(target) == 0 else "an (N,) array"
        text = _describe(index, 2, f"{dtype} z {shape}, {note}, target {shown}")

        def call(fn, z=z, w=normal, b=offset, t=target):
            return fn(z.copy(), w.copy(), b, np.copy(t) if np.ndim(t) else t)

        cases.append((text, call, check))
    return run_cases(
        "move_to_distance",
        fn,
        cases,
        "measure each code's current signed distance first (with a "
        "unit-length normal, offset included), then move along the unit "
        "normal just far enough to reach the target; a batch has one "
        "distance and one step per code; see 'Editing in the latent space' "
        "in lesson 09.",
    )


def _inversion_check(A, x):
    A, x = np.asarray(A, "float64"), np.asarray(x, "float64")
    (pixels, dims), best = A.shape, np.linalg.pinv(A) @ x  # The reference.
    error = float(np.mean((A @ best - x) ** 2))
    error_atol = 1e-8 * float(np.mean(x**2))
    z_atol = 1e-6 * max(1.0, float(np.max(np.abs(best))))
    error_mistakes = [
        (_LABELS["sum"], pixels * error),
        (_LABELS["rmse"], np.sqrt(error)),
        (_LABELS["length"], np.sqrt(pixels * error)),
        (_LABELS["latent"], pixels * error / dims),
        (_LABELS["unsquared"], float(np.mean(A @ best - x))),
    ]

    def z_problem(z):
        if np.allclose(z, A.T @ x, rtol=1e-5, atol=z_atol):
            return f"z differs; this is what {_LABELS['transpose']} gives"
        fit, least = np.sum((A @ z - x) ** 2), np.sum((A @ best - x) ** 2)
        tolerance = 1e-6 * least + 1e-9 * float(np.sum(x**2))
        if fit <= least + tolerance:
            n = [format_number(np.linalg.norm(a)) for a in (z, best)]
            return f"{_LABELS['longer']} (length {n[0]}, not {n[1]})"
        fit, least = format_number(fit / pixels), format_number(least / pixels)
        return f"G(z) has a mean squared error of {fit}; the best is {least}"

    def check(result):
        if isinstance(result, np.linalg.LinAlgError):
            return f"raised {_ascii(result)}; {_LABELS['singular']}"
        if not isinstance(result, (tuple, list)) or len(result) != 2:
            return f"expected a pair (z, error), got a {type(result).__name__}"
        z, got = (np.asarray(item, "float64") for item in result)
        if z.size == 1 and got.shape == (dims,):
            return "expected the pair (z, error), got it in the other order"
        if z.shape != (dims,):
            return f"expected z of shape ({dims},), got shape {z.shape}"
        if got.size != 1:
            return f"expected error to be one number, got shape {got.shape}"
        if not np.allclose(z, best, rtol=1e-5, atol=z_atol):
            return z_problem(z)
        got = float(got.reshape(()))
        if np.isclose(got, error, rtol=1e-5, atol=error_atol):
            return None
        problem = f"expected error {format_number(error)}, got {got:.6g}"
        for label, wrong in error_mistakes:
            if np.isclose(got, wrong, rtol=1e-5, atol=error_atol):
                return f"{problem}; this is what {label} gives"
        return problem

    return check


def _inversion_call(fn, A, x):
    try:
        return fn(A.copy(), x.copy())
    except np.linalg.LinAlgError as error:
        return error


def check_linear_inversion(fn):
    """Check ``linear_inversion(A, x)``: inverting a linear generator.

    检查线性生成器的反演：最小范数的最优潜在向量及其像素误差（第 09 课）。

    Spec: the generator is linear, G(z) = A z, with ``A`` a float array
    (D, d) (D pixels, d latent dimensions; D may be smaller than d, and A
    may have dependent columns) and ``x`` an image (D,). Return a pair
    ``(z, error)``: ``z`` (d,) is the code that minimises the squared pixel
    error |A z - x|^2, and among all such codes the one of minimum norm;
    ``error`` is a number, the mean over the D pixels of the squared error
    of that code. It is 0 exactly when x lies in the range of G.
    """
    rng = np.random.default_rng(91)
    settings = [  # dtype, shape of A, x in the range?, note.
        ("float64", (6, 2), False, "tall, x off the range"),
        ("float64", (10, 3), True, "tall, x = G of a known code"),
        ("float64", (8, 4), False, "tall, column 3 all zeros"),
        ("float64", (3, 5), False, "wide: many codes fit x"),
        ("float32", (64, 8), False, "tall, x off the range"),
        ("float64", (4, 6), False, "wide, row 4 repeats row 1"),
        ("float64", (12, 5), True, "tall, column 5 repeats column 1"),
        ("float32", (5, 5), False, "square and invertible"),
    ]
    cases = []
    for index, (dtype, shape, in_range, note) in enumerate(settings):
        A = rng.standard_normal(shape)
        if index == 2:
            A[:, 2] = 0.0
        elif index == 5:
            A[3] = A[0]
        elif index == 6:
            A[:, 4] = A[:, 0]
        if in_range:
            x = A @ rng.standard_normal(shape[1])
        else:
            x = rng.uniform(-1, 1, size=shape[0])
        A, x = A.astype(dtype), x.astype(dtype)
        text = _describe(index, 2, f"{dtype} A {shape}, {note}")
        call = partial(_inversion_call, A=A, x=x)
        cases.append((text, call, _inversion_check(A, x)))
    return run_cases(
        "linear_inversion",
        fn,
        cases,
        "look for the code whose image is closest to x; when several codes "
        "are equally close (a wide A, or dependent columns) take the "
        "shortest, and note that the transpose of A is not its inverse; "
        "the error is a mean over the D pixels of squared differences; see "
        "'Inverting real images into the DCGAN' in lesson 09.",
    )


def _direction_expected(direction, conditions):
    v, c = np.asarray(direction, "float64"), np.asarray(conditions, "float64")
    basis, _ = np.linalg.qr(c.T)
    inside = basis @ (basis.T @ v)
    units = c / np.linalg.norm(c, axis=1, keepdims=True)
    separately, running = v - (units @ v) @ units, v.copy()
    for unit in units:
        running = running - (running @ unit) * unit
    orthogonal = []  # Gram-Schmidt, each vector left at its length.
    for row in c:
        orthogonal.append(
            row - sum((row @ u) / (u @ u) * u for u in orthogonal)
        )
    loose = v - sum((v @ u) * u for u in orthogonal)
    if np.linalg.norm(v - inside) < 1e-8 * np.linalg.norm(v):
        return None, []  # In the span: the function must raise.
    expected, label = _unit(v - inside), _LABELS
    mistakes = [
        (label["separately"], _unit(separately)),
        (label["separately"], _unit(running)),
        (label["long"], v - inside),
        (label["inside"], _unit(inside)),
        (label["first"], _unit(v - (v @ units[0]) * units[0])),
        (label["conditions"], _unit(v - (c @ v) @ c)),
        (label["conditions"], _unit(loose)),
        (label["opposite"], -expected),
    ]
    return expected, mistakes


def _direction_call(fn, direction, conditions, check):
    v, c = direction.copy(), conditions.copy()
    try:
        result = fn(v, c)
    except NotImplementedError:
        raise
    except Exception as error:  # noqa: BLE001 - judged by the check.
        if not check.must_raise:
            raise
        result = error
    same = np.array_equal(v, direction) and np.array_equal(c, conditions)
    return result, not same


def _direction_check(expected, mistakes):
    diagnose = diagnosed(expected, mistakes, rtol=1e-4, atol=1e-5)

    def check(outcome):
        result, changed = outcome
        if changed:
            return _LABELS["changed"]
        if expected is not None:
            return diagnose(result)
        if isinstance(result, ValueError):
            return None
        if isinstance(result, Exception):
            return f"raised {_ascii(result)}, not ValueError"
        return _LABELS["no raise"]

    check.must_raise = expected is None
    return check


def check_conditional_direction(fn):
    """Check ``conditional_direction(direction, conditions)`` (lesson 09).

    检查条件编辑的方向：去掉其他属性的影响后剩下的单位潜在方向（第 09 课）。

    Spec: ``direction`` (d,) is the normal of one attribute's boundary and
    ``conditions`` (k, d), 1 <= k < d, holds as rows the normals of other
    attributes' boundaries: linearly independent, not necessarily of unit
    length nor orthogonal to each other; float32 or float64. Return the
    unit vector (d,) along the component of ``direction`` orthogonal to the
    span of all the conditions, so that moving along it changes no
    condition's score. Raise ``ValueError`` when that component is
    (numerically) zero: its norm below 1e-8 times the norm of
    ``direction``. Do not modify the input arrays.
    """
    rng = np.random.default_rng(92)
    settings = [  # dtype, d, k, how the conditions relate, note.
        ("float64", 3, 1, None, "d = 3, one condition (0, 3, 0)"),
        ("float64", 5, 2, "orthogonal", "d = 5, two orthogonal conditions"),
        ("float64", 8, 2, 0.6, "d = 8, two correlated conditions"),
        ("float32", 100, 3, 0.5, "d = 100, three correlated conditions"),
        ("float64", 6, 2, 0.5, "a direction inside their span"),
        ("float32", 20, 1, None, "d = 20, one condition of length 40"),
        ("float64", 4, 3, 0.4, "d = 4, three correlated conditions"),
        ("float64", 50, 2, 0.98, "d = 50, nearly parallel conditions"),
    ]
    cases = []
    for index, (dtype, d, k, mix, note) in enumerate(settings):
        lengths = rng.uniform(0.5, 3.0, size=(k, 1))
        base = rng.standard_normal((k, d))
        if mix == "orthogonal":
            base = np.linalg.qr(base.T)[0].T
        elif mix is not None:  # Each row leans on the first.
            base[1:] = mix * _unit(base[0]) * np.sqrt(d) + base[1:] * (1 - mix)
        v = rng.standard_normal(d) * (1e3 if index == 6 else 2)
        c = lengths * base
        if index == 0:
            v, c = np.array([2.0, 2.0, 1.0]), 3 * np.eye(3)[1:2]
        elif index == 4:
            v = 1.5 * c[0] - 0.5 * c[1]
        elif index == 5:
            c = 40 * _unit(base)
        v, c = v.astype(dtype), c.astype(dtype)
        expected, mistakes = _direction_expected(v, c)
        text, check = f"{dtype}, {note}", _direction_check(expected, mistakes)
        call = partial(_direction_call, direction=v, conditions=c, check=check)
        cases.append((_describe(index, 2, text), call, check))
    return run_cases(
        "conditional_direction",
        fn,
        cases,
        "remove from the direction everything that lies in the span of all "
        "the conditions together (they need not be orthogonal, so removing "
        "them one at a time is not enough), scale what is left to unit "
        "length, raise ValueError when nothing is left, and leave the inputs "
        "unchanged; see conditional editing in 'Editing in the latent space' "
        "in lesson 09.",
    )

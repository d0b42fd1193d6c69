"""Checkers of the graded exercises of lesson 01: GAN basics.

第 01 课（生成对抗网络基础）分级练习的检查器。
"""

import math

import numpy as np

from gancourse.course.exercises.harness import close_to
from gancourse.course.exercises.harness import f32
from gancourse.course.exercises.harness import format_number
from gancourse.course.exercises.harness import run_cases
from gancourse.course.exercises.harness import softplus

__all__ = [
    "check_minimax_d_loss",
    "check_non_saturating_g_loss",
    "check_ring_mode_coverage",
]


def check_minimax_d_loss(fn):
    """Check ``minimax_d_loss(real_logits, fake_logits)`` (lesson 01).

    检查判别器的极小极大损失（由 logit 计算，第 01 课）。

    Expected: ``mean(-log sigmoid(real)) + mean(-log(1 - sigmoid(fake)))``
    computed stably from logits (finite for logits of +-1000).
    """
    rng = np.random.default_rng(0)
    real, fake = f32(rng.normal(size=8)), f32(rng.normal(size=6) - 1.0)
    cases = []
    for description, r, f in [
        ("on random logits", real, fake),
        ("on zero logits", f32(np.zeros(4)), f32(np.zeros(4))),
        ("on confident correct logits", f32([5.0, 8.0]), f32([-6.0, -9.0])),
        (
            "on logits of +-1000",
            f32([-1000.0, 1000.0]),
            f32([1000.0, -1000.0]),
        ),
    ]:
        expected = softplus(-r).mean() + softplus(f).mean()
        cases.append(
            (description, lambda fn, r=r, f=f: fn(r, f), close_to(expected))
        )
    return run_cases(
        "minimax_d_loss",
        fn,
        cases,
        "-log(sigmoid(x)) = softplus(-x) and -log(1 - sigmoid(x)) = "
        "softplus(x); see 'Losses (teaching version)' in lesson 01.",
    )


def check_non_saturating_g_loss(fn):
    """Check ``non_saturating_g_loss(fake_logits)`` (lesson 01).

    检查生成器的非饱和损失（第 01 课）。

    Expected: ``mean(-log sigmoid(fake_logits))``, stable for logits of -1000.
    """
    rng = np.random.default_rng(1)
    cases = []
    for description, f in [
        ("on random logits", f32(rng.normal(size=10) - 2.0)),
        ("on zero logits", f32(np.zeros(3))),
        (
            "on logits of -1000 (D sure the sample is fake)",
            f32([-1000.0, 3.0]),
        ),
    ]:
        cases.append(
            (description, lambda fn, f=f: fn(f), close_to(softplus(-f).mean()))
        )
    return run_cases(
        "non_saturating_g_loss",
        fn,
        cases,
        "the generator maximises log D(G(z)): minimise softplus(-logits); "
        "see 'Why the non-saturating loss' in lesson 01.",
    )


def _ring_centres(num_modes, radius):
    angles = 2.0 * np.pi * np.arange(num_modes) / num_modes
    return radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)


def _ring_reference(samples, num_modes, radius, std, min_fraction):
    centres = _ring_centres(num_modes, radius)
    distances = np.linalg.norm(samples[:, None] - centres[None], axis=-1)
    close = distances.min(axis=1) < 3.0 * std
    counts = np.bincount(distances.argmin(axis=1)[close], minlength=num_modes)
    shares = counts / len(samples)
    return int((shares >= min_fraction).sum()), float(shares.sum())


def check_ring_mode_coverage(fn):
    """Check ``ring_mode_coverage(samples, ...)`` (lesson 01).

    检查圆环模式覆盖率的计算（第 01 课）。

    Expected: a tuple ``(modes_covered, high_quality_fraction)``; centre k is
    at angle 2*pi*k/num_modes, a sample is high quality within 3*std of a
    centre, a mode is covered if at least ``min_fraction`` of all samples are
    near it.
    """
    rng = np.random.default_rng(2)
    centres = _ring_centres(8, 2.0)
    one_mode = centres[3] + 0.01 * rng.normal(size=(50, 2))
    spread = centres[rng.integers(0, 8, 400)] + 0.05 * rng.normal(size=(400, 2))
    rare = np.concatenate(
        [
            centres[np.repeat(np.arange(5), 40)],
            centres[5:6] + 0.001,  # One sample: 1/203 < 0.01 of the total.
            rng.uniform(-0.5, 0.5, size=(2, 2)),  # Far from every mode.
        ]
    )
    small_ring = _ring_centres(4, 1.0)[[0, 1, 1, 2]] + 0.02
    cases = []
    for description, samples, args in [
        ("with all samples on one mode", one_mode, (8, 2.0, 0.05, 0.01)),
        ("with samples spread over the ring", spread, (8, 2.0, 0.05, 0.01)),
        ("with a rare mode and off-ring samples", rare, (8, 2.0, 0.05, 0.01)),
        ("with num_modes=4, radius=1, std=0.1", small_ring, (4, 1.0, 0.1, 0.3)),
    ]:
        expected = _ring_reference(samples, *args)

        def check(result, expected=expected):
            covered, fraction = result
            if int(covered) != expected[0] or float(covered) != int(covered):
                return f"expected {expected[0]} modes covered, got {covered}"
            if not math.isclose(float(fraction), expected[1], abs_tol=1e-9):
                return (
                    f"expected a high-quality fraction of "
                    f"{format_number(expected[1])}, "
                    f"got {format_number(float(fraction))}"
                )
            return None

        cases.append(
            (
                description,
                lambda fn, s=samples, a=args: fn(
                    s, num_modes=a[0], radius=a[1], std=a[2], min_fraction=a[3]
                ),
                check,
            )
        )
    return run_cases(
        "ring_mode_coverage",
        fn,
        cases,
        "distances to all centres via broadcasting, argmin for the nearest "
        "mode, np.bincount to count; see 'Mode collapse' in lesson 01.",
    )

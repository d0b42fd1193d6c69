"""Checkers of the graded exercises of lesson 06: image-to-image translation.

第 06 课（图像到图像翻译）分级练习的检查器。
"""

import numpy as np

from gancourse.course.exercises.harness import close_to
from gancourse.course.exercises.harness import f32
from gancourse.course.exercises.harness import run_cases
from gancourse.course.exercises.harness import softplus

__all__ = [
    "check_psnr",
    "check_random_box_mask",
    "check_pix2pix_g_loss",
]


def check_psnr(fn):
    """Check ``psnr(predicted, target, max_val=2.0)`` (lesson 06).

    检查峰值信噪比 PSNR（第 06 课）。

    Expected: ``10 * log10(max_val**2 / mean((predicted - target)**2))`` over
    all pixels, ``inf`` for identical images; images in [-1, 1] have a range
    (max_val) of 2.
    """
    rng = np.random.default_rng(13)
    target = f32(rng.uniform(-1, 1, size=(2, 8, 8, 1)))
    noisy = f32(np.clip(target + rng.normal(0, 0.1, target.shape), -1, 1))
    cases = []
    for description, pred, max_val in [
        ("for an offset of 0.1", target + f32(0.1), 2.0),
        ("for noisy images", noisy, 2.0),
        ("with max_val=1", noisy, 1.0),
    ]:
        mse = np.mean((pred.astype("float64") - target) ** 2)
        cases.append(
            (
                description,
                lambda fn, p=pred, m=max_val: fn(p, target, max_val=m),
                close_to(10 * np.log10(max_val**2 / mse), rtol=1e-4, atol=1e-3),
            )
        )
    cases.append(
        (
            "for identical images",
            lambda fn: fn(target, target, max_val=2.0),
            close_to(np.inf),
        )
    )
    return run_cases(
        "psnr",
        fn,
        cases,
        "square the range (max_val**2), divide by the mean squared error, "
        "10*log10; return float('inf') if the error is 0; see 'Results' in "
        "lesson 06.",
    )


def check_random_box_mask(fn):
    """Check ``random_box_mask(height, width, box_size, rng)`` (lesson 06).

    检查随机方形遮挡掩码（第 06 课）。

    Expected: a float (height, width) array, 1 inside one box_size x box_size
    hole and 0 elsewhere; the hole lies fully inside the image and its
    position comes from ``rng`` (a NumPy Generator), so every position can
    occur.
    """

    def check_masks(height, width, box, seeds, corners):
        def check(masks):
            tops = set()
            for mask in masks:
                mask = np.asarray(mask)
                if mask.shape != (height, width):
                    return (
                        f"expected shape ({height}, {width}), got {mask.shape}"
                    )
                if not np.isin(mask, (0, 1)).all():
                    return "expected only the values 0 and 1"
                rows, cols = np.nonzero(mask)
                if len(rows) != box * box:
                    return (
                        f"expected {box * box} ones (the hole), got {len(rows)}"
                    )
                top, left = rows.min(), cols.min()
                if rows.max() - top + 1 != box or cols.max() - left + 1 != box:
                    return "the ones do not form one box_size x box_size square"
                tops.add((int(top), int(left)))
            if corners and not corners <= tops:
                missing = sorted(corners - tops)[0]
                return (
                    f"the hole never starts at (row, col) = {missing} in "
                    f"{seeds} draws (draw the corner from 0 to size - box "
                    "inclusive)"
                )
            if len(tops) < 2:
                return f"the hole is always at the same place in {seeds} draws"
            return None

        return check

    def draw(fn, height, width, box, seeds):
        return [
            fn(height, width, box, np.random.default_rng(seed))
            for seed in range(seeds)
        ]

    small_corners = {(0, 0), (0, 2), (3, 0), (3, 2)}
    cases = [
        (
            "for a 28x28 image with a 10x10 hole",
            lambda fn: draw(fn, 28, 28, 10, 20),
            check_masks(28, 28, 10, 20, set()),
        ),
        (
            "for a 6x5 image with a 3x3 hole",
            lambda fn: draw(fn, 6, 5, 3, 200),
            check_masks(6, 5, 3, 200, small_corners),
        ),
    ]
    return run_cases(
        "random_box_mask",
        fn,
        cases,
        "top = rng.integers(0, height - box_size + 1), likewise left; then set "
        "mask[top:top+box_size, left:left+box_size] = 1; see 'Data' in "
        "lesson 06.",
    )


def check_pix2pix_g_loss(fn):
    """Check ``pix2pix_g_loss(fake_logits, generated, target, lambda_l1)``.

    检查 pix2pix 生成器损失：对抗项 + lambda * L1（第 06 课）。

    Expected: ``mean(softplus(-fake_logits)) + lambda_l1 * mean(|generated -
    target|)``; the logits may be a PatchGAN map.
    """
    rng = np.random.default_rng(14)
    logits = f32(rng.normal(size=(2, 4, 4, 1)))
    target = f32(rng.uniform(-1, 1, size=(2, 8, 8, 1)))
    generated = f32(np.clip(target + rng.normal(0, 0.2, target.shape), -1, 1))
    cases = []
    for description, fake, lam in [
        ("with lambda_l1=100", generated, 100.0),
        ("with lambda_l1=0 (adversarial term only)", generated, 0.0),
        ("for a perfect reconstruction", target, 100.0),
        ("with lambda_l1=10", generated, 10.0),
    ]:
        expected = (
            softplus(-logits).mean()
            + lam * np.abs(fake.astype("float64") - target).mean()
        )
        cases.append(
            (
                description,
                lambda fn, g=fake, lam=lam: fn(
                    logits, g, target, lambda_l1=lam
                ),
                close_to(expected),
            )
        )
    return run_cases(
        "pix2pix_g_loss",
        fn,
        cases,
        "non-saturating adversarial term on the patch logits plus lambda_l1 "
        "times the mean absolute error (L1, not L2); see 'Losses' in "
        "lesson 06.",
    )

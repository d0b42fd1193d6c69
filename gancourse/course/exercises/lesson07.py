"""Checkers of the graded exercises of lesson 07: CycleGAN.

第 07 课（循环一致对抗网络）分级练习的检查器。
"""

import numpy as np

from gancourse.course.exercises.harness import close_to
from gancourse.course.exercises.harness import f32
from gancourse.course.exercises.harness import run_cases

__all__ = [
    "check_cycle_consistency_loss",
    "check_identity_loss",
    "check_image_pool_query",
]


def check_cycle_consistency_loss(fn):
    """Check ``cycle_consistency_loss(real, cycled, lambda_cycle=10.0)``.

    检查循环一致性损失（第 07 课）。

    Expected: ``lambda_cycle * mean(|real - cycled|)``.
    """
    rng = np.random.default_rng(15)
    real = f32(rng.uniform(-1, 1, size=(3, 6, 6, 1)))
    cycled = f32(rng.uniform(-1, 1, size=(3, 6, 6, 1)))
    cases = []
    for description, other, lam in [
        ("with lambda_cycle=10", cycled, 10.0),
        ("with lambda_cycle=1", cycled, 1.0),
        ("for a perfect cycle", real, 10.0),
    ]:
        expected = lam * np.abs(real.astype("float64") - other).mean()
        cases.append(
            (
                description,
                lambda fn, o=other, lam=lam: fn(real, o, lambda_cycle=lam),
                close_to(expected),
            )
        )
    return run_cases(
        "cycle_consistency_loss",
        fn,
        cases,
        "an L1 (mean absolute) error between x and F(G(x)), times "
        "lambda_cycle; see 'Losses' in lesson 07.",
    )


def check_identity_loss(fn):
    """Check ``identity_loss(real_y, same_y, lambda_cycle, lambda_identity)``.

    检查恒等损失（第 07 课）。

    Expected: ``lambda_cycle * lambda_identity * mean(|same_y - real_y|)``,
    where ``same_y = G(y)``: as in the paper and ``gancourse.CycleGAN``, the
    identity weight is relative to the cycle weight.
    """
    rng = np.random.default_rng(16)
    real = f32(rng.uniform(-1, 1, size=(2, 5, 5, 1)))
    same = f32(rng.uniform(-1, 1, size=(2, 5, 5, 1)))
    cases = []
    for description, lam_c, lam_i in [
        ("with lambda_cycle=10, lambda_identity=0.5", 10.0, 0.5),
        ("with lambda_cycle=2, lambda_identity=1", 2.0, 1.0),
        ("with lambda_identity=0", 10.0, 0.0),
    ]:
        expected = lam_c * lam_i * np.abs(same.astype("float64") - real).mean()
        cases.append(
            (
                description,
                lambda fn, c=lam_c, i=lam_i: fn(
                    real, same, lambda_cycle=c, lambda_identity=i
                ),
                close_to(expected),
            )
        )
    return run_cases(
        "identity_loss",
        fn,
        cases,
        "L1 between G(y) and y, weighted by lambda_cycle * lambda_identity; "
        "see 'Losses' in lesson 07.",
    )


def _pool_reference(pool, images, pool_size, draws):
    pool, returned = list(pool), []
    for image, (p, r) in zip(images, draws):
        if len(pool) < pool_size:
            pool.append(image)
            returned.append(image)
        elif pool_size > 0 and p < 0.5:
            index = min(int(r * pool_size), pool_size - 1)
            returned.append(pool[index])
            pool[index] = image
        else:
            returned.append(image)
    return np.stack(returned), pool


def check_image_pool_query(fn):
    """Check ``image_pool_query(pool, images, pool_size, draws)`` (lesson 07).

    检查历史图像池的查询（第 07 课）。

    Expected, for each image with its draws ``(p, r)`` in [0, 1): while the
    pool (a list) holds fewer than ``pool_size`` images, store the image and
    return it; otherwise, if ``p < 0.5`` return the stored image at index
    ``int(r * pool_size)`` and store the new one in its place, else return
    the new image. Returns ``(returned_images, pool)``.
    """
    images = f32(np.arange(6)[:, None, None] * np.ones((6, 2, 2)))
    old = [f32(np.full((2, 2), -1.0 - i)) for i in range(3)]
    draws = np.array(
        [
            [0.9, 0.1],
            [0.2, 0.7],
            [0.4, 0.0],
            [0.6, 0.5],
            [0.1, 0.99],
            [0.3, 0.4],
        ]
    )

    def check_for(pool, size):
        expected_images, expected_pool = _pool_reference(
            [p.copy() for p in pool], images, size, draws
        )

        def check(result):
            returned, new_pool = result
            problem = close_to(expected_images, rtol=0, atol=0)(returned)
            if problem:
                return "returned images: " + problem
            if len(new_pool) != len(expected_pool):
                return (
                    f"expected a pool of {len(expected_pool)} images, got "
                    f"{len(new_pool)}"
                )
            if not all(
                np.array_equal(np.asarray(a), b)
                for a, b in zip(new_pool, expected_pool)
            ):
                return "the stored pool differs from the reference"
            return None

        return check

    cases = [
        (
            "filling an empty pool of size 4",
            lambda fn: fn([], images, 4, draws),
            check_for([], 4),
        ),
        (
            "querying a full pool of size 3",
            lambda fn: fn([p.copy() for p in old], images, 3, draws),
            check_for(old, 3),
        ),
        (
            "with pool_size=0 (no pool)",
            lambda fn: fn([], images, 0, draws),
            check_for([], 0),
        ),
    ]
    return run_cases(
        "image_pool_query",
        fn,
        cases,
        "loop over the images; fill the pool first, then swap with "
        "probability 1/2 (p < 0.5) at index int(r * pool_size); see "
        "'Training' in lesson 07.",
    )

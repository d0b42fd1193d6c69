"""Checkers of the graded exercises of lesson 07: CycleGAN.

第 07 课（循环一致对抗网络）分级练习的检查器。

Every checker runs the visible cases the lesson describes and then hidden
ones (other seeds, shapes, dtypes and edge cases). When a wrong result is
exactly what a known mistake gives, the FAIL line names the mistake in
words; no line ever prints the formula.
"""

import numpy as np

from gancourse.course.exercises.harness import diagnosed
from gancourse.course.exercises.harness import format_number
from gancourse.course.exercises.harness import run_cases

__all__ = [
    "check_cycle_consistency_loss",
    "check_best_inverse",
    "check_image_pool_query",
]


def _describe(index, visible, text):
    if index < visible:
        return f"for {text}"
    return f"on hidden case {index - visible + 1} ({text})"


def check_cycle_consistency_loss(fn):
    """Check ``cycle_consistency_loss(real, cycled, lambda_cycle=10.0)``.

    检查循环一致性损失（第 07 课）。

    Spec: ``real`` (images x) and ``cycled`` (their reconstructions
    F(G(x))) are float arrays (float32 or float64, not necessarily the
    same) of one shape (N, H, W, C). Return the scalar

        lambda_cycle * mean(|real - cycled|)

    with the mean over every element (batch, height, width and channels),
    and ``lambda_cycle`` defaulting to 10.
    """
    rng = np.random.default_rng(70)
    settings = [  # dtypes, shape, lambda (None: the default), how to pass it.
        (("float32", "float32"), (3, 6, 6, 1), 10.0, "keyword"),
        (("float32", "float32"), (2, 5, 5, 3), 1.0, "keyword"),
        (("float64", "float64"), (4, 4, 4, 1), None, "default"),
        (("float32", "float64"), (2, 7, 3, 3), 2.5, "positional"),
        (("float64", "float64"), (1, 16, 16, 3), 0.5, "keyword"),
        (("float32", "float32"), (5, 3, 3, 2), 0.0, "keyword"),
    ]
    cases = []
    for index, (dtypes, shape, lam, how) in enumerate(settings):
        real = rng.uniform(-1, 1, size=shape).astype(dtypes[0])
        # Each image its own error level, so per-image sums stand out.
        level = rng.uniform(0.05, 1.0, size=(shape[0], 1, 1, 1))
        noise = level * rng.uniform(-1, 1, size=shape)
        cycled = np.clip(real + noise, -1, 1).astype(dtypes[1])
        difference = real.astype("float64") - cycled.astype("float64")
        weight = 10.0 if lam is None else lam
        per_image = np.abs(difference).reshape(shape[0], -1).sum(axis=1)
        forgot = "leaving out lambda_cycle"
        if lam is None:
            forgot = "a default lambda_cycle of 1 in place of 10"
        mistakes = [
            (forgot, np.abs(difference).mean()),
            ("a squared (L2) error", weight * np.mean(difference**2)),
            ("summing over each image's pixels", weight * per_image.mean()),
            ("summing in place of averaging", weight * per_image.sum()),
            ("leaving out the absolute value", weight * difference.mean()),
        ]
        text = f"{dtypes[0]} real and {dtypes[1]} cycled {shape}, " + (
            "lambda_cycle left at its default"
            if lam is None
            else f"lambda_cycle={lam:g} ({how})"
        )
        cases.append(
            (
                _describe(index, 2, text),
                lambda fn, r=real, c=cycled, w=lam, h=how: _cycle_call(
                    fn, r, c, w, h
                ),
                diagnosed(weight * np.abs(difference).mean(), mistakes),
            )
        )
    return run_cases(
        "cycle_consistency_loss",
        fn,
        cases,
        "an L1 error: the absolute differences between x and F(G(x)), "
        "averaged over every element of the batch, then weighted by "
        "lambda_cycle (default 10); see 'Losses' in lesson 07.",
    )


def _cycle_call(fn, real, cycled, lambda_cycle, how):
    if how == "keyword":
        return fn(real.copy(), cycled.copy(), lambda_cycle=lambda_cycle)
    if how == "positional":
        return fn(real.copy(), cycled.copy(), lambda_cycle)
    return fn(real.copy(), cycled.copy())


def _best_inverse_check(g, num_y):
    g = np.asarray(g)
    num_x = len(g)
    reached = len(np.unique(g))
    minimum = 1.0 - reached / num_x
    both = num_x == num_y == reached

    def check(result):
        f, both_zero = result
        f = np.asarray(f)
        if f.ndim != 1 or len(f) != num_y:
            extra = (
                " (one entry per x; F needs one per y)"
                if f.shape == (num_x,) and num_x != num_y
                else ""
            )
            return f"expected f of shape ({num_y},), got shape {f.shape}{extra}"
        if not np.issubdtype(f.dtype, np.integer):
            return f"f must hold integer class indices, got dtype {f.dtype}"
        if f.min() < 0 or f.max() >= num_x:
            return (
                "every y needs an F(y) in X, i.e. a class index from 0 to "
                f"{num_x - 1}; got values from {f.min()} to {f.max()}"
            )
        error = float(np.mean(f[g] != np.arange(num_x)))
        if error > minimum + 1e-12:
            return (
                f"your f makes the cycle error X->Y->X "
                f"{format_number(error)}, but {format_number(minimum)} is "
                "reachable"
            )
        if not isinstance(both_zero, (bool, np.bool_)):
            return (
                "both_zero must be True or False, got a "
                f"{type(both_zero).__name__}"
            )
        if bool(both_zero) != both:
            return f"expected both_zero={both}, got {bool(both_zero)}"
        return None

    return check


def check_best_inverse(fn):
    """Check ``best_inverse(g, num_y)``: what cycle consistency constrains.

    检查离散域上循环一致性的概念练习：最优的逆映射（第 07 课）。

    Spec: the domains are classes, X = {0, ..., n_x - 1} and Y = {0, ...,
    num_y - 1}; ``g`` is an integer array (n_x,), the lookup table of G:
    X -> Y (``g[x]`` = G(x)). The cycle errors of a pair (G, F) are e_X, the
    share of x with F(G(x)) != x, and e_Y, the share of y with G(F(y)) != y.
    Return ``(f, both_zero)``: ``f`` an integer array (num_y,) with values
    in X, the lookup table of an F that makes e_X as small as possible (any
    such F passes); ``both_zero`` a bool, whether some F makes e_X and e_Y
    both 0.
    """
    rng = np.random.default_rng(71)
    settings = [  # g, num_y, note; two visible cases, then hidden.
        ([2, 0, 3, 1], 4, "a permutation of 4 classes"),
        ([1, 1, 0, 1, 2], 3, "several x sent to one y"),
        ([3, 3, 3, 3, 3, 3], 5, "every x sent to one y, mode collapse"),
        ([4, 0, 2], 5, "one to one, but 2 classes of Y never reached"),
        ([0, 1, 2, 0, 1, 2, 2], 3, "every y reached, more x than y"),
        ([0, 0, 1, 2], 4, "as many x as y, one y never reached"),
        ([0], 1, "one class in each domain"),
        (rng.permutation(50), 50, "a random permutation of 50 classes"),
    ]
    cases = []
    for index, (g, num_y, note) in enumerate(settings):
        g = np.asarray(g, "int32" if index in (3, 7) else "int64")
        shown = f"g = {g.tolist()}, " if len(g) <= 8 else ""
        text = f"{shown}num_y = {num_y}: {note}"
        cases.append(
            (
                _describe(index, 2, text),
                lambda fn, g=g, n=num_y: fn(g.copy(), n),
                _best_inverse_check(g, num_y),
            )
        )
    return run_cases(
        "best_inverse",
        fn,
        cases,
        "for each y, ask which x could make F(G(x)) = x; some y are never "
        "reached by G, yet F must still send them into X. For both_zero, "
        "think about what a zero error in both directions asks of G; see "
        "'Losses' and 'Results' in lesson 07.",
    )


def _pool_reference(pool, images, pool_size, rng, mistake=None):
    """The specified query, or the variant that a known ``mistake`` gives."""
    pool, returned = [np.array(p, copy=True) for p in pool], []
    for image in images:
        if len(pool) < pool_size:
            if mistake == "filling":
                rng.random()
            pool.append(image.copy())
            returned.append(image.copy())
            continue
        swap = False
        if pool_size > 0:
            p = rng.random()
            swap = p >= 0.5 if mistake == "above" else p < 0.5
        if swap and mistake == "uniform":
            index = int(rng.random() * pool_size)
        elif swap or (pool_size > 0 and mistake == "index"):
            index = rng.integers(pool_size)
        returned.append(pool[index] if swap else image.copy())
        if swap:
            pool[index] = image.copy()
    return np.stack(returned), pool


_POOL_MISTAKES = {
    "above": "swapping when p >= 0.5",
    "filling": "drawing random numbers while the pool fills",
    "index": "drawing an index for every image, not only on a swap",
    "uniform": "scaling a uniform draw to get the index, not an integer draw",
}


def _pool_check(pool, images, pool_size, seed):
    reference_rng = np.random.default_rng(seed)
    expected, expected_pool = _pool_reference(
        pool, images, pool_size, reference_rng
    )
    next_draw = reference_rng.random()
    untouched = np.random.default_rng(seed).random()

    def diagnosis(returned, drawn=None):
        """A known mistake that gives these images (and this next draw)."""
        for mistake, label in _POOL_MISTAKES.items():
            mistake_rng = np.random.default_rng(seed)
            wrong, _ = _pool_reference(
                pool, images, pool_size, mistake_rng, mistake
            )
            same = wrong.shape == returned.shape and np.array_equal(
                wrong, returned
            )
            if same and (drawn is None or mistake_rng.random() == drawn):
                return f"; this is what {label} gives"
        return ""

    def check(result):
        (returned, new_pool), drawn, passed = result
        if any(np.shares_memory(np.asarray(e), passed) for e in new_pool):
            return (
                "the pool holds views of the input images; store copies, "
                "since a training loop reuses its image buffers"
            )
        if np.shares_memory(np.asarray(returned), passed):
            return "the returned batch shares memory with the input images"
        returned = np.asarray(returned)
        if returned.shape != expected.shape or returned.dtype != expected.dtype:
            return (
                f"expected returned images {expected.shape} {expected.dtype}, "
                f"got {returned.shape} {returned.dtype}"
            )
        if not np.array_equal(returned, expected):
            first = next(
                i
                for i in range(len(expected))
                if not np.array_equal(returned[i], expected[i])
            )
            hint = diagnosis(returned)
            if not hint and drawn == untouched and next_draw != untouched:
                hint = "; the passed rng was not used"
            if not hint and any(
                np.array_equal(returned[first], x) for x in images[first:]
            ):
                hint = (
                    "; it is a new image where the reference returns an old "
                    "one (a view of storage that was overwritten later?)"
                )
            return f"returned image {first} differs from the reference{hint}"
        if len(new_pool) != len(expected_pool) or not all(
            np.array_equal(np.asarray(a), b)
            for a, b in zip(new_pool, expected_pool)
        ):
            return "the stored pool differs from the reference"
        if drawn != next_draw:
            return (
                "the right images, but the passed rng was used a different "
                "number of times than specified" + diagnosis(returned, drawn)
            )
        return None

    return check


def check_image_pool_query(fn):
    """Check ``image_pool_query(pool, images, pool_size, rng)`` (lesson 07).

    检查历史图像池的一次查询（第 07 课）。

    Spec: ``pool`` is a list of stored images, ``images`` an array (N, ...)
    of new ones, ``pool_size`` an int >= 0 and ``rng`` a
    ``numpy.random.Generator``, the only source of randomness. Go through
    the images in order. While the pool holds fewer than ``pool_size``
    images, store a copy of the image and return it (no draw). Once it is
    full, draw ``p = rng.random()``; if ``p < 0.5``, draw ``i =
    rng.integers(pool_size)``, return the stored image ``i`` and store a
    copy of the new image in its place; otherwise return the new image.
    ``pool_size = 0`` means no pool: every image comes back and nothing is
    drawn. Return ``(returned, pool)``: a new array (N, ...) with the dtype
    of ``images``, and the list; neither may share memory with ``images``.
    """
    rng = np.random.default_rng(72)
    six = np.arange(6, dtype="float32")[:, None, None] * np.ones((6, 2, 2))
    six = six.astype("float32")

    def old(count, shape):  # Stored images -1, -2, ..., unlike new ones.
        return [np.full(shape, -1.0 - i, "float32") for i in range(count)]

    stored = [rng.normal(size=(3, 3, 3)).astype("float32") for _ in "ab"]
    settings = [  # pool, images, pool_size, seed, note.
        ([], six, 4, 7, "filling an empty pool of size 4"),
        (old(3, (2, 2)), six, 3, 11, "querying a full pool of size 3"),
        ([], six, 0, 5, "pool_size = 0, no pool"),
        ([], rng.normal(size=(8, 4, 4, 1)), 1, 2024, "a pool of size 1"),
        (
            stored,
            rng.normal(size=(10, 3, 3, 3)).astype("float32"),
            5,
            99,
            "2 of 5 places filled, then swaps",
        ),
        (
            old(4, (2, 2, 1)),
            rng.uniform(size=(12, 2, 2, 1)).astype("float32"),
            4,
            31,
            "a full pool of size 4",
        ),
    ]
    cases = []
    for index, (pool, images, size, seed, note) in enumerate(settings):
        text = f"{note}, {images.dtype} images {images.shape}, seed {seed}"
        cases.append(
            (
                _describe(index, 2, text),
                lambda fn, p=pool, x=images, s=size, seed=seed: _pool_call(
                    fn, p, x, s, seed
                ),
                _pool_check(pool, images, size, seed),
            )
        )
    return run_cases(
        "image_pool_query",
        fn,
        cases,
        "one image at a time: fill the pool first without drawing, then one "
        "draw decides between the new and an old image (swap when the draw "
        "is below one half), and only a swap draws the index; store copies; "
        "see 'Training' in lesson 07.",
    )


def _pool_call(fn, pool, images, pool_size, seed):
    rng = np.random.default_rng(seed)
    passed = images.copy()
    result = fn([p.copy() for p in pool], passed, pool_size, rng)
    return result, rng.random(), passed

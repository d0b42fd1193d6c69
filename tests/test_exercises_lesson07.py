"""Lesson 07's graded exercises: the checkers, on right and wrong answers.

第 07 课分级练习的检查器：参考答案、其他正确写法与常见错误。

``SOLUTIONS`` are the reference solutions as the lesson's solution cells
hold them; ``CORRECT_ANSWERS`` are other correct ways to write them (each
must pass); ``WRONG_ANSWERS`` are plausible mistakes (each must fail, with
one ASCII line and a hint that never prints the formula).
"""

import re
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from gancourse import losses
from gancourse.course.exercises import lesson07
from tests import exercise_tables
from tests.exercise_tables import check

CHECKERS = [
    "check_cycle_consistency_loss",
    "check_best_inverse",
    "check_image_pool_query",
]
# Visible + hidden cases of each checker.
CASES = {
    "check_cycle_consistency_loss": 2 + 4,
    "check_best_inverse": 2 + 6,
    "check_image_pool_query": 2 + 4,
}
NOTEBOOK = Path(__file__).parent.parent / "lessons" / "07_cyclegan.ipynb"


# The reference solutions, as the lesson's `solution` cells hold them.


def cycle_consistency_loss(real, cycled, lambda_cycle=10.0):
    """循环一致性损失 / The cycle-consistency loss."""
    difference = np.asarray(real, "float64") - np.asarray(cycled, "float64")
    return lambda_cycle * np.mean(np.abs(difference))


def best_inverse(g, num_y):
    """循环误差最小的 F / The F with the smallest cycle error."""
    g = np.asarray(g)
    f = np.zeros(num_y, dtype="int64")  # G 达不到的 y：随便送回 0。
    f[g] = np.arange(len(g))  # 每个被达到的 y 送回它的一个原像。
    both_zero = len(g) == num_y and len(np.unique(g)) == num_y
    return f, both_zero


def image_pool_query(pool, images, pool_size, rng):
    """历史图像池的一次查询 / One query of the image history pool."""
    pool, returned = list(pool), []
    for image in images:
        if len(pool) < pool_size:
            pool.append(image.copy())
            returned.append(image.copy())
        elif pool_size > 0 and rng.random() < 0.5:
            index = rng.integers(pool_size)
            returned.append(pool[index])
            pool[index] = image.copy()
        else:
            returned.append(image.copy())
    return np.stack(returned), pool


SOLUTIONS = {
    "check_cycle_consistency_loss": cycle_consistency_loss,
    "check_best_inverse": best_inverse,
    "check_image_pool_query": image_pool_query,
}


# Other correct answers.


def _cycle_tf(real, cycled, lambda_cycle=10.0):
    real = tf.cast(real, tf.float32)
    cycled = tf.cast(cycled, tf.float32)
    return lambda_cycle * tf.reduce_mean(tf.abs(real - cycled))


def _cycle_keras_ops(real, cycled, lambda_cycle=10.0):
    return keras.ops.mean(keras.ops.abs(real - cycled)) * lambda_cycle


def _cycle_per_image_mean(real, cycled, lambda_cycle=10.0):
    error = np.abs(np.float32(real) - np.float32(cycled))
    return float(lambda_cycle * error.mean(axis=(1, 2, 3)).mean())


def _cycle_package(real, cycled, lambda_cycle=10.0):
    return lambda_cycle * losses.cycle_consistency_loss(real, cycled)


def _inverse_first_preimage(g, num_y):
    preimage = {}
    for x, y in enumerate(g):
        preimage.setdefault(int(y), x)
    f = [preimage.get(y, 0) for y in range(num_y)]
    both = len(g) == num_y and len(preimage) == num_y
    return f, both


def _inverse_unique(g, num_y):
    values, first = np.unique(g, return_index=True)
    f = np.full(num_y, len(g) - 1, dtype="int32")
    f[values] = first
    return f, np.array_equal(np.sort(g), np.arange(num_y))


def _inverse_check_both_directions(g, num_y):
    g = np.asarray(g)
    f = np.zeros(num_y, int)
    for x in range(len(g)):
        f[g[x]] = x
    forward = np.all(f[g] == np.arange(len(g)))
    backward = np.all(g[f] == np.arange(num_y))
    return f, bool(forward and backward)


def _pool_uniform_and_choice(pool, images, pool_size, rng):
    pool = list(pool)
    returned = np.empty_like(images)
    for i, image in enumerate(images):
        if len(pool) < pool_size:
            pool.append(np.array(image))
            returned[i] = image
        elif pool_size and rng.uniform(0, 1) < 0.5:
            j = rng.choice(pool_size)
            returned[i] = pool[j]
            pool[j] = np.copy(image)
        else:
            returned[i] = image
    return returned, pool


def _pool_array_buffer(pool, images, pool_size, rng):
    buffer = np.zeros((pool_size,) + images.shape[1:], images.dtype)
    count = len(pool)
    buffer[:count] = np.asarray(pool).reshape((count,) + images.shape[1:])
    out = []
    for image in images:
        if count < pool_size:
            buffer[count] = image
            count += 1
            out.append(image.copy())
        elif pool_size > 0 and rng.random() < 0.5:
            index = rng.integers(0, pool_size)
            out.append(buffer[index].copy())
            buffer[index] = image
        else:
            out.append(image.copy())
    return np.array(out), list(buffer[:count])


def _pool_in_place(pool, images, pool_size, rng):
    returned = []
    for image in images:
        image = image.copy()
        if len(pool) < pool_size:
            pool.append(image)
            returned.append(image)
            continue
        swap = pool_size > 0 and rng.random() < 0.5
        if swap:
            index = int(rng.integers(pool_size))
            pool[index], image = image, pool[index]
        returned.append(image)
    return np.stack(returned), pool


CORRECT_ANSWERS = {
    "check_cycle_consistency_loss": [
        _cycle_tf,
        _cycle_keras_ops,
        _cycle_per_image_mean,
        _cycle_package,
    ],
    "check_best_inverse": [
        _inverse_first_preimage,
        _inverse_unique,
        _inverse_check_both_directions,
    ],
    "check_image_pool_query": [
        _pool_uniform_and_choice,
        _pool_array_buffer,
        _pool_in_place,
    ],
}


# Plausible wrong answers.


def _cycle_no_lambda(real, cycled, lambda_cycle=10.0):
    return np.mean(np.abs(np.asarray(real, "float64") - cycled))


def _cycle_l2(real, cycled, lambda_cycle=10.0):
    return lambda_cycle * np.mean((np.asarray(real, "float64") - cycled) ** 2)


def _cycle_per_image_sum(real, cycled, lambda_cycle=10.0):
    error = np.abs(np.asarray(real, "float64") - cycled)
    return lambda_cycle * error.sum(axis=(1, 2, 3)).mean()


def _cycle_sum(real, cycled, lambda_cycle=10.0):
    return lambda_cycle * np.sum(np.abs(np.asarray(real, "float64") - cycled))


def _cycle_default_one(real, cycled, lambda_cycle=1.0):
    return cycle_consistency_loss(real, cycled, lambda_cycle)


def _cycle_signed(real, cycled, lambda_cycle=10.0):
    return lambda_cycle * np.mean(np.asarray(real, "float64") - cycled)


def _cycle_or_default(real, cycled, lambda_cycle=None):
    lambda_cycle = lambda_cycle or 10.0  # Turns 0.0 into 10.
    return cycle_consistency_loss(real, cycled, lambda_cycle)


def _inverse_argsort(g, num_y):
    g = np.asarray(g)
    both = len(g) == num_y and len(np.unique(g)) == num_y
    return np.argsort(g), both


def _inverse_self(g, num_y):
    g = np.asarray(g)
    return g.copy(), len(g) == num_y and len(np.unique(g)) == num_y


def _inverse_float(g, num_y):
    f = np.zeros(num_y)  # float64 by default.
    f[np.asarray(g)] = np.arange(len(g))
    return f, best_inverse(g, num_y)[1]


def _inverse_unreached_minus_one(g, num_y):
    f = np.full(num_y, -1)
    f[np.asarray(g)] = np.arange(len(g))
    return f, best_inverse(g, num_y)[1]


def _inverse_with_both(rule):
    def inverse(g, num_y):
        g = np.asarray(g)
        return best_inverse(g, num_y)[0], bool(rule(g, num_y))

    return inverse


def _pool_with(swap_rule="below", draw_always=False, index_always=False):
    def query(pool, images, pool_size, rng):
        pool, out = list(pool), []
        for image in images:
            p = rng.random() if draw_always and pool_size else None
            if len(pool) < pool_size:
                pool.append(image.copy())
                out.append(image.copy())
                continue
            if pool_size == 0:
                out.append(image.copy())
                continue
            p = rng.random() if p is None else p
            swap = p < 0.5 if swap_rule == "below" else p > 0.5
            index = rng.integers(pool_size) if swap or index_always else None
            if swap:
                out.append(pool[index])
                pool[index] = image.copy()
            else:
                out.append(image.copy())
        return np.stack(out), pool

    return query


def _pool_own_rng(pool, images, pool_size, rng):
    return image_pool_query(pool, images, pool_size, np.random.default_rng(0))


def _pool_views(pool, images, pool_size, rng):
    pool, out = list(pool), []
    for image in images:
        if len(pool) < pool_size:
            pool.append(image)  # A view of `images`.
            out.append(image)
        elif pool_size > 0 and rng.random() < 0.5:
            index = rng.integers(pool_size)
            out.append(pool[index])
            pool[index] = image
        else:
            out.append(image)
    return np.stack(out), pool


def _pool_returns_input(pool, images, pool_size, rng):
    if pool_size == 0:
        return images, list(pool)
    return image_pool_query(pool, images, pool_size, rng)


def _pool_index_from_random(pool, images, pool_size, rng):
    pool, out = list(pool), []
    for image in images:
        if len(pool) < pool_size:
            pool.append(image.copy())
            out.append(image.copy())
        elif pool_size > 0 and rng.random() < 0.5:
            index = int(rng.random() * pool_size)  # Not rng.integers.
            out.append(pool[index])
            pool[index] = image.copy()
        else:
            out.append(image.copy())
    return np.stack(out), pool


def _pool_no_zero_case(pool, images, pool_size, rng):
    pool, out = list(pool), []
    for image in images:
        if len(pool) < pool_size:
            pool.append(image.copy())
            out.append(image.copy())
        elif rng.random() < 0.5:
            index = rng.integers(pool_size)  # Raises for pool_size = 0.
            out.append(pool[index])
            pool[index] = image.copy()
        else:
            out.append(image.copy())
    return np.stack(out), pool


def _pool_buffer_alias(pool, images, pool_size, rng):
    buffer = np.zeros((pool_size,) + images.shape[1:], images.dtype)
    count = len(pool)
    buffer[:count] = np.asarray(pool).reshape((count,) + images.shape[1:])
    out = []
    for image in images:
        if count < pool_size:
            buffer[count] = image
            count += 1
            out.append(image.copy())
        elif pool_size > 0 and rng.random() < 0.5:
            index = rng.integers(pool_size)
            out.append(buffer[index])  # A view, overwritten on the next line.
            buffer[index] = image
        else:
            out.append(image.copy())
    return np.stack(out), [b.copy() for b in buffer[:count]]


WRONG_ANSWERS = {
    "check_cycle_consistency_loss": [
        _cycle_no_lambda,
        _cycle_l2,
        _cycle_per_image_sum,
        _cycle_sum,
        _cycle_default_one,
        _cycle_signed,
        _cycle_or_default,
    ],
    "check_best_inverse": [
        _inverse_argsort,
        _inverse_self,
        _inverse_float,
        _inverse_unreached_minus_one,
        # both_zero from injectivity alone (zero forward error).
        _inverse_with_both(lambda g, n: len(np.unique(g)) == len(g)),
        # both_zero from surjectivity alone.
        _inverse_with_both(lambda g, n: len(np.unique(g)) == n),
        # both_zero from the sizes of the domains alone.
        _inverse_with_both(lambda g, n: len(g) == n),
    ],
    "check_image_pool_query": [
        _pool_with(swap_rule="above"),
        _pool_with(draw_always=True),
        _pool_with(index_always=True),
        _pool_own_rng,
        _pool_views,
        _pool_returns_input,
        _pool_index_from_random,
        _pool_no_zero_case,
        _pool_buffer_alias,
    ],
}

# The mistake the FAIL line names, for a few wrong answers.
DIAGNOSES = [
    ("check_cycle_consistency_loss", 0, "leaving out lambda_cycle"),
    ("check_cycle_consistency_loss", 1, "a squared (L2) error"),
    ("check_cycle_consistency_loss", 2, "summing over each image's pixels"),
    ("check_cycle_consistency_loss", 3, "summing in place of averaging"),
    ("check_cycle_consistency_loss", 4, "a default lambda_cycle of 1"),
    ("check_cycle_consistency_loss", 5, "leaving out the absolute value"),
    ("check_cycle_consistency_loss", 6, "lambda_cycle=0 (keyword)"),
    ("check_best_inverse", 0, "one entry per x; F needs one per y"),
    ("check_best_inverse", 1, "is reachable"),
    ("check_best_inverse", 2, "integer class indices"),
    ("check_best_inverse", 3, "every y needs an F(y) in X"),
    ("check_best_inverse", 4, "expected both_zero=False, got True"),
    ("check_image_pool_query", 0, "swapping when p >= 0.5"),
    ("check_image_pool_query", 1, "drawing random numbers while the pool"),
    ("check_image_pool_query", 2, "drawing an index for every image"),
    ("check_image_pool_query", 3, "the passed rng was not used"),
    ("check_image_pool_query", 4, "holds views of the input images"),
    ("check_image_pool_query", 5, "shares memory with the input images"),
    ("check_image_pool_query", 7, "raised ValueError"),
    ("check_image_pool_query", 6, "scaling a uniform draw to get the index"),
    ("check_image_pool_query", 8, "a view of storage that was overwritten"),
]

# Tokens of the solutions that no FAIL line may print.
FORBIDDEN = re.compile(
    r"np\.|abs\(|mean\(|\*\*|argsort|unique\(|integers\(|random\(\)|\.copy\("
    r"|f\[g\]|==|lambda_cycle \*"
)


def _stub(g, num_y):
    raise NotImplementedError("Exercise: implement best_inverse")


def _mutating(g, num_y):
    result = best_inverse(g.copy(), num_y)
    g[...] = 0
    return result


def _clears_images(pool, images, pool_size, rng):
    result = image_pool_query(pool, images, pool_size, rng)
    images[...] = np.nan  # The pool holds copies, so nothing changes.
    return result


exercise_tables.add_checker_tests(
    globals(),
    lesson07,
    forbidden=FORBIDDEN,
    stub=("check_best_inverse", _stub),
    not_callable="check_image_pool_query",
    mutating={
        "check_best_inverse": _mutating,
        "check_image_pool_query": _clears_images,
    },
    deterministic=("check_image_pool_query", _pool_own_rng),
    absent="check_identity_loss",
)


def test_hidden_cases_are_labelled_and_reached():
    # Right on the visible cases (float32 only), wrong on float64 input.
    def visible_only(real, cycled, lambda_cycle=10.0):
        if np.asarray(real).dtype == np.float64:
            return 0.0
        return cycle_consistency_loss(real, cycled, lambda_cycle)

    passed, text = check("check_cycle_consistency_loss", visible_only)
    assert passed is False and "on hidden case 1 (float64" in text, text

    # Right for every g but the last, a permutation of 50 classes.
    def small_only(g, num_y):
        if len(g) > 8:
            return np.zeros(num_y, int), True
        return best_inverse(g, num_y)

    passed, text = check("check_best_inverse", small_only)
    assert passed is False and "on hidden case 6 (num_y = 50" in text, text


def test_the_notebook_holds_these_solutions():
    sources = exercise_tables.solution_cells(NOTEBOOK)
    assert len(sources) == len(SOLUTIONS)
    for source, (checker, solution) in zip(sources, SOLUTIONS.items()):
        namespace = {"np": np}
        exec(source, namespace)  # noqa: S102 - the lesson's own cell.
        name = solution.__name__
        assert check(checker, namespace[name])[0] is True, checker
        assert f"def {name}(" in source

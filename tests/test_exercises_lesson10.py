"""Lesson 10's graded exercises: the checkers, on right and wrong answers.

第 10 课分级练习的检查器：参考答案、其他正确写法与常见错误。

``SOLUTIONS`` are the reference solutions as the lesson's solution cells
hold them; ``CORRECT_ANSWERS`` are other correct ways to write them (each
must pass, the package's own ``AdaptiveAugment``, ``translate`` and
``r1_penalty`` among them); ``WRONG_ANSWERS`` are plausible mistakes (each
must fail, with one ASCII line and a hint that never prints the formula).
"""

import re
from pathlib import Path

import keras
import numpy as np
import pytest
import tensorflow as tf

from gancourse import augment
from gancourse.course.exercises import lesson10
from gancourse.losses import regularizers
from tests import exercise_tables
from tests.exercise_tables import check

CHECKERS = [
    "check_ada_step",
    "check_translate",
    "check_r1_penalty",
]
# Visible + hidden cases of each checker.
CASES = {
    "check_ada_step": 2 + 6,
    "check_translate": 2 + 5,
    "check_r1_penalty": 2 + 5,
}
NOTEBOOK = next(
    (Path(__file__).parent.parent / "lessons").glob("10_*.ipynb"), None
)


# The reference solutions, as the lesson's `solution` cells hold them.


def ada_step(p, real_logits, target=0.6, speed_images=500_000):
    """ADA 调整一次增强概率 / One ADA adjustment of the probability p.

    p: the augmentation probability in [0, 1]; real_logits: (N,) or (N, 1),
    the discriminator's logits on the N real images of one interval;
    target: the r_t to hold; speed_images: images for p to go from 0 to 1.
    Returns the new p, a float in [0, 1].
    """
    logits = np.asarray(real_logits, dtype="float64")
    num_images = logits.shape[0]
    r_t = np.mean(np.sign(logits))  # 0: D undecided, 1: D overfits
    step = np.sign(r_t - target) * num_images / speed_images
    return float(np.clip(p + step, 0.0, 1.0))


def translate(images, dx, dy, fill_value=0.0):
    """平移图像 / Shift images right by dx and down by dy pixels.

    images: float array (N, H, W, C); dx, dy: ints with |dx| < W and
    |dy| < H (negative values shift left or up); fill_value: the value of
    the pixels that come in from outside. Returns a new array; images is
    left unchanged.
    """
    images = np.asarray(images)
    height, width = images.shape[1:3]
    out = np.full_like(images, fill_value)
    rows_out = slice(max(dy, 0), height + min(dy, 0))
    cols_out = slice(max(dx, 0), width + min(dx, 0))
    rows_in = slice(max(-dy, 0), height - max(dy, 0))
    cols_in = slice(max(-dx, 0), width - max(dx, 0))
    out[:, rows_out, cols_out] = images[:, rows_in, cols_in]
    return out


def r1_penalty(discriminator, real_images, gamma):
    """R1 惩罚 / The R1 penalty of a discriminator on real images.

    discriminator: a callable, images (N, H, W, C) -> logits (N, 1);
    real_images: float32 array or tensor (N, H, W, C); gamma: the weight.
    Returns the scalar penalty on the gradient of D's logits with respect
    to the real images.
    """
    real = tf.convert_to_tensor(real_images, dtype=tf.float32)
    with tf.GradientTape() as tape:
        tape.watch(real)
        logits = discriminator(real)
        total = tf.reduce_sum(logits)  # each logit depends on its image only
    grads = tape.gradient(total, real)  # (N, H, W, C)
    squared_norms = tf.reduce_sum(tf.square(grads), axis=[1, 2, 3])
    return gamma / 2 * tf.reduce_mean(squared_norms)


SOLUTIONS = {
    "check_ada_step": ada_step,
    "check_translate": translate,
    "check_r1_penalty": r1_penalty,
}


# Other correct answers.


def _ada_package(p, real_logits, target=0.6, speed_images=500_000):
    # The package's controller, adjusting after every batch.
    ada = augment.AdaptiveAugment(
        target=target,
        interval=1,
        speed_images=speed_images,
        initial_probability=p,
    )
    return float(ada.update(real_logits))


def _ada_counting(p, real_logits, target=0.6, speed_images=500_000):
    # Count the signs by hand; plain Python floats.
    flat = list(np.ravel(real_logits))
    r_t = (sum(x > 0 for x in flat) - sum(x < 0 for x in flat)) / len(flat)
    if r_t > target:
        p = p + len(flat) / speed_images
    elif r_t < target:
        p = p - len(flat) / speed_images
    return min(max(p, 0.0), 1.0)


def _ada_float32(p, real_logits, target=0.6, speed_images=500_000):
    # N as the number of elements, everything in float32.
    signs = np.sign(np.asarray(real_logits, "float32"))
    r_t = signs.mean()
    step = np.float32(real_logits.size) / np.float32(speed_images)
    return np.clip(np.float32(p) + np.sign(r_t - target) * step, 0, 1)


def _translate_padded(images, dx, dy, fill_value=0.0):
    height, width = images.shape[1:3]
    pad = ((0, 0), (height, height), (width, width), (0, 0))
    padded = np.pad(images, pad, constant_values=fill_value)
    top, left = height - dy, width - dx
    return padded[:, top : top + height, left : left + width].copy()


def _translate_package(images, dx, dy, fill_value=0.0):
    shifts = np.tile([[dy, dx]], (len(images), 1))
    moved = augment.translate(images, shifts, fill_value)
    return keras.ops.convert_to_numpy(moved)


def _translate_loop(images, dx, dy, fill_value=0.0):
    out = np.empty_like(images)
    height, width = images.shape[1:3]
    for i in range(height):
        for j in range(width):
            if 0 <= i - dy < height and 0 <= j - dx < width:
                out[:, i, j] = images[:, i - dy, j - dx]
            else:
                out[:, i, j] = fill_value
    return out


def _r1_package(discriminator, real_images, gamma):
    return regularizers.r1_penalty(discriminator, real_images, gamma)


def _r1_implicit_sum(discriminator, real_images, gamma):
    # The tape sums a non-scalar target itself; norms of flattened images.
    real = tf.constant(np.asarray(real_images, "float32"))
    with tf.GradientTape() as tape:
        tape.watch(real)
        logits = discriminator(real)
    grads = tape.gradient(logits, real)
    norms = tf.norm(tf.reshape(grads, [len(grads), -1]), axis=1)
    return float(0.5 * gamma * np.mean(norms.numpy() ** 2))


def _r1_batch_jacobian(discriminator, real_images, gamma):
    real = tf.convert_to_tensor(real_images)
    with tf.GradientTape() as tape:
        tape.watch(real)
        logits = discriminator(real)
    jacobian = tape.batch_jacobian(logits, real).numpy()  # (N, 1, H, W, C)
    per_image = np.sum(jacobian.astype("float64") ** 2, axis=(1, 2, 3, 4))
    return gamma * per_image.mean() / 2


CORRECT_ANSWERS = {
    "check_ada_step": [_ada_package, _ada_counting, _ada_float32],
    "check_translate": [
        _translate_padded,
        _translate_package,
        _translate_loop,
    ],
    "check_r1_penalty": [_r1_package, _r1_implicit_sum, _r1_batch_jacobian],
}


# Plausible wrong answers.


def _ada_with(mistake):
    def step(p, real_logits, target=0.6, speed_images=500_000):
        logits = np.asarray(real_logits, "float64")
        images = logits.shape[-1] if mistake == "last axis" else len(logits)
        r_t = np.mean(np.sign(logits))
        if mistake == "logits":
            r_t = np.mean(logits)
        elif mistake == "sigmoid":
            r_t = np.mean(1 / (1 + np.exp(-logits)))
        elif mistake == "zero positive":
            r_t = np.mean(np.where(logits >= 0, 1.0, -1.0))
        elif mistake == "zeros out":
            r_t = np.mean(np.sign(logits[logits != 0]))
        direction = np.sign(r_t - target)
        if mistake == "strict":
            direction = 1.0 if r_t > target else -1.0
        elif mistake == "or equal":
            direction = 1.0 if r_t >= target else -1.0
        elif mistake == "scaled":
            direction = r_t - target
        elif mistake == "wrong way":
            direction = -direction
        if mistake == "one image":
            images = 1
        p = p + direction * images / speed_images
        return float(p) if mistake == "no clip" else float(np.clip(p, 0, 1))

    return step


def _ada_second_axis(p, real_logits, target=0.6, speed_images=500_000):
    num_images = real_logits.shape[1]  # IndexError for (N,) logits.
    r_t = np.mean(np.sign(real_logits))
    return float(
        np.clip(p + np.sign(r_t - target) * num_images / speed_images, 0, 1)
    )


def _ada_per_logit(p, real_logits, target=0.6, speed_images=500_000):
    # One update per logit: an array, not one probability.
    step = np.sign(np.sign(real_logits) - target) / speed_images
    return np.clip(p + step, 0, 1)


def _translate_roll(images, dx, dy, fill_value=0.0):
    return np.roll(images, (dy, dx), axis=(1, 2))


def _translate_swapped(images, dx, dy, fill_value=0.0):
    return _translate_loop(images, dy, dx, fill_value)


def _translate_opposite(images, dx, dy, fill_value=0.0):
    return translate(images, -dx, -dy, fill_value)


def _translate_y_up(images, dx, dy, fill_value=0.0):
    # Positive dy taken as "up", as on a plot's axis.
    return translate(images, dx, -dy, fill_value)


def _translate_zero_fill(images, dx, dy, fill_value=0.0):
    return translate(images, dx, dy, 0.0)


def _translate_in_place(images, dx, dy, fill_value=0.0):
    images[...] = translate(images, dx, dy, fill_value)
    return images.copy()


def _translate_no_copy(images, dx, dy, fill_value=0.0):
    if dx == 0 and dy == 0:
        return images
    return translate(images, dx, dy, fill_value)


def _translate_positive_only(images, dx, dy, fill_value=0.0):
    # Slices written for positive shifts: negative ones break them.
    height, width = images.shape[1:3]
    out = np.full_like(images, fill_value)
    out[:, dy:, dx:] = images[:, : height - dy, : width - dx]
    return out


def _translate_one_channel(images, dx, dy, fill_value=0.0):
    return translate(images, dx, dy, fill_value)[..., 0]


def _r1_with(mistake):
    def penalty(discriminator, real_images, gamma):
        real = tf.convert_to_tensor(real_images, tf.float32)
        with tf.GradientTape() as tape:
            tape.watch(real)
            logits = discriminator(real)
            if mistake == "sigmoid":
                logits = tf.sigmoid(logits)
            elif mistake == "loss":
                logits = tf.nn.softplus(-logits)
            total = tf.reduce_sum(logits)
            if mistake == "mean logits":
                total = tf.reduce_mean(logits)
        grads = tape.gradient(total, real)
        squares = tf.reduce_sum(tf.square(grads), axis=[1, 2, 3])
        if mistake == "gamma":
            return gamma * tf.reduce_mean(squares)
        if mistake == "unsquared":
            return gamma / 2 * tf.reduce_mean(tf.sqrt(squares))
        if mistake == "batch norm":
            return gamma / 2 * tf.norm(grads)
        if mistake == "batch sum":
            return gamma / 2 * tf.reduce_sum(squares)
        if mistake == "pixels":
            return gamma / 2 * tf.reduce_mean(tf.square(grads))
        if mistake == "per image":
            return gamma / 2 * squares
        return gamma / 2 * tf.reduce_mean(squares)

    return penalty


def _r1_unwatched(discriminator, real_images, gamma):
    # A constant tensor the tape does not watch: the gradient is None.
    real = tf.convert_to_tensor(real_images, tf.float32)
    with tf.GradientTape() as tape:
        total = tf.reduce_sum(discriminator(real))
    grads = tape.gradient(total, real)
    squares = tf.reduce_sum(tf.square(grads), axis=[1, 2, 3])
    return gamma / 2 * tf.reduce_mean(squares)


WRONG_ANSWERS = {
    "check_ada_step": [
        _ada_with("logits"),
        _ada_with("sigmoid"),
        _ada_with("no clip"),
        _ada_with("wrong way"),
        _ada_with("scaled"),
        _ada_with("one image"),
        _ada_with("last axis"),
        _ada_with("strict"),
        _ada_with("or equal"),
        _ada_with("zero positive"),
        _ada_with("zeros out"),
        _ada_second_axis,
        _ada_per_logit,
    ],
    "check_translate": [
        _translate_roll,
        _translate_swapped,
        _translate_opposite,
        _translate_y_up,
        _translate_zero_fill,
        _translate_in_place,
        _translate_no_copy,
        _translate_positive_only,
        _translate_one_channel,
    ],
    "check_r1_penalty": [
        _r1_with("gamma"),
        _r1_with("unsquared"),
        _r1_with("batch norm"),
        _r1_with("batch sum"),
        _r1_with("pixels"),
        _r1_with("mean logits"),
        _r1_with("sigmoid"),
        _r1_with("loss"),
        _r1_unwatched,
        _r1_with("per image"),
    ],
}

# The mistake the FAIL line names, for every wrong answer.
DIAGNOSES = [
    ("check_ada_step", 0, "averaging the logits themselves"),
    ("check_ada_step", 1, "averaging the probabilities (sigmoids)"),
    ("check_ada_step", 2, "(no clipping)"),
    ("check_ada_step", 3, "moving p the wrong way"),
    ("check_ada_step", 4, "a step proportional to the distance"),
    ("check_ada_step", 5, "does not grow with the number of images N"),
    ("check_ada_step", 6, "does not grow with the number of images N"),
    ("check_ada_step", 6, "on hidden case 5 (p 0.7, 200 float32"),
    ("check_ada_step", 7, "moving p although r_t equals the target"),
    ("check_ada_step", 8, "moving p although r_t equals the target"),
    ("check_ada_step", 9, "counting a zero logit as positive"),
    ("check_ada_step", 10, "leaving zero logits out"),
    ("check_ada_step", 11, "raised IndexError"),
    ("check_ada_step", 12, "expected shape (), got shape (64,)"),
    ("check_translate", 0, "wrapping the pixels that leave one side"),
    ("check_translate", 1, "(axes swapped)"),
    ("check_translate", 2, "shifting the wrong way"),
    ("check_translate", 3, "shifting the wrong way"),
    ("check_translate", 4, "filling with 0 instead of fill_value"),
    ("check_translate", 5, "changed its input array in place"),
    ("check_translate", 6, "returned the input array itself"),
    ("check_translate", 6, "on hidden case 1 (float32 images (2, 3, 3, 1)"),
    ("check_translate", 7, "raised ValueError"),
    ("check_translate", 8, "expected shape (2, 5, 6, 1), got shape (2, 5, 6)"),
    ("check_r1_penalty", 0, "weighting by gamma instead of half of gamma"),
    ("check_r1_penalty", 1, "the gradient's norm where its square belongs"),
    ("check_r1_penalty", 2, "the gradient's norm where its square belongs"),
    ("check_r1_penalty", 3, "summing over the batch instead of averaging"),
    ("check_r1_penalty", 4, "averaging the squared gradient over the pixels"),
    ("check_r1_penalty", 5, "differentiating the mean of the logits"),
    ("check_r1_penalty", 6, "differentiating the probability"),
    ("check_r1_penalty", 7, "differentiating a GAN loss of the logit"),
    ("check_r1_penalty", 8, "r1_penalty raised "),
    ("check_r1_penalty", 9, "expected shape (), got shape (4,)"),
]


# What no FAIL line may print: code or formulas of the solutions.
FORBIDDEN = re.compile(
    r"np\.|tf\.|\*\*|@|reduce_|sign\(|clip\(|roll\(|sigmoid\(|softplus\(|"
    r"tape\.|mean\(|sum\(|square\(|full_like|gamma ?/ ?2|0\.5 ?\*|"
    r"/ ?speed|\[:|\[\.\.\.|convert_to_tensor"
)


def _stub(p, real_logits, target=0.6, speed_images=500_000):
    raise NotImplementedError("Exercise: implement ada_step")


def _mutating_ada(p, real_logits, target=0.6, speed_images=500_000):
    result = ada_step(p, real_logits, target, speed_images)
    real_logits[...] = 0.0
    return result


def _mutating_r1(discriminator, real_images, gamma):
    result = r1_penalty(discriminator, real_images, gamma)
    if isinstance(real_images, np.ndarray):
        real_images[...] = 0.0
    return result


exercise_tables.add_checker_tests(
    globals(),
    lesson10,
    forbidden=FORBIDDEN,
    stub=("check_ada_step", _stub),
    not_callable="check_translate",
    mutating={
        "check_ada_step": _mutating_ada,
        "check_r1_penalty": _mutating_r1,
    },
    deterministic=("check_r1_penalty", _r1_with("sigmoid")),
    quoted_names=True,
    check_hints=True,
    every_wrong_diagnosed=True,
)


def test_hidden_cases_are_labelled_and_reached():
    # No clipping passes the visible cases and fails where p reaches 1.
    passed, text = check("check_ada_step", _ada_with("no clip"))
    assert passed is False and "on hidden case 3 (p 0.995" in text, text

    # A right answer on the visible cases only fails on a hidden case.
    def visible_only(images, dx, dy, fill_value=0.0):
        if images.shape[0] == 4:
            return np.zeros_like(images)
        return translate(images, dx, dy, fill_value)

    passed, text = check("check_translate", visible_only)
    assert passed is False and "on hidden case 2 (float32" in text, text

    # Right on every hand-made D, wrong on the Keras nets: the first Keras
    # net is hidden case 4.
    def hand_made_only(discriminator, real_images, gamma):
        if isinstance(discriminator, keras.Model):
            return 0.0
        return r1_penalty(discriminator, real_images, gamma)

    passed, text = check("check_r1_penalty", hand_made_only)
    assert passed is False and "on hidden case 4 (a Keras conv net" in text


def test_the_references_agree_with_the_package():
    rng = np.random.default_rng(0)
    # One ADA adjustment after `interval` batches is one ada_step on all
    # of their logits together.
    batches = [rng.normal(0.8, 1.0, size=(16, 1)) for _ in range(4)]
    ada = augment.AdaptiveAugment(
        interval=4, speed_images=1000, initial_probability=0.25
    )
    for batch in batches:
        p = float(ada.update(batch))
    together = np.concatenate(batches)
    assert np.isclose(p, ada_step(0.25, together, speed_images=1000))
    assert p > 0.25 and np.isclose(
        float(ada.overfitting), np.mean(np.sign(together))
    )
    # translate matches the package's transform, and undoing a shift
    # restores every pixel that stayed in the frame.
    images = rng.normal(size=(3, 7, 5, 2)).astype("float32")
    for dx, dy in [(2, -3), (-4, 0), (0, 6)]:
        moved = translate(images, dx, dy, -1.0)
        package = augment.translate(images, np.tile([[dy, dx]], (3, 1)), -1.0)
        np.testing.assert_array_equal(
            moved, keras.ops.convert_to_numpy(package)
        )
        back = translate(moved, -dx, -dy, np.nan)
        kept = ~np.isnan(back) & (back != -1.0)
        np.testing.assert_array_equal(back[kept], images[kept])
        assert kept.sum() == 3 * (7 - abs(dy)) * (5 - abs(dx)) * 2
    # R1 of a linear D is gamma / 2 * |w|^2, whatever the images.
    w = rng.normal(size=(4, 4, 1)).astype("float32")

    def linear(x):
        return tf.reduce_sum(x * w, axis=[1, 2, 3])[:, None] - 1.0

    for gamma in (0.5, 10.0):
        x = rng.uniform(-1, 1, size=(5, 4, 4, 1)).astype("float32")
        ours = float(r1_penalty(linear, x, gamma))
        theirs = float(regularizers.r1_penalty(linear, x, gamma))
        assert np.isclose(ours, gamma / 2 * np.sum(w.astype("float64") ** 2))
        assert np.isclose(ours, theirs, rtol=1e-6)


def test_the_notebook_holds_these_solutions():
    sources = exercise_tables.solution_cells(NOTEBOOK) if NOTEBOOK else []
    if not sources:
        pytest.skip("lesson 10's graded exercises are not in its notebook yet")
    assert len(sources) == len(SOLUTIONS)
    namespace = {"np": np, "tf": tf, "keras": keras}
    for source, (checker, solution) in zip(sources, SOLUTIONS.items()):
        exec(source, namespace)  # noqa: S102 - the lesson's own cells.
        name = solution.__name__
        assert f"def {name}(" in source
        assert check(checker, namespace[name])[0] is True, checker

"""Checkers of the graded exercises of lesson 10: GANs with little data.

第 10 课（小数据与数据增强）分级练习的检查器。

Each checker runs the lesson's visible cases, then hidden ones (edge cases:
r_t equal to the target, p clipped, zero logits, no shift, the largest
shifts, small Keras discriminators). A FAIL line names a known mistake in
words when the result matches it; no line ever prints the formula.
"""

from functools import partial

import numpy as np

from gancourse.course.exercises.harness import diagnosed
from gancourse.course.exercises.harness import run_cases

__all__ = [
    "check_ada_step",
    "check_translate",
    "check_r1_penalty",
]


def _describe(index, visible, text):
    if index < visible:
        return f"for {text}"
    return f"on hidden case {index - visible + 1} ({text})"


_LABELS = {  # The known mistakes, as the FAIL lines name them.
    "equal": "moving p although r_t equals the target (p must stay)",
    "zeros": "counting a zero logit as positive, or leaving zero logits "
    "out (they count, with sign 0)",
    "sigmoid mean": "averaging the probabilities (sigmoids) of the logits",
    "logit mean": "averaging the logits themselves instead of their signs",
    "scaled": "a step proportional to the distance from r_t to the target",
    "one image": "a step that does not grow with the number of images N",
    "no clip": "letting p leave the interval [0, 1] (no clipping)",
    "direction": "moving p the wrong way (up when r_t is above the target)",
    "changed": "it changed its input array in place; leave it unchanged",
    "same array": "it returned the input array itself, not a new array",
    "wrap": "wrapping the pixels that leave one side around to the other",
    "swapped": "shifting the rows by dx and the columns by dy (axes swapped)",
    "opposite": "shifting the wrong way (dx > 0 is right, dy > 0 is down)",
    "fill zero": "filling with 0 instead of fill_value",
    "gamma": "weighting by gamma instead of half of gamma",
    "unsquared": "the gradient's norm where its square belongs",
    "batch sum": "summing over the batch instead of averaging",
    "pixels": "averaging the squared gradient over the pixels too",
    "logits mean": "differentiating the mean of the logits, not their sum",
    "probability": "differentiating the probability (after the sigmoid)",
    "loss": "differentiating a GAN loss of the logit, not the raw logit",
}


def _ada_value(p, direction, images, speed, clip=True):
    value = p + direction * images / speed
    return float(np.clip(value, 0.0, 1.0)) if clip else float(value)


def _ada_expected(p, logits, target, speed):
    """The reference and the results of known mistakes, in float64."""
    flat = np.asarray(logits, "float64").reshape(-1)
    n, r_t = len(flat), float(np.mean(np.sign(flat)))

    def moved(r, images=n, clip=True):
        return _ada_value(p, np.sign(r - target), images, speed, clip)

    expected, mistakes = moved(r_t), []
    if r_t == target:  # Any step at all is wrong.
        mistakes += [
            (_LABELS["equal"], _ada_value(p, s, n, speed)) for s in (1, -1)
        ]
    if np.any(flat == 0):  # Zero counted as positive, or left out.
        zeros = [np.where(flat >= 0, 1.0, -1.0), np.sign(flat[flat != 0])]
        mistakes += [(_LABELS["zeros"], moved(np.mean(z))) for z in zeros]
    mistakes += [
        (_LABELS["sigmoid mean"], moved(np.mean(1 / (1 + np.exp(-flat))))),
        (_LABELS["logit mean"], moved(np.mean(flat))),
        (_LABELS["scaled"], _ada_value(p, r_t - target, n, speed)),
        (_LABELS["one image"], moved(r_t, images=1)),
        (_LABELS["no clip"], moved(r_t, clip=False)),
        (_LABELS["direction"], moved(2 * target - r_t)),
    ]
    return expected, mistakes


def _ada_logits(rng, counts, positive, negative, dtype, column=False):
    """``counts`` = (positive, zero, negative) logits, shuffled."""
    plus, zero, minus = counts
    logits = [rng.uniform(*positive, plus), np.zeros(zero)]
    logits = np.concatenate(logits + [-rng.uniform(*negative, minus)])
    logits = rng.permutation(logits).astype(dtype)
    return logits[:, None] if column else logits


def _ada_call(fn, p, logits, rest):
    return fn(p, logits.copy(), *rest)


def check_ada_step(fn):
    """Check ``ada_step(p, real_logits, target, speed_images)`` (lesson 10).

    检查自适应增强（ADA）调整增强概率 p 的一步（第 10 课）。

    Spec: ``p`` is the current augmentation probability, a float in [0, 1];
    ``real_logits`` is a NumPy array (N,) or (N, 1) of the discriminator's
    logits on the N real images of one adjustment interval; ``target``
    (default 0.6) and ``speed_images`` (default 500,000) are numbers. With
    ``r_t = mean(sign(real_logits))`` (a zero logit has sign 0 and still
    counts), return the new probability as a float::

        clip(p + sign(r_t - target) * N / speed_images, 0, 1)

    as ``AdaptiveAugment`` (``gancourse.augment``) does at each adjustment.
    """
    rng = np.random.default_rng(100)
    settings = [  # p, (positive, zero, negative), their sizes, dtype, rest.
        (0.3, (60, 0, 4), (2, 5), (1, 3), "float64", (0.6, 10_000)),
        (0.5, (16, 0, 16), (12, 20), (2, 4), "float64", ()),
        (0.2, (45, 0, 5), (0.01, 0.3), (0.01, 0.3), "float32", (0.6, 5000)),
        (0.42, (6, 0, 2), (0.5, 3), (0.5, 3), "float64", (0.5, 1000)),
        (0.995, (120, 0, 8), (0.5, 4), (0.5, 4), "float64", (0.6, 10_000)),
        (0.004, (30, 0, 34), (0.5, 4), (0.5, 4), "float32", (0.6, 10_000)),
        (0.7, (190, 0, 10), (0.5, 3), (0.5, 3), "float32", (0.6, 100_000)),
        (0.5, (13, 5, 2), (0.5, 3), (0.5, 3), "float64", (0.6, 2000)),
    ]
    notes = ["", "", ", all close to 0", ", r_t equal to the target"]
    notes += [", p near 1", ", p near 0", ", logits (N, 1)", ", with zeros"]
    cases = []
    for index, setting in enumerate(settings):
        p, counts, positive, negative, dtype, rest = setting
        logits = _ada_logits(
            rng, counts, positive, negative, dtype, column=index == 6
        )
        target, speed = rest or (0.6, 500_000)
        expected, mistakes = _ada_expected(p, logits, target, speed)
        check = diagnosed(expected, mistakes, rtol=1e-6, atol=1e-9)
        default = "the default target and speed_images"
        shown = f"target {target}, speed_images {speed}" if rest else default
        plus, zero, minus = counts
        text = (
            f"p {p}, {len(logits)} {dtype} logits ({plus} positive, {zero} "
            f"zero, {minus} negative), {shown}{notes[index]}"
        )
        call = partial(_ada_call, p=p, logits=logits, rest=rest)
        cases.append((_describe(index, 2, text), call, check))
    return run_cases(
        "ada_step",
        fn,
        cases,
        "r_t is the mean of the signs of the N logits (not of the logits "
        "nor of their probabilities); p then moves by a fixed amount that "
        "grows with N, up when r_t is above the target, down when below, "
        "not at all when they are equal, and it stays within [0, 1]; see "
        "the section on adaptive augmentation (ADA) in lesson 10.",
    )


def _shifted(images, dx, dy, fill):
    """Images shifted right by dx and down by dy, in float64."""
    x = np.asarray(images, "float64")
    height, width, m = x.shape[1], x.shape[2], max(x.shape[1:3])
    padded = np.pad(x, ((0, 0), (m, m), (m, m), (0, 0)), constant_values=fill)
    return padded[:, m - dy : m - dy + height, m - dx : m - dx + width]


def _translate_expected(images, dx, dy, fill):
    expected, label = _shifted(images, dx, dy, fill), _LABELS
    wrapped = np.roll(np.asarray(images, "float64"), (dy, dx), (1, 2))
    mistakes = [
        (label["wrap"], wrapped),
        (label["swapped"], _shifted(images, dy, dx, fill)),
        (label["opposite"], _shifted(images, -dx, -dy, fill)),
        (label["opposite"], _shifted(images, -dx, dy, fill)),
        (label["opposite"], _shifted(images, dx, -dy, fill)),
        (label["fill zero"], _shifted(images, dx, dy, 0.0)),
    ]
    return expected, mistakes


def _translate_call(fn, images, dx, dy, fill):
    given = images.copy()
    args = (given, dx, dy) if fill is None else (given, dx, dy, fill)
    result = fn(*args)
    changed = not np.array_equal(given, images)
    shared = isinstance(result, np.ndarray) and np.shares_memory(result, given)
    return result, changed, shared


def _translate_check(expected, mistakes):
    diagnose = diagnosed(expected, mistakes, rtol=1e-6, atol=1e-6)

    def check(outcome):
        result, changed, shared = outcome
        if changed:
            return _LABELS["changed"]
        if shared:
            return _LABELS["same array"]
        return diagnose(result)

    return check


def check_translate(fn):
    """Check ``translate(images, dx, dy, fill_value)`` (lesson 10).

    检查平移：图像右移 dx、下移 dy 个像素，空位填 fill_value（第 10 课）。

    Spec: ``images`` is a float NumPy array (N, H, W, C), float32 or
    float64; ``dx`` and ``dy`` are ints, possibly negative or 0, with
    |dx| < W and |dy| < H; ``fill_value`` is a number (default 0.0).
    Return a new array of the shape of ``images`` where every image is
    shifted right by dx pixels and down by dy pixels: the output pixel at
    row i, column j is the input pixel at row i - dy, column j - dx when
    that pixel exists, and ``fill_value`` otherwise (nothing wraps around).
    Do not modify ``images``.
    """
    rng = np.random.default_rng(101)
    settings = [  # dtype, shape, dx, dy, fill_value (None: the default).
        ("float32", (2, 5, 6, 1), 2, 1, None),
        ("float64", (3, 4, 4, 3), -1, 2, -1.0),
        ("float32", (2, 3, 3, 1), 0, 0, 0.5),
        ("float32", (4, 8, 8, 3), -3, -2, 0.25),
        ("float64", (1, 4, 6, 2), 5, 0, -1.0),
        ("float32", (3, 5, 9, 1), 0, -4, 0.0),
        ("float64", (2, 7, 3, 1), -2, 6, 1.0),
    ]
    cases = []
    for index, (dtype, shape, dx, dy, fill) in enumerate(settings):
        images = rng.uniform(0.1, 0.9, size=shape)
        images *= rng.choice([-1.0, 1.0], size=shape)
        images = images.astype(dtype)
        expected, mistakes = _translate_expected(
            images, dx, dy, 0.0 if fill is None else fill
        )
        shown = "the default fill_value" if fill is None else f"fill {fill}"
        text = f"{dtype} images {shape}, dx {dx}, dy {dy}, {shown}"
        call = partial(_translate_call, images=images, dx=dx, dy=dy, fill=fill)
        check = _translate_check(expected, mistakes)
        cases.append((_describe(index, 2, text), call, check))
    return run_cases(
        "translate",
        fn,
        cases,
        "start from a new array full of fill_value and copy into it the part "
        "of each image that stays inside the frame: rows move down by dy, "
        "columns move right by dx (negative values move up or left), and "
        "nothing comes back from the other side; leave the input unchanged; "
        "see the section on DiffAugment in lesson 10.",
    )


def _r1_expected(grads, logits, gamma):
    """The reference and known mistakes from per-image gradients and logits.

    ``grads`` (N, H, W, C) are the gradients of each image's logit with
    respect to that image; ``logits`` (N,) the logits.
    """
    g = np.asarray(grads, "float64")
    d = np.asarray(logits, "float64").reshape(-1)
    real = 1 / (1 + np.exp(-d))  # The probability D gives each image.
    fake = 1 - real
    n = len(g)
    squares = np.sum(g**2, axis=(1, 2, 3))  # (N,)

    def penalty(per_image, weight=0.5 * gamma):
        return weight * float(np.mean(per_image))

    expected = penalty(squares)
    label = _LABELS
    mistakes = [
        (label["gamma"], penalty(squares, gamma)),
        (label["unsquared"], penalty(np.sqrt(squares))),
        (label["unsquared"], 0.5 * gamma * float(np.sqrt(np.sum(squares)))),
        (label["batch sum"], n * expected),
        (label["pixels"], expected / np.prod(g.shape[1:])),
        (label["logits mean"], expected / n**2),
        (label["probability"], penalty((real * fake) ** 2 * squares)),
        (label["loss"], penalty(fake**2 * squares)),
        (label["loss"], penalty(real**2 * squares)),
    ]
    return expected, mistakes


def _hand_made(rng, shape, parts):
    """D(x) = sum(a x^2 + w x + v tanh(u x)) + b, only ``parts`` nonzero."""
    import tensorflow as tf

    size = shape[1:]
    a, w, v, u = (
        rng.normal(size=size) * (name in parts) for name in ("a", "w", "v", "v")
    )
    u, b = 2 * u, float(rng.normal())

    def discriminator(x):
        x = tf.convert_to_tensor(x, "float32")
        a32, w32, v32, u32 = (np.float32(c) for c in (a, w, v, u))
        terms = a32 * x * x + w32 * x + v32 * tf.tanh(u32 * x)
        return tf.reduce_sum(terms, axis=[1, 2, 3])[:, None] + b

    def gradient(x):
        x = np.asarray(x, "float64")
        terms = a * x * x + w * x + v * np.tanh(u * x)
        logits = np.sum(terms, axis=(1, 2, 3)) + b
        return 2 * a * x + w + v * u * (1 - np.tanh(u * x) ** 2), logits

    return discriminator, gradient


def _conv_net(rng, shape, activation):
    """A small Keras convolutional discriminator; gradients by GradientTape."""
    import keras
    import tensorflow as tf

    inputs = keras.Input(shape[1:])
    x = keras.layers.Conv2D(4, 3, strides=2, padding="same")(inputs)
    x = keras.layers.Activation(activation)(x)
    x = keras.layers.Conv2D(8, 3, strides=2, padding="same")(x)
    x = keras.layers.Activation(activation)(x)
    outputs = keras.layers.Dense(1)(keras.layers.Flatten()(x))
    model = keras.Model(inputs, outputs, name="small_discriminator")
    shapes = [weight.shape for weight in model.get_weights()]
    model.set_weights([np.float32(rng.normal(0, 0.4, s)) for s in shapes])

    def gradient(images):
        x = tf.convert_to_tensor(images, "float32")
        with tf.GradientTape() as tape:
            tape.watch(x)
            logits = model(x)
            total = tf.reduce_sum(logits)
        grads = tape.gradient(total, x)
        return grads.numpy(), logits.numpy()

    return model, gradient


def _r1_call(fn, d, x, gamma, as_tensor):
    import tensorflow as tf

    return fn(d, tf.constant(x) if as_tensor else x.copy(), gamma)


def check_r1_penalty(fn):
    """Check ``r1_penalty(discriminator, real_images, gamma)`` (lesson 10).

    检查 R1 惩罚：判别器在真实图像处的梯度范数平方（第 10 课）。

    Spec: ``discriminator`` is a callable, a ``keras.Model`` or a plain
    function of tensors, that maps images (N, H, W, C) to logits (N, 1);
    each image's logit depends on that image only. ``real_images`` is a
    float32 NumPy array or tensor (N, H, W, C); ``gamma`` a number >= 0.
    With ``tf.GradientTape``, return the scalar (a float or a 0-d tensor)

        gamma / 2 * mean over the batch of |grad_x D(x)|^2

    where grad_x D(x) is the gradient of the image's raw logit (no sigmoid,
    no loss) with respect to the image and |.|^2 sums the squares of all
    its H * W * C entries: ``gancourse.losses.regularizers.r1_penalty``.
    """
    rng = np.random.default_rng(102)
    settings = [  # kind, images' shape, gamma, given as a tensor?, note.
        ("w", (4, 3, 3, 1), 10.0, False, "a linear D"),
        ("aw", (3, 4, 4, 2), 1.0, True, "a quadratic D"),
        ("w", (5, 6, 6, 3), 0.1, False, "a linear D"),
        ("aw", (6, 5, 5, 1), 2.0, False, "a quadratic D"),
        ("v", (4, 4, 4, 2), 5.0, True, "a D of tanh units"),
        ("leaky_relu", (6, 8, 8, 1), 10.0, False, "a Keras conv net"),
        ("tanh", (3, 8, 8, 3), 1.0, True, "a Keras conv net with tanh"),
    ]
    cases = []
    for index, (kind, shape, gamma, as_tensor, note) in enumerate(settings):
        if kind in ("tanh", "leaky_relu"):
            discriminator, gradient = _conv_net(rng, shape, kind)
        else:
            discriminator, gradient = _hand_made(rng, shape, kind)
        images = rng.uniform(-1, 1, size=shape).astype("float32")
        grads, logits = gradient(images)
        expected, mistakes = _r1_expected(grads, logits, gamma)
        check = diagnosed(expected, mistakes, rtol=1e-4, atol=1e-7)
        given = "a tensor" if as_tensor else "a NumPy array"
        text = f"{note}, real images {shape} as {given}, gamma {gamma}"
        call = partial(_r1_call, d=discriminator, x=images, gamma=gamma)
        call = partial(call, as_tensor=as_tensor)
        cases.append((_describe(index, 2, text), call, check))
    return run_cases(
        "r1_penalty",
        fn,
        cases,
        "turn the real images into a tensor and watch it on the tape, take "
        "the gradient of the raw logits (not of a probability or a loss) "
        "with respect to the images, add up each image's squared gradient "
        "entries, then average over the batch and apply the weight the "
        "exercise gives; see the section on the R1 penalty in lesson 10.",
    )

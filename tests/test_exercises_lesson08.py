"""Lesson 08's graded exercises: the checkers, on right and wrong answers.

第 08 课分级练习的检查器：参考答案、其他正确写法与常见错误。

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
from gancourse.course.exercises import lesson08
from tests import exercise_tables
from tests.exercise_tables import check

CHECKERS = [
    "check_gram_matrix",
    "check_enlarge_keeping_style",
    "check_style_loss",
]
CASES = {name: 2 + 4 for name in CHECKERS}  # Visible + hidden cases.
NOTEBOOK = Path(__file__).parent.parent / "lessons" / "08_style_transfer.ipynb"


# The reference solutions, as the lesson's `solution` cells hold them.


def gram_matrix(features):
    """NHWC 特征图的 Gram 矩阵 / Gram matrices of NHWC feature maps."""
    features = np.asarray(features, dtype="float64")
    batch, height, width, channels = features.shape
    flat = features.reshape(batch, height * width, channels)
    return np.transpose(flat, (0, 2, 1)) @ flat / (height * width)


def enlarge_keeping_style(features, factor):
    """同样的风格，更大的画布 / The same style on a larger canvas."""
    return np.tile(np.asarray(features), (1, factor, factor, 1))


def style_loss(style_features, generated_features, layer_weights=None):
    """跨多层的风格损失 / The style loss across layers."""
    if layer_weights is None:
        layer_weights = [1.0 / len(style_features)] * len(style_features)
    total = 0.0
    for weight, style, generated in zip(
        layer_weights, style_features, generated_features
    ):
        difference = gram_matrix(generated) - gram_matrix(style)
        total += weight * np.mean(difference**2)
    return total


SOLUTIONS = {
    "check_gram_matrix": gram_matrix,
    "check_enlarge_keeping_style": enlarge_keeping_style,
    "check_style_loss": style_loss,
}


# Other correct answers.


def _gram_einsum_float32(features):
    b, h, w, c = features.shape
    return np.einsum("bhwc,bhwd->bcd", features, features) / (h * w)


def _gram_tf(features):
    features = tf.convert_to_tensor(features, tf.float32)
    shape = tf.shape(features)
    flat = tf.reshape(features, (shape[0], -1, shape[3]))
    positions = tf.cast(tf.shape(flat)[1], tf.float32)
    return tf.matmul(flat, flat, transpose_a=True) / positions


def _gram_loop(features):
    out = []
    for image in features:
        matrix = image.reshape(-1, image.shape[-1])
        out.append(matrix.T @ matrix / len(matrix))
    return np.stack(out)


def _enlarge_repeat(features, factor):
    # Nearest-neighbour upsampling: every vector in a factor x factor block.
    return np.repeat(np.repeat(features, factor, axis=1), factor, axis=2)


def _enlarge_mirrored(features, factor):
    row = np.concatenate(
        [features[:, :, ::-1] if i % 2 else features for i in range(factor)],
        axis=2,
    )
    return np.concatenate(
        [row[:, ::-1] if i % 2 else row for i in range(factor)], axis=1
    )


def _enlarge_shuffled(features, factor):
    b, h, w, c = features.shape
    rng = np.random.default_rng(0)
    copies = np.tile(features.reshape(b, h * w, c), (1, factor * factor, 1))
    order = rng.permutation(copies.shape[1])  # Same positions, new places.
    return copies[:, order].reshape(b, factor * h, factor * w, c)


def _enlarge_kron(features, factor):
    block = np.ones((1, factor, factor, 1), features.dtype)
    return np.kron(features, block)


def _style_package_gram(style, generated, layer_weights=None):
    weights = layer_weights
    if weights is None:
        weights = np.full(len(style), 1.0 / len(style))
    errors = [
        keras.ops.mean(
            keras.ops.square(losses.gram_matrix(g) - losses.gram_matrix(s))
        )
        for s, g in zip(style, generated)
    ]
    return sum(float(w) * float(e) for w, e in zip(weights, errors))


def _style_package(style, generated, layer_weights=None):
    return losses.style_loss(style, generated, layer_weights=layer_weights)


def _style_vectorised(style, generated, layer_weights=None):
    count = len(style)
    weights = np.ones(count) / count
    if layer_weights is not None:
        weights = np.asarray(layer_weights, "float64")
    errors = np.array(
        [
            np.mean((_gram_einsum_float32(g) - _gram_einsum_float32(s)) ** 2)
            for s, g in zip(style, generated)
        ]
    )
    return float(weights @ errors)


CORRECT_ANSWERS = {
    "check_gram_matrix": [_gram_einsum_float32, _gram_tf, _gram_loop],
    "check_enlarge_keeping_style": [
        _enlarge_repeat,
        _enlarge_mirrored,
        _enlarge_shuffled,
        _enlarge_kron,
    ],
    "check_style_loss": [
        _style_package_gram,
        _style_package,
        _style_vectorised,
    ],
}


# Plausible wrong answers.


def _gram_divided_by(divisor):
    def gram(features):
        b, h, w, c = features.shape
        flat = np.asarray(features, "float64").reshape(b, h * w, c)
        total = np.einsum("bpi,bpj->bij", flat, flat)
        return total / divisor(b, h, w, c)

    return gram


def _gram_channels_first_reshape(features):
    b, h, w, c = features.shape
    flat = np.asarray(features, "float64").reshape(b, c, h * w)
    return flat @ np.transpose(flat, (0, 2, 1)) / (h * w)


def _gram_whole_batch(features):
    flat = np.asarray(features, "float64").reshape(-1, features.shape[-1])
    return flat.T @ flat / len(flat)


def _gram_positions(features):
    b, h, w, c = features.shape
    flat = np.asarray(features, "float64").reshape(b, h * w, c)
    return flat @ np.transpose(flat, (0, 2, 1)) / (h * w)


def _enlarge_zero_pad(features, factor):
    b, h, w, c = features.shape
    out = np.zeros((b, factor * h, factor * w, c), features.dtype)
    out[:, :h, :w] = features
    return out


def _enlarge_divided(features, factor):
    return enlarge_keeping_style(features, factor) / features.dtype.type(factor)


def _enlarge_multiplied(features, factor):
    return enlarge_keeping_style(features, factor) * features.dtype.type(factor)


def _enlarge_float64(features, factor):
    b, h, w, c = features.shape
    out = np.zeros((b, factor * h, factor * w, c))  # float64 by default.
    for i in range(factor):
        for j in range(factor):
            out[:, i * h : (i + 1) * h, j * w : (j + 1) * w] = features
    return out


def _enlarge_one_axis(features, factor):
    return np.repeat(features, factor * factor, axis=1)


def _enlarge_interpolated(features, factor):
    # Linear interpolation between neighbours: a smoother map.
    up = np.repeat(np.repeat(features, factor, axis=1), factor, axis=2)
    smooth = (up + np.roll(up, 1, axis=1) + np.roll(up, 1, axis=2)) / 3
    return smooth.astype(features.dtype)


def _enlarge_batch_shuffle(features, factor):
    b, h, w, c = features.shape
    vectors = features.reshape(b * h * w, c)  # Mixes the images.
    vectors = vectors[np.random.default_rng(0).permutation(len(vectors))]
    return enlarge_keeping_style(vectors.reshape(b, h, w, c), factor)


def _style_with(gram=gram_matrix, reduce=np.mean, default=None):
    def loss(style, generated, layer_weights=None):
        weights = layer_weights
        if weights is None:
            weights = default or [1.0 / len(style)] * len(style)
        return sum(
            w * reduce((gram(g) - gram(s)) ** 2)
            for w, s, g in zip(weights, style, generated)
        )

    return loss


def _style_raw_features(style, generated, layer_weights=None):
    weights = layer_weights
    if weights is None:
        weights = [1.0 / len(style)] * len(style)
    return sum(
        w * np.mean((np.asarray(g) - np.asarray(s)) ** 2)
        for w, s, g in zip(weights, style, generated)
    )


def _style_ignores_weights(style, generated, layer_weights=None):
    return style_loss(style, generated)


def _style_truthy_default(style, generated, layer_weights=None):
    layer_weights = layer_weights or [1.0 / len(style)] * len(style)
    return style_loss(style, generated, layer_weights)


def _style_first_image_only(style, generated, layer_weights=None):
    return style_loss(
        [s[:1] for s in style], [g[:1] for g in generated], layer_weights
    )


def _style_generated_positions(style, generated, layer_weights=None):
    def gram_with(features, positions):
        b, h, w, c = features.shape
        flat = np.asarray(features, "float64").reshape(b, h * w, c)
        return np.einsum("bpi,bpj->bij", flat, flat) / positions

    weights = layer_weights
    if weights is None:
        weights = [1.0 / len(style)] * len(style)
    total = 0.0
    for w, s, g in zip(weights, style, generated):
        positions = g.shape[1] * g.shape[2]  # Also used for the style map.
        difference = gram_with(g, positions) - gram_with(s, positions)
        total += w * np.mean(difference**2)
    return total


WRONG_ANSWERS = {
    "check_gram_matrix": [
        _gram_divided_by(lambda b, h, w, c: h * w * c),
        _gram_divided_by(lambda b, h, w, c: 1),
        _gram_divided_by(lambda b, h, w, c: b * h * w),
        _gram_divided_by(lambda b, h, w, c: c),
        _gram_channels_first_reshape,
        _gram_whole_batch,
        _gram_positions,
    ],
    "check_enlarge_keeping_style": [
        _enlarge_zero_pad,
        _enlarge_divided,
        _enlarge_multiplied,
        _enlarge_float64,
        _enlarge_one_axis,
        _enlarge_interpolated,
        _enlarge_batch_shuffle,
    ],
    "check_style_loss": [
        _style_with(gram=_gram_divided_by(lambda b, h, w, c: h * w * c)),
        _style_with(gram=_gram_divided_by(lambda b, h, w, c: 1)),
        _style_with(reduce=np.sum),
        _style_with(reduce=lambda d: np.sqrt(np.mean(d))),
        _style_with(default=[1.0, 1.0, 1.0]),
        _style_raw_features,
        _style_ignores_weights,
        _style_truthy_default,
        _style_first_image_only,
        _style_generated_positions,
    ],
}

# The mistake the FAIL line names, for a few wrong answers.
DIAGNOSES = [
    ("check_gram_matrix", 0, "dividing by H*W*C"),
    ("check_gram_matrix", 1, "leaving out the division"),
    ("check_gram_matrix", 2, "dividing by B*H*W"),
    ("check_gram_matrix", 4, "reshaping to (B, C, H*W)"),
    ("check_gram_matrix", 5, "expected shape (2, 3, 3), got shape (3, 3)"),
    ("check_enlarge_keeping_style", 0, "zero padding"),
    ("check_enlarge_keeping_style", 1, "values divided by the factor"),
    ("check_enlarge_keeping_style", 2, "values multiplied by the factor"),
    ("check_enlarge_keeping_style", 3, "must keep the dtype float32"),
    ("check_enlarge_keeping_style", 4, "expected shape (1, 8, 8, 3)"),
    ("check_style_loss", 0, "Gram matrices divided by H*W*C"),
    ("check_style_loss", 1, "Gram matrices without the division"),
    ("check_style_loss", 2, "summing the squared differences"),
    ("check_style_loss", 3, "the root of the mean squared difference"),
    ("check_style_loss", 4, "default weights of 1"),
    ("check_style_loss", 5, "comparing the raw features"),
    ("check_style_loss", 6, "ignoring layer_weights"),
    ("check_style_loss", 7, "raised ValueError"),
    ("check_style_loss", 8, "only the first image of each batch"),
    ("check_style_loss", 9, "by the generated map's H*W"),
]

# Tokens of the solutions that no FAIL line may print.
FORBIDDEN = re.compile(
    r"np\.|tile|repeat\(|reshape|transpose|einsum|@|\*\*|mean\(|F\^T"
)


def _stub(features, factor):
    raise NotImplementedError("Exercise: implement enlarge_keeping_style")


def _mutating(features):
    result = gram_matrix(features)
    features[...] = 0.0
    return result


def _mutating_layers(style, generated, layer_weights=None):
    result = style_loss(style, generated, layer_weights)
    for array in list(style) + list(generated):
        array[...] = 0.0
    style.clear()
    return result


exercise_tables.add_checker_tests(
    globals(),
    lesson08,
    forbidden=FORBIDDEN,
    stub=("check_enlarge_keeping_style", _stub),
    not_callable="check_style_loss",
    mutating={
        "check_gram_matrix": _mutating,
        "check_style_loss": _mutating_layers,
    },
    deterministic=("check_gram_matrix", _gram_positions),
    absent="check_total_variation_loss",
)


def test_hidden_cases_are_labelled_and_reached():
    # Right on the visible cases, wrong for a factor other than 2.
    def factor_two_only(features, factor):
        return enlarge_keeping_style(features, 2)

    passed, text = check("check_enlarge_keeping_style", factor_two_only)
    assert passed is False and "on hidden case 1 (float64" in text, text

    # Right for one image per batch, wrong for a batch of two.
    def first_image_only(style, generated, layer_weights=None):
        return style_loss(
            [s[:1] for s in style], [g[:1] for g in generated], layer_weights
        )

    passed, text = check("check_style_loss", first_image_only)
    assert passed is False and "on hidden case 1 (float64" in text, text


def test_the_notebook_holds_these_solutions():
    sources = exercise_tables.solution_cells(NOTEBOOK)
    assert len(sources) == len(SOLUTIONS)
    namespace = {"np": np}
    for source, (checker, solution) in zip(sources, SOLUTIONS.items()):
        exec(source, namespace)  # noqa: S102 - the lesson's own cells.
        name = solution.__name__
        assert f"def {name}(" in source
        assert check(checker, namespace[name])[0] is True, checker

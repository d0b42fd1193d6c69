"""Lesson 02's graded exercises: the checkers, on right and wrong answers.

第 02 课分级练习的检查器：参考答案、其他正确写法与常见错误。

``SOLUTIONS`` are the reference solutions as the lesson's solution cells
hold them; ``CORRECT_ANSWERS`` are other correct ways to write them (each
must pass); ``WRONG_ANSWERS`` are plausible mistakes (each must fail, with
one ASCII line and a hint that never prints the formula or the solution).
"""

import re
from pathlib import Path

import keras
import numpy as np

from gancourse.course.exercises import lesson02
from tests import exercise_tables
from tests.exercise_tables import check

CHECKERS = [
    "check_transposed_conv_overlap",
    "check_upsample_block",
    "check_slerp",
]
NAMES = {
    "check_transposed_conv_overlap": "transposed_conv_overlap",
    "check_upsample_block": "make_upsample_block",
    "check_slerp": "slerp",
}
CASES = {  # Visible + hidden.
    "check_transposed_conv_overlap": 2 + 6,
    "check_upsample_block": 2 + 4,
    "check_slerp": 2 + 6,
}
NOTEBOOK = Path(__file__).parent.parent / "lessons" / "02_dcgan.ipynb"
layers = keras.layers


# The reference solutions, as the lesson's `solution` cells hold them.


def transposed_conv_overlap(size, kernel_size, strides):
    """转置卷积输出像素的重叠次数 / Overlap counts of a transposed conv."""
    side = (size - 1) * strides + kernel_size
    counts = np.zeros(side, dtype="int64")
    for i in range(size):
        counts[i * strides : i * strides + kernel_size] += 1
    return np.outer(counts, counts)


def make_upsample_block(filters):
    """DCGAN 生成器的上采样模块 / An upsampling block of the DCGAN generator."""
    return keras.Sequential(
        [
            keras.layers.Conv2DTranspose(
                filters, 4, strides=2, padding="same", use_bias=False
            ),
            keras.layers.BatchNormalization(),
            keras.layers.LeakyReLU(0.2),
        ]
    )


def slerp(z0, z1, t):
    """两个潜在向量的球面线性插值 / Spherical interpolation of two latents."""
    z0 = np.asarray(z0, dtype="float64")
    z1 = np.asarray(z1, dtype="float64")
    t = np.asarray(t, dtype="float64")[..., None]
    cosine = z0 @ z1 / (np.linalg.norm(z0) * np.linalg.norm(z1))
    omega = np.arccos(np.clip(cosine, -1.0, 1.0))
    if np.sin(omega) < 1e-6:
        return (1.0 - t) * z0 + t * z1
    return (np.sin((1.0 - t) * omega) * z0 + np.sin(t * omega) * z1) / np.sin(
        omega
    )


SOLUTIONS = {
    "check_transposed_conv_overlap": transposed_conv_overlap,
    "check_upsample_block": make_upsample_block,
    "check_slerp": slerp,
}


# Other correct answers.


def _overlap_four_loops(size, kernel_size, strides):
    side = (size - 1) * strides + kernel_size
    counts = np.zeros((side, side))  # Floats holding whole numbers.
    for i in range(size):
        for j in range(size):
            for a in range(kernel_size):
                for b in range(kernel_size):
                    counts[i * strides + a, j * strides + b] += 1
    return counts


def _overlap_add_at(size, kernel_size, strides):
    side = (size - 1) * strides + kernel_size
    rows = (np.arange(size)[:, None] * strides + np.arange(kernel_size)).ravel()
    counts = np.zeros(side, int)
    np.add.at(counts, rows, 1)
    return counts[:, None] * counts[None, :]


def _overlap_zero_insertion(size, kernel_size, strides):
    # A transposed conv = zero insertion, then a full ordinary convolution.
    spread = np.zeros((size - 1) * strides + 1)
    spread[::strides] = 1
    counts = np.convolve(spread, np.ones(kernel_size))
    return np.rint(np.outer(counts, counts)).astype(int)


def _overlap_keras(size, kernel_size, strides):
    # Keras itself: ones in, a ones kernel, valid padding, no bias.
    side = (size - 1) * strides + kernel_size
    out = keras.ops.conv_transpose(
        np.ones((1, size, size, 1), "float32"),
        np.ones((kernel_size, kernel_size, 1, 1), "float32"),
        strides=strides,
        padding="valid",
    )
    return keras.ops.convert_to_numpy(out)[0, :side, :side, 0]


def _upsample_with(activation, **norm_options):
    def make(filters):
        return keras.Sequential(
            [
                layers.Conv2DTranspose(
                    filters,
                    4,
                    strides=2,
                    padding="same",
                    use_bias=False,
                    activation=None,
                    kernel_initializer=keras.initializers.RandomNormal(
                        0.0, 0.02
                    ),
                ),
                layers.BatchNormalization(**norm_options),
                activation(),
            ]
        )

    return make


def _upsample_nested(filters):
    conv_and_norm = keras.Sequential(
        [
            layers.Conv2DTranspose(
                filters, (4, 4), strides=(2, 2), padding="same", use_bias=False
            ),
            layers.BatchNormalization(),
        ],
        name="conv_and_norm",
    )
    return keras.Sequential([conv_and_norm, layers.LeakyReLU(0.2)])


def _upsample_float64(filters):
    return keras.Sequential(
        [
            layers.Conv2DTranspose(
                filters, 4, 2, "same", use_bias=False, dtype="float64"
            ),
            layers.BatchNormalization(dtype="float64"),
            layers.LeakyReLU(0.2, dtype="float64"),
        ]
    )


class _UpsampleLayer(keras.layers.Layer):
    def __init__(self, filters, **kwargs):
        super().__init__(**kwargs)
        self.conv = layers.Conv2DTranspose(
            filters, 4, strides=2, padding="same", use_bias=False
        )
        self.norm = layers.BatchNormalization(epsilon=1e-5)

    def call(self, x, training=False):
        x = self.norm(self.conv(x), training=training)
        return keras.ops.leaky_relu(x, negative_slope=0.2)


def _slerp_input_dtype(z0, z1, t):
    # Computes in the inputs' own dtype (float32 or float64).
    dtype = np.asarray(z0).dtype
    z0, z1 = np.asarray(z0), np.asarray(z1)
    t = np.asarray(t, dtype)
    unit0, unit1 = z0 / np.linalg.norm(z0), z1 / np.linalg.norm(z1)
    omega = np.arccos(np.clip(unit0 @ unit1, -1, 1))
    column = t[:, None] if t.ndim else t
    if abs(np.sin(omega)) < 1e-6:
        return (1 - column) * z0 + column * z1
    return (
        np.sin((1 - column) * omega) * z0 + np.sin(column * omega) * z1
    ) / np.sin(omega)


def _slerp_dot_threshold(z0, z1, t):
    # The usual "DOT_THRESHOLD = 0.9995" form, row by row for an array t.
    z0, z1 = np.asarray(z0, "float64"), np.asarray(z1, "float64")
    dot = z0 @ z1 / np.linalg.norm(z0) / np.linalg.norm(z1)

    def one(s):
        if abs(dot) > 0.9995:
            return (1 - s) * z0 + s * z1
        theta = np.arccos(dot)
        return (np.sin((1 - s) * theta) * z0 + np.sin(s * theta) * z1) / np.sin(
            theta
        )

    if np.ndim(t):
        return np.stack([one(float(s)) for s in t])
    return one(float(t))


def _slerp_arctan2(z0, z1, t):
    # The angle from arctan2, accurate near 0 and pi as well.
    z0, z1 = np.asarray(z0, "float64"), np.asarray(z1, "float64")
    u0, u1 = z0 / np.linalg.norm(z0), z1 / np.linalg.norm(z1)
    omega = 2 * np.arctan2(np.linalg.norm(u0 - u1), np.linalg.norm(u0 + u1))
    ts = np.atleast_1d(np.asarray(t, "float64"))[:, None]
    if np.sin(omega) < 1e-6:
        path = (1 - ts) * z0 + ts * z1
    else:
        path = (
            np.sin((1 - ts) * omega) * z0 + np.sin(ts * omega) * z1
        ) / np.sin(omega)
    return path if np.ndim(t) else path[0]


CORRECT_ANSWERS = {
    "check_transposed_conv_overlap": [
        _overlap_four_loops,
        _overlap_add_at,
        _overlap_zero_insertion,
        _overlap_keras,
    ],
    "check_upsample_block": [
        _upsample_with(lambda: layers.Activation("leaky_relu")),
        _upsample_with(lambda: layers.LeakyReLU(negative_slope=0.2)),
        _upsample_with(lambda: layers.ReLU(negative_slope=0.2)),
        _upsample_with(
            lambda: layers.LeakyReLU(0.2), epsilon=1e-5, momentum=0.8
        ),
        _upsample_nested,
        _upsample_float64,
        _UpsampleLayer,
    ],
    "check_slerp": [_slerp_input_dtype, _slerp_dot_threshold, _slerp_arctan2],
}


# Plausible wrong answers.


def _overlap_with(side_of=None, place=None, combine=np.outer):
    def overlap(size, kernel_size, strides):
        side = (
            side_of(size, kernel_size, strides)
            if side_of
            else (size - 1) * strides + kernel_size
        )
        counts = np.zeros(side, int)
        for i in range(size):
            start, stop = (
                place(i, kernel_size, strides)
                if place
                else (i * strides, i * strides + kernel_size)
            )
            counts[start:stop] += 1
        return combine(counts, counts)

    return overlap


def _overlap_uniform(size, kernel_size, strides):
    side = (size - 1) * strides + kernel_size
    return np.full(
        (side, side),
        (kernel_size // strides + (kernel_size % strides > 0)) ** 2,
    )


def _overlap_normalised(size, kernel_size, strides):
    counts = transposed_conv_overlap(size, kernel_size, strides)
    return counts / counts.max()


def _upsample_layers(*make_layers):
    def make(filters):
        return keras.Sequential(
            [make_layer(filters) for make_layer in make_layers]
        )

    return make


def _conv(**options):
    settings = dict(kernel_size=4, strides=2, padding="same", use_bias=False)
    settings.update(options)
    return lambda filters: layers.Conv2DTranspose(filters, **settings)


def _norm(filters):
    return layers.BatchNormalization()


def _leaky(filters):
    return layers.LeakyReLU(0.2)


def _layer(make):
    return lambda filters: make()


def _slerp_as_lerp(z0, z1, t):
    t = np.asarray(t, "float64")[..., None]
    return (1 - t) * np.asarray(z0) + t * np.asarray(z1)


def _slerp_without_fallback(z0, z1, t):
    z0, z1 = np.asarray(z0, "float64"), np.asarray(z1, "float64")
    t = np.asarray(t, "float64")[..., None]
    cos = z0 @ z1 / (np.linalg.norm(z0) * np.linalg.norm(z1))
    omega = np.arccos(cos)
    return (np.sin((1 - t) * omega) * z0 + np.sin(t * omega) * z1) / np.sin(
        omega
    )


def _slerp_scalar_t_only(z0, z1, t):
    z0, z1 = np.asarray(z0, "float64"), np.asarray(z1, "float64")
    cos = z0 @ z1 / (np.linalg.norm(z0) * np.linalg.norm(z1))
    omega = np.arccos(np.clip(cos, -1, 1))
    if np.sin(omega) < 1e-6:
        return (1 - t) * z0 + t * z1
    return (np.sin((1 - t) * omega) * z0 + np.sin(t * omega) * z1) / np.sin(
        omega
    )


def _slerp_parallel_only(z0, z1, t):
    # Falls back for parallel vectors only, not for opposite ones.
    z0, z1 = np.asarray(z0, "float64"), np.asarray(z1, "float64")
    t = np.asarray(t, "float64")[..., None]
    cos = z0 @ z1 / (np.linalg.norm(z0) * np.linalg.norm(z1))
    omega = np.arccos(np.clip(cos, -1, 1))
    if omega < 1e-6:
        return (1 - t) * z0 + t * z1
    return (np.sin((1 - t) * omega) * z0 + np.sin(t * omega) * z1) / np.sin(
        omega
    )


def _slerp_units(z0, z1, t):
    z0 = np.asarray(z0, "float64") / np.linalg.norm(z0)
    z1 = np.asarray(z1, "float64") / np.linalg.norm(z1)
    return slerp(z0, z1, t)


def _slerp_length_apart(z0, z1, t):
    n0, n1 = np.linalg.norm(z0), np.linalg.norm(z1)
    length = (1 - np.asarray(t, "float64")[..., None]) * n0 + np.asarray(
        t, "float64"
    )[..., None] * n1
    return _slerp_units(z0, z1, t) * length


WRONG_ANSWERS = {
    "check_transposed_conv_overlap": [
        _overlap_with(side_of=lambda n, k, s: n * s),  # The 'same' size.
        _overlap_with(combine=lambda a, b: a),  # One row only.
        _overlap_with(combine=lambda a, b: a[:, None] + b[None, :]),
        _overlap_uniform,
        _overlap_with(
            side_of=lambda n, k, s: n + k - 1,
            place=lambda i, k, s: (i, i + k),
        ),  # The stride ignored.
        _overlap_with(place=lambda i, k, s: (i * s, i * s + k - 1)),
        _overlap_with(place=lambda i, k, s: (i * k, i * k + s)),  # Swapped.
        _overlap_normalised,
    ],
    "check_upsample_block": [
        _upsample_layers(_conv(use_bias=True), _norm, _leaky),
        _upsample_layers(_conv(strides=1), _norm, _leaky),
        _upsample_layers(_conv(), _leaky, _norm),  # Wrong layer order.
        _upsample_layers(
            _conv(), _norm, _leaky, _layer(layers.ReLU)
        ),  # An extra activation.
        _upsample_layers(_conv(), _norm, _layer(layers.ReLU)),
        _upsample_layers(_conv(), _norm, _layer(layers.LeakyReLU)),  # 0.3.
        _upsample_layers(_conv(), _norm),  # No activation.
        _upsample_layers(_norm, _conv(), _leaky),  # BatchNorm first.
        _upsample_layers(_conv(kernel_size=5), _norm, _leaky),
        _upsample_layers(_conv(padding="valid"), _norm, _leaky),
        _upsample_layers(_conv(activation="relu"), _norm, _leaky),
        _upsample_layers(
            _conv(), _norm, _leaky, _layer(lambda: layers.Activation("tanh"))
        ),
        _upsample_layers(_conv(), _conv(strides=1), _norm, _leaky),
        _upsample_layers(
            _conv(), _layer(layers.LayerNormalization), _leaky
        ),  # Not BatchNorm.
    ],
    "check_slerp": [
        _slerp_as_lerp,
        _slerp_without_fallback,
        _slerp_scalar_t_only,
        _slerp_parallel_only,
        lambda z0, z1, t: slerp(z0, z1, 1 - np.asarray(t)),  # Backwards.
        _slerp_units,
        _slerp_length_apart,
    ],
}

# The mistake the FAIL line names, for a few wrong answers.
DIAGNOSES = [
    ("check_transposed_conv_overlap", 0, "the output size of padding 'same'"),
    ("check_transposed_conv_overlap", 1, "the counts of one row only"),
    ("check_transposed_conv_overlap", 2, "adding the row and the column"),
    ("check_transposed_conv_overlap", 3, "the same count everywhere"),
    ("check_transposed_conv_overlap", 4, "what a stride of 1 gives"),
    ("check_transposed_conv_overlap", 7, "whole numbers"),
    ("check_upsample_block", 0, "should not use a bias"),
    ("check_upsample_block", 1, "expected strides 2"),
    ("check_upsample_block", 2, "LeakyReLU before BatchNorm (wrong order)"),
    ("check_upsample_block", 3, "a ReLU at the end"),
    ("check_upsample_block", 4, "a ReLU at the end"),
    ("check_upsample_block", 5, "the default slope 0.3"),
    ("check_upsample_block", 6, "no activation after BatchNormalization"),
    ("check_upsample_block", 7, "comes right after it"),
    ("check_upsample_block", 8, "checkerboard artifacts"),
    ("check_upsample_block", 9, "expected padding 'same'"),
    ("check_upsample_block", 10, "its own activation 'relu'"),
    ("check_upsample_block", 11, "an extra tanh"),
    ("check_upsample_block", 12, "exactly one Conv2DTranspose, found 2"),
    ("check_upsample_block", 13, "exactly one BatchNormalization, found 0"),
    ("check_slerp", 0, "linear interpolation"),
    ("check_slerp", 1, "straight-line fallback"),
    ("check_slerp", 4, "a path that runs backwards"),
    ("check_slerp", 5, "normalising z0 and z1 to unit length"),
    ("check_slerp", 6, "direction and length separately"),
]


FORBIDDEN = re.compile(
    r"np\.|keras\.|Sequential|use_bias=|\*\*|sin\(|arccos|outer\(|"
    r"\(1 - t\)|strides \+|\* strides"
)


def _stub(filters):
    raise NotImplementedError("Exercise: implement make_upsample_block")


def _mutating(z0, z1, t):
    result = slerp(z0, z1, t)
    z0[...] = 0.0
    z1[...] = 0.0
    return result


exercise_tables.add_checker_tests(
    globals(),
    lesson02,
    forbidden=FORBIDDEN,
    stub=("check_upsample_block", _stub),
    not_callable="check_slerp",
    mutating={"check_slerp": _mutating},
    deterministic=(
        "check_upsample_block",
        WRONG_ANSWERS["check_upsample_block"][2],
    ),
    names=NAMES,
    absent="check_conv_transpose_output_size",
)


def test_notebook_solutions_are_the_reference_solutions():
    cells = exercise_tables.solution_cells(NOTEBOOK)
    assert len(cells) == 3
    for checker, source in zip(CHECKERS, cells):
        namespace = {"np": np, "keras": keras}
        exec(source, namespace)  # noqa: S102 - the lesson's own cells.
        passed, text = check(checker, namespace[NAMES[checker]])
        assert passed is True, text
        assert text.endswith(f"on {CASES[checker]} cases.\n"), text


def test_hidden_cases_are_labelled_and_reached():
    # Right on the visible cases only: fails on the first hidden case.
    def visible_only(size, kernel_size, strides):
        if strides == 1:
            return np.zeros((1, 1), int)
        return transposed_conv_overlap(size, kernel_size, strides)

    passed, text = check("check_transposed_conv_overlap", visible_only)
    assert passed is False, text
    assert "on hidden case 1 (for size=4, kernel_size=3, strides=1" in text

    passed, text = check("check_slerp", _slerp_scalar_t_only)
    assert passed is False and "on hidden case 1 (t = [0, 0.25" in text, text

"""Checkers of the graded exercises of lesson 02: DCGAN.

第 02 课（深度卷积生成对抗网络）分级练习的检查器。
"""

import numpy as np

from gancourse.course.exercises.harness import close_to
from gancourse.course.exercises.harness import f32
from gancourse.course.exercises.harness import run_cases

__all__ = [
    "check_conv_transpose_output_size",
    "check_upsample_block",
    "check_slerp",
]


def check_conv_transpose_output_size(fn):
    """Check ``conv_transpose_output_size(size, kernel, strides, padding)``.

    检查转置卷积输出尺寸的计算（第 02 课）。

    The reference is Keras itself: ``Conv2DTranspose.compute_output_shape``.
    """
    import keras

    cases = []
    for size, kernel, strides, padding in [
        (7, 5, 2, "same"),
        (7, 4, 2, "same"),
        (14, 5, 1, "same"),
        (7, 5, 2, "valid"),
        (4, 3, 1, "valid"),
        (5, 2, 3, "valid"),
    ]:
        layer = keras.layers.Conv2DTranspose(
            1, kernel, strides=strides, padding=padding
        )
        expected = layer.compute_output_shape((1, size, size, 1))[1]

        def check(result, expected=expected):
            if int(result) != expected or float(result) != int(result):
                return f"expected {expected}, got {result}"
            return None

        cases.append(
            (
                f"for size={size}, kernel={kernel}, strides={strides}, "
                f"padding={padding!r}",
                lambda fn, a=(size, kernel, strides, padding): fn(*a),
                check,
            )
        )
    return run_cases(
        "conv_transpose_output_size",
        fn,
        cases,
        "'same' multiplies by the stride; 'valid' adds the kernel overhang "
        "max(kernel - stride, 0); see 'Models' in lesson 02.",
    )


def _flat_layers(block):
    found, stack = [], [block]
    while stack:
        layer = stack.pop()
        found.append(layer)
        stack.extend(getattr(layer, "layers", []))
    return found


def check_upsample_block(fn):
    """Check ``make_upsample_block(filters)``: a DCGAN generator block.

    检查 DCGAN 生成器的上采样模块（第 02 课）。

    Expected: a Keras layer or model that doubles height and width and sets
    the channels to ``filters``, built from a strided ``Conv2DTranspose``
    without bias, ``BatchNormalization`` and ``LeakyReLU``.
    """
    import keras

    inputs = np.random.default_rng(3).normal(size=(2, 7, 7, 8))

    def build(fn, filters):
        block = fn(filters)
        outputs = block(f32(inputs), training=False)
        return block, np.asarray(outputs)

    def check_for(filters, size):
        def check(result):
            block, outputs = result
            if outputs.shape != (2, size, size, filters):
                return (
                    f"expected output shape (2, {size}, {size}, {filters}) for "
                    f"input (2, 7, 7, 8), got {outputs.shape}"
                )
            layers = _flat_layers(block)
            convs = [
                x for x in layers if isinstance(x, keras.layers.Conv2DTranspose)
            ]
            if not convs or tuple(convs[0].strides) != (2, 2):
                return "expected a Conv2DTranspose with strides=2"
            if any(conv.use_bias for conv in convs):
                return (
                    "the Conv2DTranspose should not use a bias "
                    "(BatchNorm follows)"
                )
            if not any(
                isinstance(x, keras.layers.BatchNormalization) for x in layers
            ):
                return "expected a BatchNormalization layer"
            if not any(isinstance(x, keras.layers.LeakyReLU) for x in layers):
                return "expected a LeakyReLU activation layer"
            return None

        return check

    cases = [
        ("with filters=16", lambda fn: build(fn, 16), check_for(16, 14)),
        ("with filters=3", lambda fn: build(fn, 3), check_for(3, 14)),
    ]
    return run_cases(
        "make_upsample_block",
        fn,
        cases,
        "keras.Sequential([Conv2DTranspose(filters, 4, strides=2, "
        "padding='same', use_bias=False), BatchNormalization(), "
        "LeakyReLU(0.2)]);"
        " see 'The DCGAN guidelines' in lesson 02.",
    )


def _slerp_reference(z0, z1, t):
    z0, z1 = np.asarray(z0, "float64"), np.asarray(z1, "float64")
    cos = np.dot(z0, z1) / (np.linalg.norm(z0) * np.linalg.norm(z1))
    omega = np.arccos(np.clip(cos, -1.0, 1.0))
    if np.sin(omega) < 1e-6:
        return (1.0 - t) * z0 + t * z1
    return (np.sin((1.0 - t) * omega) * z0 + np.sin(t * omega) * z1) / np.sin(
        omega
    )


def check_slerp(fn):
    """Check ``slerp(z0, z1, t)``: spherical interpolation of two latents.

    检查潜在向量的球面线性插值（第 02 课）。

    Expected: the endpoints at t=0 and t=1, the great-circle path in between,
    and a linear fallback for (anti)parallel vectors (no nan).
    """
    rng = np.random.default_rng(4)
    a, b = f32(rng.normal(size=16)), f32(rng.normal(size=16))
    e1, e2 = f32([1.0, 0.0, 0.0]), f32([0.0, 1.0, 0.0])
    cases = []
    for description, z0, z1, t in [
        ("at t=0", a, b, 0.0),
        ("at t=1", a, b, 1.0),
        ("halfway between orthogonal unit vectors", e1, e2, 0.5),
        ("at t=0.3 on random 16-d latents", a, b, 0.3),
        ("for parallel vectors z1 = 2 * z0", a, 2.0 * a, 0.5),
    ]:
        cases.append(
            (
                description,
                lambda fn, z0=z0, z1=z1, t=t: fn(z0, z1, t),
                close_to(_slerp_reference(z0, z1, t), rtol=1e-4, atol=1e-4),
            )
        )
    return run_cases(
        "slerp",
        fn,
        cases,
        "omega = arccos(cos of the angle); (sin((1-t)omega) z0 + sin(t omega) "
        "z1) / sin(omega), linear if sin(omega) ~ 0; see 'Latent-space "
        "interpolation' in lesson 02.",
    )

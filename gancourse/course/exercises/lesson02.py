"""Checkers of the graded exercises of lesson 02: DCGAN.

第 02 课（深度卷积生成对抗网络）分级练习的检查器。

Every checker runs the visible cases the lesson describes and then hidden
ones (other sizes, shapes, dtypes and edge cases). When a wrong result is
exactly what a known mistake gives, the FAIL line names the mistake in
words; no line ever prints the formula or the solution.
"""

import numpy as np

from gancourse.course.exercises.harness import close_to
from gancourse.course.exercises.harness import f32
from gancourse.course.exercises.harness import run_cases

__all__ = [
    "check_transposed_conv_overlap",
    "check_upsample_block",
    "check_slerp",
]


def _sublayers(layer, found):
    """``layer`` and every layer inside it (public attributes only)."""
    import keras

    if any(layer is seen for seen in found):
        return found
    found.append(layer)
    children = list(getattr(layer, "layers", None) or [])
    for value in vars(layer).values():
        values = value if isinstance(value, (list, tuple)) else [value]
        children += [v for v in values if isinstance(v, keras.layers.Layer)]
    for child in children:
        _sublayers(child, found)
    return found


def _describe(index, text):
    """Two visible cases per checker, then hidden ones."""
    return text if index < 2 else f"on hidden case {index - 1} ({text})"


def _diagnosed(expected, mistakes, tolerance, lead=""):
    """``close_to`` that names the known mistakes the result matches."""
    check = close_to(expected, rtol=tolerance, atol=tolerance)

    def diagnose(result):
        problem = check(result)
        if not problem:
            return None
        same = [
            (x, close_to(y, rtol=tolerance, atol=tolerance))
            for x, y in mistakes
        ]
        labels = [x for x, y in same if y(result) is None]
        if labels:
            return f"{lead}{problem}; this is what {' or '.join(labels)} gives"
        return f"{lead}{problem}"

    return diagnose


def _f64(x):
    return np.asarray(x, dtype="float64")


def _overlap_1d(size, kernel_size, strides):
    counts = np.zeros((size - 1) * strides + kernel_size, dtype="int64")
    for i in range(size):
        counts[i * strides : i * strides + kernel_size] += 1
    return counts


def _overlap_check(size, kernel_size, strides):
    counts = _overlap_1d(size, kernel_size, strides)
    expected = np.outer(counts, counts)
    side = len(counts)
    interior = np.full_like(expected, (-(-kernel_size // strides)) ** 2)
    mistakes = [
        ("adding the row and the column counts", counts[:, None] + counts),
        ("the same count everywhere (borders get fewer)", interior),
    ]
    shapes = {
        (size * strides,) * 2: "the output size of padding 'same'; here "
        "nothing is cropped",
        (size + kernel_size - 1,) * 2: "what a stride of 1 gives",
        (side,): "the counts of one row only; the spec asks for every pixel",
    }

    def check(result):
        got = np.asarray(result)
        if got.shape != expected.shape:
            text = f"expected shape {expected.shape}, got {got.shape}"
            if got.shape in shapes:
                text += f"; this is {shapes[got.shape]}"
            return text
        if not np.issubdtype(got.dtype, np.number) or np.iscomplexobj(got):
            return f"expected numbers, got dtype {got.dtype}"
        if not np.array_equal(got, np.round(got)):
            return "the counts must be whole numbers"
        if np.array_equal(got, expected):
            return None
        wrong = int(np.sum(got != expected))
        problem = f"{wrong} of {expected.size} counts differ from the reference"
        for label, values in mistakes:
            if np.array_equal(got, values):
                return f"{problem}; this is what {label} gives"
        return problem

    return check


def check_transposed_conv_overlap(fn):
    """Check ``transposed_conv_overlap(size, kernel_size, strides)``.

    检查转置卷积输出像素的重叠次数（棋盘格伪影的来源，第 02 课）。

    Spec: a 2-D transposed convolution with a ``kernel_size`` x
    ``kernel_size`` kernel and stride ``strides`` on a ``size`` x ``size``
    input (all ints >= 1). Input pixel (i, j) adds the whole kernel, scaled
    by its value, to the output block of rows ``i * strides ...
    i * strides + kernel_size - 1`` and the same columns. Nothing is
    cropped, so the output side is ``(size - 1) * strides + kernel_size``
    (Keras's ``padding="valid"`` size when ``kernel_size >= strides``).
    Return an integer array (side, side) whose entry (y, x) is the number of
    (input pixel, kernel position) pairs that write to output pixel (y, x).
    A float array holding the same whole numbers passes too.
    """
    settings = [(3, 5, 2), (3, 4, 2), (4, 3, 1), (2, 2, 3)]  # size, k, s.
    settings += [(1, 5, 2), (5, 3, 2), (4, 4, 4), (3, 7, 3)]
    notes = {2: ", stride 1", 3: ", kernel smaller than the stride"}
    notes.update({4: ", one input pixel", 6: ", kernel equal to the stride"})
    cases = []
    for index, a in enumerate(settings):
        text = "for size={}, kernel_size={}, strides={}".format(*a)
        text = _describe(index, text + notes.get(index, ""))
        cases.append((text, lambda fn, a=a: fn(*a), _overlap_check(*a)))
    return run_cases(
        "transposed_conv_overlap",
        fn,
        cases,
        "every input pixel paints a kernel-sized block of the output that "
        "starts at its own position times the stride; count for each output "
        "pixel how many blocks cover it, over the full output with nothing "
        "cropped; see the checkerboard artifacts in 'Results' of lesson 02.",
    )


def _leaky(x, slope=0.2):
    return np.where(x >= 0, x, slope * x)


def _structure_problem(convs, norms, filters):
    """The first way the block's layers differ from the spec, or None."""
    if len(convs) != 1:
        return f"expected exactly one Conv2DTranspose, found {len(convs)}"
    conv = convs[0]
    if conv.filters != filters:
        return f"expected {filters} filters, got {conv.filters}"
    if tuple(conv.strides) != (2, 2):
        return f"expected strides 2, got {tuple(conv.strides)}"
    kernel = tuple(conv.kernel_size)
    if kernel != (4, 4):
        text = f"expected kernel size 4, got {kernel}"
        if any(k % 2 for k in kernel):
            text += (
                ", which the stride 2 does not divide (checkerboard "
                "artifacts, exercise 1)"
            )
        return text
    if conv.padding != "same":
        return f"expected padding 'same', got {conv.padding!r}"
    if conv.use_bias:
        return "the Conv2DTranspose should not use a bias (BatchNorm follows)"
    name = getattr(conv.activation, "__name__", str(conv.activation))
    if name != "linear":
        return (
            f"the Conv2DTranspose has its own activation {name!r}: an extra "
            "activation before BatchNormalization"
        )
    if len(norms) != 1:
        return f"expected exactly one BatchNormalization, found {len(norms)}"
    if tuple(norms[0].moving_mean.shape) != (filters,):
        return (
            "the BatchNormalization should normalise the channels that the "
            "Conv2DTranspose outputs (it comes right after it)"
        )
    return None


def _randomise(conv, norm, rng):
    """Random kernel and BatchNorm statistics, so that the order shows."""
    conv.kernel.assign(rng.normal(scale=0.3, size=conv.kernel.shape))
    shape = tuple(norm.moving_mean.shape)
    norm.moving_mean.assign(rng.normal(scale=0.5, size=shape))
    norm.moving_variance.assign(rng.uniform(0.5, 2.0, size=shape))
    if norm.gamma is not None:
        gamma = rng.uniform(0.5, 2.0, size=shape) * rng.choice([-1, 1], shape)
        norm.gamma.assign(gamma)
    if norm.beta is not None:
        norm.beta.assign(rng.normal(size=shape))


def _upsample_case(inputs, filters, seed):
    import keras

    def call(fn):
        block = fn(filters)
        block(inputs[:1], training=False)  # Build the weights.
        found = _sublayers(block, [])
        kinds = keras.layers.Conv2DTranspose, keras.layers.BatchNormalization
        convs, norms = ([x for x in found if isinstance(x, k)] for k in kinds)
        problem = _structure_problem(convs, norms, filters)
        if problem:
            return problem, None, None
        conv, norm = convs[0], norms[0]
        _randomise(conv, norm, np.random.default_rng(seed))
        outputs = np.asarray(block(inputs, training=False))
        kernel = f32(keras.ops.convert_to_numpy(conv.kernel))
        convolved = keras.ops.conv_transpose(
            f32(inputs), kernel, strides=2, padding="same"
        )
        y = _f64(keras.ops.convert_to_numpy(convolved))

        def normalise(x):
            scale = 1.0 / np.sqrt(_f64(norm.moving_variance) + norm.epsilon)
            if norm.gamma is not None:
                scale = scale * _f64(norm.gamma)
            shift = _f64(norm.beta) if norm.beta is not None else 0.0
            return (x - _f64(norm.moving_mean)) * scale + shift

        return None, outputs, (y, normalise)

    def check(result):
        problem, outputs, reference = result
        if problem:
            return problem
        batch, height, width, _ = inputs.shape
        expected_shape = (batch, 2 * height, 2 * width, filters)
        if outputs.shape != expected_shape:
            return (
                f"expected output shape {expected_shape} for input "
                f"{inputs.shape}, got {outputs.shape}"
            )
        y, normalise = reference
        n = normalise(y)
        expected = _leaky(n)
        mistakes = [
            ("LeakyReLU before BatchNorm (wrong order)", normalise(_leaky(y))),
            ("no activation after BatchNormalization", n),
            ("a ReLU at the end (in place of or after it)", np.maximum(n, 0)),
            ("the default slope 0.3 of LeakyReLU()", _leaky(n, 0.3)),
            ("an extra tanh after the LeakyReLU", np.tanh(expected)),
        ]
        lead = "with the block's own weights, "
        return _diagnosed(expected, mistakes, 1e-3, lead)(outputs)

    return call, check


def check_upsample_block(fn):
    """Check ``make_upsample_block(filters)``: a DCGAN generator block.

    检查 DCGAN 生成器的上采样模块（第 02 课）。

    Spec: return a Keras layer or model (``keras.Sequential``, a functional
    model or a layer subclass) that maps any (B, H, W, C) batch to
    (B, 2H, 2W, ``filters``) with exactly these layers, in this order:
    ``Conv2DTranspose(filters, 4, strides=2, padding="same",
    use_bias=False)`` with no activation of its own, one
    ``BatchNormalization`` (any epsilon and momentum), then a leaky ReLU
    with slope 0.2 (``LeakyReLU(0.2)``, ``Activation("leaky_relu")`` and
    ``ReLU(negative_slope=0.2)`` are the same) and nothing after it. The
    checker gives the layers random weights and BatchNorm statistics and
    compares the block's inference output with that computation.
    """
    rng = np.random.default_rng(3)
    settings = [(16, (2, 7, 7, 8), "float32"), (3, (2, 7, 7, 8), "float32")]
    settings += [(1, (1, 4, 4, 2), "float32"), (32, (3, 5, 5, 16), "float64")]
    settings += [(8, (2, 3, 6, 4), "float32"), (5, (4, 2, 2, 3), "float64")]
    cases = []
    for index, (filters, shape, dtype) in enumerate(settings):
        inputs = rng.normal(size=shape).astype(dtype)
        call, check = _upsample_case(inputs, filters, seed=30 + index)
        text = f"with filters={filters}, {dtype} input {shape}"
        cases.append((_describe(index, text), call, check))
    return run_cases(
        "make_upsample_block",
        fn,
        cases,
        "three layers in the order of the DCGAN guidelines: a stride-2 "
        "transposed convolution (kernel 4, 'same' padding, no bias, no "
        "activation), batch normalisation, then a leaky ReLU of slope 0.2 "
        "and nothing after it; see 'The DCGAN guidelines' in lesson 02.",
    )


def _column(t):
    """t as a column: () -> (1,), (T,) -> (T, 1), to broadcast over d."""
    return _f64(t)[..., None]


def _slerp_reference(z0, z1, t):
    z0, z1, t = _f64(z0), _f64(z1), _column(t)
    cos = z0 @ z1 / (np.linalg.norm(z0) * np.linalg.norm(z1))
    omega = np.arccos(np.clip(cos, -1.0, 1.0))
    if np.sin(omega) < 1e-6:
        return (1.0 - t) * z0 + t * z1
    return (np.sin((1.0 - t) * omega) * z0 + np.sin(t * omega) * z1) / np.sin(
        omega
    )


def _slerp_mistakes(z0, z1, t):
    z0, z1 = _f64(z0), _f64(z1)
    n0, n1 = np.linalg.norm(z0), np.linalg.norm(z1)
    column = _column(t)
    directions = _slerp_reference(z0 / n0, z1 / n1, t)
    lengths = (1.0 - column) * n0 + column * n1
    line = (1.0 - column) * z0 + column * z1
    return [
        ("linear interpolation (not the great circle)", line),
        ("a path that runs backwards", _slerp_reference(z0, z1, 1.0 - _f64(t))),
        ("normalising z0 and z1 to unit length", directions),
        ("interpolating direction and length separately", directions * lengths),
    ]


def check_slerp(fn):
    """Check ``slerp(z0, z1, t)``: spherical interpolation of two latents.

    检查潜在向量的球面线性插值（第 02 课）。

    Spec: ``z0`` and ``z1`` are 1-D float arrays (float32 or float64) of
    one size d, not zero; ``t`` is a float in [0, 1] or a 1-D array of T
    such floats. With omega the angle between z0 and z1 (from their
    normalised dot product, clipped to [-1, 1]), return

        (sin((1 - t) * omega) * z0 + sin(t * omega) * z1) / sin(omega),

    or the straight line ``(1 - t) * z0 + t * z1`` when sin(omega) < 1e-6
    (parallel or opposite vectors), never nan: shape (d,) for a float t,
    (T, d) with row i at t[i] for an array t. The end points are z0 at
    t = 0 and z1 at t = 1, with their own lengths.
    """
    rng = np.random.default_rng(4)
    a, b = f32(rng.normal(size=16)), f32(rng.normal(size=16))
    e1, e2 = f32([1.0, 0.0, 0.0]), f32([0.0, 1.0, 0.0])
    c, d = rng.normal(size=100), 3.0 * rng.normal(size=100)
    big0, big1 = f32(rng.normal(size=512)), f32(rng.normal(size=512))
    angle = np.deg2rad(150.0)
    obtuse0 = _f64([2.0, 0.0, 0.0])
    obtuse1 = _f64([np.cos(angle), np.sin(angle), 0.0]) * 0.5
    path = np.linspace(0.0, 1.0, 5)
    opposite, quarters = _f64(b), _f64([0.0, 0.25, 0.75])
    settings = [  # description, z0, z1, t.
        ("at t=0.3 on random 16-d latents", a, b, 0.3),
        ("halfway between orthogonal unit vectors", e1, e2, 0.5),
        ("t = [0, 0.25, 0.5, 0.75, 1], 100-d, other lengths", c, d, path),
        ("t=0 on float32 512-d latents", big0, big1, 0.0),
        ("t=1 as a float32 scalar", big0, big1, np.float32(1.0)),
        ("parallel vectors z1 = 2 * z0, t=0.5", a, 2.0 * a, 0.5),
        (
            "opposite vectors, t = [0, 0.25, 0.75]",
            opposite,
            -opposite,
            quarters,
        ),
        ("an angle of 150 degrees, t=0.7", obtuse0, obtuse1, 0.7),
    ]
    cases = []
    for index, (text, z0, z1, t) in enumerate(settings):
        diagnose = _diagnosed(
            _slerp_reference(z0, z1, t), _slerp_mistakes(z0, z1, t), 1e-4
        )

        def check(result, diagnose=diagnose):
            if np.isnan(_f64(result)).any():
                return "got nan (parallel or opposite vectors need a fallback)"
            return diagnose(result)

        def call(fn, z0=z0, z1=z1, t=t):
            return fn(z0.copy(), z1.copy(), np.copy(t) if np.ndim(t) else t)

        cases.append((_describe(index, text), call, check))
    return run_cases(
        "slerp",
        fn,
        cases,
        "slerp moves along the great circle through both end points at a "
        "constant angular speed and keeps their own lengths (do not "
        "normalise the result), needs a straight-line fallback when the "
        "sine of the angle is about 0, and returns one row per t for an "
        "array t; see 'Latent-space interpolation' in lesson 02.",
    )

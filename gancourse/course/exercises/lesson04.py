"""Checkers of the graded exercises of lesson 04: training stability.

第 04 课（训练稳定性）分级练习的检查器。

Every checker runs the visible cases the lesson describes and then hidden
ones (other seeds, shapes and dtypes; (N, 1) and PatchGAN logits, a
LeakyReLU slope above 1, convolution kernels, start vectors that are not
unit vectors). When a wrong result is exactly what a known mistake gives,
the FAIL line names the mistake in words; no line ever prints the formula.
"""

import numpy as np

from gancourse.course.exercises.harness import diagnosed
from gancourse.course.exercises.harness import run_cases

__all__ = [
    "check_hinge_d_loss",
    "check_lipschitz_bound",
    "check_spectral_norm",
]


def _describe(index, visible, text):
    if index < visible:
        return f"for {text}"
    return f"on hidden case {index - visible + 1} ({text})"


def _copy(value):
    return value.copy() if hasattr(value, "copy") else value


def _relu(x):
    return np.maximum(0.0, x)


def _hinge_mistakes(real, fake):
    r, f = np.asarray(real, "float64"), np.asarray(fake, "float64")
    real_part, fake_part = _relu(1 - r), _relu(1 + f)
    both = np.concatenate([real_part.ravel(), fake_part.ravel()])
    return [
        (
            "swapping the real and the fake logits",
            _relu(1 - f).mean() + _relu(1 + r).mean(),
        ),
        ("leaving out the clipping at zero", np.mean(1 - r) + np.mean(1 + f)),
        ("a margin of 0", _relu(-r).mean() + _relu(f).mean()),
        ("one mean over the real and fake terms together", both.mean()),
        ("sums in place of means", real_part.sum() + fake_part.sum()),
        ("squaring the hinge", np.mean(real_part**2) + np.mean(fake_part**2)),
        (
            "the non-saturating loss",
            np.logaddexp(0, -r).mean() + np.logaddexp(0, f).mean(),
        ),
        ("the fake term only", fake_part.mean()),
        ("the generator's hinge loss", -f.mean()),
    ]


def check_hinge_d_loss(fn):
    """Check ``hinge_d_loss(real_logits, fake_logits)``: D's hinge loss.

    检查判别器的 hinge 损失（第 04 课）。

    Spec: ``real_logits`` and ``fake_logits`` are float arrays (float32 or
    float64) or lists of any shape, (N,), (N, 1) or a PatchGAN map
    (N, H, W, 1); the two batches may differ in size. Return the scalar
    ``mean(relu(1 - real)) + mean(relu(1 + fake))``, each mean over every
    element of its own batch.
    """
    rng = np.random.default_rng(40)
    settings = [  # real, fake, note; three visible cases, then hidden.
        (
            rng.normal(size=7).astype("float32"),
            rng.normal(size=5).astype("float32"),
            "random float32 logits, 7 real and 5 fake",
        ),
        (np.zeros(2, "float32"), np.zeros(2, "float32"), "zero logits"),
        (
            np.array([2.0, 3.0], "float32"),
            np.array([-2.0, -1.5], "float32"),
            "logits beyond the margin",
        ),
        (
            rng.normal(0.5, 1.5, size=(6, 1)),
            rng.normal(-0.5, 1.5, size=(4, 1)),
            "float64 logits of shape (6, 1) and (4, 1)",
        ),
        (
            rng.normal(size=(2, 4, 4, 1)).astype("float32"),
            rng.normal(size=(3, 4, 4, 1)).astype("float32"),
            "PatchGAN maps (2, 4, 4, 1) and (3, 4, 4, 1)",
        ),
        (
            np.array([1.5, 4.0, 2.5], "float32"),
            np.array([0.5, -0.2, 3.0, -3.0], "float32"),
            "real logits beyond the margin, fake ones not",
        ),
        ([0.3, -0.7], [0.9], "Python lists"),
    ]
    cases = []
    for index, (real, fake, note) in enumerate(settings):
        r, f = np.asarray(real, "float64"), np.asarray(fake, "float64")
        expected = _relu(1 - r).mean() + _relu(1 + f).mean()
        cases.append(
            (
                _describe(index, 3, note),
                lambda fn, r=real, f=fake: fn(_copy(r), _copy(f)),
                diagnosed(
                    expected, _hinge_mistakes(real, fake), rtol=1e-5, atol=1e-6
                ),
            )
        )
    return run_cases(
        "hinge_d_loss",
        fn,
        cases,
        "real logits are pushed above +1 and fake logits below -1, with zero "
        "loss beyond the margin; average each batch on its own over all of "
        "its elements, then add the two; see 'Stabilisers' in lesson 04.",
    )


def _largest_singular_value(matrix):
    return float(np.linalg.svd(np.asarray(matrix, "float64"))[1][0])


def _lipschitz_cases(kernels, biases, slope, estimates):
    """The expected bound and the known mistakes, for one case."""

    def per_layer(norm):
        values = np.array([norm(np.asarray(k, "float64")) for k in kernels])
        if estimates is None:
            return values
        return values / np.asarray(estimates, "float64")

    sigmas = per_layer(_largest_singular_value)
    gaps = len(kernels) - 1
    steep = max(1.0, slope) ** gaps
    bias_norms = np.array([np.linalg.norm(b) for b in biases])
    mistakes = [
        (
            "the Frobenius norm in place of the largest singular value",
            np.prod(per_layer(np.linalg.norm)) * steep,
        ),
        ("multiplying by the negative slope", np.prod(sigmas) * slope**gaps),
        (
            "an activation after the last layer too",
            np.prod(sigmas) * steep * max(1.0, slope),
        ),
        ("taking each LeakyReLU's constant as 1", np.prod(sigmas)),
        ("adding the layers' constants", np.sum(sigmas) * steep),
        (
            "counting the bias as a stretch",
            np.prod(sigmas + bias_norms) * steep,
        ),
        ("the squared largest singular value", np.prod(sigmas**2) * steep),
    ]
    if estimates is not None:
        raw = np.prod(sigmas * np.asarray(estimates, "float64")) * steep
        mistakes += [
            ("ignoring sigma_estimates", raw),
            (
                "multiplying by the estimates instead of dividing",
                raw * np.prod(np.asarray(estimates, "float64")),
            ),
        ]
    return np.prod(sigmas) * steep, mistakes


def _power_iteration(w, u, num_iterations):
    w, u = np.asarray(w, "float64"), np.asarray(u, "float64")
    w = w.reshape(-1, w.shape[-1])
    for _ in range(num_iterations):
        v = w.T @ u
        v = v / np.linalg.norm(v)
        u = w @ v
        u = u / np.linalg.norm(u)
    return float(u @ w @ v)


def _dense_stack(rng, sizes, dtype, scale=0.5, bias_scale=1.0):
    kernels, biases = [], []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        kernels.append(rng.normal(0, scale, (fan_in, fan_out)).astype(dtype))
        biases.append(rng.normal(0, bias_scale, fan_out).astype(dtype))
    return kernels, biases


def check_lipschitz_bound(fn):
    """Check ``lipschitz_bound(layers, negative_slope, sigma_estimates)``.

    检查全连接判别器 Lipschitz 常数的上界（第 04 课）。

    Spec: ``layers`` is a list of Dense layers, each a pair ``(kernel,
    bias)`` as Keras stores them (tuples, or lists as ``get_weights()``
    gives): kernel (fan_in, fan_out), bias (fan_out,), float32 or float64.
    Between two consecutive layers sits a LeakyReLU with
    ``negative_slope >= 0`` (it may exceed 1); there is no activation after
    the last layer. ``sigma_estimates`` is ``None`` or one positive number
    per layer (a list or an array): spectral normalisation first divides
    each kernel by its estimate. Return, as a float, the product bound on
    the Lipschitz constant (Euclidean norm) that the lesson derives: the
    product of each part's own constant.
    """
    rng = np.random.default_rng(41)
    kernels, biases = _dense_stack(rng, [2, 8, 8, 1], "float32")
    one_step = [
        _power_iteration(k, rng.normal(size=len(k)), 1) for k in kernels
    ]
    settings = [  # kernels, biases, slope, estimates, note; 2 visible cases.
        (kernels, biases, 0.2, None, "2 -> 8 -> 8 -> 1, slope 0.2"),
        (
            kernels,
            biases,
            0.2,
            one_step,
            "the same layers, one power step each",
        ),
    ]
    square = rng.normal(size=(4, 4)) + np.triu(np.full((4, 4), 1.5))
    settings.append(
        (
            [square],
            [np.full(4, 5.0)],
            0.2,
            None,
            "one square layer, a large bias",
        )
    )
    kernels, biases = _dense_stack(rng, [3, 6, 6, 6, 1], "float64", 0.8)
    settings.append((kernels, biases, 1.5, None, "4 layers, slope 1.5"))
    kernels, biases = _dense_stack(rng, [5, 7, 1], "float32", 1.0)
    exact = [_largest_singular_value(k) for k in kernels]
    settings.append((kernels, biases, 0.0, exact, "ReLU, exact estimates"))
    kernels, biases = _dense_stack(rng, [16, 32, 32, 32, 1], "float64", 0.3)
    steps = [_power_iteration(k, rng.normal(size=len(k)), 3) for k in kernels]
    note = "layers as lists, an array of estimates after three steps"
    settings.append((kernels, biases, 0.2, np.array(steps), note))
    cases = []
    for index, (kernels, biases, slope, estimates, note) in enumerate(settings):
        pairs = [
            [k, b] if index == 5 else (k, b) for k, b in zip(kernels, biases)
        ]
        expected, mistakes = _lipschitz_cases(kernels, biases, slope, estimates)
        cases.append(
            (
                _describe(index, 2, note),
                lambda fn, pairs=pairs, s=slope, e=estimates: fn(
                    [type(pair)(_copy(x) for x in pair) for pair in pairs],
                    s,
                    _copy(e),
                ),
                diagnosed(expected, mistakes, rtol=1e-4, atol=1e-6),
            )
        )
    return run_cases(
        "lipschitz_bound",
        fn,
        cases,
        "ask what each part can do to the distance between two inputs: how "
        "much a kernel can stretch it, whether a bias stretches it at all, "
        "how steep the activation can be, and what dividing a kernel by a "
        "number does; see 'Spectral normalisation' in lesson 04.",
    )


def _spectral_mistakes(w, u, n):
    w64 = np.asarray(w, "float64")
    matrix = w64.reshape(-1, w64.shape[-1])
    u64 = np.asarray(u, "float64")
    old_u = u64
    v = None
    current = u64
    for _ in range(n):
        old_u = current
        v = matrix.T @ current
        v = v / np.linalg.norm(v)
        current = matrix @ v
        current = current / np.linalg.norm(current)
    sigma = float(current @ matrix @ v)
    mistakes = [
        (
            "the largest singular value (the SVD) in place of the estimate",
            _largest_singular_value(matrix),
        ),
        ("the Frobenius norm", float(np.linalg.norm(matrix))),
        ("one iteration too many", _power_iteration(w64, u64, n + 1)),
        ("the square of the estimate", sigma**2),
        (
            "taking sigma with u from before its last update",
            float(old_u @ matrix @ v) / float(np.linalg.norm(old_u)),
        ),
    ]
    if n > 1:
        mistakes.append(
            ("one iteration too few", _power_iteration(w64, u64, n - 1))
        )
    if w64.ndim > 2:
        other_order = w64.reshape((-1, w64.shape[-1]), order="F")
        mistakes.append(
            (
                "flattening the kernel in another order",
                _power_iteration(other_order, u64, n),
            )
        )
    return mistakes


def check_spectral_norm(fn):
    """Check ``spectral_norm(w, u, num_iterations)``: power iteration.

    检查用幂迭代估计最大奇异值（谱范数，第 04 课）。

    Spec: ``w`` is a float array (float32 or float64): a matrix (M, N), or a
    convolution kernel (kh, kw, c_in, c_out) as Keras stores it, which is
    first reshaped to the matrix (kh * kw * c_in, c_out), one column per
    output channel, as ``keras.layers.SpectralNormalization`` does. ``u``
    has one entry per row of the matrix and need not have unit length;
    ``num_iterations >= 1``. Repeat ``v = W^T u / ||W^T u||; u = W v /
    ||W v||`` and return ``sigma = u^T W v`` as a float; after many
    iterations it equals the largest singular value.
    """
    rng = np.random.default_rng(9)
    w, u = rng.normal(size=(5, 3)), rng.normal(size=5)
    w, u = w.astype("float32"), u.astype("float32")
    kernel = rng.normal(size=(3, 3, 2, 4)).astype("float32")
    kernel_u = rng.normal(size=18).astype("float32")
    tall, tall_u = rng.normal(size=(8, 2)), rng.normal(size=8)
    settings = [  # w, u, iterations, note; 4 visible cases, then hidden.
        (w, u, 1, "after 1 iteration"),
        (w, u, 3, "after 3 iterations"),
        (w, u, 100, "after 100 iterations (the largest singular value)"),
        (np.diag([3.0, 1.0, 0.5]), np.ones(3), 50, "for diag(3, 1, 0.5)"),
        (rng.normal(size=(3, 7)), 10.0 * rng.normal(size=3), 2, "wide (3, 7)"),
        (kernel, kernel_u, 1, "a conv kernel (3, 3, 2, 4), 1 iteration"),
        (kernel, kernel_u, 200, "the same kernel, 200 iterations"),
        (tall.astype("float32"), tall_u.astype("float32"), 4, "tall float32"),
    ]
    cases = []
    for index, (matrix, start, n, note) in enumerate(settings):
        if index > 3:
            note = _describe(index, 4, f"{note}, {matrix.dtype}, u not unit")
        cases.append(
            (
                note,
                lambda fn, w=matrix, u=start, n=n: fn(w.copy(), u.copy(), n),
                diagnosed(
                    _power_iteration(matrix, start, n),
                    _spectral_mistakes(matrix, start, n),
                    rtol=1e-4,
                    atol=1e-6,
                ),
            )
        )
    return run_cases(
        "spectral_norm",
        fn,
        cases,
        "alternate the two normalised products (the transpose first, then "
        "the matrix) for exactly num_iterations rounds, then read sigma off "
        "the last u and v (not the SVD, not the Frobenius norm); reshape a "
        "conv kernel with its output channels as columns; see 'Spectral "
        "normalisation' in lesson 04.",
    )

"""Checkers of the graded exercises of lesson 08: neural style transfer.

第 08 课（神经风格迁移）分级练习的检查器。

Every checker runs the visible cases the lesson describes and then hidden
ones (other seeds, shapes, batch sizes, dtypes and edge cases). When a wrong
result is exactly what a known mistake gives, the FAIL line names the
mistake in words; no line ever prints the formula.
"""

import functools

import numpy as np

from gancourse.course.exercises.harness import diagnosed
from gancourse.course.exercises.harness import run_cases

__all__ = [
    "check_gram_matrix",
    "check_enlarge_keeping_style",
    "check_style_loss",
]


def _describe(index, visible, text):
    if index < visible:
        return f"for {text}"
    return f"on hidden case {index - visible + 1} ({text})"


def _gram(features, variant="positions"):
    """Gram matrices (B, C, C) in float64, or a known mistake's variant."""
    features = np.asarray(features, "float64")
    b, h, w, c = features.shape
    if variant == "channels first":  # Reshaped to (B, C, H*W).
        flat = features.reshape(b, c, h * w)
        return np.einsum("bip,bjp->bij", flat, flat) / (h * w)
    flat = features.reshape(b, h * w, c)
    gram = np.einsum("bpi,bpj->bij", flat, flat)
    return (
        gram / {"positions": h * w, "elements": h * w * c, "none": 1}[variant]
    )


def _floating(check):
    def floating(result):
        if not np.issubdtype(np.asarray(result).dtype, np.floating):
            return (
                "the result must be floating point, got dtype "
                f"{np.asarray(result).dtype}"
            )
        return check(result)

    return floating


def check_gram_matrix(fn):
    """Check ``gram_matrix(features)`` for NHWC feature maps (lesson 08).

    检查 NHWC 特征图的 Gram 矩阵（第 08 课）。

    Spec: ``features`` is a float array (float32 or float64) of shape
    (B, H, W, C). Return a float array (B, C, C): for each image, with F
    the (H*W, C) matrix of its feature vectors, ``F^T F / (H * W)`` (the
    number of positions, not of elements).
    """
    rng = np.random.default_rng(80)
    settings = [  # dtype, shape, scale, note; two visible, then hidden.
        ("float32", (2, 4, 5, 3), 1.0, ""),
        ("float32", (1, 3, 3, 6), 1.0, ""),
        ("float64", (3, 6, 2, 4), 1.0, "each image its own scale"),
        ("float32", (1, 32, 32, 16), 20.0, "large ReLU features"),
        ("float64", (2, 5, 7, 1), 1.0, "one channel"),
        ("float32", (2, 1, 1, 5), 1.0, "one position per image"),
    ]
    cases = []
    for index, (dtype, shape, scale, note) in enumerate(settings):
        features = scale * rng.normal(size=shape)
        if index == 2:
            features *= np.array([0.5, 1.0, 3.0]).reshape(3, 1, 1, 1)
        if index == 3:
            features = np.maximum(features, 0.0)
        features = features.astype(dtype)
        expected = _gram(features)
        b = shape[0]
        mistakes = [
            (
                "dividing by H*W*C (every element) in place of H*W",
                _gram(features, "elements"),
            ),
            ("leaving out the division", _gram(features, "none")),
            ("dividing by B*H*W", expected / b),
            (
                "reshaping to (B, C, H*W), which mixes channels and positions",
                _gram(features, "channels first"),
            ),
        ]
        text = f"{dtype} features {shape}" + (f", {note}" if note else "")
        scale_atol = 1e-6 * float(np.max(np.abs(expected))) + 1e-9
        cases.append(
            (
                _describe(index, 2, text),
                lambda fn, f=features: fn(f.copy()),
                _floating(
                    diagnosed(expected, mistakes, rtol=1e-4, atol=scale_atol)
                ),
            )
        )
    return run_cases(
        "gram_matrix",
        fn,
        cases,
        "one channels-by-channels matrix per image: the average over the "
        "image's positions of the products of its channel values; keep the "
        "batch axis; see 'Losses' in lesson 08.",
    )


def _enlarge_check(features, factor):
    features = np.asarray(features)
    b, h, w, c = features.shape
    shape = (b, factor * h, factor * w, c)
    expected = _gram(features)
    atol = 1e-6 * float(np.max(np.abs(expected))) + 1e-9
    rtol = 1e-5 if features.dtype == np.float64 else 1e-4
    mistakes = [
        (
            "zero padding (or values divided by the factor)",
            expected / factor**2,
        ),
        ("values multiplied by the factor", expected * factor**2),
    ]

    def check(result):
        result = np.asarray(result)
        if result.shape != shape:
            return f"expected shape {shape}, got shape {result.shape}"
        if result.dtype != features.dtype:
            return (
                f"the result must keep the dtype {features.dtype}, got "
                f"{result.dtype}"
            )
        if not np.all(np.isfinite(result)):
            return "got inf or nan"
        problem = diagnosed(expected, mistakes, rtol=rtol, atol=atol)(
            _gram(result)
        )
        if problem:
            return "Gram matrices: " + problem
        return None

    return check


def check_enlarge_keeping_style(fn):
    """Check ``enlarge_keeping_style(features, factor)`` (lesson 08).

    检查“同样的风格、更大的画布”这一概念练习（第 08 课）。

    Spec: ``features`` is a float array (float32 or float64) of shape
    (B, H, W, C) and ``factor`` a positive int. Return feature maps of shape
    (B, factor * H, factor * W, C), with the dtype of ``features``, whose
    Gram matrices (normalised by the number of positions, as in the lesson)
    equal those of ``features``, image by image. Any such array passes.
    """
    rng = np.random.default_rng(81)
    settings = [  # dtype, shape, factor, note; two visible, then hidden.
        ("float32", (1, 4, 4, 3), 2, ""),
        ("float32", (2, 3, 5, 4), 2, "not square, two images"),
        ("float64", (1, 6, 6, 2), 3, ""),
        ("float32", (2, 4, 4, 3), 1, "factor 1"),
        ("float32", (3, 2, 7, 5), 2, "ReLU features, each image its own"),
        ("float64", (2, 1, 1, 8), 4, "one position per image"),
    ]
    cases = []
    for index, (dtype, shape, factor, note) in enumerate(settings):
        features = rng.normal(size=shape)
        if index == 4:
            features = np.maximum(features, 0) * np.array(
                [0.5, 1.0, 4.0]
            ).reshape(3, 1, 1, 1)
        features = features.astype(dtype)
        text = f"{dtype} features {shape}, factor {factor}" + (
            f", {note}" if note else ""
        )
        cases.append(
            (
                _describe(index, 2, text),
                lambda fn, f=features, k=factor: fn(f.copy(), k),
                _enlarge_check(features, factor),
            )
        )
    return run_cases(
        "enlarge_keeping_style",
        fn,
        cases,
        "the Gram matrix averages over positions and ignores where each "
        "feature vector sits, so ask which larger maps have the same "
        "average; keep each image's vectors to that image; see 'Losses' in "
        "lesson 08.",
    )


def _style_reference(style, generated, weights, gram="positions", reduce=None):
    if weights is None:
        weights = [1.0 / len(style)] * len(style)
    total = 0.0
    for weight, s, g in zip(weights, style, generated):
        if gram == "generated positions":  # Both divided by the generated H*W.
            rescale = s.shape[1] * s.shape[2] / (g.shape[1] * g.shape[2])
            squared = (_gram(g) - rescale * _gram(s)) ** 2
        elif gram == "raw":  # The features themselves, no Gram matrices.
            squared = (np.asarray(g, "float64") - s) ** 2
        else:
            squared = (_gram(g, gram) - _gram(s, gram)) ** 2
        total += weight * (
            np.mean(squared) if reduce is None else reduce(squared)
        )
    return total


def check_style_loss(fn):
    """Check ``style_loss(style_features, generated_features, layer_weights)``.

    检查跨多层的风格损失（第 08 课）。

    Spec: ``style_features`` and ``generated_features`` are lists with one
    float array (B, H_l, W_l, C_l) per layer l; in a layer the two share C_l
    but may differ in H_l and W_l, and the style batch may be 1 while the
    generated batch is larger (it then broadcasts). ``layer_weights`` is
    None or a sequence of floats (list, tuple or NumPy array). Return the
    scalar

        sum_l w_l * mean((gram(G_l) - gram(S_l)) ** 2)

    with the mean over batch, C_l and C_l, ``gram`` normalised by each map's
    own H_l * W_l, and ``w_l = 1 / number of layers`` when ``layer_weights``
    is None.
    """
    rng = np.random.default_rng(82)
    settings = [  # dtype, style shapes, generated shapes, weights, note.
        (
            "float32",
            [(1, 6, 6, 3), (1, 3, 3, 5)],
            None,
            None,
            "",
        ),
        ("float32", [(1, 6, 6, 3), (1, 3, 3, 5)], None, [0.2, 3.0], ""),
        (
            "float64",
            [(2, 4, 4, 2), (2, 3, 3, 4), (2, 2, 2, 6)],
            None,
            (1.0, 0.0, 0.5),
            "three layers, batch 2, weights as a tuple",
        ),
        (
            "float32",
            [(1, 8, 8, 4), (1, 4, 4, 6)],
            [(1, 6, 10, 4), (1, 3, 5, 6)],
            None,
            "style maps larger than the generated maps",
        ),
        (
            "float64",
            [(1, 5, 5, 3), (1, 3, 3, 2)],
            [(3, 5, 5, 3), (3, 3, 3, 2)],
            np.array([2.0, 0.5]),
            "style batch 1, generated batch 3, weights as an array",
        ),
        (
            "float32",
            [(2, 4, 4, 3), (2, 2, 2, 3)],
            "same",
            [0.7, 0.3],
            "generated features equal to the style features",
        ),
    ]
    cases = []
    for index, (dtype, shapes, other, weights, note) in enumerate(settings):
        style = [rng.normal(size=s).astype(dtype) for s in shapes]
        if other == "same":
            generated = [s.copy() for s in style]
        else:
            generated = [
                (rng.normal(size=s) * 1.5).astype(dtype)
                for s in (other or shapes)
            ]
        reference = functools.partial(
            _style_reference, style, generated, weights
        )
        expected = reference()
        mistakes = [
            ("Gram matrices divided by H*W*C", reference(gram="elements")),
            ("Gram matrices without the division", reference(gram="none")),
            ("summing the squared differences", reference(reduce=np.sum)),
            (
                "the root of the mean squared difference",
                reference(reduce=lambda d: np.sqrt(np.mean(d))),
            ),
            (
                "default weights of 1 in place of 1 / number of layers",
                _style_reference(style, generated, [1.0] * len(style)),
            ),
            (
                "dividing both Gram matrices by the generated map's H*W",
                reference(gram="generated positions"),
            ),
            (
                "ignoring layer_weights",
                _style_reference(style, generated, None),
            ),
            (
                "using only the first image of each batch",
                _style_reference(
                    [s[:1] for s in style], [g[:1] for g in generated], weights
                ),
            ),
        ]
        if all(s.shape == g.shape for s, g in zip(style, generated)):
            mistakes.append(
                ("comparing the raw features", reference(gram="raw"))
            )
        count = len(shapes)
        text = (
            f"{dtype}, {count} layer{'s' if count > 1 else ''}, "
            f"layer_weights={_weights_text(weights)}"
            + (f", {note}" if note else "")
        )
        scale = abs(expected) + 1e-12
        cases.append(
            (
                _describe(index, 2, text),
                lambda fn, s=style, g=generated, w=weights: _style_call(
                    fn, s, g, w
                ),
                diagnosed(expected, mistakes, rtol=1e-4, atol=1e-6 * scale),
            )
        )
    return run_cases(
        "style_loss",
        fn,
        cases,
        "compare Gram matrices (not raw features) layer by layer, each map "
        "normalised by its own number of positions; average the squared "
        "differences within a layer, then take the weighted sum over layers; "
        "see 'Losses' in lesson 08.",
    )


def _weights_text(weights):
    if weights is None:
        return "None"
    values = ", ".join(f"{float(w):g}" for w in weights)
    kind = type(weights).__name__
    return {"list": f"[{values}]", "tuple": f"({values})"}.get(
        kind, f"array([{values}])"
    )


def _style_call(fn, style, generated, weights):
    style = [s.copy() for s in style]
    generated = [g.copy() for g in generated]
    if weights is None:
        return fn(style, generated)
    if isinstance(weights, np.ndarray):
        weights = weights.copy()
    return fn(style, generated, layer_weights=weights)

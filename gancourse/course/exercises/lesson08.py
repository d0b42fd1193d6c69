"""Checkers of the graded exercises of lesson 08: neural style transfer.

第 08 课（神经风格迁移）分级练习的检查器。
"""

import numpy as np

from gancourse.course.exercises.harness import close_to
from gancourse.course.exercises.harness import f32
from gancourse.course.exercises.harness import run_cases

__all__ = [
    "check_gram_matrix",
    "check_total_variation_loss",
    "check_style_loss",
]


def _gram_reference(features):
    features = np.asarray(features, "float64")
    b, h, w, c = features.shape
    flat = features.reshape(b, h * w, c)
    return np.einsum("bpi,bpj->bij", flat, flat) / (h * w)


def check_gram_matrix(fn):
    """Check ``gram_matrix(features)`` for NHWC feature maps (lesson 08).

    检查 NHWC 特征图的 Gram 矩阵（第 08 课）。

    Expected: (batch, C, C), ``F^T F / (H * W)`` with F the (H*W, C) matrix
    of each image.
    """
    rng = np.random.default_rng(17)
    cases = []
    for description, shape in [
        ("for features of shape (2, 4, 5, 3)", (2, 4, 5, 3)),
        ("for features of shape (1, 3, 3, 6)", (1, 3, 3, 6)),
    ]:
        features = f32(rng.normal(size=shape))
        cases.append(
            (
                description,
                lambda fn, f=features: fn(f),
                close_to(_gram_reference(features)),
            )
        )
    return run_cases(
        "gram_matrix",
        fn,
        cases,
        "reshape to (batch, H*W, C), multiply the transpose by itself "
        "(channels x channels) and divide by H*W; see 'Losses' in lesson 08.",
    )


def _tv_reference(images):
    images = np.asarray(images, "float64")
    dy = images[:, 1:] - images[:, :-1]
    dx = images[:, :, 1:] - images[:, :, :-1]
    return float(np.mean(dy**2) + np.mean(dx**2))


def check_total_variation_loss(fn):
    """Check ``total_variation_loss(images)`` (lesson 08).

    检查全变分损失（第 08 课）。

    Expected: ``mean(dy ** 2) + mean(dx ** 2)`` with dy, dx the differences of
    vertical and horizontal neighbours (the course's squared, averaged
    variant).
    """
    rng = np.random.default_rng(18)
    ramp = f32(np.tile(np.linspace(-1, 1, 6), (2, 5, 1))[..., None])
    cases = []
    for description, images in [
        ("for a constant image", f32(np.full((1, 4, 4, 3), 0.3))),
        ("for a horizontal ramp", ramp),
        ("for random images", f32(rng.uniform(-1, 1, size=(2, 5, 7, 3)))),
    ]:
        cases.append(
            (
                description,
                lambda fn, x=images: fn(x),
                close_to(_tv_reference(images)),
            )
        )
    return run_cases(
        "total_variation_loss",
        fn,
        cases,
        "images[:, 1:] - images[:, :-1] and images[:, :, 1:] - images[:, :, "
        ":-1], squared, each averaged, then added; see 'Losses' in lesson 08.",
    )


def check_style_loss(fn):
    """Check ``style_loss(style_features, generated_features, layer_weights)``.

    检查跨多层的风格损失（第 08 课）。

    Expected: ``sum_l w_l * mean((gram(G_l) - gram(S_l)) ** 2)`` over the
    layers, with ``w_l = 1 / num_layers`` when ``layer_weights`` is None.
    """
    rng = np.random.default_rng(19)
    shapes = [(1, 6, 6, 3), (1, 3, 3, 5)]
    style = [f32(rng.normal(size=s)) for s in shapes]
    generated = [f32(rng.normal(size=s)) for s in shapes]

    def reference(weights):
        if weights is None:
            weights = [1.0 / len(style)] * len(style)
        return sum(
            w * np.mean((_gram_reference(g) - _gram_reference(s)) ** 2)
            for w, s, g in zip(weights, style, generated)
        )

    cases = [
        (
            "with the default layer weights",
            lambda fn: fn(style, generated),
            close_to(reference(None)),
        ),
        (
            "with layer_weights=[1.0, 0.0]",
            lambda fn: fn(style, generated, layer_weights=[1.0, 0.0]),
            close_to(reference([1.0, 0.0])),
        ),
        (
            "with layer_weights=[0.2, 3.0]",
            lambda fn: fn(style, generated, layer_weights=[0.2, 3.0]),
            close_to(reference([0.2, 3.0])),
        ),
        (
            "for generated features equal to the style features",
            lambda fn: fn(style, style),
            close_to(0.0),
        ),
    ]
    return run_cases(
        "style_loss",
        fn,
        cases,
        "compare Gram matrices (not raw features) layer by layer, mean squared "
        "difference, then the weighted sum; see 'Losses' in lesson 08.",
    )

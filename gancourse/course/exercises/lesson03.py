"""Checkers of the graded exercises of lesson 03: conditional GAN.

第 03 课（条件生成对抗网络）分级练习的检查器。
"""

import numpy as np

from gancourse.course.exercises.harness import close_to
from gancourse.course.exercises.harness import f32
from gancourse.course.exercises.harness import run_cases

__all__ = [
    "check_one_hot",
    "check_generator_input",
    "check_projection_logits",
]


def check_one_hot(fn):
    """Check ``one_hot(labels, num_classes)`` (lesson 03).

    检查独热编码（第 03 课）。

    Expected: a float array (N, num_classes) with a single 1 per row.
    """
    cases = []
    for description, labels, k in [
        ("for labels [0, 3, 9]", np.array([0, 3, 9]), 10),
        ("for labels [2, 2, 0, 1] and 3 classes", np.array([2, 2, 0, 1]), 3),
    ]:
        cases.append(
            (
                description,
                lambda fn, labels=labels, k=k: fn(labels, k),
                close_to(np.eye(k)[labels], rtol=0, atol=0),
            )
        )
    return run_cases(
        "one_hot",
        fn,
        cases,
        "np.eye(num_classes)[labels] picks one row per label; see 'Models' "
        "in lesson 03.",
    )


def check_generator_input(fn):
    """Check ``generator_input(z, labels, embedding)`` (lesson 03).

    检查生成器输入：噪声与标签嵌入的拼接（第 03 课）。

    Expected: ``concatenate([z, embedding[labels]], axis=-1)``, noise first.
    """
    rng = np.random.default_rng(5)
    z = f32(rng.normal(size=(4, 6)))
    embedding = f32(rng.normal(size=(10, 3)))
    labels = np.array([1, 7, 7, 0])
    cases = [
        (
            "for 4 latents of size 6 and a (10, 3) embedding",
            lambda fn: fn(z, labels, embedding),
            close_to(np.concatenate([z, embedding[labels]], axis=-1)),
        ),
        (
            "for one latent and label 9",
            lambda fn: fn(z[:1], np.array([9]), embedding),
            close_to(np.concatenate([z[:1], embedding[[9]]], axis=-1)),
        ),
    ]
    return run_cases(
        "generator_input",
        fn,
        cases,
        "look up the rows embedding[labels], then concatenate after z on the "
        "last axis; see 'Models' in lesson 03.",
    )


def check_projection_logits(fn):
    """Check ``projection_logits(features, labels, psi_w, ...)`` (lesson 03).

    检查投影判别器的输出 logit（第 03 课）。

    Expected: ``features @ psi_w + psi_b + sum(class_embedding[labels] *
    features, axis=-1)``, shape (batch,).
    """
    rng = np.random.default_rng(6)
    features = f32(rng.normal(size=(5, 4)))
    psi_w, psi_b = f32(rng.normal(size=4)), np.float32(0.25)
    embedding = f32(rng.normal(size=(3, 4)))
    cases = []
    for description, labels in [
        ("for labels [0, 1, 2, 1, 0]", np.array([0, 1, 2, 1, 0])),
        ("for labels [2, 2, 2, 2, 2]", np.array([2, 2, 2, 2, 2])),
    ]:
        expected = (
            features @ psi_w.astype("float64")
            + psi_b
            + np.sum(embedding[labels] * features, axis=-1)
        )
        cases.append(
            (
                description,
                lambda fn, labels=labels: fn(
                    features, labels, psi_w, psi_b, embedding
                ),
                close_to(expected),
            )
        )
    return run_cases(
        "projection_logits",
        fn,
        cases,
        "two terms: the unconditional psi(phi(x)) = features @ psi_w + psi_b, "
        "and the inner product <E[y], phi(x)>; see 'Projection discriminator "
        "(teaching version)' in lesson 03.",
    )

"""Checkers of the graded exercises of lesson 04: training stability.

第 04 课（训练稳定性）分级练习的检查器。
"""

import numpy as np

from gancourse.course.exercises.harness import close_to
from gancourse.course.exercises.harness import f32
from gancourse.course.exercises.harness import run_cases

__all__ = [
    "check_hinge_d_loss",
    "check_gradient_penalty",
    "check_spectral_norm",
]


def check_hinge_d_loss(fn):
    """Check ``hinge_d_loss(real_logits, fake_logits)`` (lesson 04).

    检查判别器的 hinge 损失（第 04 课）。

    Expected: ``mean(relu(1 - real)) + mean(relu(1 + fake))``.
    """
    rng = np.random.default_rng(7)
    cases = []
    for description, r, f in [
        (
            "on random logits",
            f32(rng.normal(size=7)),
            f32(rng.normal(size=5)),
        ),
        ("on zero logits", f32(np.zeros(2)), f32(np.zeros(2))),
        ("beyond the margin", f32([2.0, 3.0]), f32([-2.0, -1.5])),
    ]:
        expected = np.maximum(0, 1 - r).mean() + np.maximum(0, 1 + f).mean()
        cases.append(
            (description, lambda fn, r=r, f=f: fn(r, f), close_to(expected))
        )
    return run_cases(
        "hinge_d_loss",
        fn,
        cases,
        "real logits are pushed above +1 and fake logits below -1, with zero "
        "loss beyond the margin; see 'Stabilisers' in lesson 04.",
    )


def check_gradient_penalty(fn):
    """Check ``gradient_penalty(critic, real, fake, alpha)`` (lesson 04).

    检查 WGAN-GP 的梯度惩罚（第 04 课）。

    Expected: ``mean((||grad critic(x_hat)||_2 - 1) ** 2)`` with
    ``x_hat = alpha * real + (1 - alpha) * fake``; inputs are float32
    ``tf.Tensor`` objects of shape (batch, features) or (batch, H, W, C),
    ``alpha`` (batch, 1) or (batch, 1, 1, 1); the norm runs over all axes
    except the batch axis.
    """
    import tensorflow as tf

    rng = np.random.default_rng(8)
    real, fake = f32(rng.normal(size=(4, 3))), f32(rng.normal(size=(4, 3)))
    alpha = f32(rng.uniform(size=(4, 1)))
    w = f32([[2.0], [-2.0], [1.0]])  # ||w|| = 3.

    def linear(x):
        return tf.matmul(x, tf.constant(w)) + 0.5

    def quadratic(x):
        return tf.reduce_sum(x**2, axis=1, keepdims=True)

    def quadratic_reference(a):
        x_hat = a * real + (1 - a) * fake
        return np.mean((np.linalg.norm(2 * x_hat, axis=1) - 1) ** 2)

    images_real = f32(rng.normal(size=(3, 2, 2, 1)))
    images_fake = f32(rng.normal(size=(3, 2, 2, 1)))
    images_alpha = f32(rng.uniform(size=(3, 1, 1, 1)))
    images_hat = images_alpha * images_real + (1 - images_alpha) * images_fake
    images_norm = np.linalg.norm(2 * images_hat.reshape(3, -1), axis=1)

    def image_critic(x):
        return tf.reduce_sum(x**2, axis=[1, 2, 3])

    cases = [
        (
            "for image batches (3, 2, 2, 1) and the critic sum(x**2)",
            lambda fn: fn(
                image_critic,
                tf.constant(images_real),
                tf.constant(images_fake),
                tf.constant(images_alpha),
            ),
            close_to(np.mean((images_norm - 1) ** 2), rtol=1e-3, atol=1e-4),
        )
    ]
    for description, critic, a, expected in [
        ("for a linear critic with ||w|| = 3", linear, alpha, 4.0),
        (
            "for the critic sum(x**2)",
            quadratic,
            alpha,
            quadratic_reference(alpha),
        ),
        (
            "for sum(x**2) with alpha = 1 (real samples only)",
            quadratic,
            np.ones_like(alpha),
            quadratic_reference(np.ones_like(alpha)),
        ),
    ]:
        cases.append(
            (
                description,
                lambda fn, c=critic, a=a: fn(
                    c, tf.constant(real), tf.constant(fake), tf.constant(a)
                ),
                close_to(expected, rtol=1e-3, atol=1e-4),
            )
        )
    return run_cases(
        "gradient_penalty",
        fn,
        cases,
        "watch x_hat in a tf.GradientTape, take the gradient of critic(x_hat) "
        "with respect to x_hat, its L2 norm per sample (over all non-batch "
        "axes), then mean((norm - 1)**2);"
        " see 'Stabilisers' in lesson 04.",
    )


def _power_iteration(w, u, num_iterations):
    w, u = np.asarray(w, "float64"), np.asarray(u, "float64")
    for _ in range(num_iterations):
        v = w.T @ u
        v = v / np.linalg.norm(v)
        u = w @ v
        u = u / np.linalg.norm(u)
    return float(u @ w @ v)


def check_spectral_norm(fn):
    """Check ``spectral_norm(w, u, num_iterations)`` by power iteration.

    检查用幂迭代估计最大奇异值（谱范数，第 04 课）。

    Expected: repeat ``v = W^T u / ||W^T u||; u = W v / ||W v||`` and return
    ``sigma = u^T W v``; after many iterations it equals the largest singular
    value.
    """
    rng = np.random.default_rng(9)
    w = f32(rng.normal(size=(5, 3)))
    u = f32(rng.normal(size=5))
    largest = float(np.linalg.svd(w.astype("float64"), compute_uv=False)[0])
    diagonal = f32(np.diag([3.0, 1.0, 0.5]))
    cases = [
        (
            "after 1 iteration",
            lambda fn: fn(w, u, 1),
            close_to(_power_iteration(w, u, 1), rtol=1e-4),
        ),
        (
            "after 3 iterations",
            lambda fn: fn(w, u, 3),
            close_to(_power_iteration(w, u, 3), rtol=1e-4),
        ),
        (
            "after 100 iterations (the largest singular value)",
            lambda fn: fn(w, u, 100),
            close_to(largest, rtol=1e-4),
        ),
        (
            "for diag(3, 1, 0.5) after 50 iterations",
            lambda fn: fn(diagonal, f32([1.0, 1.0, 1.0]), 50),
            close_to(3.0, rtol=1e-4),
        ),
    ]
    return run_cases(
        "spectral_norm",
        fn,
        cases,
        "alternate v = W^T u and u = W v, normalising each, then sigma = "
        "u^T W v (not the Frobenius norm); see 'Spectral normalisation' in "
        "lesson 04.",
    )

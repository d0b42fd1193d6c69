"""Latent-space helpers: fixed noise and interpolation between codes.

潜在空间工具：固定噪声与潜在向量之间的插值。
"""

import numpy as np

from gancourse import runtime


def fixed_noise(num_images, latent_dim, seed=0):
    """Standard normal noise from a NumPy seed, the same on every call.

    由 NumPy 种子生成的标准正态噪声：同一种子每次都相同（用于样本网格）。

    Args:
        num_images: rows.
        latent_dim: columns.
        seed: int seed of ``numpy.random.default_rng``.

    Returns:
        float32 array (num_images, latent_dim).

    Example:
        >>> fixed_noise(2, 3, seed=0).shape
        (2, 3)
        >>> bool((fixed_noise(2, 3) == fixed_noise(2, 3)).all())
        True
    """
    num_images = runtime.check_int("num_images", num_images, minimum=1)
    latent_dim = runtime.check_int("latent_dim", latent_dim, minimum=1)
    rng = np.random.default_rng(seed)
    return rng.standard_normal((num_images, latent_dim)).astype("float32")


def interpolate_latent(z_start, z_end, num_steps=8, spherical=True):
    """Points between two latent vectors (slerp by default).

    在两个潜在向量之间插值（默认球面线性插值 slerp）。

    White, 2016 (https://arxiv.org/abs/1609.04468) recommends slerp for
    Gaussian latents: linear paths pass through low-norm, unlikely z.

    Returns:
        float32 array (num_steps, latent_dim).
    """
    z_start = np.asarray(z_start, dtype="float64").ravel()
    z_end = np.asarray(z_end, dtype="float64").ravel()
    if z_start.shape != z_end.shape:
        raise ValueError(
            "`z_start` and `z_end` must have the same size. Received: "
            f"{z_start.shape} and {z_end.shape}"
        )
    num_steps = runtime.check_int(
        "num_steps", num_steps, minimum=2, reason="(both end points)"
    )
    t = np.linspace(0.0, 1.0, num_steps)[:, None]
    norms = np.linalg.norm(z_start) * np.linalg.norm(z_end)
    if not spherical or norms == 0:
        return ((1 - t) * z_start + t * z_end).astype("float32")
    cos = np.dot(z_start, z_end) / norms
    omega = np.arccos(np.clip(cos, -1.0, 1.0))
    if np.pi - omega < 1e-6:
        # 相反的向量之间有无数条大圆弧 / Opposite vectors lie on infinitely
        # many great circles: slerp is undefined.
        raise ValueError(
            "`z_start` and `z_end` must not point in opposite directions for "
            "spherical interpolation (every great circle joins them). "
            f"Received: vectors at an angle of {np.degrees(omega):.4f} "
            "degrees; pass spherical=False or perturb one of them"
        )
    if omega < 1e-6:
        return ((1 - t) * z_start + t * z_end).astype("float32")
    path = (
        np.sin((1 - t) * omega) * z_start + np.sin(t * omega) * z_end
    ) / np.sin(omega)
    return path.astype("float32")

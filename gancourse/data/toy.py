"""Two-dimensional toy data: a ring of Gaussians (lessons 01 and 04).

二维玩具数据：圆环上的高斯混合分布（第 01、04 课）。

Mode coverage on this data is measured by ``gancourse.metrics.modes``.
"""

import numpy as np

from gancourse import runtime


def ring_centers(num_modes=8, radius=2.0):
    """Centres of ``num_modes`` Gaussians evenly spaced on a circle (float32).

    均匀分布在圆上的各高斯分量中心。
    """
    num_modes = runtime.check_int("num_modes", num_modes, minimum=1)
    angles = 2.0 * np.pi * np.arange(num_modes) / num_modes
    centers = radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    return centers.astype("float32")


def make_ring_data(
    num_samples=10_000, num_modes=8, radius=2.0, std=0.05, seed=0
):
    """Sample a 2-D mixture of Gaussians on a ring (the classic toy GAN data).

    在圆环上采样二维高斯混合分布（经典的 GAN 玩具数据）。

    Args:
        num_samples: number of points.
        num_modes: number of Gaussians, evenly spaced on the circle.
        radius: circle radius.
        std: standard deviation of every Gaussian.
        seed: NumPy seed.

    Returns:
        float32 array of shape (num_samples, 2).
    """
    num_samples = runtime.check_int("num_samples", num_samples, minimum=1)
    rng = np.random.default_rng(seed)
    centers = ring_centers(num_modes, radius)
    which = rng.integers(0, num_modes, size=num_samples)
    points = centers[which] + std * rng.standard_normal((num_samples, 2))
    return points.astype("float32")

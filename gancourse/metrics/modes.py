"""Mode coverage on the 2-D ring of Gaussians (lessons 01 and 04).

圆环高斯混合数据上的模式覆盖率（第 01、04 课）。
"""

import numpy as np

from gancourse.data.toy import ring_centers


def ring_mode_shares(samples, num_modes=8, radius=2.0, std=0.05):
    """Fraction of samples within 3 standard deviations of each ring mode.

    每个模式附近（3 个标准差以内）的样本比例。

    Returns:
        float64 array (num_modes,); its sum is the high-quality fraction.
    """
    samples = np.asarray(samples, dtype="float64")
    if samples.ndim != 2 or samples.shape[1] != 2:
        raise ValueError(
            "`samples` must have shape (N, 2). "
            f"Received: samples.shape={samples.shape}"
        )
    centers = ring_centers(num_modes, radius).astype("float64")
    distances = np.linalg.norm(samples[:, None, :] - centers[None], axis=-1)
    close = distances.min(axis=1) < 3.0 * std
    nearest = distances.argmin(axis=1)[close]
    return np.bincount(nearest, minlength=num_modes) / len(samples)


def ring_mode_coverage(
    samples, num_modes=8, radius=2.0, std=0.05, min_fraction=0.01
):
    """Measure how many ring modes a set of 2-D samples covers.

    统计二维样本覆盖了圆环上的多少个模式。

    A sample is "high quality" if it lies within 3 standard deviations of a
    centre; a mode counts as covered if at least ``min_fraction`` of all
    samples fall near it (the measure of Srivastava et al., VEEGAN, 2017).

    Returns:
        (modes_covered, high_quality_fraction): int and float.
    """
    shares = ring_mode_shares(samples, num_modes, radius, std)
    return int((shares >= min_fraction).sum()), float(shares.sum())

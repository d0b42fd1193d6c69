"""Metric math on feature arrays: FID, KID, IS, diversity, precision/recall.

特征上的指标计算：FID、KID、Inception 分数、多样性与精确率/召回率。

Everything here works on NumPy feature arrays in float64 and knows nothing
about networks (the feature extractors are in ``encoders``). Numbers
computed with different extractors, image sizes or sample sizes are not
comparable. NumPy only: no TensorFlow import.
"""

import numpy as np

from gancourse import runtime


def _as_features(name, features):
    """Return ``features`` as a float64 (N, D) array, or raise ValueError."""
    array = np.asarray(features, dtype="float64")
    if array.ndim != 2:
        raise ValueError(
            f"`{name}` must be a rank-2 array of shape (num_samples, "
            f"feature_dim). Received: {name}.shape={array.shape}"
        )
    if array.shape[0] < 2:
        raise ValueError(
            f"`{name}` must hold at least 2 samples to estimate a "
            f"covariance. Received: {name}.shape={array.shape}"
        )
    if not np.all(np.isfinite(array)):
        raise ValueError(
            f"`{name}` must be finite. Received: {name} with NaN or inf"
        )
    return array


def _as_feature_pair(features_a, features_b):
    features_a = _as_features("features_a", features_a)
    features_b = _as_features("features_b", features_b)
    if features_a.shape[1] != features_b.shape[1]:
        raise ValueError(
            "`features_a` and `features_b` must have the same feature "
            f"dimension. Received: features_a.shape={features_a.shape} and "
            f"features_b.shape={features_b.shape}"
        )
    return features_a, features_b


# -- metric math on features ------------------------------------------------
def gaussian_statistics(features):
    """Mean and unbiased covariance of a feature array (float64).

    特征的均值与无偏协方差（float64）。

    Args:
        features: array (N, D) with N > 1.

    Returns:
        (mean, covariance): arrays of shape (D,) and (D, D).

    Raises:
        ValueError: if ``features`` is not rank 2 with N > 1.
    """
    features = _as_features("features", features)
    return features.mean(axis=0), np.cov(features, rowvar=False, ddof=1)


def _sqrtm_psd(matrix):
    """Symmetric square root of a symmetric PSD matrix (eigenvalues >= 0)."""
    eigenvalues, eigenvectors = np.linalg.eigh((matrix + matrix.T) / 2.0)
    eigenvalues = np.clip(eigenvalues, 0.0, None)
    return (eigenvectors * np.sqrt(eigenvalues)) @ eigenvectors.T


def frechet_distance_from_statistics(mean_a, cov_a, mean_b, cov_b):
    """Fréchet distance between two Gaussians N(mean_a, cov_a), N(mean_b, ...).

    两个高斯分布之间的 Fréchet 距离。

    Uses the symmetric form tr sqrt(cov_a cov_b) = tr sqrt(S cov_b S) with
    S = sqrt(cov_a): the matrix inside is symmetric PSD, so its eigenvalues
    are real and non-negative, and no complex parts or ``eps`` retries are
    needed (unlike ``scipy.linalg.sqrtm(cov_a @ cov_b)``).

    Returns:
        float: ||mean_a - mean_b||^2 + tr(cov_a + cov_b - 2 sqrt(cov_a cov_b)).
    """
    mean_a = np.asarray(mean_a, dtype="float64")
    mean_b = np.asarray(mean_b, dtype="float64")
    cov_a = np.atleast_2d(np.asarray(cov_a, dtype="float64"))
    cov_b = np.atleast_2d(np.asarray(cov_b, dtype="float64"))
    if (
        mean_a.shape != mean_b.shape
        or mean_a.ndim != 1
        or cov_a.shape != (mean_a.size, mean_a.size)
        or cov_b.shape != cov_a.shape
    ):
        raise ValueError(
            "The means must be vectors of size D and the covariances (D, D) "
            f"matrices. Received: mean shapes {mean_a.shape}, {mean_b.shape} "
            f"and covariance shapes {cov_a.shape}, {cov_b.shape}"
        )
    root_a = _sqrtm_psd(cov_a)
    inner = root_a @ cov_b @ root_a
    eigenvalues = np.linalg.eigvalsh((inner + inner.T) / 2.0)
    trace_sqrt = np.sqrt(np.clip(eigenvalues, 0.0, None)).sum()
    diff = mean_a - mean_b
    value = diff @ diff + np.trace(cov_a) + np.trace(cov_b) - 2 * trace_sqrt
    # 舍入误差可能给出极小的负数 / Rounding can give a tiny negative value.
    return float(max(value, 0.0))


def frechet_distance(features_a, features_b):
    """Fréchet distance between Gaussians fitted to two feature sets (FID).

    两组特征各拟合一个高斯分布后的 Fréchet 距离（即 FID 的核心计算）。

    Heusel et al., 2017, https://arxiv.org/abs/1706.08500. With features of
    InceptionV3's pool layer this is the FID; with another extractor it is a
    "Fréchet distance in that feature space" and is not comparable with
    published FIDs.

        mu_a, C_a = mean(features_a), cov(features_a)   # unbiased, N - 1
        mu_b, C_b = mean(features_b), cov(features_b)
        FD = ||mu_a - mu_b||^2 + tr(C_a + C_b - 2 * sqrtm(C_a @ C_b))

    Warning: the estimate is biased upwards at small N and the bias depends
    on N (Chong & Forsyth, 2020, https://arxiv.org/abs/1911.07023): two
    samples of the SAME distribution give FD > 0, more so when N is small.
    Only compare FIDs computed with the same N (and the same extractor);
    papers use N = 10,000 or 50,000. KID (``kid``) is unbiased.

    Args:
        features_a: array (N_a, D), N_a > 1.
        features_b: array (N_b, D), N_b > 1, same D.

    Returns:
        float >= 0 (symmetric in its arguments).

    Raises:
        ValueError: for non rank-2 inputs, different D, N < 2 or non-finite
            values.

    Example:
        >>> x = np.random.default_rng(0).normal(size=(500, 4))
        >>> round(frechet_distance(x, x), 6)
        0.0
        >>> round(frechet_distance(x, x + 1.0), 6)
        4.0
    """
    features_a, features_b = _as_feature_pair(features_a, features_b)
    return frechet_distance_from_statistics(
        *gaussian_statistics(features_a), *gaussian_statistics(features_b)
    )


def polynomial_kernel(features_a, features_b):
    """Cubic polynomial kernel k(x, y) = (x . y / d + 1)^3 of KID.

    KID 使用的三次多项式核 k(x, y) = (x·y/d + 1)^3。

    Returns:
        array (N_a, N_b) of kernel values (float64).
    """
    features_a = np.asarray(features_a, dtype="float64")
    features_b = np.asarray(features_b, dtype="float64")
    dim = features_a.shape[1]
    return (features_a @ features_b.T / dim + 1.0) ** 3


def _unbiased_mmd2(features_a, features_b):
    """Unbiased MMD^2 of two equal-size samples with the cubic kernel."""
    m = features_a.shape[0]
    k_aa = polynomial_kernel(features_a, features_a)
    k_bb = polynomial_kernel(features_b, features_b)
    k_ab = polynomial_kernel(features_a, features_b)
    sum_aa = (k_aa.sum() - np.trace(k_aa)) / (m * (m - 1))
    sum_bb = (k_bb.sum() - np.trace(k_bb)) / (m * (m - 1))
    return sum_aa + sum_bb - 2.0 * k_ab.mean()


def kid(features_a, features_b, num_subsets=100, subset_size=1000, seed=0):
    """Kernel Inception Distance: unbiased MMD^2 averaged over subsets.

    核 Inception 距离（KID）：多个子集上无偏 MMD^2 的平均值。

    Binkowski et al., 2018, https://arxiv.org/abs/1801.01401.

        k(x, y) = (x . y / d + 1)^3
        for each of num_subsets random subsets (m = subset_size, no
        replacement) of a and b:
            MMD2 = sum_{i != j} k(a_i, a_j) / (m (m - 1))
                 + sum_{i != j} k(b_i, b_j) / (m (m - 1))
                 - 2 * mean_{i, j} k(a_i, b_j)
        KID = mean(MMD2), spread = std(MMD2)

    Unlike FID the estimate is unbiased: for two samples of the same
    distribution its expectation is 0 at any N (single values can be
    slightly negative). It is often reported x 1000.

    Args:
        features_a: array (N_a, D), N_a > 1.
        features_b: array (N_b, D), N_b > 1, same D.
        num_subsets: positive int, number of random subsets.
        subset_size: positive int; capped at min(N_a, N_b).
        seed: int, NumPy seed of the subset draws.

    Returns:
        (mean, std): floats, the KID estimate and its spread over subsets.

    Raises:
        ValueError: for bad feature arrays (see ``frechet_distance``).
    """
    features_a, features_b = _as_feature_pair(features_a, features_b)
    num_subsets = runtime.check_int("num_subsets", num_subsets, minimum=1)
    subset_size = runtime.check_int("subset_size", subset_size, minimum=1)
    m = max(2, min(subset_size, len(features_a), len(features_b)))
    rng = np.random.default_rng(seed)
    values = np.empty(num_subsets)
    for index in range(num_subsets):
        subset_a = features_a[rng.choice(len(features_a), m, replace=False)]
        subset_b = features_b[rng.choice(len(features_b), m, replace=False)]
        values[index] = _unbiased_mmd2(subset_a, subset_b)
    return float(values.mean()), float(values.std())


def inception_score(probabilities, num_splits=10):
    """Inception Score exp(E_x KL(p(y|x) || p(y))), mean and std over splits.

    Inception 分数：exp(E_x KL(p(y|x) || p(y)))，在各分组上的均值与标准差。

    Salimans et al., 2016, https://arxiv.org/abs/1606.03498.

        for each split of the N rows:
            p_y = mean over rows of p(y|x)
            IS_split = exp(mean_x sum_y p(y|x) (log p(y|x) - log p_y))

    High when every image is classified confidently (sharp p(y|x)) AND the
    classes are used evenly (flat p(y)). It ranges from 1 to the number of
    classes C, ignores the real data entirely, and cannot see diversity
    within a class.

    Args:
        probabilities: array (N, C) of class probabilities (rows sum to 1).
        num_splits: positive int, at most N.

    Returns:
        (mean, std): floats.

    Raises:
        ValueError: if ``probabilities`` is not rank 2, has negative values or
            rows that do not sum to 1, or ``num_splits`` > N.
    """
    probabilities = np.asarray(probabilities, dtype="float64")
    num_splits = runtime.check_int("num_splits", num_splits, minimum=1)
    if probabilities.ndim != 2:
        raise ValueError(
            "`probabilities` must be a rank-2 array (num_samples, "
            f"num_classes). Received: probabilities.shape="
            f"{probabilities.shape}"
        )
    if np.any(probabilities < 0) or not np.allclose(
        probabilities.sum(axis=1), 1.0, atol=1e-3
    ):
        raise ValueError(
            "`probabilities` must be non-negative with rows summing to 1 "
            "(apply a softmax to logits first). Received: row sums in "
            f"[{probabilities.sum(axis=1).min():.4f}, "
            f"{probabilities.sum(axis=1).max():.4f}]"
        )
    if num_splits > len(probabilities):
        raise ValueError(
            "`num_splits` must be at most the number of samples "
            f"({len(probabilities)}). Received: num_splits={num_splits}"
        )
    scores = []
    for part in np.array_split(probabilities, num_splits):
        marginal = part.mean(axis=0, keepdims=True)
        # 0 * log 0 记为 0 / Treat 0 * log 0 as 0.
        with np.errstate(divide="ignore", invalid="ignore"):
            terms = part * (np.log(part) - np.log(marginal))
        kl = np.where(part > 0, terms, 0.0).sum(axis=1)
        scores.append(np.exp(kl.mean()))
    return float(np.mean(scores)), float(np.std(scores))


def _pairwise_distances(features_a, features_b):
    """Euclidean distances (N_a, N_b) in float64, clipped at 0."""
    squared = (
        (features_a**2).sum(axis=1)[:, None]
        + (features_b**2).sum(axis=1)[None, :]
        - 2.0 * features_a @ features_b.T
    )
    return np.sqrt(np.clip(squared, 0.0, None))


def mean_pairwise_distance(features, max_samples=2000, seed=0):
    """Average Euclidean distance between distinct samples (a diversity score).

    不同样本之间的平均欧氏距离（多样性指标）。

    A collapsed generator (the same image again and again) scores near 0.
    Compare it with the value of real data in the same feature space.

        MPD = mean_{i != j} ||f_i - f_j||

    Args:
        features: array (N, D), N > 1.
        max_samples: positive int; a random subset of this size is used
            when N is larger (the cost is quadratic).
        seed: int, NumPy seed of that subset.

    Returns:
        float.

    Raises:
        ValueError: for a non rank-2 array or N < 2.
    """
    features = _as_features("features", features)
    max_samples = runtime.check_int("max_samples", max_samples, minimum=1)
    if len(features) > max_samples:
        rng = np.random.default_rng(seed)
        features = features[rng.choice(len(features), max_samples, False)]
    n = len(features)
    distances = _pairwise_distances(features, features)
    return float((distances.sum() - np.trace(distances)) / (n * (n - 1)))


def _kth_neighbour_radii(features, k, chunk=1000):
    """Distance of each sample to its k-th nearest neighbour (not itself)."""
    radii = np.empty(len(features))
    for start in range(0, len(features), chunk):
        block = _pairwise_distances(features[start : start + chunk], features)
        # 排序后第 0 个是自身 / Sorted index 0 is the sample itself.
        radii[start : start + chunk] = np.partition(block, k, axis=1)[:, k]
    return radii


def _inside_manifold(reference, radii, queries, chunk=1000):
    """For each query: is it inside any reference hypersphere?"""
    inside = np.empty(len(queries), dtype=bool)
    for start in range(0, len(queries), chunk):
        block = _pairwise_distances(queries[start : start + chunk], reference)
        inside[start : start + chunk] = np.any(block <= radii[None, :], axis=1)
    return inside


def precision_recall(real_features, fake_features, k=3):
    """Improved precision and recall with k-NN hyperspheres.

    基于 k 近邻超球的改进精确率与召回率。

    Kynkaanniemi et al., 2019, https://arxiv.org/abs/1904.06991.

        r_i = distance from real_i to its k-th nearest real neighbour
        precision = mean_j [ exists i: ||fake_j - real_i|| <= r_i ]
        recall    = mean_i [ exists j: ||real_i - fake_j|| <= s_j ]
        (s_j: the same radius computed inside the fake set)

    Precision measures quality (are fakes on the real manifold?), recall
    measures coverage (is every part of the real data produced?). A
    mode-collapsed GAN can have high precision but low recall.

    Args:
        real_features: array (N_r, D), N_r > k.
        fake_features: array (N_f, D), N_f > k, same D.
        k: positive int, the neighbour used for the radii (paper: 3).

    Returns:
        (precision, recall): floats in [0, 1].

    Raises:
        ValueError: for bad feature arrays or a set with at most k samples.
    """
    real, fake = _as_feature_pair(real_features, fake_features)
    k = runtime.check_int("k", k, minimum=1)
    if min(len(real), len(fake)) <= k:
        raise ValueError(
            "Both feature sets must hold more than k samples. Received: "
            f"k={k}, {len(real)} real and {len(fake)} fake samples"
        )
    real_radii = _kth_neighbour_radii(real, k)
    fake_radii = _kth_neighbour_radii(fake, k)
    precision = _inside_manifold(real, real_radii, fake).mean()
    recall = _inside_manifold(fake, fake_radii, real).mean()
    return float(precision), float(recall)

"""Evaluation metrics of generative models: FID, KID, IS, precision/recall.

生成模型的评估指标：FID、KID、IS、精确率/召回率与多样性。

The metric math (``frechet_distance``, ``kid``, ``inception_score``,
``precision_recall``, ``mean_pairwise_distance``) works on feature arrays in
float64 NumPy/SciPy and knows nothing about networks. The feature extractor
is separate (``make_feature_encoder``): the ImageNet InceptionV3 of the
papers when its weights are available, or, offline and by default for 28x28
images, a small Fashion-MNIST classifier shipped with the package
(``gancourse/assets/fashion_mnist_classifier.keras``, trained by
``tools/train_feature_classifier.py``). Numbers computed with different
extractors, image sizes or sample sizes are not comparable.
"""

import hashlib
import json
from pathlib import Path

import keras
import numpy as np
from keras import layers

from gancourse import runtime

ASSETS_DIR = Path(__file__).resolve().parent / "assets"
CLASSIFIER_PATH = ASSETS_DIR / "fashion_mnist_classifier.keras"
CLASSIFIER_INFO_PATH = ASSETS_DIR / "fashion_mnist_classifier.json"
FEATURE_LAYER = "features"
PROBABILITY_LAYER = "probabilities"
ENCODER_KINDS = ("fashion_mnist", "inception_v3")
# 快速模式下 FIDCallback 的样本上限 / Sample cap of FIDCallback in fast mode.
FAST_NUM_IMAGES = 256

_INCEPTION_HELP = (
    "Could not build InceptionV3 with weights={weights!r} ({reason}). The "
    "ImageNet weights (about 90 MB) are downloaded by Keras on first use, "
    "which needs internet access; once downloaded they are cached under "
    "~/.keras/models. Offline, use make_feature_encoder('fashion_mnist') "
    "(the default for 28x28 images) and do not compare its numbers with "
    "published FIDs. / 无法构建 InceptionV3（需要联网下载 ImageNet 权重）。"
    "离线时请使用 make_feature_encoder('fashion_mnist')，其数值不能与论文中"
    "的 FID 比较。"
)


# -- input checks ----------------------------------------------------------
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


def _check_images(name, images):
    if images.ndim != 4:
        raise ValueError(
            f"`{name}` must be a rank-4 NHWC batch of images in [-1, 1]. "
            f"Received: {name}.shape={images.shape}"
        )


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
    """Frechet distance between two Gaussians N(mean_a, cov_a), N(mean_b, ...).

    两个高斯分布之间的 Frechet 距离。

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
    """Frechet distance between Gaussians fitted to two feature sets (FID).

    两组特征各拟合一个高斯分布后的 Frechet 距离（即 FID 的核心计算）。

    Heusel et al., 2017, https://arxiv.org/abs/1706.08500. With features of
    InceptionV3's pool layer this is the FID; with another extractor it is a
    "Frechet distance in that feature space" and is not comparable with
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
    num_subsets = runtime._positive_int("num_subsets", num_subsets)
    subset_size = runtime._positive_int("subset_size", subset_size)
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
    num_splits = runtime._positive_int("num_splits", num_splits)
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
    max_samples = runtime._positive_int("max_samples", max_samples)
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
    k = runtime._positive_int("k", k)
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


# -- feature extractors -----------------------------------------------------
def make_fashion_mnist_classifier(num_classes=10, name="fashion_classifier"):
    """The small CNN used as the default feature extractor for 28x28 images.

    作为 28x28 图像默认特征提取器的小型卷积分类网络。

    Conv(32) -> pool -> Conv(64) -> pool -> Conv(128) -> global average pool
    -> Dense(128, relu, name="features") -> Dense(num_classes, softmax,
    name="probabilities"). About 157k parameters (a 0.66 MB file).

    Args:
        num_classes: number of classes.
        name: model name.

    Returns:
        keras.Model mapping (batch, 28, 28, 1) images in [-1, 1] to class
        probabilities.
    """
    num_classes = runtime._positive_int("num_classes", num_classes)
    inputs = keras.Input(shape=(28, 28, 1), name="images")
    x = inputs
    for filters in (32, 64):
        x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
        x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
        x = layers.MaxPooling2D()(x)
    x = layers.Conv2D(128, 3, padding="same", activation="relu")(x)
    x = layers.GlobalAveragePooling2D()(x)
    x = layers.Dropout(0.3)(x)
    x = layers.Dense(128, activation="relu", name=FEATURE_LAYER)(x)
    outputs = layers.Dense(
        num_classes, activation="softmax", name=PROBABILITY_LAYER
    )(x)
    return keras.Model(inputs, outputs, name=name)


def classifier_info(path=None):
    """The JSON record stored next to the shipped classifier (a dict).

    与随包分类器一起保存的 JSON 记录（字典）。
    """
    path = CLASSIFIER_INFO_PATH if path is None else Path(path)
    return json.loads(Path(path).read_text(encoding="utf-8"))


def file_sha256(path):
    """SHA-256 hex digest of a file (read in 1 MiB blocks).

    计算文件的 SHA-256 十六进制摘要。
    """
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_feature_classifier(path=None, sha256=None):
    """Load the shipped Fashion-MNIST classifier (hash-checked, safe mode).

    以安全模式加载随包提供的 Fashion-MNIST 分类器（先校验 SHA-256）。

    The file's SHA-256 is compared with ``sha256``, or else with the
    ``sha256`` field of the JSON record next to it (written by
    ``tools/train_feature_classifier.py``), before Keras reads it; then it
    is loaded with ``safe_mode=True`` (no Python code from the file runs).

    Args:
        path: optional ``.keras`` file; default: the package asset.
        sha256: optional expected hex digest (overrides the JSON record).

    Returns:
        keras.Model mapping (batch, 28, 28, 1) images in [-1, 1] to class
        probabilities.

    Raises:
        FileNotFoundError: if the file is missing (run
            ``tools/train_feature_classifier.py``).
        ValueError: if the file's SHA-256 differs from the recorded one.
    """
    path = CLASSIFIER_PATH if path is None else Path(path)
    if not Path(path).is_file():
        raise FileNotFoundError(
            f"No feature classifier at {path}. Train it with "
            "`python tools/train_feature_classifier.py`. / 找不到特征分类器，"
            "请先运行 tools/train_feature_classifier.py。"
        )
    expected = sha256
    record = Path(path).with_suffix(".json")
    if expected is None and record.is_file():
        expected = classifier_info(record).get("sha256")
    if expected is not None:
        received = file_sha256(path)
        if received != str(expected).lower():
            raise ValueError(
                f"The classifier file {path} failed its integrity check: "
                f"expected SHA-256 {expected}. Received: {received}. "
                "Re-install the package or re-run "
                "tools/train_feature_classifier.py. / 分类器文件校验失败。"
            )
    return keras.saving.load_model(path, safe_mode=True, compile=False)


def _inception_encoder(image_shape, weights):
    height, width, channels = (int(v) for v in image_shape)
    if channels not in (1, 3):
        raise ValueError(
            "`image_shape` must have 1 or 3 channels for InceptionV3. "
            f"Received: image_shape={tuple(image_shape)}"
        )
    try:
        backbone = keras.applications.InceptionV3(
            weights=weights,
            include_top=False,
            pooling="avg",
            input_shape=(299, 299, 3),
        )
    except Exception as error:  # Download or file errors.
        raise RuntimeError(
            _INCEPTION_HELP.format(
                weights=weights, reason=f"{type(error).__name__}: {error}"
            )
        ) from error
    inputs = keras.Input(shape=(height, width, channels), name="images")
    # 双线性放大到 299，灰度复制为 RGB；[-1, 1] 正是 InceptionV3 的输入范围。
    # Resize to 299 and grey -> RGB; [-1, 1] is already InceptionV3's range.
    x = layers.Resizing(299, 299, interpolation="bilinear")(inputs)
    if channels == 1:
        x = layers.Concatenate(axis=-1)([x, x, x])
    outputs = backbone(x)
    return keras.Model(inputs, outputs, name="inception_v3_encoder")


def make_feature_encoder(
    kind="fashion_mnist",
    image_shape=(28, 28, 1),
    weights="imagenet",
    path=None,
    include_probabilities=False,
):
    """Build the network that maps images to FID/KID features.

    构建把图像映射为 FID/KID 特征的网络。

    - ``"fashion_mnist"`` (default, works offline): the shipped classifier's
      128-d ``features`` layer (penultimate). 28x28x1 images only.
    - ``"inception_v3"``: ``keras.applications.InceptionV3(weights=...,
      include_top=False, pooling="avg")`` on images resized to 299x299 and
      repeated to RGB, giving the 2048-d features of the FID papers. The
      ImageNet weights need a download (internet) on first use.

    Args:
        kind: "fashion_mnist" or "inception_v3".
        image_shape: (height, width, channels) of the images.
        weights: InceptionV3 weights, "imagenet", None (random, for tests)
            or a file path. Ignored for "fashion_mnist".
        path: optional classifier file for "fashion_mnist".
        include_probabilities: "fashion_mnist" only; if True the model
            returns [features, probabilities] (probabilities feed
            ``inception_score``).

    Returns:
        keras.Model: images in [-1, 1] -> features (batch, D).

    Raises:
        ValueError: for an unknown ``kind`` or an unsupported
            ``image_shape``.
        RuntimeError: if the InceptionV3 weights cannot be loaded (the
            message explains the offline fallback).
    """
    if kind not in ENCODER_KINDS:
        raise ValueError(
            f"`kind` must be one of {ENCODER_KINDS}. Received: kind={kind!r}"
        )
    image_shape = tuple(image_shape)
    if len(image_shape) != 3:
        raise ValueError(
            "`image_shape` must be (height, width, channels). Received: "
            f"image_shape={image_shape}"
        )
    if kind == "inception_v3":
        return _inception_encoder(image_shape, weights)
    if image_shape != (28, 28, 1):
        raise ValueError(
            "The 'fashion_mnist' encoder takes 28x28 grey images; use "
            "kind='inception_v3' for other sizes. Received: "
            f"image_shape={image_shape}"
        )
    classifier = load_feature_classifier(path)
    features = classifier.get_layer(FEATURE_LAYER).output
    outputs = (
        [features, classifier.output] if include_probabilities else features
    )
    return keras.Model(classifier.input, outputs, name="fashion_mnist_encoder")


_DEFAULT_ENCODERS = {}


def default_encoder():
    """The shared default encoder (the Fashion-MNIST features), built once.

    共享的默认特征编码器（只构建一次）。
    """
    if "fashion_mnist" not in _DEFAULT_ENCODERS:
        _DEFAULT_ENCODERS["fashion_mnist"] = make_feature_encoder(
            "fashion_mnist"
        )
    return _DEFAULT_ENCODERS["fashion_mnist"]


def extract_features(images, encoder=None, batch_size=500):
    """Run ``encoder`` over ``images`` in batches; return float64 features.

    分批运行特征编码器，返回 float64 特征。

    Args:
        images: array (N, H, W, C) in [-1, 1].
        encoder: keras.Model from ``make_feature_encoder``; default: the
            shipped Fashion-MNIST encoder.
        batch_size: positive int.

    Returns:
        array (N, D) float64.

    Raises:
        ValueError: if ``images`` is not rank 4.
    """
    images = np.asarray(images, dtype="float32")
    _check_images("images", images)
    batch_size = runtime._positive_int("batch_size", batch_size)
    encoder = default_encoder() if encoder is None else encoder
    outputs = encoder.predict(images, batch_size=batch_size, verbose=0)
    if isinstance(outputs, (list, tuple)):
        outputs = outputs[0]
    return np.asarray(outputs, dtype="float64")


def classifier_probabilities(images, classifier=None, batch_size=500):
    """Class probabilities of images from the shipped classifier (for IS).

    用随包分类器计算图像的类别概率（用于 Inception 分数）。
    """
    images = np.asarray(images, dtype="float32")
    _check_images("images", images)
    batch_size = runtime._positive_int("batch_size", batch_size)
    if classifier is None:
        if "classifier" not in _DEFAULT_ENCODERS:
            _DEFAULT_ENCODERS["classifier"] = load_feature_classifier()
        classifier = _DEFAULT_ENCODERS["classifier"]
    outputs = classifier.predict(images, batch_size=batch_size, verbose=0)
    return np.asarray(outputs, dtype="float64")


def fid(real_images, fake_images, encoder=None, batch_size=500):
    """FID between two image sets: encoder features + ``frechet_distance``.

    两组图像之间的 FID：编码器特征 + ``frechet_distance``。

    With the default encoder (the shipped Fashion-MNIST classifier) this is
    the Frechet distance in that classifier's feature space, not the
    Inception FID of papers. Use the same number of images for every value
    you compare (see the bias warning in ``frechet_distance``).

    Args:
        real_images: array (N_r, H, W, C) in [-1, 1].
        fake_images: array (N_f, H, W, C) in [-1, 1].
        encoder: optional keras.Model from ``make_feature_encoder``.
        batch_size: encoder batch size.

    Returns:
        float.
    """
    real = extract_features(real_images, encoder, batch_size)
    fake = extract_features(fake_images, encoder, batch_size)
    return frechet_distance(real, fake)


def image_kid(
    real_images,
    fake_images,
    encoder=None,
    batch_size=500,
    num_subsets=100,
    subset_size=1000,
    seed=0,
):
    """KID between two image sets: encoder features + ``kid``.

    两组图像之间的 KID：编码器特征 + ``kid``。

    Returns:
        (mean, std): floats (see ``kid``).
    """
    real = extract_features(real_images, encoder, batch_size)
    fake = extract_features(fake_images, encoder, batch_size)
    return kid(real, fake, num_subsets, subset_size, seed)


# -- training-time monitoring ----------------------------------------------
class FIDCallback(keras.callbacks.Callback):
    """Log the FID of the model's generator every ``every_n_epochs`` epochs.

    每隔 ``every_n_epochs`` 轮计算一次生成器的 FID，写入日志（名称 ``fid``）。

    Real features are computed once (first use) from a fixed sample, and the
    fakes always come from the same fixed noise, so the values of different
    epochs are comparable (same N, same extractor). The value is written
    into ``logs["fid"]``, so it appears in ``fit``'s printed line and in
    ``history.history["fid"]`` (epochs without an evaluation have no entry
    there; see ``self.epochs`` and ``self.values``). In fast mode both
    sample sizes are capped at ``FAST_NUM_IMAGES``.

    Args:
        real_images: array (N, H, W, C) in [-1, 1].
        num_images: number of real and fake images used (at most N).
        every_n_epochs: positive int.
        encoder: optional keras.Model from ``make_feature_encoder``.
        batch_size: generator/encoder batch size.
        condition: optional condition passed to ``model.generate_fake``.
        seed: NumPy seed of the real subset and the fixed noise.

    Attributes:
        epochs: list of the (1-based) epochs evaluated.
        values: list of FID values, one per entry of ``epochs``.
    """

    def __init__(
        self,
        real_images,
        num_images=2000,
        every_n_epochs=1,
        encoder=None,
        batch_size=500,
        condition=None,
        seed=0,
    ):
        super().__init__()
        real_images = np.asarray(real_images, dtype="float32")
        _check_images("real_images", real_images)
        num_images = runtime._positive_int("num_images", num_images)
        if runtime.fast_mode():
            num_images = min(num_images, FAST_NUM_IMAGES)
        self.num_images = max(2, min(num_images, len(real_images)))
        self.every_n_epochs = runtime._positive_int(
            "every_n_epochs", every_n_epochs
        )
        self.batch_size = runtime._positive_int("batch_size", batch_size)
        rng = np.random.default_rng(seed)
        index = rng.choice(len(real_images), self.num_images, replace=False)
        self.real_images = real_images[index]
        self.encoder = encoder
        self.condition = condition
        self.seed = seed
        self.noise = None
        self.real_features = None
        self.epochs = []
        self.values = []

    def _generate(self):
        generator = self.model.generator
        if self.noise is None:
            latent_dim = int(generator.inputs[0].shape[-1])
            rng = np.random.default_rng(self.seed + 1)
            self.noise = rng.standard_normal(
                (self.num_images, latent_dim)
            ).astype("float32")
        batches = []
        for start in range(0, self.num_images, self.batch_size):
            z = self.noise[start : start + self.batch_size]
            if hasattr(self.model, "generate_fake"):
                condition = self.condition
                if condition is not None:
                    condition = condition[start : start + self.batch_size]
                images = self.model.generate_fake(z, condition, training=False)
            else:
                images = generator(z, training=False)
            batches.append(keras.ops.convert_to_numpy(images))
        return np.concatenate(batches).astype("float32")

    def compute(self):
        """FID of the current generator against the fixed real sample."""
        if self.real_features is None:
            self.real_features = extract_features(
                self.real_images, self.encoder, self.batch_size
            )
        fake = extract_features(self._generate(), self.encoder, self.batch_size)
        return frechet_distance(self.real_features, fake)

    def on_epoch_end(self, epoch, logs=None):
        if (epoch + 1) % self.every_n_epochs:
            return
        value = self.compute()
        self.epochs.append(epoch + 1)
        self.values.append(value)
        if logs is not None:
            logs["fid"] = value

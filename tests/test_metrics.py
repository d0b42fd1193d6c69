import ast
import json
from pathlib import Path

import keras
import numpy as np
import pytest
import scipy.linalg

from gancourse import data
from gancourse import metrics
from gancourse import runtime
from gancourse.metrics import callback
from gancourse.metrics import distances
from gancourse.metrics import encoders
from gancourse.metrics import quality
from gancourse.training.gan import GAN

# 旧模块 gancourse.metrics 的公开名称及其新位置 / Public names of the old
# module gancourse.metrics, by the submodule that now holds them.
OLD_PUBLIC_NAMES = {
    distances: (
        "gaussian_statistics",
        "frechet_distance_from_statistics",
        "frechet_distance",
        "polynomial_kernel",
        "kid",
        "inception_score",
        "mean_pairwise_distance",
        "precision_recall",
    ),
    encoders: (
        "ASSETS_DIR",
        "CLASSIFIER_PATH",
        "CLASSIFIER_INFO_PATH",
        "FEATURE_LAYER",
        "PROBABILITY_LAYER",
        "ENCODER_KINDS",
        "make_fashion_mnist_classifier",
        "classifier_info",
        "file_sha256",
        "load_feature_classifier",
        "make_feature_encoder",
        "default_encoder",
        "extract_features",
        "classifier_probabilities",
        "fid",
        "image_kid",
    ),
    callback: ("FIDCallback",),
}


def reference_fid(features_a, features_b):
    """FID written the textbook way, with scipy.linalg.sqrtm."""
    mu_a, mu_b = features_a.mean(0), features_b.mean(0)
    cov_a = np.cov(features_a, rowvar=False)
    cov_b = np.cov(features_b, rowvar=False)
    root = scipy.linalg.sqrtm(cov_a @ cov_b).real
    return float(
        np.sum((mu_a - mu_b) ** 2) + np.trace(cov_a + cov_b - 2 * root)
    )


def reference_mmd2(a, b):
    """Unbiased MMD^2 with the cubic kernel, by explicit double loops."""
    d = a.shape[1]
    m = len(a)

    def k(x, y):
        return (np.dot(x, y) / d + 1.0) ** 3

    aa = sum(k(a[i], a[j]) for i in range(m) for j in range(m) if i != j)
    bb = sum(k(b[i], b[j]) for i in range(m) for j in range(m) if i != j)
    ab = sum(k(a[i], b[j]) for i in range(m) for j in range(m))
    return aa / (m * (m - 1)) + bb / (m * (m - 1)) - 2 * ab / m**2


def correlated(rng, n, d, shift=0.0):
    mixing = np.random.default_rng(123).normal(size=(d, d))
    return rng.normal(size=(n, d)) @ mixing + shift


# -- FID -----------------------------------------------------------------
def test_fid_matches_scipy_sqrtm_reference(rng):
    a = correlated(rng, 300, 8)
    b = correlated(rng, 200, 8, shift=0.5) * 1.3
    expected = reference_fid(a, b)
    assert expected > 1.0
    np.testing.assert_allclose(
        metrics.frechet_distance(a, b), expected, rtol=1e-7
    )


def test_fid_of_identical_sets_is_zero_and_symmetric(rng):
    a = correlated(rng, 200, 6)
    b = correlated(rng, 150, 6) * 2.0
    assert metrics.frechet_distance(a, a) == pytest.approx(0.0, abs=1e-8)
    np.testing.assert_allclose(
        metrics.frechet_distance(a, b),
        metrics.frechet_distance(b, a),
        rtol=1e-9,
    )


def test_fid_of_a_shift_is_the_squared_norm(rng):
    # 同一协方差，只平移均值 / Same covariance, shifted mean.
    a = correlated(rng, 400, 5)
    shift = np.array([1.0, -2.0, 0.5, 0.0, 3.0])
    np.testing.assert_allclose(
        metrics.frechet_distance(a, a + shift), np.sum(shift**2), rtol=1e-7
    )


def test_fid_uses_unbiased_covariance():
    a = np.array([[0.0], [2.0]])  # mean 1, unbiased variance 2
    b = np.array([[1.0], [1.0]])  # mean 1, variance 0
    assert metrics.frechet_distance(a, b) == pytest.approx(2.0)


def test_fid_is_biased_at_small_n(rng):
    # 同一分布的两个样本：N 越小 FID 越大 / Same distribution: smaller N,
    # larger FID.
    small = [
        metrics.frechet_distance(
            rng.normal(size=(20, 8)), rng.normal(size=(20, 8))
        )
        for _ in range(5)
    ]
    large = [
        metrics.frechet_distance(
            rng.normal(size=(2000, 8)), rng.normal(size=(2000, 8))
        )
        for _ in range(5)
    ]
    assert np.mean(small) > 10 * np.mean(large)


@pytest.mark.parametrize(
    "a_shape, b_shape",
    [
        ((10,), (10, 3)),
        ((4, 3, 1), (4, 3)),
        ((10, 3), (10, 4)),
        ((1, 3), (5, 3)),
    ],
)
def test_fid_rejects_bad_shapes(a_shape, b_shape):
    with pytest.raises(ValueError, match="Received"):
        metrics.frechet_distance(np.ones(a_shape), np.ones(b_shape))


def test_fid_rejects_non_finite():
    a = np.ones((5, 2))
    a[0, 0] = np.nan
    with pytest.raises(ValueError, match="Received"):
        metrics.frechet_distance(a, np.ones((5, 2)))


# -- KID -------------------------------------------------------------------
def test_kid_matches_numpy_reference(rng):
    a = rng.normal(size=(12, 3))
    b = rng.normal(size=(12, 3)) + 0.7
    mean, std = metrics.kid(a, b, num_subsets=3, subset_size=12)
    # 子集取满全部样本：每个子集都相同 / Full-size subsets are all equal.
    np.testing.assert_allclose(mean, reference_mmd2(a, b), rtol=1e-9)
    assert std == pytest.approx(0.0, abs=1e-12)


def test_kid_subsets_are_reproducible_and_seeded(rng):
    a = rng.normal(size=(60, 4))
    b = rng.normal(size=(50, 4)) + 0.3
    first = metrics.kid(a, b, num_subsets=5, subset_size=10, seed=1)
    assert first == metrics.kid(a, b, num_subsets=5, subset_size=10, seed=1)
    assert first != metrics.kid(a, b, num_subsets=5, subset_size=10, seed=2)
    assert first[1] > 0


def test_kid_is_unbiased_on_equal_distributions(rng):
    values = [
        metrics.kid(
            rng.normal(size=(50, 4)),
            rng.normal(size=(50, 4)),
            num_subsets=1,
            subset_size=50,
        )[0]
        for _ in range(200)
    ]
    # 均值与 0 相差不超过 3 个标准误 / Mean within 3 standard errors of 0.
    standard_error = np.std(values) / np.sqrt(len(values))
    assert abs(np.mean(values)) < 3 * standard_error
    assert min(values) < 0 < max(values)
    shifted = metrics.kid(
        rng.normal(size=(50, 4)), rng.normal(size=(50, 4)) + 1.0
    )[0]
    assert shifted > 10 * standard_error


def test_kid_rejects_bad_arguments(rng):
    a = rng.normal(size=(10, 3))
    with pytest.raises(ValueError, match="Received"):
        metrics.kid(a, rng.normal(size=(10, 2)))
    with pytest.raises(ValueError, match="Received"):
        metrics.kid(a, a, num_subsets=0)


# -- Inception Score -------------------------------------------------------
def test_inception_score_extremes():
    confident = np.tile(np.eye(10), (5, 1))  # every class equally often
    mean, std = metrics.inception_score(confident, num_splits=5)
    assert mean == pytest.approx(10.0)
    assert std == pytest.approx(0.0, abs=1e-9)
    identical = np.tile([[0.7, 0.2, 0.1]], (30, 1))
    assert metrics.inception_score(identical, 3)[0] == pytest.approx(1.0)


def test_inception_score_matches_numpy_reference(rng):
    logits = rng.normal(size=(40, 5)) * 2
    probs = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
    expected = []
    for part in np.split(probs, 4):
        kl = np.sum(part * np.log(part / part.mean(0)), axis=1)
        expected.append(np.exp(kl.mean()))
    mean, std = metrics.inception_score(probs, num_splits=4)
    np.testing.assert_allclose(
        [mean, std], [np.mean(expected), np.std(expected)]
    )


@pytest.mark.parametrize(
    "probs, splits",
    [(np.ones(10) / 10, 1), (np.ones((4, 2)), 1), (np.eye(3), 4)],
)
def test_inception_score_rejects_bad_input(probs, splits):
    with pytest.raises(ValueError, match="Received"):
        metrics.inception_score(probs, num_splits=splits)


# -- diversity and precision/recall ---------------------------------------
def test_mean_pairwise_distance_matches_scipy(rng):
    from scipy.spatial.distance import pdist

    x = rng.normal(size=(30, 4))
    np.testing.assert_allclose(
        metrics.mean_pairwise_distance(x), pdist(x).mean(), rtol=1e-9
    )
    collapsed = np.tile(x[:1], (30, 1))
    assert metrics.mean_pairwise_distance(collapsed) == pytest.approx(
        0.0, abs=1e-6
    )


def test_precision_recall_matches_brute_force_and_sees_collapse(rng):
    from scipy.spatial.distance import cdist

    real = rng.normal(size=(80, 2))
    fake = rng.normal(size=(60, 2)) * 0.3 + [1.0, 0.0]
    k = 3
    r_real = np.sort(cdist(real, real), axis=1)[:, k]
    r_fake = np.sort(cdist(fake, fake), axis=1)[:, k]
    precision = np.mean(np.any(cdist(fake, real) <= r_real, axis=1))
    recall = np.mean(np.any(cdist(real, fake) <= r_fake, axis=1))
    assert metrics.precision_recall(real, fake, k=k) == pytest.approx(
        (precision, recall)
    )
    # 塌缩的生成器：精确率高、召回率低 / Collapse: high precision, low recall.
    assert precision > 0.8 and recall < 0.5
    same = metrics.precision_recall(real, real, k=k)
    assert same == (1.0, 1.0)
    with pytest.raises(ValueError, match="Received"):
        metrics.precision_recall(real[:3], fake, k=3)


# -- encoders and image-level helpers -------------------------------------
def test_shipped_classifier_loads_safely_and_matches_its_record():
    info = metrics.classifier_info()
    assert metrics.CLASSIFIER_PATH.stat().st_size < 2_000_000
    classifier = metrics.load_feature_classifier()
    images, labels = data.load_fashion_mnist("test")
    probs = metrics.classifier_probabilities(images[:2000], classifier)
    accuracy = np.mean(probs.argmax(1) == labels[:2000])
    assert accuracy == pytest.approx(info["test_accuracy"], abs=0.02)
    assert info["feature_layer"] == metrics.FEATURE_LAYER
    encoder = metrics.make_feature_encoder("fashion_mnist")
    features = metrics.extract_features(images[:8], encoder)
    assert features.shape == (8, info["feature_dim"])
    assert features.dtype == np.float64


def test_image_fid_and_kid_rank_real_above_corrupted():
    images, _ = data.load_fashion_mnist("test")
    real_a, real_b = images[:300], images[300:600]
    noise = np.random.default_rng(0).uniform(-1, 1, real_b.shape)
    close = metrics.fid(real_a, real_b)
    far = metrics.fid(real_a, noise.astype("float32"))
    assert 0 < close < far
    kid_close = metrics.image_kid(
        real_a, real_b, num_subsets=5, subset_size=100
    )
    kid_far = metrics.image_kid(real_a, noise, num_subsets=5, subset_size=100)
    assert kid_close[0] < kid_far[0]
    with pytest.raises(ValueError, match="Received"):
        metrics.fid(real_a[0], real_b)


def test_make_feature_encoder_rejects_bad_arguments():
    with pytest.raises(ValueError, match="Received"):
        metrics.make_feature_encoder("vgg")
    with pytest.raises(ValueError, match="Received"):
        metrics.make_feature_encoder("fashion_mnist", image_shape=(32, 32, 3))


def test_inception_encoder_without_weights_gives_2048_features():
    encoder = metrics.make_feature_encoder(
        "inception_v3", image_shape=(28, 28, 1), weights=None
    )
    features = metrics.extract_features(
        np.zeros((2, 28, 28, 1), "float32"), encoder, batch_size=2
    )
    assert features.shape == (2, 2048)
    assert np.all(np.isfinite(features))


def test_inception_encoder_missing_weights_file_explains_fallback(tmp_path):
    with pytest.raises(RuntimeError, match="fashion_mnist"):
        metrics.make_feature_encoder(
            "inception_v3", weights=str(tmp_path / "missing.weights.h5")
        )


# -- callback ----------------------------------------------------------------
def tiny_gan():
    z = keras.Input((4,))
    x = keras.layers.Dense(28 * 28)(z)
    x = keras.layers.Activation("tanh")(x)
    generator = keras.Model(z, keras.layers.Reshape((28, 28, 1))(x))
    images = keras.Input((28, 28, 1))
    logits = keras.layers.Dense(1)(keras.layers.Flatten()(images))
    gan = GAN(generator, keras.Model(images, logits), seed=0)
    gan.compile(keras.optimizers.Adam(1e-3), keras.optimizers.Adam(1e-3))
    return gan


def test_fid_callback_logs_fid_every_n_epochs():
    images, _ = data.load_fashion_mnist("test")
    real = images[:64]
    callback = metrics.FIDCallback(real, num_images=32, every_n_epochs=2)
    gan = tiny_gan()
    history = gan.fit(
        real, batch_size=32, epochs=4, verbose=0, callbacks=[callback]
    )
    assert callback.epochs == [2, 4]
    assert len(callback.values) == 2 and all(v > 0 for v in callback.values)
    assert history.history["fid"] == pytest.approx(callback.values)
    # 固定噪声：结果可复现 / Fixed noise: the value repeats.
    assert callback.compute() == pytest.approx(callback.values[-1])
    with pytest.raises(ValueError, match="Received"):
        metrics.FIDCallback(real[0])


def test_fid_callback_caps_samples_in_fast_mode(monkeypatch):
    monkeypatch.setenv("GANCOURSE_FAST", "1")
    real = np.zeros((1000, 28, 28, 1), "float32")
    capped = metrics.FIDCallback(real, num_images=800).num_images
    assert capped == runtime.BUDGET.limits["images"]
    monkeypatch.setenv("GANCOURSE_FAST", "0")
    assert metrics.FIDCallback(real, num_images=800).num_images == 800


def mean_pixel_gan():
    # D 的 logit = 平均像素值；G 只输出 -1（全黑）/ D's logit is the mean
    # pixel; G always draws -1 (black).
    z = keras.Input((4,))
    x = keras.layers.Dense(
        28 * 28,
        kernel_initializer="zeros",
        bias_initializer=keras.initializers.Constant(-1.0),
    )(z)
    generator = keras.Model(z, keras.layers.Reshape((28, 28, 1))(x))
    images = keras.Input((28, 28, 1))
    mean = keras.layers.GlobalAveragePooling2D()(images)
    return GAN(generator, keras.Model(images, mean), seed=0)


def test_discriminator_monitor_measures_the_three_sets():
    # 训练集全部 +0.5（判为真）；留出集一半 +0.5、一半 -0.5 / Training reals
    # all +0.5 (judged real); held-out reals half +0.5, half -0.5.
    train = np.full((40, 28, 28, 1), 0.5, "float32")
    held_out = np.concatenate([train[:20], -train[:20]])
    train[:10] = -0.25  # 10 of 40 judged fake, sign -1
    monitor = metrics.DiscriminatorMonitor(
        train, held_out, every_n_steps=3, num_images=40
    )
    monitor.set_model(mean_pixel_gan())
    for batch in range(7):
        monitor.on_train_batch_end(batch)
    assert monitor.steps == [3, 6]
    assert monitor.values["train"] == [0.75, 0.75]
    assert monitor.values["held_out"] == [0.5, 0.5]
    assert monitor.values["fake"] == [1.0, 1.0]  # G draws black: logit -1
    assert monitor.values["sign"] == [0.5, 0.5]  # (30 - 10) / 40
    assert monitor.values["train_logit"] == pytest.approx([0.3125] * 2)
    assert monitor.values["held_out_logit"] == pytest.approx([0.0] * 2)
    assert monitor.values["fake_logit"] == pytest.approx([-1.0] * 2)
    assert monitor.num_images == 40


def test_discriminator_monitor_runs_inside_fit():
    images, _ = data.load_fashion_mnist("test")
    monitor = metrics.DiscriminatorMonitor(
        images[:64], images[64:128], every_n_steps=2, num_images=32
    )
    tiny_gan().fit(
        images[:128], batch_size=32, epochs=1, verbose=0, callbacks=[monitor]
    )
    assert monitor.steps == [2, 4]
    for key in ("train", "held_out", "fake"):
        assert all(0.0 <= v <= 1.0 for v in monitor.values[key])
    assert monitor.compute()["train_logit"] == pytest.approx(
        monitor.values["train_logit"][-1]
    )


def test_discriminator_monitor_rejects_mismatched_sets():
    with pytest.raises(ValueError, match=r"one image shape.*\(28, 28, 1\)"):
        metrics.DiscriminatorMonitor(
            np.zeros((8, 28, 28, 1), "float32"),
            np.zeros((8, 32, 32, 1), "float32"),
        )
    with pytest.raises(ValueError, match="every_n_steps"):
        metrics.DiscriminatorMonitor(
            np.zeros((8, 28, 28, 1), "float32"),
            np.zeros((8, 28, 28, 1), "float32"),
            every_n_steps=0,
        )


def test_classifier_record_is_json():
    text = metrics.CLASSIFIER_INFO_PATH.read_text(encoding="utf-8")
    info = json.loads(text)
    for key in ("test_accuracy", "epochs", "feature_layer", "date", "command"):
        assert key in info


# -- package layout --------------------------------------------------------
def test_package_reexports_the_old_public_names():
    for module, names in OLD_PUBLIC_NAMES.items():
        for name in names:
            assert getattr(metrics, name) is getattr(module, name), name
            assert name in metrics.__all__
    assert metrics.image_quality is quality.image_quality
    assert metrics.CLASSIFIER_PATH.is_file()


def test_metric_math_imports_numpy_only():
    tree = ast.parse(Path(distances.__file__).read_text(encoding="utf-8"))
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {
        node.module.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
    }
    assert imported <= {"numpy", "scipy", "gancourse"}


# -- image quality -----------------------------------------------------------
def test_image_quality_matches_numpy_psnr(rng):
    target = rng.uniform(-1, 1, size=(2, 16, 16, 3)).astype("float32")
    noisy = np.clip(target + rng.normal(0, 0.1, target.shape), -1, 1)
    noisy = noisy.astype("float32")
    mse = np.mean((noisy - target).astype("float64") ** 2, axis=(1, 2, 3))
    scores = metrics.image_quality(noisy, target)
    # [-1, 1] 的图像 max_val = 2 / max_val = 2 for images in [-1, 1].
    expected = np.mean(10 * np.log10(4.0 / mse))
    assert scores["psnr"] == pytest.approx(expected, rel=1e-4)
    assert metrics.image_quality(target, target)["ssim"] == pytest.approx(1.0)
    assert 0 < scores["ssim"] < 1
    with pytest.raises(ValueError, match="Received"):
        metrics.image_quality(target, target[:, :8])


def _reference_band_power(images, cutoff):
    # 显式 DFT 矩阵与余弦窗公式 / An explicit DFT matrix and the Hann
    # formula, independent of np.fft and np.hanning.
    _, height, width, _ = images.shape

    def dft(n):
        k = np.arange(n)
        return np.exp(-2j * np.pi * np.outer(k, k) / n)

    def hann(n):
        return 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(n) / (n - 1))

    def frequencies(n):
        k = np.arange(n)
        return np.minimum(k, n - k) / n

    window = np.outer(hann(height), hann(width))
    band = (
        np.maximum(frequencies(height)[:, None], frequencies(width)[None, :])
        > cutoff
    )
    total = 0.0
    for image in images:
        for channel in np.moveaxis(image, -1, 0):
            centred = (channel - channel.mean()) * window
            spectrum = dft(height) @ centred @ dft(width).T
            total += float((np.abs(spectrum) ** 2)[band].sum())
    return total


@pytest.mark.parametrize("cutoff", [0.125, 0.25, 0.4])
def test_high_frequency_ratio_matches_numpy_reference(rng, cutoff):
    target = rng.uniform(-1, 1, (3, 16, 12, 2))
    predicted = rng.uniform(-1, 1, (3, 16, 12, 2)) * 0.3
    expected = _reference_band_power(predicted, cutoff) / _reference_band_power(
        target, cutoff
    )
    assert metrics.high_frequency_ratio(
        predicted, target, cutoff
    ) == pytest.approx(expected, rel=1e-9)
    assert quality.high_frequency_ratio(target, target, cutoff) == 1.0


def test_high_frequency_ratio_sees_blur_noise_and_amplitude(rng):
    from gancourse.data import paired

    rows = np.arange(32)[None, :, None, None]
    fine = np.cos(2 * np.pi * 0.3 * rows) * np.ones((2, 32, 32, 1))
    # 功率与振幅的平方成正比 / Power scales with the squared amplitude.
    assert metrics.high_frequency_ratio(0.5 * fine, fine) == pytest.approx(0.25)
    coarse = np.cos(2 * np.pi * rows / 32) * np.ones((2, 32, 32, 1))
    assert metrics.high_frequency_ratio(coarse, fine) < 1e-3
    images = np.clip(rng.normal(0, 0.5, (4, 32, 32, 3)), -1, 1)
    blurred = paired.degrade(images, scale=4)
    assert metrics.high_frequency_ratio(blurred, images, 0.125) < 0.2
    noisy = images + rng.normal(0, 0.3, images.shape)
    assert metrics.high_frequency_ratio(noisy, images, 0.125) > 1.1


def test_high_frequency_ratio_rejects_bad_input(rng):
    images = rng.uniform(-1, 1, (2, 8, 8, 1))
    with pytest.raises(ValueError, match="Received"):
        metrics.high_frequency_ratio(images, images[:, :4])
    with pytest.raises(ValueError, match="Received"):
        metrics.high_frequency_ratio(images[0], images[0])
    for cutoff in (0.0, 0.5, -1):
        with pytest.raises(ValueError, match="Received: cutoff"):
            metrics.high_frequency_ratio(images, images, cutoff)
    with pytest.raises(ValueError, match="no power"):
        metrics.high_frequency_ratio(images, np.zeros_like(images))


# -- unpaired translation ------------------------------------------------------
@pytest.fixture(scope="module")
def shoe_domains():
    sneakers, boots = data.make_unpaired_domains(7, 9, split="test")
    return sneakers[:40], boots[:50]


def test_translation_scores_of_identity_generators(shoe_domains):
    sneakers, boots = shoe_domains
    scores = metrics.translation_scores(
        lambda x: x, lambda y: y, sneakers, boots, 7, 9, num_images=12
    )
    assert scores["num_images"] == 12
    half = 20  # 较小的域的一半 / half of the smaller domain
    for name, sources, targets, target_class in (
        ("x_to_y", sneakers, boots, 9),
        ("y_to_x", boots, sneakers, 7),
    ):
        result = scores[name]
        assert result["target_class"] == target_class
        # 不改变图像：翻译与未翻译的源图像得分相同，循环误差为 0
        # An identity translator scores as the untranslated sources.
        assert (
            result["target_share"]["translated"]
            == (result["target_share"]["source"])
        )
        assert result["fid_to_target"]["translated"] == pytest.approx(
            result["fid_to_target"]["source"]
        )
        assert result["cycle_l1"] == 0.0
        # 参照是目标域的第一半，基线是第二半 / The reference is the target
        # domain's first half, the baselines its second half.
        reference = targets[:12]
        for group, images in (
            ("real_target", targets[half : half + 12]),
            ("source", sources[half : half + 12]),
        ):
            expected = metrics.fid(reference, images)
            assert result["fid_to_target"][group] == pytest.approx(expected)
            predicted = metrics.classifier_probabilities(images).argmax(-1)
            assert result["target_share"][group] == pytest.approx(
                np.mean(predicted == target_class)
            )
    # 分类器认得真实短靴，而不把运动鞋认成短靴 / The classifier knows real
    # boots and does not call sneakers boots.
    assert scores["x_to_y"]["target_share"]["real_target"] >= 0.9
    assert scores["x_to_y"]["target_share"]["source"] <= 0.1


def test_translation_scores_of_a_perfect_translator(shoe_domains):
    sneakers, boots = shoe_domains
    half = 20

    def lookup(sources, targets):
        # 把第二半的源图像换成第二半的目标图像 / Maps the second-half
        # sources to the second-half targets, as a perfect translator.
        def translate(images):
            rows = [
                np.flatnonzero((sources == image).all(axis=(1, 2, 3)))[0]
                for image in images
            ]
            return targets[rows]

        return translate

    g = lookup(sneakers[half:], boots[half:])
    f = lookup(boots[half:], sneakers[half:])
    scores = metrics.translation_scores(g, f, sneakers, boots, 7, 9, 15)
    for name in ("x_to_y", "y_to_x"):
        result = scores[name]
        assert result["fid_to_target"]["translated"] == pytest.approx(
            result["fid_to_target"]["real_target"]
        )
        assert (
            result["target_share"]["translated"]
            == (result["target_share"]["real_target"])
        )
        assert result["cycle_l1"] == 0.0


def test_translation_scores_rejects_bad_input(shoe_domains):
    sneakers, boots = shoe_domains
    identity = lambda x: x  # noqa: E731
    with pytest.raises(ValueError, match=r"num_images.*in \[1, 20\]"):
        metrics.translation_scores(
            identity, identity, sneakers, boots, 7, 9, 21
        )
    with pytest.raises(ValueError, match="one shape"):
        metrics.translation_scores(
            identity, identity, sneakers, boots[:, :14, :14], 7, 9, 5
        )
    with pytest.raises(ValueError, match="domain_x"):
        metrics.translation_scores(identity, identity, sneakers[0], boots, 7, 9)

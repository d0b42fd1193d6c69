"""Feature encoders of the metrics: the shipped classifier and InceptionV3.

指标使用的特征编码器：随包提供的 Fashion-MNIST 分类器与 InceptionV3。

The metric math (``distances``) needs features. ``make_feature_encoder``
builds the network that gives them: the ImageNet InceptionV3 of the papers
when its weights are available, or, offline and by default for 28x28
images, a small Fashion-MNIST classifier shipped with the package
(``gancourse/assets/fashion_mnist_classifier.keras``, trained by
``tools/train_feature_classifier.py``, hash-checked and loaded in safe
mode). ``fid`` and ``image_kid`` chain an encoder and the metric math.
"""

import hashlib
import json
from pathlib import Path

import keras
import numpy as np
from keras import layers

from gancourse import images as course_images
from gancourse import runtime
from gancourse.metrics import distances

ASSETS_DIR = Path(__file__).resolve().parent.parent / "assets"
CLASSIFIER_PATH = ASSETS_DIR / "fashion_mnist_classifier.keras"
CLASSIFIER_INFO_PATH = ASSETS_DIR / "fashion_mnist_classifier.json"
FEATURE_LAYER = "features"
PROBABILITY_LAYER = "probabilities"
ENCODER_KINDS = ("fashion_mnist", "inception_v3")

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
    num_classes = runtime.check_int("num_classes", num_classes, minimum=1)
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
    images = course_images.check_images(
        images, "images", channels=None, value_range=False
    )
    batch_size = runtime.check_int("batch_size", batch_size, minimum=1)
    encoder = default_encoder() if encoder is None else encoder
    outputs = encoder.predict(images, batch_size=batch_size, verbose=0)
    if isinstance(outputs, (list, tuple)):
        outputs = outputs[0]
    return np.asarray(outputs, dtype="float64")


def classifier_probabilities(images, classifier=None, batch_size=500):
    """Class probabilities of images from the shipped classifier (for IS).

    用随包分类器计算图像的类别概率（用于 Inception 分数）。
    """
    images = course_images.check_images(
        images, "images", channels=None, value_range=False
    )
    batch_size = runtime.check_int("batch_size", batch_size, minimum=1)
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
    the Fréchet distance in that classifier's feature space, not the
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
    return distances.frechet_distance(real, fake)


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
    return distances.kid(real, fake, num_subsets, subset_size, seed)

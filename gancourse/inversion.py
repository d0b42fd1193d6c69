"""GAN inversion and latent editing: find z for an image, then move it.

GAN 反演与潜在空间编辑：为图像找到潜在向量 z，再沿潜在方向移动它（第 09 课）。

- ``invert``: optimisation-based inversion (Zhu et al., 2016,
  https://arxiv.org/abs/1609.03552; Creswell & Bharath, 2018,
  https://arxiv.org/abs/1611.05644): keep G fixed and run Adam on a batch
  of codes z so that G(z) matches the images, in pixels (MSE) and
  optionally in the features of a fixed network (a perceptual loss). It
  starts from seeded noise, from given codes, or from an encoder's
  E(x) (encoder-initialised inversion, Zhu et al., 2020,
  https://arxiv.org/abs/2004.00049).
- ``latent_direction``: InterFaceGAN (Shen et al., 2020,
  https://arxiv.org/abs/2005.09635): fit a linear boundary in z between two
  groups of codes (a linear SVM or logistic regression); its unit normal
  is the editing direction.
- ``edit``: codes along that direction, z + s * n for several strengths s.

The optimisation is the explicit ``tf.function`` step of style transfer
(lesson 08) with a code instead of an image as the ``tf.Variable``.
"""

import collections

import keras
import numpy as np
import tensorflow as tf
from keras import ops
from sklearn import linear_model
from sklearn import svm

from gancourse import images as course_images
from gancourse import runtime
from gancourse.latent import fixed_noise
from gancourse.training.base import apply_update
from gancourse.training.base import check_network
from gancourse.training.gan import latent_dim_of
from gancourse.training.progress import LossHistory

InversionResult = collections.namedtuple(
    "InversionResult", ["codes", "losses", "history"]
)
InversionResult.__doc__ = """What ``invert`` returns (unpacks as a 3-tuple).

``invert`` 的返回值（可按三元组解包）。

Args:
    codes: float32 array (N, latent_dim), the optimised z.
    losses: dict name -> float32 array (N,), each image's final losses:
        ``"pixel"`` (MSE), ``"feature"`` (only with a feature extractor)
        and ``"loss"`` (the weighted sum that was minimised).
    history: dict name -> list of floats, the mean over images of each
        loss at every step (empty lists when ``steps=0``).
"""

DIRECTION_METHODS = ("svm", "logistic")


def _positive_float(name, value):
    number = runtime.check_non_negative(name, value)
    if number == 0:
        raise ValueError(f"`{name}` must be > 0. Received: {name}={value!r}")
    return number


def _codes(name, value, num_codes, latent_dim):
    """``value`` as a finite float32 array (num_codes, latent_dim)."""
    array = np.asarray(value, dtype="float32")
    expected = (num_codes, latent_dim)
    if array.shape != expected or not np.isfinite(array).all():
        raise ValueError(
            f"`{name}` must be finite codes of shape {expected}. "
            f"Received: {name}.shape={array.shape}"
        )
    return array


def initial_codes(init, images, latent_dim, seed=0):
    """The starting codes of ``invert``: noise, given codes or E(x).

    反演的初始潜在向量：随机噪声、给定的向量，或编码器的输出 E(x)。

    Args:
        init: None (seeded standard normal noise), a ``keras.Model``
            encoder (its codes of ``images``) or an array
            (N, latent_dim).
        images: the checked images (N, H, W, C).
        latent_dim: the generator's latent size.
        seed: NumPy seed of the noise.

    Returns:
        float32 array (N, latent_dim).
    """
    if init is None:
        return fixed_noise(len(images), latent_dim, seed)
    if isinstance(init, keras.Model):
        codes = [
            ops.convert_to_numpy(init(images[i : i + 256], training=False))
            for i in range(0, len(images), 256)
        ]
        return _codes("init", np.concatenate(codes), len(images), latent_dim)
    if isinstance(init, (np.ndarray, list, tuple)) or tf.is_tensor(init):
        return _codes("init", init, len(images), latent_dim)
    raise TypeError(
        "`init` must be None, a keras.Model encoder or an array of codes. "
        f"Received: {type(init).__name__}"
    )


def _mean_over_samples(tensor):
    tensor = ops.cast(tensor, "float32")
    return ops.mean(ops.reshape(tensor, (ops.shape(tensor)[0], -1)), axis=1)


def invert(
    generator,
    images,
    steps=300,
    learning_rate=0.05,
    init=None,
    feature_extractor=None,
    feature_weight=0.1,
    seed=0,
    log_every=0,
):
    """Find codes z with G(z) close to ``images`` by optimising z (Adam).

    通过优化 z（Adam）找到使 G(z) 接近给定图像的潜在向量：GAN 反演。

    Per image: loss = mean((G(z) - x)^2) + feature_weight *
    mean((F(G(z)) - F(x))^2), F being ``feature_extractor`` (e.g.
    ``gancourse.metrics.make_feature_encoder()``, the shipped Fashion-MNIST
    classifier's 128 features). G and F stay fixed (inference mode); only
    z moves. All images are inverted at once: the step minimises the sum
    of the per-image losses, so each code gets its own gradient. Fast mode
    caps ``steps`` (``gancourse.runtime.BUDGET``).

    Args:
        generator: keras.Model mapping (batch, latent_dim) to images.
        images: array (N, *output shape of G) in [-1, 1].
        steps: Adam steps (0 returns the initial codes and their losses).
        learning_rate: Adam's learning rate.
        init: None (seeded N(0, I) noise), an encoder ``keras.Model``
            (start from E(x)), or an array (N, latent_dim) of codes.
        feature_extractor: optional keras.Model mapping images to
            features (any shape).
        feature_weight: weight of the feature loss (ignored without
            ``feature_extractor``). 0.1 suits the shipped classifier's
            features, whose mean square is about 2 on Fashion-MNIST
            while a good inversion's pixel MSE is about 0.05.
        seed: NumPy seed of the starting noise (``init=None``).
        log_every: show a progress bar every ``log_every`` steps (0: none).

    Returns:
        ``InversionResult(codes, losses, history)``: the codes (N,
        latent_dim), each image's final losses (dict of (N,) arrays) and
        the per-step mean losses (dict of lists).

    Raises:
        TypeError: if ``generator``/``feature_extractor`` is not a
            keras.Model, or ``init`` has a wrong type.
        ValueError: for images of the wrong shape or range, codes of the
            wrong shape, or a bad ``steps``/``learning_rate``/weight.

    Example::

        result = invert(generator, test_images[:16], steps=500,
                        init=encoder,
                        feature_extractor=make_feature_encoder())
        rebuilt = generator(result.codes, training=False)
    """
    check_network("generator", generator)
    latent_dim = latent_dim_of(generator)
    images = course_images.check_images(images, "images", channels=None)
    expected = tuple(generator.outputs[0].shape[1:])
    if images.shape[1:] != expected or len(images) == 0:
        raise ValueError(
            f"`images` must be a non-empty batch of the generator's output "
            f"shape {expected}. Received: images.shape={images.shape}"
        )
    steps = runtime.check_int("steps", steps, minimum=0)
    steps = runtime.BUDGET.iterations(steps) if steps else 0
    learning_rate = _positive_float("learning_rate", learning_rate)
    feature_weight = runtime.check_non_negative(
        "feature_weight", feature_weight
    )
    if feature_extractor is not None:
        check_network("feature_extractor", feature_extractor)
    start = initial_codes(init, images, latent_dim, seed)

    targets = ops.convert_to_tensor(images)
    target_features = None
    if feature_extractor is not None:
        target_features = feature_extractor(targets, training=False)

    def per_image_losses(z):
        fake = ops.cast(generator(z, training=False), "float32")
        logs = {"pixel": _mean_over_samples(ops.square(fake - targets))}
        logs["loss"] = logs["pixel"]
        if feature_extractor is not None:
            features = feature_extractor(fake, training=False)
            logs["feature"] = _mean_over_samples(
                ops.square(ops.cast(features, "float32") - target_features)
            )
            logs["loss"] = logs["pixel"] + feature_weight * logs["feature"]
        return logs

    codes = tf.Variable(start, dtype="float32", name="codes")
    optimizer = keras.optimizers.Adam(learning_rate=learning_rate)

    @tf.function
    def step():
        with tf.GradientTape() as tape:
            logs = per_image_losses(codes)
            # 各图像的损失相加：每个 z 的梯度只来自它自己的图像 / The sum
            # keeps each code's gradient its own image's.
            total = ops.sum(logs["loss"])
        apply_update(optimizer, [codes], tape, total)
        return {name: ops.mean(value) for name, value in logs.items()}

    log = LossHistory(max(steps, 1), log_every, unit_name="step")
    for index in range(1, steps + 1):
        log.append(index, step())
    final = per_image_losses(codes)
    losses = {name: ops.convert_to_numpy(v) for name, v in final.items()}
    history = {name: log.history.get(name, []) for name in losses}
    return InversionResult(codes.numpy(), losses, history)


def latent_direction(codes, labels, method="svm", regularization=1.0):
    """A unit direction in z separating two groups of codes (InterFaceGAN).

    用线性边界分开两组潜在向量，返回其单位法向量作为潜在方向（InterFaceGAN）。

    Fits a linear classifier on (codes, labels) and returns its normal
    vector, normalised to length 1 and pointing towards the larger label
    (e.g. from label 0 to label 1, or from -1 to +1). For one class among
    many, pass ``labels == k``: the direction then points into class k.

    Args:
        codes: array (N, latent_dim) of latent codes (e.g. the z of
            generated samples, labelled by a classifier).
        labels: array (N,) with exactly two distinct values.
        method: "svm" (``sklearn.svm.LinearSVC``, as InterFaceGAN) or
            "logistic" (``sklearn.linear_model.LogisticRegression``).
        regularization: the classifier's inverse regularisation C > 0.

    Returns:
        float32 array (latent_dim,) of unit length.

    Example:
        >>> z = np.random.default_rng(0).normal(size=(200, 3))
        >>> direction = latent_direction(z, z[:, 0] > 0)
        >>> bool(direction[0] > 0.95)
        True
    """
    codes = np.asarray(codes, dtype="float64")
    if codes.ndim != 2 or len(codes) < 2 or not np.isfinite(codes).all():
        raise ValueError(
            "`codes` must be a finite array (N, latent_dim) with N >= 2. "
            f"Received: codes.shape={codes.shape}"
        )
    labels = np.asarray(labels).reshape(-1)
    if labels.shape != (len(codes),):
        raise ValueError(
            f"`labels` must have one label per code, shape ({len(codes)},). "
            f"Received: labels.shape={labels.shape}"
        )
    values = np.unique(labels)
    if len(values) != 2:
        raise ValueError(
            "`labels` must hold exactly two distinct values. Received: "
            f"{len(values)} distinct value(s) {values[:5].tolist()}"
        )
    if method not in DIRECTION_METHODS:
        raise ValueError(
            f"`method` must be one of {DIRECTION_METHODS}. "
            f"Received: method={method!r}"
        )
    regularization = _positive_float("regularization", regularization)
    binary = (labels == values[1]).astype("int32")
    if method == "svm":
        classifier = svm.LinearSVC(C=regularization, dual="auto")
    else:
        classifier = linear_model.LogisticRegression(C=regularization)
    classifier.fit(codes, binary)
    normal = classifier.coef_.reshape(-1)
    norm = np.linalg.norm(normal)
    if not np.isfinite(norm) or norm == 0:
        raise ValueError(
            "The two groups of codes could not be separated (the boundary's "
            "normal is zero). Expected codes that differ between the labels."
        )
    return (normal / norm).astype("float32")


def edit(z, direction, strengths=(-3, -2, -1, 0, 1, 2, 3)):
    """Codes moved along a latent direction: z + s * n for each strength s.

    沿潜在方向移动潜在向量：对每个强度 s 给出 z + s * n。

    ``direction`` is normalised to unit length first, so a strength is the
    distance moved in z (z ~ N(0, I) has norm about sqrt(latent_dim)).

    Args:
        z: one code (latent_dim,) or a batch (N, latent_dim).
        direction: array (latent_dim,), e.g. from ``latent_direction``.
        strengths: a number or a 1-D sequence of S numbers.

    Returns:
        float32 array (S, latent_dim) for one code, (N, S, latent_dim) for
        a batch.

    Example:
        >>> edit(np.zeros(2), [0.0, 2.0], strengths=[-1, 1]).tolist()
        [[0.0, -1.0], [0.0, 1.0]]
    """
    z = np.asarray(z, dtype="float32")
    direction = np.asarray(direction, dtype="float32")
    if direction.ndim != 1 or not np.isfinite(direction).all():
        raise ValueError(
            "`direction` must be a finite vector (latent_dim,). Received: "
            f"direction.shape={direction.shape}"
        )
    if z.ndim not in (1, 2) or z.shape[-1] != direction.shape[0]:
        raise ValueError(
            f"`z` must be a code ({direction.shape[0]},) or a batch (N, "
            f"{direction.shape[0]}) matching `direction`. Received: "
            f"z.shape={z.shape}"
        )
    norm = np.linalg.norm(direction)
    if norm == 0:
        raise ValueError("`direction` must be non-zero. Received: all zeros")
    strengths = np.asarray(strengths, dtype="float32").reshape(-1)
    if strengths.size == 0 or not np.isfinite(strengths).all():
        raise ValueError(
            "`strengths` must be one or more finite numbers. Received: "
            f"strengths={strengths.tolist()}"
        )
    steps = strengths[:, None] * (direction / norm)  # (S, latent_dim)
    return (z[..., None, :] + steps).astype("float32")

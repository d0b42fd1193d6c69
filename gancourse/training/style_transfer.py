"""Style-transfer training: the image optimisation loop and a feed-forward net.

风格迁移的训练：图像优化循环（Gatys 等）与前馈网络的训练（Johnson 等）。

Both minimise the same perceptual loss
(``gancourse.losses.perceptual.perceptual_losses``) with Adam, in an explicit
``tf.function`` step (the keras-io neural_style_transfer flavour):

- ``make_style_transfer_step`` / ``run_style_transfer``: the pixels of one
  image are the variable (Gatys, Ecker, Bethge, CVPR 2016);
- ``train_feed_forward_stylizer``: the weights of a transformation network
  are the variables, averaged over random content crops (Johnson, Alahi,
  Fei-Fei 2016, https://arxiv.org/abs/1603.08155).

Loss histories are recorded, and shown every ``log_every`` updates, by
``gancourse.training.progress.LossHistory``; fast mode caps the loops
through ``gancourse.runtime.BUDGET``.
"""

import keras
import numpy as np

from gancourse import images
from gancourse import runtime
from gancourse.losses import perceptual
from gancourse.models import vgg
from gancourse.training import progress
from gancourse.training.base import apply_update


def make_style_transfer_step(
    extractor,
    style_targets,
    content_targets,
    optimizer,
    style_weight=1.0,
    content_weight=1.0,
    tv_weight=0.0,
    normalize=True,
):
    """Build one image-optimisation step of style transfer as a tf.function.

    构建风格迁移的一步图像优化（``tf.function``）。

    The image itself is the only trainable variable (Gatys et al. 2016):

        features = extractor(image)
        loss = style_weight * style_loss(style_targets, features["style"])
             + content_weight * content_loss(content_targets,
                                             features["content"])
             + tv_weight * total_variation_loss(image)
        image <- clip(image - optimizer_update(d loss / d image), -1, 1)

    Args:
        extractor: model from ``make_vgg_feature_extractor``.
        style_targets: list of style-image features (``extractor(style)``
            ["style"]); their Gram matrices are computed once here.
        content_targets: list of content-image features.
        optimizer: a Keras optimizer (e.g. ``keras.optimizers.Adam``), used
            for one image only.
        style_weight, content_weight, tv_weight: non-negative floats.
        normalize: use the scale-free (relative) style/content losses.

    Returns:
        ``step(image)`` where ``image`` is a ``tf.Variable`` (1, H, W, 3) in
        [-1, 1]; it updates the image in place and returns a dict of scalar
        tensors "loss", "style_loss", "content_loss", "tv_loss" (the unweighted
        terms, and the weighted total before the update).

    Raises:
        ValueError: negative weights, or target lists that do not match the
            extractor's layers.
    """
    import tensorflow as tf

    weights = {
        "style_weight": style_weight,
        "content_weight": content_weight,
        "tv_weight": tv_weight,
    }
    for name, value in weights.items():
        if float(value) < 0:
            raise ValueError(
                f"`{name}` must be non-negative. Received: {name}={value}"
            )
    style_targets, content_targets = (
        list(targets) if isinstance(targets, (list, tuple)) else [targets]
        for targets in (style_targets, content_targets)
    )
    if len(style_targets) != len(extractor.output["style"]) or len(
        content_targets
    ) != len(extractor.output["content"]):
        raise ValueError(
            "`style_targets`/`content_targets` must hold one tensor per "
            "style/content layer of the extractor "
            f"({len(extractor.output['style'])}/"
            f"{len(extractor.output['content'])}). Received: "
            f"{len(style_targets)}/{len(content_targets)} tensors"
        )
    style_grams = [perceptual.gram_matrix(target) for target in style_targets]
    content_targets = [
        keras.ops.convert_to_tensor(target, "float32")
        for target in content_targets
    ]
    style_weight = float(style_weight)
    content_weight = float(content_weight)
    tv_weight = float(tv_weight)

    @tf.function
    def step(image):
        with tf.GradientTape() as tape:
            logs = perceptual.perceptual_losses(
                extractor,
                image,
                style_grams,
                content_targets,
                (style_weight, content_weight, tv_weight),
                normalize,
            )
        apply_update(optimizer, [image], tape, logs["loss"])
        # 保持像素在 [-1, 1] / Keep the pixels in the valid range.
        image.assign(tf.clip_by_value(image, -1.0, 1.0))
        return logs

    return step


def _as_batch(image, name):
    """One RGB image in [-1, 1] as a (1, H, W, 3) float32 array."""
    image = np.asarray(image, dtype="float32")
    if image.ndim == 3:
        image = image[None]
    image = images.check_images(image, name, channels=(3,))
    if image.shape[0] != 1:
        raise ValueError(
            f"`{name}` must be one RGB image (height, width, 3) or "
            f"(1, height, width, 3) in [-1, 1]. Received: {name}.shape="
            f"{image.shape}"
        )
    return image


def run_style_transfer(
    content_image,
    style_image,
    iterations=300,
    init="content",
    style_weight=1.0,
    content_weight=1.0,
    tv_weight=0.0,
    learning_rate=0.02,
    normalize=True,
    extractor=None,
    seed=0,
    log_every=0,
):
    """Optimise an image to match one image's content and another's style.

    优化一张图像，使其内容接近内容图、风格接近风格图。

    Gatys et al. 2016 with Adam instead of L-BFGS:

        x = content (init="content") or uniform noise in [-1, 1] ("noise")
        repeat iterations times: x <- step(x)   # make_style_transfer_step

    Fast mode caps ``iterations`` (``gancourse.runtime.BUDGET``).

    Args:
        content_image: (H, W, 3) or (1, H, W, 3) float in [-1, 1].
        style_image: RGB image in [-1, 1]; any size (Gram matrices are
            size-normalised).
        iterations: number of Adam steps.
        init: "content" or "noise".
        style_weight, content_weight, tv_weight: loss weights.
        learning_rate: Adam learning rate (pixels are in [-1, 1]).
        normalize: scale-free losses (see ``style_loss``).
        extractor: a ``make_vgg_feature_extractor`` model; default builds one
            (ImageNet weights, or the random fallback).
        seed: seed of the noise initialisation.
        log_every: show the losses every ``log_every`` iterations with a
            ``keras.utils.Progbar`` (0: never).

    Returns:
        ``(image, history)``: float32 array (H, W, 3) in [-1, 1] and a dict
        of lists ("loss", "style_loss", "content_loss", "tv_loss"), one entry
        per iteration, measured before each update.

    Raises:
        ValueError: bad image shapes/ranges, a bad ``init`` or ``iterations``.
    """
    import tensorflow as tf

    if init not in ("content", "noise"):
        raise ValueError(
            f'`init` must be "content" or "noise". Received: init={init!r}'
        )
    iterations = runtime.BUDGET.iterations(iterations)
    content = _as_batch(content_image, "content_image")
    style = _as_batch(style_image, "style_image")
    if extractor is None:
        extractor = vgg.make_vgg_feature_extractor()
    content_targets = extractor(content, training=False)["content"]
    style_targets = extractor(style, training=False)["style"]
    optimizer = keras.optimizers.Adam(learning_rate=learning_rate)
    step = make_style_transfer_step(
        extractor,
        style_targets,
        content_targets,
        optimizer,
        style_weight=style_weight,
        content_weight=content_weight,
        tv_weight=tv_weight,
        normalize=normalize,
    )
    if init == "content":
        start = content
    else:
        start = keras.ops.convert_to_numpy(
            keras.random.uniform(
                content.shape, minval=-1.0, maxval=1.0, seed=int(seed)
            )
        )
    image = tf.Variable(start, dtype="float32", name="image")
    log = progress.LossHistory(iterations, log_every, unit_name="iteration")
    for iteration in range(1, iterations + 1):
        log.append(iteration, step(image))
    return image.numpy()[0], log.history


def train_feed_forward_stylizer(
    transformer,
    extractor,
    style_image,
    content_images,
    steps=300,
    batch_size=4,
    crop_size=64,
    style_weight=1.0,
    content_weight=1.0,
    tv_weight=0.0,
    learning_rate=1e-3,
    seed=0,
    log_every=0,
):
    """Train ``transformer`` to stylise images in one forward pass (extra).

    训练变换网络，使其一次前向传播即可完成风格化（附加内容）。

    Johnson et al. 2016 (https://arxiv.org/abs/1603.08155): the same
    perceptual losses as ``run_style_transfer``, but the optimised variables
    are the network's weights, averaged over random content crops:

        for each step:
            x = random crops of content_images       # (batch, crop, crop, 3)
            y = transformer(x)
            loss = style_weight * style_loss(style, vgg(y))
                 + content_weight * content_loss(vgg(x), vgg(y))
                 + tv_weight * total_variation_loss(y)
            Adam step on transformer.trainable_weights

    Fast mode caps ``steps`` (``gancourse.runtime.BUDGET``).

    Args:
        transformer: model from ``make_transformer_network``.
        extractor: model from ``make_vgg_feature_extractor``.
        style_image: (H, W, 3) in [-1, 1].
        content_images: list of (H, W, 3) arrays in [-1, 1], each at least
            ``crop_size`` pixels high and wide.
        steps, batch_size, crop_size: training schedule (``crop_size``
            divisible by 4).
        style_weight, content_weight, tv_weight: loss weights (the
            scale-free losses, ``normalize=True``).
        learning_rate: Adam learning rate.
        seed: seed of the crops (random position and left-right flip).
        log_every: show the losses every ``log_every`` steps with a
            ``keras.utils.Progbar`` (0: never).

    Returns:
        dict of lists "loss", "style_loss", "content_loss", "tv_loss".

    Raises:
        ValueError: bad images, ``crop_size`` or schedule.
    """
    import tensorflow as tf

    steps = runtime.BUDGET.steps(steps)
    batch_size = runtime.check_int("batch_size", batch_size, minimum=1)
    crop_size = runtime.check_int("crop_size", crop_size, minimum=1)
    if crop_size % 4:
        raise ValueError(
            "`crop_size` must be divisible by 4. "
            f"Received: crop_size={crop_size}"
        )
    style = _as_batch(style_image, "style_image")
    if isinstance(content_images, np.ndarray) and content_images.ndim == 3:
        content_images = [content_images]
    content_images = [
        _as_batch(image, "content_images")[0] for image in content_images
    ]
    if not content_images or any(
        min(image.shape[:2]) < crop_size for image in content_images
    ):
        raise ValueError(
            "`content_images` must be a non-empty list of images at least "
            f"crop_size={crop_size} pixels high and wide. Received: shapes "
            f"{[image.shape for image in content_images]}"
        )
    style_grams = [
        perceptual.gram_matrix(features)
        for features in extractor(style, training=False)["style"]
    ]
    optimizer = keras.optimizers.Adam(learning_rate=learning_rate)
    weights = (float(style_weight), float(content_weight), float(tv_weight))

    @tf.function
    def train_step(crops):
        with tf.GradientTape() as tape:
            stylised = transformer(crops, training=True)
            targets = extractor(crops, training=False)["content"]
            logs = perceptual.perceptual_losses(
                extractor, stylised, style_grams, targets, weights, True
            )
        apply_update(optimizer, transformer, tape, logs["loss"])
        return logs

    rng = np.random.default_rng(int(seed))
    log = progress.LossHistory(steps, log_every, unit_name="step")
    for step in range(1, steps + 1):
        crops = images.random_crops(
            content_images, batch_size, crop_size, rng, flip=True
        )
        log.append(step, train_step(tf.constant(crops)))
    return log.history

"""Neural style transfer (Gatys et al.): Gram matrices, VGG19 features, loop.

神经风格迁移（Gatys 等）：Gram 矩阵、VGG19 特征与图像优化循环。

Paper: Gatys, Ecker, Bethge, "A Neural Algorithm of Artistic Style", 2015
(https://arxiv.org/abs/1508.06576) and "Image Style Transfer Using
Convolutional Neural Networks", CVPR 2016.

Conventions: images are NHWC float32 in [-1, 1] (the course convention); the
feature extractor converts them to VGG19's "caffe" preprocessing inside.
The losses here are the perceptual/Gram losses that GANs such as SRGAN
(https://arxiv.org/abs/1609.04802) and pix2pixHD
(https://arxiv.org/abs/1711.11585) add to their adversarial loss.

Without network access the ImageNet weights of VGG19 cannot be downloaded;
``make_vgg_feature_extractor`` then falls back, visibly, to a seeded random
VGG19. Random convolutional features still capture texture statistics:
Ustyuzhaninov, Brendel, Gatys, Bethge, "Texture synthesis using shallow
convolutional networks with random filters", 2016
(https://arxiv.org/abs/1606.00021) / "What does it take to generate natural
textures?", ICLR 2017; He, Wang, Hopcroft, "A Powerful Generative Model Using
Random Weights for the Deep Image Representation", NeurIPS 2016
(https://arxiv.org/abs/1606.04801).
"""

import socket
import time

import keras
import numpy as np

from gancourse import runtime

# VGG19 的层名（按网络顺序）/ VGG19 layer names, in network order.
VGG19_LAYERS = tuple(
    name
    for block, convs in enumerate((2, 2, 4, 4, 4), start=1)
    for name in [f"block{block}_conv{i}" for i in range(1, convs + 1)]
    + [f"block{block}_pool"]
)
DEFAULT_STYLE_LAYERS = (
    "block1_conv1",
    "block2_conv1",
    "block3_conv1",
    "block4_conv1",
    "block5_conv1",
)
DEFAULT_CONTENT_LAYERS = ("block5_conv2",)
# VGG19 "caffe" 预处理的 BGR 均值 / BGR means of VGG19's "caffe" preprocessing.
VGG19_BGR_MEAN = (103.939, 116.779, 123.68)
_EPSILON = 1e-8


# ---------------------------------------------------------------------------
# 损失 / Losses
# ---------------------------------------------------------------------------


def _rank4(features, name):
    shape = tuple(keras.ops.shape(features))
    if len(shape) != 4:
        raise ValueError(
            f"`{name}` must be a batch of feature maps (batch, height, width, "
            f"channels). Received: {name}.shape={shape}"
        )
    return shape


def _as_list(features, name):
    if isinstance(features, (list, tuple)):
        return list(features)
    return [features]


def _layer_weights(layer_weights, count):
    if layer_weights is None:
        return [1.0 / count] * count
    layer_weights = [float(weight) for weight in layer_weights]
    if len(layer_weights) != count:
        raise ValueError(
            f"`layer_weights` must have one weight per layer ({count}). "
            f"Received: layer_weights={layer_weights}"
        )
    return layer_weights


def _check_pairs(targets, generated, target_name):
    targets = _as_list(targets, target_name)
    generated = _as_list(generated, "generated_features")
    if not targets or len(targets) != len(generated):
        raise ValueError(
            f"`{target_name}` and `generated_features` must be non-empty lists "
            "of the same length (one tensor per layer). Received: "
            f"{len(targets)} and {len(generated)} tensors"
        )
    return targets, generated


def gram_matrix(features):
    """Gram matrices of a batch of NHWC feature maps, normalised by H*W.

    一批 NHWC 特征图的 Gram 矩阵（除以 H*W 归一化）。

    Gatys et al. 2015 (https://arxiv.org/abs/1508.06576), style
    representation:

        F = reshape(features, (batch, H*W, C))
        G[b] = F[b]^T @ F[b] / (H*W)        # (batch, C, C)

    Dividing by the number of positions H*W makes G the *average* outer
    product of the channel vectors, so Gram matrices of a style image and of a
    generated image of a different size are comparable.

    Args:
        features: tensor (batch, height, width, channels).

    Returns:
        float32 tensor (batch, channels, channels), symmetric.

    Raises:
        ValueError: if ``features`` is not rank 4.

    Example:
        >>> gram_matrix(np.ones((1, 2, 2, 3), "float32")).shape
        TensorShape([1, 3, 3])
    """
    _rank4(features, "features")
    features = keras.ops.cast(features, "float32")
    shape = keras.ops.shape(features)
    positions = keras.ops.cast(shape[1] * shape[2], "float32")
    gram = keras.ops.einsum("bhwc,bhwd->bcd", features, features)
    return gram / positions


def style_loss(
    style_features, generated_features, layer_weights=None, normalize=False
):
    """Weighted sum over layers of mean squared Gram-matrix differences.

    风格损失：各层 Gram 矩阵差的均方误差之加权和。

    Gatys et al. 2016 (CVPR), eq. 4-5; with ``gram_matrix`` normalised by H*W
    this equals their E_l up to the constant factor 1/4:

        A_l = gram(style_features[l]); G_l = gram(generated_features[l])
        E_l = mean((G_l - A_l) ** 2)                    # over batch, C, C
        if normalize: E_l = E_l / (mean(A_l ** 2) + eps)
        loss = sum_l w_l * E_l          # default w_l = 1 / num_layers

    ``normalize=True`` makes each layer's term scale-free (relative error),
    so the same ``style_weight`` works for ImageNet and random VGG19 weights,
    whose activations differ in scale by orders of magnitude.

    Args:
        style_features: list of (batch or 1, H, W, C) tensors, one per layer
            (a single tensor is treated as a one-element list). Batch 1
            broadcasts against the generated batch.
        generated_features: list of tensors, same layers and channels.
        layer_weights: optional list of floats, one per layer.
        normalize: divide each layer's error by the mean square of the
            target Gram matrix.

    Returns:
        Scalar float32 tensor.

    Raises:
        ValueError: different numbers of layers, wrong ranks, or a wrong
            number of ``layer_weights``.
    """
    targets, generated = _check_pairs(
        style_features, generated_features, "style_features"
    )
    weights = _layer_weights(layer_weights, len(targets))
    return _gram_loss(
        [gram_matrix(target) for target in targets],
        generated,
        weights,
        normalize,
    )


def _gram_loss(target_grams, generated_features, weights, normalize):
    """Style loss from precomputed target Gram matrices."""
    total = 0.0
    for target, features, weight in zip(
        target_grams, generated_features, weights
    ):
        error = keras.ops.mean(keras.ops.square(gram_matrix(features) - target))
        if normalize:
            error = error / (
                keras.ops.mean(keras.ops.square(target)) + _EPSILON
            )
        total = total + weight * error
    return keras.ops.convert_to_tensor(total, "float32")


def content_loss(
    content_features, generated_features, layer_weights=None, normalize=False
):
    """Weighted sum over layers of mean squared feature differences.

    内容损失：各层特征差的均方误差之加权和。

    Gatys et al. 2016 (CVPR), eq. 1 (up to the constant factor):

        E_l = mean((generated_features[l] - content_features[l]) ** 2)
        if normalize: E_l = E_l / (mean(content_features[l] ** 2) + eps)
        loss = sum_l w_l * E_l          # default w_l = 1 / num_layers

    Args:
        content_features: list of (batch, H, W, C) tensors (or one tensor).
        generated_features: list of tensors of the same shapes.
        layer_weights: optional list of floats, one per layer.
        normalize: divide each layer's error by the mean square of the
            content features (relative error, scale-free).

    Returns:
        Scalar float32 tensor.

    Raises:
        ValueError: different numbers of layers, ranks or static shapes.
    """
    targets, generated = _check_pairs(
        content_features, generated_features, "content_features"
    )
    weights = _layer_weights(layer_weights, len(targets))
    total = 0.0
    for target, features, weight in zip(targets, generated, weights):
        target_shape = _rank4(target, "content_features")
        feature_shape = _rank4(features, "generated_features")
        if target_shape[1:] != feature_shape[1:]:
            raise ValueError(
                "`content_features` and `generated_features` must have the "
                f"same (height, width, channels). Received: {target_shape} "
                f"and {feature_shape}"
            )
        target = keras.ops.cast(target, "float32")
        features = keras.ops.cast(features, "float32")
        error = keras.ops.mean(keras.ops.square(features - target))
        if normalize:
            error = error / (
                keras.ops.mean(keras.ops.square(target)) + _EPSILON
            )
        total = total + weight * error
    return keras.ops.convert_to_tensor(total, "float32")


def total_variation_loss(images):
    """Total variation: mean of squared differences of neighbouring pixels.

    全变差损失：相邻像素差的平方的平均值。

    Variant: the *squared* (L2, "beta = 2") total variation of Mahendran and
    Vedaldi 2015 (https://arxiv.org/abs/1412.0035), averaged rather than
    summed so it does not grow with the image size:

        dy = images[:, 1:, :, :] - images[:, :-1, :, :]
        dx = images[:, :, 1:, :] - images[:, :, :-1, :]
        loss = mean(dy ** 2) + mean(dx ** 2)

    (``tf.image.total_variation`` is the other variant: a *sum* of absolute
    differences per image.)

    Args:
        images: tensor (batch, height, width, channels), height and width
            at least 2.

    Returns:
        Scalar float32 tensor.

    Raises:
        ValueError: if ``images`` is not rank 4 or is smaller than 2x2.
    """
    shape = _rank4(images, "images")
    if shape[1] is not None and shape[2] is not None:
        if shape[1] < 2 or shape[2] < 2:
            raise ValueError(
                "`images` must be at least 2x2 pixels. "
                f"Received: images.shape={shape}"
            )
    images = keras.ops.cast(images, "float32")
    vertical = images[:, 1:, :, :] - images[:, :-1, :, :]
    horizontal = images[:, :, 1:, :] - images[:, :, :-1, :]
    return keras.ops.mean(keras.ops.square(vertical)) + keras.ops.mean(
        keras.ops.square(horizontal)
    )


# ---------------------------------------------------------------------------
# 特征提取器 / Feature extractor
# ---------------------------------------------------------------------------


def vgg19_preprocess(images):
    """Map RGB images in [-1, 1] to VGG19's "caffe" input (BGR, mean-free).

    把 [-1, 1] 的 RGB 图像转换为 VGG19 的 "caffe" 输入（BGR，减去均值）。

        pixels = (images + 1) * 127.5            # [0, 255]
        out = pixels[..., ::-1] - [103.939, 116.779, 123.68]

    Same result as ``keras.applications.vgg19.preprocess_input`` on
    ``pixels``.
    """
    pixels = (keras.ops.cast(images, "float32") + 1.0) * 127.5
    bgr = keras.ops.flip(pixels, axis=-1)
    return bgr - keras.ops.convert_to_tensor(VGG19_BGR_MEAN, "float32")


def _check_layers(names, argument):
    if isinstance(names, str):
        names = (names,)
    names = tuple(names)
    unknown = [name for name in names if name not in VGG19_LAYERS]
    if unknown or not names:
        raise ValueError(
            f"`{argument}` must be a non-empty list of VGG19 layer names. "
            f"Valid names: {', '.join(VGG19_LAYERS)}. "
            f"Received: {argument}={names!r}"
        )
    return names


def _load_imagenet_vgg19(input_shape, download_timeout):
    """VGG19 with ImageNet weights; a socket timeout guards the download."""
    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(download_timeout)
    try:
        return keras.applications.VGG19(
            include_top=False, weights="imagenet", input_shape=input_shape
        )
    finally:
        socket.setdefaulttimeout(previous)


def _random_vgg19(input_shape, seed, deepest):
    """VGG19 (same layer names) up to ``deepest``, seeded He-normal kernels."""
    from keras import layers

    images = keras.Input(shape=input_shape)
    x = images
    index = 0
    for block, (convs, filters) in enumerate(
        zip((2, 2, 4, 4, 4), (64, 128, 256, 512, 512)), start=1
    ):
        for conv in range(1, convs + 1):
            # 方差保持的初始化让各层特征尺度相近 / Variance-preserving init
            # keeps feature scales similar in every layer (ReLU halves them).
            x = layers.Conv2D(
                filters,
                3,
                padding="same",
                activation="relu",
                kernel_initializer=keras.initializers.HeNormal(seed + index),
                name=f"block{block}_conv{conv}",
            )(x)
            index += 1
            if f"block{block}_conv{conv}" == deepest:
                return keras.Model(images, x, name="vgg19")
        x = layers.MaxPooling2D(2, name=f"block{block}_pool")(x)
        if f"block{block}_pool" == deepest:
            return keras.Model(images, x, name="vgg19")
    return keras.Model(images, x, name="vgg19")


def make_vgg_feature_extractor(
    style_layers=DEFAULT_STYLE_LAYERS,
    content_layers=DEFAULT_CONTENT_LAYERS,
    weights="imagenet",
    input_shape=None,
    seed=0,
    download_timeout=20.0,
    verbose=True,
):
    """VGG19 feature extractor: images in [-1, 1] -> style/content features.

    VGG19 特征提取器：[-1, 1] 的图像 -> 风格/内容特征。

    Gatys et al. 2016 use VGG19 activations: Gram matrices of several layers
    for style, one deeper layer for content. The model is frozen and only runs
    up to the deepest requested layer.

        x = vgg19_preprocess(images)           # [-1, 1] RGB -> caffe BGR
        {"style": [vgg_l(x) for l in style_layers],
         "content": [vgg_l(x) for l in content_layers]}

    Weights: ``weights="imagenet"`` downloads the ImageNet weights (about
    80 MB, cached in ``~/.keras/models``). If that fails (offline), the
    extractor falls back to a **seeded random VGG19** (He-normal kernels, zero
    biases), prints a one-line notice, and records it in
    ``extractor.weights_source`` ("imagenet" or "random"). ``weights=None``
    forces random weights. Random filters still capture texture statistics
    (Ustyuzhaninov, Brendel, Gatys, Bethge 2016/ICLR 2017,
    https://arxiv.org/abs/1606.00021; He, Wang, Hopcroft 2016,
    https://arxiv.org/abs/1606.04801), so style transfer still works, with
    less semantic content features.

    Args:
        style_layers: VGG19 layer names for the style (Gram) features.
        content_layers: VGG19 layer names for the content features.
        weights: "imagenet" (with fallback), None (random), or a path to a
            VGG19 ``include_top=False`` weights file.
        input_shape: optional (height, width, 3); default any size.
        seed: int seed of the random weights.
        download_timeout: seconds of socket inactivity before the download
            attempt is abandoned (guards against a hanging network).
        verbose: print the fallback notice.

    Returns:
        A frozen functional ``keras.Model`` mapping (batch, H, W, 3) images in
        [-1, 1] to ``{"style": [tensors], "content": [tensors]}``, with
        attributes ``weights_source``, ``style_layers``, ``content_layers``.

    Raises:
        ValueError: unknown layer names (the message lists the valid ones),
            a bad ``input_shape``, or bad ``weights``.
    """
    style_layers = _check_layers(style_layers, "style_layers")
    content_layers = _check_layers(content_layers, "content_layers")
    if input_shape is not None:
        shape = tuple(input_shape)
        if len(shape) != 3 or shape[-1] != 3:
            raise ValueError(
                "`input_shape` must be (height, width, 3). "
                f"Received: input_shape={input_shape!r}"
            )
        input_shape = shape
    vgg_shape = input_shape or (None, None, 3)
    seed = int(seed)
    names = list(dict.fromkeys(style_layers + content_layers))
    deepest = max(names, key=VGG19_LAYERS.index)
    if weights is None:
        vgg, source = _random_vgg19(vgg_shape, seed, deepest), "random"
    elif weights == "imagenet":
        try:
            vgg = _load_imagenet_vgg19(vgg_shape, download_timeout)
            source = "imagenet"
        except Exception as error:  # noqa: BLE001 - any download failure.
            vgg, source = _random_vgg19(vgg_shape, seed, deepest), "random"
            if verbose:
                # 只保留错误的最后一段（如 DNS 失败）/ Keep the error's tail.
                reason = str(error).rsplit(" -- ", 1)[-1][:80]
                print(
                    f"VGG19 ImageNet weights unavailable ({reason}); using "
                    f"random VGG19 weights (seed={seed}) instead."
                )
    elif isinstance(weights, str):
        vgg = keras.applications.VGG19(
            include_top=False, weights=weights, input_shape=vgg_shape
        )
        source = weights
    else:
        raise ValueError(
            '`weights` must be "imagenet", None or a file path. '
            f"Received: weights={weights!r}"
        )
    vgg.trainable = False
    trunk = keras.Model(
        vgg.input,
        [vgg.get_layer(name).output for name in names],
        name="vgg19_trunk",
    )
    images = keras.Input(shape=vgg_shape, name="images")
    inputs = keras.layers.Lambda(vgg19_preprocess, name="vgg19_preprocess")(
        images
    )
    outputs = trunk(inputs)
    by_name = dict(zip(names, outputs))
    extractor = keras.Model(
        images,
        {
            "style": [by_name[name] for name in style_layers],
            "content": [by_name[name] for name in content_layers],
        },
        name="vgg19_features",
    )
    extractor.trainable = False
    extractor.weights_source = source
    extractor.style_layers = style_layers
    extractor.content_layers = content_layers
    return extractor


# ---------------------------------------------------------------------------
# 优化循环 / Optimisation loop
# ---------------------------------------------------------------------------


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
    style_targets = _as_list(style_targets, "style_targets")
    content_targets = _as_list(content_targets, "content_targets")
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
    style_grams = [gram_matrix(target) for target in style_targets]
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
            logs = _perceptual_losses(
                extractor,
                image,
                style_grams,
                content_targets,
                (style_weight, content_weight, tv_weight),
                normalize,
            )
        gradient = tape.gradient(logs["loss"], image)
        optimizer.apply_gradients([(gradient, image)])
        # 保持像素在 [-1, 1] / Keep the pixels in the valid range.
        image.assign(tf.clip_by_value(image, -1.0, 1.0))
        return logs

    return step


def _perceptual_losses(
    extractor, images, style_grams, content_targets, weights, normalize
):
    """Weighted Gatys losses of ``images``: {"loss", "style_loss", ...}."""
    features = extractor(images, training=False)
    layer_weights = [1.0 / len(style_grams)] * len(style_grams)
    style = _gram_loss(style_grams, features["style"], layer_weights, normalize)
    content = content_loss(
        content_targets, features["content"], normalize=normalize
    )
    variation = total_variation_loss(images)
    style_weight, content_weight, tv_weight = weights
    return {
        "loss": style_weight * style
        + content_weight * content
        + tv_weight * variation,
        "style_loss": style,
        "content_loss": content,
        "tv_loss": variation,
    }


def _as_batch(image, name):
    image = np.asarray(image, dtype="float32")
    if image.ndim == 3:
        image = image[None]
    if image.ndim != 4 or image.shape[0] != 1 or image.shape[-1] != 3:
        raise ValueError(
            f"`{name}` must be one RGB image (height, width, 3) or "
            f"(1, height, width, 3) in [-1, 1]. Received: {name}.shape="
            f"{image.shape}"
        )
    low, high = float(image.min()), float(image.max())
    if low < -1.001 or high > 1.001:
        raise ValueError(
            f"`{name}` must hold values in [-1, 1]. "
            f"Received: values in [{low:.3f}, {high:.3f}]"
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

    Fast mode (``GANCOURSE_FAST=1``) caps ``iterations`` via
    ``gancourse.runtime.cap_iterations``.

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
        log_every: print one line every ``log_every`` iterations (0: never).

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
    iterations = runtime.cap_iterations(iterations)
    content = _as_batch(content_image, "content_image")
    style = _as_batch(style_image, "style_image")
    if extractor is None:
        extractor = make_vgg_feature_extractor()
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
    history = {"loss": [], "style_loss": [], "content_loss": [], "tv_loss": []}
    begin = time.perf_counter()
    for iteration in range(1, iterations + 1):
        logs = step(image)
        for key in history:
            history[key].append(float(logs[key]))
        if log_every and (iteration % log_every == 0 or iteration == 1):
            print(
                f"iteration {iteration:4d}: loss={history['loss'][-1]:.4f} "
                f"style={history['style_loss'][-1]:.4f} "
                f"content={history['content_loss'][-1]:.4f} "
                f"tv={history['tv_loss'][-1]:.4f} "
                f"({time.perf_counter() - begin:.1f}s)"
            )
    return image.numpy()[0], history


# ---------------------------------------------------------------------------
# 图像 / Images
# ---------------------------------------------------------------------------


def _resize_to(image, max_size):
    """Resize a uint8 (H, W, 3) array so its long side is ``max_size``."""
    from PIL import Image

    if max_size is None:
        return image
    max_size = runtime._positive_int("max_size", max_size)
    height, width = image.shape[:2]
    scale = max_size / max(height, width)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    resized = Image.fromarray(image).resize(size, Image.Resampling.LANCZOS)
    return np.asarray(resized)


def _to_unit_range(image):
    return (np.asarray(image, dtype="float32") / 127.5 - 1.0).astype("float32")


def load_image(path, max_size=None):
    """Load an RGB image file (or http(s) URL) as float32 in [-1, 1].

    读取 RGB 图像文件（或 http(s) 网址）为 [-1, 1] 的 float32 数组。

    Args:
        path: file path, or an http(s) URL (downloaded once to
            ``~/.keras/datasets`` with ``keras.utils.get_file``).
        max_size: optional int, resize so the long side has this many pixels.

    Returns:
        float32 array (height, width, 3) in [-1, 1].
    """
    from PIL import Image

    path = str(path)
    if path.startswith(("http://", "https://")):
        path = keras.utils.get_file(origin=path)
    with Image.open(path) as picture:
        image = np.asarray(picture.convert("RGB"))
    return _to_unit_range(_resize_to(image, max_size))


def load_content_image(max_size=192, name="china.jpg"):
    """A default content photo bundled with scikit-learn (works offline).

    默认内容图：scikit-learn 自带的照片（离线可用）。

    Args:
        max_size: long side in pixels.
        name: "china.jpg" (a pagoda, the default) or "flower.jpg".

    Returns:
        float32 array (H, W, 3) in [-1, 1], long side ``max_size``.

    Raises:
        ValueError: unknown ``name``.
    """
    if name not in ("china.jpg", "flower.jpg"):
        raise ValueError(
            '`name` must be "china.jpg" or "flower.jpg". '
            f"Received: name={name!r}"
        )
    from sklearn.datasets import load_sample_image

    return _to_unit_range(_resize_to(load_sample_image(name), max_size))


def make_style_pattern(size=128, seed=0):
    """A colourful, painterly procedural image to use as a style image.

    生成一张色彩丰富、类似油画笔触的程序化图像，用作风格图。

    Short brush strokes follow a smooth random flow field (in the spirit of
    stroke-based painterly rendering); each stroke takes a colour from a
    blue/yellow/orange palette chosen by a second smooth field, plus jitter.
    Drawn at twice the size and downsampled for anti-aliasing:

        angle(p) = 1.5 * sum_k a_k * sin(f_k . p + phi_k)
        repeat: start at a random p, step 3 px along angle(p) 3-6 times,
                draw the polyline with width 2-3 px in palette[colour(p)]

    Args:
        size: int, height and width in pixels.
        seed: int seed (NumPy ``default_rng``).

    Returns:
        float32 array (size, size, 3) in [-1, 1].
    """
    from PIL import Image
    from PIL import ImageDraw

    size = runtime._positive_int("size", size)
    rng = np.random.default_rng(int(seed))
    scale = 2
    big = size * scale
    palette = np.array(
        [
            [20, 40, 110],
            [40, 90, 180],
            [90, 160, 220],
            [240, 200, 60],
            [230, 120, 30],
            [250, 240, 200],
            [30, 120, 90],
        ],
        dtype="float64",
    )
    coords = np.linspace(0.0, 2.0 * np.pi, big)
    x, y = np.meshgrid(coords, coords)

    def smooth_field():
        field = np.zeros_like(x)
        for _ in range(4):
            freq = rng.uniform(0.5, 2.5, size=2)
            phase = rng.uniform(0.0, 2.0 * np.pi)
            field += rng.uniform(0.5, 1.0) * np.sin(
                freq[0] * x + freq[1] * y + phase
            )
        return field

    angle = 1.5 * smooth_field()
    colour_field = smooth_field()
    # 分位数切分使每种颜色面积相近 / Quantile bins give each colour a
    # similar area.
    bins = np.quantile(
        colour_field, np.linspace(0.0, 1.0, len(palette) + 1)[1:-1]
    )
    canvas = Image.new("RGB", (big, big), (30, 50, 100))
    draw = ImageDraw.Draw(canvas)
    for _ in range(int(0.12 * big * big / scale)):
        px, py = rng.uniform(0.0, big, size=2)
        row, col = int(py) % big, int(px) % big
        colour = palette[np.searchsorted(bins, colour_field[row, col])]
        colour = np.clip(colour + rng.normal(0.0, 15.0, size=3), 0, 255)
        points = [(px, py)]
        for _ in range(int(rng.integers(3, 7))):
            theta = angle[int(py) % big, int(px) % big]
            px += 3 * scale * np.cos(theta)
            py += 3 * scale * np.sin(theta)
            points.append((px, py))
        draw.line(
            points,
            fill=tuple(int(value) for value in colour),
            width=int(rng.integers(2, 4)) * scale,
            joint="curve",
        )
    image = np.asarray(canvas.resize((size, size), Image.Resampling.LANCZOS))
    return _to_unit_range(image)


def load_style_image(name="pattern", max_size=128, seed=0):
    """A default style image that works offline.

    离线可用的默认风格图。

    Args:
        name: "pattern" (``make_style_pattern``) or the name of a colour
            image bundled with scikit-image: "astronaut", "chelsea",
            "coffee", "rocket".
        max_size: long side in pixels.
        seed: seed of the pattern.

    Returns:
        float32 array (H, W, 3) in [-1, 1].

    Raises:
        ValueError: unknown ``name``.
    """
    bundled = ("astronaut", "chelsea", "coffee", "rocket")
    if name == "pattern":
        return make_style_pattern(max_size, seed=seed)
    if name not in bundled:
        raise ValueError(
            f'`name` must be "pattern" or one of {bundled}. '
            f"Received: name={name!r}"
        )
    from skimage import data

    return _to_unit_range(_resize_to(getattr(data, name)(), max_size))


# ---------------------------------------------------------------------------
# 附加：前馈风格化网络 / Extra: a feed-forward stylisation network
# ---------------------------------------------------------------------------


def make_transformer_network(filters=16, num_residual=2, image_shape=None):
    """A small image-transformation network for feed-forward stylisation.

    用于前馈风格化的小型图像变换网络（附加内容）。

    A scaled-down version of Johnson, Alahi, Fei-Fei 2016
    (https://arxiv.org/abs/1603.08155), with instance normalisation
    (Ulyanov et al. 2016, https://arxiv.org/abs/1607.08022) and
    upsample-then-convolve instead of transposed convolutions:

        x -> conv9x9(f) -> conv3x3/2(2f) -> conv3x3/2(4f)
          -> num_residual x [x + conv(conv(x))]
          -> upsample, conv(2f) -> upsample, conv(f) -> conv9x9(3) -> tanh

    Args:
        filters: int, width of the first layer.
        num_residual: int, residual blocks at the lowest resolution.
        image_shape: optional (height, width, 3), both divisible by 4;
            default any size divisible by 4.

    Returns:
        Functional ``keras.Model`` (batch, H, W, 3) in [-1, 1] -> same shape,
        ending in tanh.

    Raises:
        ValueError: bad ``filters``/``num_residual`` or ``image_shape``.
    """
    from keras import layers

    from gancourse import models

    filters = runtime._positive_int("filters", filters)
    num_residual = runtime.check_int("num_residual", num_residual, minimum=0)
    if image_shape is not None:
        image_shape = models.check_image_shape(image_shape, divisor=4)
        if image_shape[-1] != 3:
            raise ValueError(
                "`image_shape` must have 3 channels. "
                f"Received: image_shape={image_shape!r}"
            )

    def conv_norm_relu(x, width, kernel, strides=1, relu=True):
        x = layers.Conv2D(width, kernel, strides=strides, padding="same")(x)
        # groups=-1 即实例归一化 / groups=-1 is instance normalisation.
        x = layers.GroupNormalization(groups=-1)(x)
        return layers.ReLU()(x) if relu else x

    images = keras.Input(shape=image_shape or (None, None, 3), name="images")
    x = conv_norm_relu(images, filters, 9)
    x = conv_norm_relu(x, 2 * filters, 3, strides=2)
    x = conv_norm_relu(x, 4 * filters, 3, strides=2)
    for _ in range(num_residual):
        residual = conv_norm_relu(x, 4 * filters, 3)
        residual = conv_norm_relu(residual, 4 * filters, 3, relu=False)
        x = layers.Add()([x, residual])
    for width in (2 * filters, filters):
        x = layers.UpSampling2D(2, interpolation="nearest")(x)
        x = conv_norm_relu(x, width, 3)
    outputs = layers.Conv2D(3, 9, padding="same", activation="tanh")(x)
    return keras.Model(images, outputs, name="transformer_network")


def _random_crops(images, batch_size, crop_size, rng):
    """A batch of random square crops (NumPy, seeded)."""
    crops = []
    for _ in range(batch_size):
        image = images[rng.integers(len(images))]
        top = rng.integers(image.shape[0] - crop_size + 1)
        left = rng.integers(image.shape[1] - crop_size + 1)
        crop = image[top : top + crop_size, left : left + crop_size]
        if rng.random() < 0.5:
            crop = crop[:, ::-1]
        crops.append(crop)
    return np.stack(crops).astype("float32")


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

    Fast mode caps ``steps`` via ``gancourse.runtime.cap_steps``.

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
        seed: seed of the crops.
        log_every: print one line every ``log_every`` steps (0: never).

    Returns:
        dict of lists "loss", "style_loss", "content_loss", "tv_loss".

    Raises:
        ValueError: bad images, ``crop_size`` or schedule.
    """
    import tensorflow as tf

    steps = runtime.cap_steps(steps)
    batch_size = runtime._positive_int("batch_size", batch_size)
    crop_size = runtime._positive_int("crop_size", crop_size)
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
        gram_matrix(features)
        for features in extractor(style, training=False)["style"]
    ]
    optimizer = keras.optimizers.Adam(learning_rate=learning_rate)
    weights = (float(style_weight), float(content_weight), float(tv_weight))

    @tf.function
    def train_step(crops):
        with tf.GradientTape() as tape:
            stylised = transformer(crops, training=True)
            targets = extractor(crops, training=False)["content"]
            logs = _perceptual_losses(
                extractor, stylised, style_grams, targets, weights, True
            )
        gradients = tape.gradient(logs["loss"], transformer.trainable_weights)
        optimizer.apply_gradients(zip(gradients, transformer.trainable_weights))
        return logs

    rng = np.random.default_rng(int(seed))
    history = {"loss": [], "style_loss": [], "content_loss": [], "tv_loss": []}
    begin = time.perf_counter()
    for step in range(1, steps + 1):
        crops = _random_crops(content_images, batch_size, crop_size, rng)
        logs = train_step(tf.constant(crops))
        for key in history:
            history[key].append(float(logs[key]))
        if log_every and (step % log_every == 0 or step == 1):
            print(
                f"step {step:4d}: loss={history['loss'][-1]:.4f} "
                f"style={history['style_loss'][-1]:.4f} "
                f"content={history['content_loss'][-1]:.4f} "
                f"({time.perf_counter() - begin:.1f}s)"
            )
    return history

"""Perceptual losses of neural style transfer: Gram, style, content, TV.

神经风格迁移的感知损失：Gram 矩阵、风格损失、内容损失与全变分损失。

Gatys, Ecker, Bethge, "A Neural Algorithm of Artistic Style", 2015
(https://arxiv.org/abs/1508.06576) and "Image Style Transfer Using
Convolutional Neural Networks", CVPR 2016. GANs such as SRGAN
(https://arxiv.org/abs/1609.04802) and pix2pixHD
(https://arxiv.org/abs/1711.11585) add the same losses to their adversarial
loss. Every loss takes NHWC feature maps (or images), computes in float32
and returns a scalar.
"""

import keras

_EPSILON = 1e-8


def _rank4(features, name):
    shape = tuple(keras.ops.shape(features))
    if len(shape) != 4:
        raise ValueError(
            f"`{name}` must be a batch of feature maps (batch, height, width, "
            f"channels). Received: {name}.shape={shape}"
        )
    return shape


def _as_list(features):
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
    targets = _as_list(targets)
    generated = _as_list(generated)
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
        >>> import numpy as np
        >>> tuple(gram_matrix(np.ones((1, 2, 2, 3), "float32")).shape)
        (1, 3, 3)
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

    全变分损失：相邻像素差的平方的平均值。

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


def perceptual_losses(
    extractor, images, style_grams, content_targets, weights, normalize
):
    """The weighted Gatys loss of ``images`` and its three terms.

    图像的加权 Gatys 损失及其三项（风格、内容、全变分）。

    Shared by the image optimisation (``run_style_transfer``) and the
    feed-forward network (``train_feed_forward_stylizer``):

        features = extractor(images)
        loss = style_weight * style + content_weight * content
             + tv_weight * total_variation_loss(images)

    Args:
        extractor: model from ``make_vgg_feature_extractor``.
        images: (batch, H, W, 3) tensor in [-1, 1].
        style_grams: list of target Gram matrices, one per style layer
            (each layer weighted 1 / num_layers).
        content_targets: list of content features, one per content layer.
        weights: (style_weight, content_weight, tv_weight) floats.
        normalize: use the scale-free (relative) style and content losses.

    Returns:
        dict of scalar tensors "loss" (weighted total), "style_loss",
        "content_loss", "tv_loss" (unweighted terms).
    """
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

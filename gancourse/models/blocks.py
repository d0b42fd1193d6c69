"""Shared building blocks of the model factories: shape checks, DCGAN bodies.

模型工厂共用的组件：形状检查与 DCGAN 的上采样/下采样主体。
"""

from keras import layers

from gancourse import runtime


def check_sample_shape(shape, name):
    """Validate a sample shape: a non-empty tuple of positive ints."""
    try:
        checked = tuple(int(size) for size in shape)
    except (TypeError, ValueError):
        checked = ()
    if not checked or min(checked) < 1:
        raise ValueError(
            f"`{name}` must be a tuple of positive sizes. "
            f"Received: {name}={shape!r}"
        )
    return checked


def check_image_shape(image_shape, divisor=1, name="image_shape"):
    """Validate ``(height, width, channels)`` and return it as a tuple.

    检查图像形状 ``(高, 宽, 通道)`` 并以元组返回。

    Raises:
        ValueError: if it is not three positive ints, or height/width are not
            divisible by ``divisor``.
    """
    try:
        shape = tuple(int(size) for size in image_shape)
    except (TypeError, ValueError):
        shape = None
    if shape is None or len(shape) != 3 or min(shape) < 1:
        raise ValueError(
            f"`{name}` must be (height, width, channels) with positive sizes. "
            f"Received: {name}={image_shape!r}"
        )
    height, width, _ = shape
    if height % divisor or width % divisor:
        raise ValueError(
            f"`{name}` must have height and width divisible by {divisor}. "
            f"Received: {name}={image_shape!r}"
        )
    return shape


def maybe_spectral(layer, spectral_norm):
    """Wrap ``layer`` in spectral normalisation when asked to."""
    if spectral_norm:
        return layers.SpectralNormalization(layer, power_iterations=1)
    return layer


def check_downsamples(image_shape, num_downsamples, name="image_shape"):
    """Check ``num_downsamples`` and that the image halves that many times.

    检查下采样次数，以及图像高宽能被 2**num_downsamples 整除。

    Returns:
        (shape, num_downsamples).
    """
    num_downsamples = runtime.check_int(
        "num_downsamples", num_downsamples, minimum=1
    )
    shape = check_image_shape(image_shape, 2**num_downsamples, name=name)
    return shape, num_downsamples


def dcgan_upsampling(x, image_shape, base_filters=64, kernel_size=5):
    """The DCGAN generator body: project a vector and upsample to an image.

    DCGAN 生成器主体：把向量投影成特征图并上采样成图像。

    Dense(h/4 * w/4 * 4f) -> BatchNorm -> LeakyReLU -> reshape ->
    Conv2DTranspose(2f, stride 1) -> BN -> LeakyReLU ->
    Conv2DTranspose(f, stride 2) -> BN -> LeakyReLU ->
    Conv2DTranspose(channels, stride 2, tanh). Shared by the unconditional
    and the conditional generators (``gancourse.conditional``).

    Args:
        x: a (batch, features) tensor, e.g. z or concat(z, embed(y)).
        image_shape: checked (height, width, channels), divisible by 4.
        base_filters: f above.
        kernel_size: transposed-convolution kernel size.

    Returns:
        Tensor (batch, height, width, channels) in [-1, 1], float32.
    """
    height, width, channels = image_shape
    x = layers.Dense(
        (height // 4) * (width // 4) * 4 * base_filters, use_bias=False
    )(x)
    x = layers.BatchNormalization()(x)
    x = layers.LeakyReLU(0.2)(x)
    x = layers.Reshape((height // 4, width // 4, 4 * base_filters))(x)
    for filters, strides in ((2 * base_filters, 1), (base_filters, 2)):
        x = layers.Conv2DTranspose(
            filters,
            kernel_size,
            strides=strides,
            padding="same",
            use_bias=False,
        )(x)
        x = layers.BatchNormalization()(x)
        x = layers.LeakyReLU(0.2)(x)
    # 输出层用 tanh，使图像落在 [-1, 1] / tanh keeps images in [-1, 1].
    return layers.Conv2DTranspose(
        channels,
        kernel_size,
        strides=2,
        padding="same",
        use_bias=False,
        activation="tanh",
        dtype="float32",
    )(x)


def dcgan_downsampling(
    x, base_filters=64, kernel_size=5, dropout_rate=0.3, spectral_norm=False
):
    """The DCGAN discriminator body: two strided convolutions, flattened.

    DCGAN 判别器主体：两个步长为 2 的卷积，然后展平。

    Conv2D(f, stride 2) -> LeakyReLU -> Dropout -> Conv2D(2f, stride 2) ->
    LeakyReLU -> Dropout -> Flatten. Shared by the unconditional and the
    conditional discriminators.

    Returns:
        Tensor (batch, features): phi(x), the input of the logit layer.
    """
    for filters in (base_filters, 2 * base_filters):
        conv = layers.Conv2D(filters, kernel_size, strides=2, padding="same")
        x = maybe_spectral(conv, spectral_norm)(x)
        x = layers.LeakyReLU(0.2)(x)
        if dropout_rate:
            x = layers.Dropout(dropout_rate)(x)
    return layers.Flatten()(x)

"""Encoders from images to latent codes, and the BiGAN (x, z) discriminator.

从图像到潜在向量的编码器，以及 BiGAN 在 (x, z) 对上的判别器（第 09 课）。

A BiGAN (Donahue et al., 2017, https://arxiv.org/abs/1605.09782), also
called ALI (Dumoulin et al., 2017, https://arxiv.org/abs/1606.00704), adds
an encoder E: x -> z to the generator G: z -> x, and its discriminator
judges *pairs*: (x, E(x)) from the data side against (G(z), z) from the
generator side. ``make_encoder`` mirrors lesson 02's DCGAN generator;
``make_bigan_discriminator`` joins a DCGAN image branch and a dense code
branch. Images are NHWC float32 in [-1, 1]; discriminators return logits.
"""

import keras
from keras import layers

from gancourse import runtime
from gancourse.models.blocks import check_image_shape
from gancourse.models.blocks import dcgan_downsampling
from gancourse.models.blocks import maybe_spectral


def make_encoder(
    latent_dim=100,
    image_shape=(28, 28, 1),
    base_filters=64,
    kernel_size=5,
    batch_norm=True,
    name="encoder",
):
    """A DCGAN-style convolutional encoder: images -> latent codes.

    DCGAN 风格的卷积编码器：把图像映射为潜在向量。

    The mirror image of ``make_dcgan_generator``:
    Conv2D(f, stride 2) -> LeakyReLU -> Conv2D(2f, stride 2) -> BatchNorm ->
    LeakyReLU -> Conv2D(4f, stride 1) -> BatchNorm -> LeakyReLU -> Flatten
    -> Dense(latent_dim), with f = ``base_filters``. The last layer is
    linear: codes are compared with z ~ N(0, I), which is unbounded. With
    the defaults it has about as many weights as the lesson-02 generator.

    Args:
        latent_dim: size of the codes (the generator's z).
        image_shape: (height, width, channels), height and width divisible
            by 4.
        base_filters: f above.
        kernel_size: convolution kernel size.
        batch_norm: BatchNormalization after the 2nd and 3rd convolutions.
        name: model name.

    Returns:
        keras.Model mapping (batch, *image_shape) images in [-1, 1] to
        (batch, latent_dim) float32 codes.

    Raises:
        ValueError: for a bad ``image_shape``, ``latent_dim`` or
            ``base_filters``.

    Example:
        >>> encoder = make_encoder(latent_dim=8, base_filters=4)
        >>> encoder.output_shape
        (None, 8)
    """
    latent_dim = runtime.check_int("latent_dim", latent_dim, minimum=1)
    shape = check_image_shape(image_shape, divisor=4)
    base_filters = runtime.check_int("base_filters", base_filters, minimum=1)
    inputs = keras.Input(shape=shape, name="image")
    x = inputs
    plan = ((base_filters, 2), (2 * base_filters, 2), (4 * base_filters, 1))
    for index, (filters, strides) in enumerate(plan):
        x = layers.Conv2D(
            filters,
            kernel_size,
            strides=strides,
            padding="same",
            use_bias=not (batch_norm and index),
        )(x)
        # 第一层不用 BN（DCGAN 的做法）/ No BN on the first layer (DCGAN).
        if batch_norm and index:
            x = layers.BatchNormalization()(x)
        x = layers.LeakyReLU(0.2)(x)
    x = layers.Flatten()(x)
    outputs = layers.Dense(latent_dim, dtype="float32", name="code")(x)
    return keras.Model(inputs, outputs, name=name)


def make_bigan_discriminator(
    latent_dim=100,
    image_shape=(28, 28, 1),
    base_filters=64,
    kernel_size=5,
    latent_units=256,
    joint_units=512,
    dropout_rate=0.2,
    spectral_norm=False,
    name="bigan_discriminator",
):
    """A discriminator on (image, code) pairs, returning one logit per pair.

    在 (图像, 潜在向量) 对上工作的判别器，每对输出一个 logit。

    Image branch: the DCGAN discriminator body (Conv2D(f, stride 2) ->
    LeakyReLU -> Dropout -> Conv2D(2f, stride 2) -> LeakyReLU -> Dropout ->
    Flatten). Code branch: Dense(latent_units) -> LeakyReLU -> Dropout.
    Joint: Concatenate -> Dense(joint_units) -> LeakyReLU -> Dropout ->
    Dense(1) logit. D can only tell the pairs apart by how x and z go
    together, which is what forces E to invert G (Donahue et al., 2017).

    Args:
        latent_dim: size of the codes.
        image_shape: (height, width, channels), divisible by 4.
        base_filters: f above.
        kernel_size: convolution kernel size.
        latent_units: width of the code branch.
        joint_units: width of the joint hidden layer.
        dropout_rate: dropout after each hidden layer (0 disables it; ALI
            uses 0.2 to keep D from winning too early).
        spectral_norm: wrap every Conv2D/Dense in
            ``keras.layers.SpectralNormalization``.
        name: model name.

    Returns:
        keras.Model with inputs ``[images, codes]`` ((batch, *image_shape)
        and (batch, latent_dim)) and (batch, 1) logits as output.

    Example:
        >>> discriminator = make_bigan_discriminator(
        ...     latent_dim=8, base_filters=4, latent_units=8, joint_units=8
        ... )
        >>> [tuple(t.shape) for t in discriminator.inputs]
        [(None, 28, 28, 1), (None, 8)]
    """
    latent_dim = runtime.check_int("latent_dim", latent_dim, minimum=1)
    shape = check_image_shape(image_shape, divisor=4)
    base_filters = runtime.check_int("base_filters", base_filters, minimum=1)
    latent_units = runtime.check_int("latent_units", latent_units, minimum=1)
    joint_units = runtime.check_int("joint_units", joint_units, minimum=1)
    try:
        rate = float(dropout_rate)
    except (TypeError, ValueError):
        rate = -1.0
    if isinstance(dropout_rate, bool) or not 0.0 <= rate < 1.0:
        raise ValueError(
            "`dropout_rate` must be in [0, 1). "
            f"Received: dropout_rate={dropout_rate!r}"
        )
    images = keras.Input(shape=shape, name="image")
    codes = keras.Input(shape=(latent_dim,), name="z")
    image_features = dcgan_downsampling(
        images, base_filters, kernel_size, rate, spectral_norm
    )

    def dense_block(x, units):
        x = maybe_spectral(layers.Dense(units), spectral_norm)(x)
        x = layers.LeakyReLU(0.2)(x)
        if rate:
            x = layers.Dropout(rate)(x)
        return x

    code_features = dense_block(codes, latent_units)
    joint = layers.Concatenate()([image_features, code_features])
    joint = dense_block(joint, joint_units)
    logit = layers.Dense(1, dtype="float32", name="logit")
    outputs = maybe_spectral(logit, spectral_norm)(joint)
    return keras.Model([images, codes], outputs, name=name)

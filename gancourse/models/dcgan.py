"""MLP and DCGAN generators and discriminators (lessons 01, 02, 04, 05).

多层感知机与 DCGAN 的生成器和判别器（第 01、02、04、05 课）。

Conventions: images are NHWC float32 in [-1, 1], so generators end in
``tanh``; discriminators return one **logit** per image (no sigmoid).
"""

import keras
from keras import layers

from gancourse import runtime
from gancourse.models.blocks import check_image_shape
from gancourse.models.blocks import check_sample_shape
from gancourse.models.blocks import dcgan_downsampling
from gancourse.models.blocks import dcgan_upsampling
from gancourse.models.blocks import maybe_spectral


def make_mlp_generator(
    latent_dim=2,
    output_shape=(2,),
    hidden_units=(128, 128),
    output_activation=None,
    name="mlp_generator",
):
    """A multilayer-perceptron generator (lesson 01).

    多层感知机生成器（第 01 课）。

    Args:
        latent_dim: size of the noise vector z.
        output_shape: shape of one sample, e.g. ``(2,)`` for 2-D points or
            ``(28, 28, 1)`` for images.
        hidden_units: sizes of the hidden ReLU layers.
        output_activation: ``None`` (linear, for 2-D points) or ``"tanh"``
            (for images in [-1, 1]).
        name: model name.

    Returns:
        keras.Model mapping (batch, latent_dim) to (batch, *output_shape).
    """
    latent_dim = runtime.check_int("latent_dim", latent_dim, minimum=1)
    output_shape = check_sample_shape(output_shape, "output_shape")
    inputs = keras.Input(shape=(latent_dim,), name="z")
    x = inputs
    for units in hidden_units:
        x = layers.Dense(units, activation="relu")(x)
    size = 1
    for dim in output_shape:
        size *= dim
    x = layers.Dense(size, activation=output_activation)(x)
    outputs = layers.Reshape(output_shape)(x)
    return keras.Model(inputs, outputs, name=name)


def make_mlp_discriminator(
    input_shape=(2,),
    hidden_units=(128, 128),
    dropout_rate=0.0,
    name="mlp_discriminator",
):
    """A multilayer-perceptron discriminator returning one logit (lesson 01).

    多层感知机判别器，输出一个 logit（第 01 课）。

    Args:
        input_shape: shape of one sample.
        hidden_units: sizes of the hidden LeakyReLU layers.
        dropout_rate: dropout after each hidden layer (0 disables it).
        name: model name.

    Returns:
        keras.Model mapping (batch, *input_shape) to (batch, 1) logits.
    """
    input_shape = check_sample_shape(input_shape, "input_shape")
    inputs = keras.Input(shape=input_shape, name="x")
    x = layers.Flatten()(inputs)
    for units in hidden_units:
        x = layers.Dense(units)(x)
        x = layers.LeakyReLU(0.2)(x)
        if dropout_rate:
            x = layers.Dropout(dropout_rate)(x)
    outputs = layers.Dense(1, name="logit")(x)
    return keras.Model(inputs, outputs, name=name)


def make_dcgan_generator(
    latent_dim=100,
    image_shape=(28, 28, 1),
    base_filters=64,
    kernel_size=5,
    name="generator",
):
    """The DCGAN generator of the TensorFlow DCGAN tutorial, configurable.

    DCGAN 生成器（TensorFlow DCGAN 教程中的结构，可配置）。

    Radford et al., 2015, https://arxiv.org/abs/1511.06434. Layers:
    Dense(h/4 * w/4 * 4f) -> BatchNorm -> LeakyReLU -> reshape ->
    Conv2DTranspose(2f, stride 1) -> BN -> LeakyReLU ->
    Conv2DTranspose(f, stride 2) -> BN -> LeakyReLU ->
    Conv2DTranspose(channels, stride 2, tanh), with f = ``base_filters``.
    With the defaults this is exactly the tutorial's 256/128/64 model.

    Args:
        latent_dim: size of z.
        image_shape: (height, width, channels), height and width divisible
            by 4.
        base_filters: f above.
        kernel_size: transposed-convolution kernel size.
        name: model name.

    Returns:
        keras.Model mapping (batch, latent_dim) to images in [-1, 1].

    Raises:
        ValueError: for a bad ``image_shape`` or ``latent_dim``.
    """
    latent_dim = runtime.check_int("latent_dim", latent_dim, minimum=1)
    height, width, channels = check_image_shape(image_shape, divisor=4)
    base_filters = runtime.check_int("base_filters", base_filters, minimum=1)
    inputs = keras.Input(shape=(latent_dim,), name="z")
    outputs = dcgan_upsampling(
        inputs, (height, width, channels), base_filters, kernel_size
    )
    return keras.Model(inputs, outputs, name=name)


def make_dcgan_discriminator(
    image_shape=(28, 28, 1),
    base_filters=64,
    kernel_size=5,
    dropout_rate=0.3,
    spectral_norm=False,
    name="discriminator",
):
    """The DCGAN discriminator of the TensorFlow DCGAN tutorial, configurable.

    DCGAN 判别器（TensorFlow DCGAN 教程中的结构，可配置）。

    Conv2D(f, stride 2) -> LeakyReLU -> Dropout -> Conv2D(2f, stride 2) ->
    LeakyReLU -> Dropout -> Flatten -> Dense(1) logit.

    Args:
        image_shape: (height, width, channels), divisible by 4.
        base_filters: f above.
        kernel_size: convolution kernel size.
        dropout_rate: dropout after each convolution (0 disables it).
        spectral_norm: wrap every Conv2D/Dense in
            ``keras.layers.SpectralNormalization`` (Miyato et al., 2018).
        name: model name.

    Returns:
        keras.Model mapping images to (batch, 1) logits.
    """
    shape = check_image_shape(image_shape, divisor=4)
    base_filters = runtime.check_int("base_filters", base_filters, minimum=1)
    inputs = keras.Input(shape=shape, name="image")
    x = dcgan_downsampling(
        inputs, base_filters, kernel_size, dropout_rate, spectral_norm
    )
    dense = layers.Dense(1, dtype="float32", name="logit")
    outputs = maybe_spectral(dense, spectral_norm)(x)
    return keras.Model(inputs, outputs, name=name)

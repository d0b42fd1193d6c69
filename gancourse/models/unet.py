"""The pix2pix U-Net generator (lesson 06).

pix2pix 的 U-Net 生成器（第 06 课）。
"""

import keras
from keras import layers

from gancourse import layers as course_layers
from gancourse import runtime
from gancourse.models.blocks import check_downsamples


def make_unet_generator(
    image_shape=(32, 32, 1),
    output_channels=None,
    base_filters=32,
    num_downsamples=3,
    norm="batch",
    residual=False,
    name="unet_generator",
    dropout=0.0,
):
    """The pix2pix U-Net generator: encoder-decoder with skip connections.

    pix2pix 的 U-Net 生成器：带跳跃连接的编码器-解码器。

    Isola et al., 2017, https://arxiv.org/abs/1611.07004;
    Ronneberger et al., 2015, https://arxiv.org/abs/1505.04597.
    down_i = LeakyReLU(norm(Conv2D(f_i, 4, stride 2)(down_{i-1}))),
    f_i = min(base_filters * 2**i, 8 * base_filters), no norm on down_1;
    up_i = concat(ReLU(norm(Conv2DTranspose(f, 4, stride 2)(up_{i+1}))),
    down_i); output = tanh(Conv2DTranspose(channels, 4, stride 2)(up_1)).
    The skips carry fine detail straight to the decoder, so the bottleneck
    only has to encode what changes. With ``residual=True`` the network
    predicts a correction instead (VDSR, Kim et al., 2016,
    https://arxiv.org/abs/1511.04587): output = clip(source + tanh(...),
    -1, 1), still in [-1, 1]; the last kernel starts at zero, so training
    starts from the identity, which suits super-resolution where the input
    is already almost right. ``dropout`` > 0 adds ``Dropout(dropout)`` after
    the norm of the (up to) three deepest decoder blocks, pix2pix's source
    of noise (0.5 in the paper); Keras applies it in training only.

    Args:
        image_shape: (height, width, channels) of the source image; height
            and width divisible by 2**num_downsamples.
        output_channels: channels of the output (default: the input's).
        base_filters: filters of the first block.
        num_downsamples: number of stride-2 blocks (bottleneck size is
            height / 2**num_downsamples).
        norm: "batch" (pix2pix), "instance" or None.
        residual: add the source to the output (needs ``output_channels``
            equal to the input channels).
        name: model name.
        dropout: dropout rate of the deepest decoder blocks, in [0, 1);
            0 (the default) adds no layer.

    Returns:
        keras.Model mapping (batch, h, w, c) to (batch, h, w,
        output_channels) in [-1, 1].

    Raises:
        ValueError: for a bad ``image_shape``, ``norm`` or sizes.
    """
    shape, num_downsamples = check_downsamples(image_shape, num_downsamples)
    base_filters = runtime.check_int("base_filters", base_filters, minimum=1)
    channels = shape[-1] if output_channels is None else output_channels
    channels = runtime.check_int("output_channels", channels, minimum=1)
    course_layers.check_norm(norm)
    if not 0.0 <= float(dropout) < 1.0:
        raise ValueError(
            f"`dropout` must be in [0, 1). Received: dropout={dropout!r}"
        )
    if residual and channels != shape[-1]:
        raise ValueError(
            "`residual=True` needs as many output channels as input channels "
            f"({shape[-1]}). Received: output_channels={output_channels}"
        )
    inputs = keras.Input(shape=shape, name="source")
    x = inputs
    skips = []
    for index in range(num_downsamples):
        filters = min(base_filters * 2**index, 8 * base_filters)
        x = layers.Conv2D(filters, 4, strides=2, padding="same")(x)
        if index > 0 and norm:
            x = course_layers.normalization(norm)(x)
        x = layers.LeakyReLU(0.2)(x)
        skips.append(x)
    # 瓶颈之后逐级上采样并拼接对应的编码器特征 / Decode, joining each skip.
    for depth, index in enumerate(reversed(range(num_downsamples - 1))):
        filters = min(base_filters * 2**index, 8 * base_filters)
        x = layers.Conv2DTranspose(filters, 4, strides=2, padding="same")(x)
        if norm:
            x = course_layers.normalization(norm)(x)
        if dropout and depth < 3:
            x = layers.Dropout(float(dropout))(x)
        x = layers.ReLU()(x)
        x = layers.Concatenate()([x, skips[index]])
    outputs = layers.Conv2DTranspose(
        channels,
        4,
        strides=2,
        padding="same",
        activation="tanh",
        # 残差模式从零修正开始，即从输入本身出发 / A zero start: the
        # residual model begins as the identity (the bicubic input).
        kernel_initializer="zeros" if residual else "glorot_uniform",
        dtype="float32",
        name="translated" if not residual else "correction",
    )(x)
    if residual:
        outputs = course_layers.AddAndClip(name="residual")([inputs, outputs])
    return keras.Model(inputs, outputs, name=name)

"""The image-transformation network of feed-forward style transfer.

前馈风格迁移的图像变换网络（Johnson 等，2016）。

Johnson, Alahi, Fei-Fei, "Perceptual Losses for Real-Time Style Transfer
and Super-Resolution", 2016 (https://arxiv.org/abs/1603.08155): a network
trained with the perceptual losses of style transfer stylises a photo in
one forward pass. The trainer is
``gancourse.training.style_transfer.train_feed_forward_stylizer``.
"""

import keras
from keras import layers

from gancourse import runtime
from gancourse.models import blocks


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
    filters = runtime.check_int("filters", filters, minimum=1)
    num_residual = runtime.check_int("num_residual", num_residual, minimum=0)
    if image_shape is not None:
        image_shape = blocks.check_image_shape(image_shape, divisor=4)
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

"""The CycleGAN ResNet generator (lesson 07).

CycleGAN 的 ResNet 生成器（第 07 课）。

Zhu et al., 2017, https://arxiv.org/abs/1703.10593 (after Johnson et al.,
2016): reflection padding, instance normalisation and residual blocks.
"""

import keras
from keras import layers

from gancourse import layers as course_layers
from gancourse import runtime
from gancourse.models.blocks import check_downsamples


def _residual_block(x, filters, norm):
    shortcut = x
    for index in range(2):
        x = course_layers.ReflectionPadding2D(1)(x)
        x = layers.Conv2D(filters, 3, use_bias=norm is None)(x)
        if norm:
            x = course_layers.normalization(norm)(x)
        if index == 0:
            x = layers.ReLU()(x)
    return layers.Add()([shortcut, x])


def make_resnet_generator(
    image_shape=(32, 32, 1),
    base_filters=32,
    num_downsamples=2,
    num_residual_blocks=6,
    norm="instance",
    name="resnet_generator",
):
    """The CycleGAN ResNet generator (Johnson et al. style transfer network).

    CycleGAN 的 ResNet 生成器（Johnson 等人的风格迁移网络结构）。

    Zhu et al., 2017, https://arxiv.org/abs/1703.10593; Johnson et al., 2016,
    https://arxiv.org/abs/1603.08155.
    c7s1-f -> d(2f) -> d(4f) -> R(4f) x num_residual_blocks -> u(2f) -> u(f)
    -> c7s1-channels -> tanh, where c7s1 is a 7x7 convolution after
    reflection padding, d a stride-2 3x3 convolution, u a stride-2 transposed
    convolution, R(x) = x + conv(relu(conv(x))); every convolution is followed
    by instance norm and ReLU.

    Args:
        image_shape: (height, width, channels), height and width divisible
            by 2**num_downsamples.
        base_filters: f above.
        num_downsamples: number of stride-2 blocks (and upsampling blocks).
        num_residual_blocks: residual blocks at the lowest resolution.
        norm: "instance" (CycleGAN), "batch" or None.
        name: model name.

    Returns:
        keras.Model mapping images to images of the same shape in [-1, 1].

    Raises:
        ValueError: for a bad ``image_shape``, ``norm`` or sizes.
    """
    shape, num_downsamples = check_downsamples(image_shape, num_downsamples)
    base_filters = runtime.check_int("base_filters", base_filters, minimum=1)
    num_residual_blocks = runtime.check_int(
        "num_residual_blocks", num_residual_blocks, minimum=1
    )
    course_layers.check_norm(norm)
    if min(shape[:2]) < 4:
        raise ValueError(
            "`image_shape` must be at least 4x4 for the 7x7 reflection "
            f"padding. Received: image_shape={image_shape!r}"
        )

    def norm_relu(x):
        if norm:
            x = course_layers.normalization(norm)(x)
        return layers.ReLU()(x)

    inputs = keras.Input(shape=shape, name="source")
    x = course_layers.ReflectionPadding2D(3)(inputs)
    x = norm_relu(layers.Conv2D(base_filters, 7)(x))
    filters = base_filters
    for _ in range(num_downsamples):
        filters *= 2
        x = layers.Conv2D(filters, 3, strides=2, padding="same")(x)
        x = norm_relu(x)
    for _ in range(num_residual_blocks):
        x = _residual_block(x, filters, norm)
    for _ in range(num_downsamples):
        filters //= 2
        x = layers.Conv2DTranspose(filters, 3, strides=2, padding="same")(x)
        x = norm_relu(x)
    x = course_layers.ReflectionPadding2D(3)(x)
    outputs = layers.Conv2D(
        shape[-1], 7, activation="tanh", dtype="float32", name="translated"
    )(x)
    return keras.Model(inputs, outputs, name=name)

"""The PatchGAN discriminator and its receptive field (lessons 06, 07).

PatchGAN 判别器及其感受野（第 06、07 课）。
"""

import keras
from keras import layers

from gancourse import layers as course_layers
from gancourse import runtime
from gancourse.models.blocks import check_downsamples
from gancourse.models.blocks import check_image_shape


def patchgan_receptive_field(num_downsamples=3, kernel_size=4):
    """Side of the input patch that one PatchGAN logit sees.

    PatchGAN 每个 logit 对应的输入区域（感受野）边长。

    Walk back from one output pixel: r = 1, then r = (r - 1) * stride + k for
    the two stride-1 layers and the ``num_downsamples`` stride-2 layers.
    ``num_downsamples=3`` gives pix2pix's 70x70 PatchGAN.
    """
    num_downsamples = runtime.check_int(
        "num_downsamples", num_downsamples, minimum=1
    )
    field = 1
    for stride in (1, 1) + (2,) * num_downsamples:
        field = (field - 1) * stride + kernel_size
    return field


def make_patchgan_discriminator(
    input_shape=(32, 32, 1),
    target_shape=None,
    base_filters=32,
    num_downsamples=2,
    norm="instance",
    name="patchgan_discriminator",
):
    """A PatchGAN discriminator: one real/fake logit per image patch.

    PatchGAN 判别器：对每个图像块输出一个真/假 logit。

    Isola et al., 2017, https://arxiv.org/abs/1611.07004 (section 3.2.2).
    x = concat(source, target) if conditional else image;
    x = LeakyReLU(norm(Conv2D(f * 2**i, 4, stride 2)(x))) for i < n (no norm
    at i = 0); x = LeakyReLU(norm(Conv2D(f * 2**n, 4, stride 1)(x)));
    logits = Conv2D(1, 4, stride 1)(x). Each logit sees a
    ``patchgan_receptive_field(n)`` square of the input, so D judges local
    texture and leaves global structure to the L1/cycle loss, provided that
    square is well below the image size: on 32x32 images ``n=2`` sees
    34x34 (a global D in effect), while ``n=1`` sees 16x16 (the pix2pix
    recipes of ``python -m gancourse train`` use it). The default stays 2
    for the callers that rely on it.

    Args:
        input_shape: (height, width, channels) of the (source) image; height
            and width divisible by 2**num_downsamples.
        target_shape: None for an unconditional D (CycleGAN), or the target
            image shape for a conditional D (pix2pix) with inputs
            [source, target]; same height and width as ``input_shape``.
        base_filters: filters of the first layer.
        num_downsamples: number of stride-2 layers.
        norm: "instance", "batch" or None.
        name: model name.

    Returns:
        keras.Model mapping images (or [source, target]) to logits of shape
        (batch, h / 2**n, w / 2**n, 1).

    Raises:
        ValueError: for bad shapes, sizes or ``norm``.
    """
    shape, num_downsamples = check_downsamples(
        input_shape, num_downsamples, name="input_shape"
    )
    base_filters = runtime.check_int("base_filters", base_filters, minimum=1)
    course_layers.check_norm(norm)
    inputs = [keras.Input(shape=shape, name="source")]
    x = inputs[0]
    if target_shape is not None:
        target = check_image_shape(target_shape, name="target_shape")
        if target[:2] != shape[:2]:
            raise ValueError(
                "`target_shape` must have the height and width of "
                f"`input_shape` {shape[:2]}. Received: "
                f"target_shape={target_shape!r}"
            )
        inputs.append(keras.Input(shape=target, name="target"))
        x = layers.Concatenate()(inputs)
    for index in range(num_downsamples + 1):
        strides = 2 if index < num_downsamples else 1
        x = layers.Conv2D(
            base_filters * 2**index, 4, strides=strides, padding="same"
        )(x)
        if index > 0 and norm:
            x = course_layers.normalization(norm)(x)
        x = layers.LeakyReLU(0.2)(x)
    outputs = layers.Conv2D(1, 4, padding="same", dtype="float32")(x)
    return keras.Model(
        inputs if target_shape else inputs[0], outputs, name=name
    )

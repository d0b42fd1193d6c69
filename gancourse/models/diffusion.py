"""The noise-prediction U-Net of a small diffusion model (lesson 11).

扩散模型的噪声预测 U-Net（第 11 课）：输入带噪图像与时间步，输出噪声。

A DDPM network takes a noisy image x_t and its time step t and predicts
the noise that was added. Its shape is the pix2pix U-Net of lesson 06 with
three changes that every diffusion U-Net has (Ho et al. 2020):

- the time step enters every residual block, through a sinusoidal
  embedding (``TimeEmbedding``, as the positions of a Transformer) and a
  dense layer per block;
- group normalization instead of batch normalization (the batch mixes
  very different noise levels);
- upsampling is nearest-neighbour resize + convolution, not a transposed
  convolution (lesson 11 looks at the checkerboard that the latter leaves
  in the spectrum of DCGAN samples).
"""

import math

import keras
from keras import layers
from keras import ops

from gancourse import runtime
from gancourse.models.blocks import check_image_shape


@keras.saving.register_keras_serializable(package="gancourse")
class TimeEmbedding(layers.Layer):
    """Sinusoidal embedding of integer time steps (no trainable weights).

    时间步的正弦位置编码（无可训练参数）。

    Step t becomes ``[sin(t * f_1), ..., sin(t * f_k), cos(t * f_1), ...,
    cos(t * f_k)]`` with frequencies ``f_i = max_period ** (-i / k)``, so
    nearby steps get similar vectors and every scale of t is visible.

    Args:
        dim: output size (even).
        max_period: the longest period of the sinusoids.

    Example:
        >>> import numpy as np
        >>> out = TimeEmbedding(8)(np.array([0, 10]))
        >>> tuple(out.shape), float(out[0, 4])  # cos(0) = 1
        ((2, 8), 1.0)
    """

    def __init__(self, dim, max_period=10_000.0, **kwargs):
        super().__init__(**kwargs)
        self.dim = runtime.check_int("dim", dim, minimum=2)
        if self.dim % 2:
            raise ValueError(f"`dim` must be even. Received: dim={dim}")
        self.max_period = float(max_period)

    def call(self, steps):
        half = self.dim // 2
        exponents = ops.arange(half, dtype="float32") / half
        frequencies = ops.exp(-math.log(self.max_period) * exponents)
        steps = ops.reshape(ops.cast(steps, "float32"), (-1, 1))
        angles = steps * ops.expand_dims(frequencies, 0)
        return ops.concatenate([ops.sin(angles), ops.cos(angles)], axis=-1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.dim)

    def get_config(self):
        config = super().get_config()
        config.update(dim=self.dim, max_period=self.max_period)
        return config


def _groups(channels):
    """The largest of 8, 4, 2, 1 that divides ``channels``."""
    return next(g for g in (8, 4, 2, 1) if channels % g == 0)


def _residual_block(x, time, channels, name):
    """GroupNorm-SiLU-Conv twice, the time added in between, plus a skip."""
    skip = x
    if x.shape[-1] != channels:
        skip = layers.Conv2D(channels, 1, name=f"{name}_skip")(x)
    h = layers.GroupNormalization(_groups(x.shape[-1]), name=f"{name}_n1")(x)
    h = layers.Activation("silu")(h)
    h = layers.Conv2D(channels, 3, padding="same", name=f"{name}_c1")(h)
    t = layers.Dense(channels, name=f"{name}_time")(time)
    h = h + layers.Reshape((1, 1, channels))(t)
    h = layers.GroupNormalization(_groups(channels), name=f"{name}_n2")(h)
    h = layers.Activation("silu")(h)
    h = layers.Conv2D(channels, 3, padding="same", name=f"{name}_c2")(h)
    return skip + h


def make_diffusion_unet(
    image_shape=(28, 28, 1),
    base_filters=32,
    channel_multipliers=(1, 2, 2),
    time_dim=128,
    name="diffusion_unet",
):
    """A small U-Net that predicts the noise in x_t given the step t.

    预测噪声的小型 U-Net：输入 x_t 与时间步 t，输出与图像同形状的噪声估计。

    One residual block per resolution on the way down, two on the way up
    (one per skip connection), a middle block at the lowest resolution.
    With the defaults on 28x28 images: 28 -> 14 -> 7 and back, about
    1.1 M parameters.

    Args:
        image_shape: (H, W, C); H and W divisible by
            ``2 ** (len(channel_multipliers) - 1)``.
        base_filters: channels at full resolution.
        channel_multipliers: channels per resolution, as multiples of
            ``base_filters``.
        time_dim: size of the sinusoidal time embedding.
        name: model name.

    Returns:
        keras.Model with inputs ``[x_t, t]`` (images (batch, H, W, C) and
        integer steps (batch,)) and output the predicted noise (batch, H, W,
        C), float32 and unbounded (no tanh: the noise is standard normal).

    Example:
        >>> import numpy as np
        >>> net = make_diffusion_unet(base_filters=8)
        >>> x = np.zeros((2, 28, 28, 1), "float32")
        >>> tuple(net([x, np.array([0, 999])]).shape)
        (2, 28, 28, 1)
    """
    height, width, channels = check_image_shape(image_shape)
    base_filters = runtime.check_int("base_filters", base_filters, minimum=1)
    time_dim = runtime.check_int("time_dim", time_dim, minimum=2)
    levels = len(channel_multipliers)
    factor = 2 ** (levels - 1)
    if levels < 1 or height % factor or width % factor:
        raise ValueError(
            f"`image_shape` must have H and W divisible by {factor} for "
            f"{levels} resolutions. Received: image_shape={image_shape}"
        )
    images = keras.Input(shape=(height, width, channels), name="x_t")
    steps = keras.Input(shape=(), dtype="int32", name="t")
    time = TimeEmbedding(time_dim, name="time_embedding")(steps)
    time = layers.Dense(time_dim * 2, activation="silu", name="time_1")(time)
    time = layers.Dense(time_dim * 2, activation="silu", name="time_2")(time)

    x = layers.Conv2D(base_filters, 3, padding="same", name="stem")(images)
    skips = []
    for level, multiplier in enumerate(channel_multipliers):
        width_here = base_filters * multiplier
        x = _residual_block(x, time, width_here, f"down{level}")
        skips.append(x)
        if level < levels - 1:
            x = layers.Conv2D(
                width_here, 3, strides=2, padding="same", name=f"pool{level}"
            )(x)
    x = _residual_block(x, time, x.shape[-1], "middle")
    for level in reversed(range(levels)):
        width_here = base_filters * channel_multipliers[level]
        x = layers.Concatenate()([x, skips[level]])
        x = _residual_block(x, time, width_here, f"up{level}")
        if level > 0:
            x = layers.UpSampling2D(2, interpolation="nearest")(x)
            x = layers.Conv2D(
                base_filters * channel_multipliers[level - 1],
                3,
                padding="same",
                name=f"upconv{level}",
            )(x)
    x = layers.GroupNormalization(_groups(x.shape[-1]), name="out_norm")(x)
    x = layers.Activation("silu")(x)
    outputs = layers.Conv2D(
        channels, 3, padding="same", dtype="float32", name="noise"
    )(x)
    return keras.Model([images, steps], outputs, name=name)

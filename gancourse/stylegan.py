"""Two StyleGAN building blocks: AdaIN and the mapping network.

StyleGAN 的两个组件：AdaIN 与映射网络。

Karras et al., 2019, https://arxiv.org/abs/1812.04948 (StyleGAN).
Huang & Belongie, 2017, https://arxiv.org/abs/1703.06868 (AdaIN).
These are small teaching illustrations, not a full StyleGAN.
"""

import keras
from keras import layers
from keras import ops

from gancourse import runtime


def _channel_stats(x, epsilon):
    """Per-sample, per-channel mean and std over the spatial axes (NHWC)."""
    mean = ops.mean(x, axis=(1, 2), keepdims=True)
    variance = ops.mean(ops.square(x - mean), axis=(1, 2), keepdims=True)
    return mean, ops.sqrt(variance + epsilon)


def _check_4d(name, tensor):
    if len(tensor.shape) != 4:
        raise ValueError(
            f"`{name}` must be NHWC with rank 4. "
            f"Received: {name}.shape={tuple(tensor.shape)}"
        )


@keras.saving.register_keras_serializable(package="gancourse")
class AdaIN(layers.Layer):
    """Adaptive instance normalisation with a given per-channel scale/bias.

    自适应实例归一化：用给定的逐通道缩放与偏移替换特征统计量。

    Karras et al., 2019 (StyleGAN, eq. 1):
    AdaIN(x, scale, bias) = scale * (x - mean(x)) / std(x) + bias
    with mean/std per sample and channel over height and width. In
    StyleGAN, (scale, bias) = affine(w) for the intermediate latent w.

    Args:
        epsilon: added to the variance before the square root.

    Call arguments:
        inputs: [x (batch, h, w, c), scale (batch, c), bias (batch, c)].

    Returns:
        Tensor like x whose per-channel mean is ``bias`` and std is
        ``|scale|`` (up to epsilon).
    """

    def __init__(self, epsilon=1e-5, **kwargs):
        super().__init__(**kwargs)
        self.epsilon = float(epsilon)

    def call(self, inputs):
        x, scale, bias = inputs
        _check_4d("x", x)
        mean, std = _channel_stats(x, self.epsilon)
        scale = ops.reshape(scale, (-1, 1, 1, x.shape[-1]))
        bias = ops.reshape(bias, (-1, 1, 1, x.shape[-1]))
        return scale * (x - mean) / std + bias

    def compute_output_shape(self, input_shape):
        return input_shape[0]

    def get_config(self):
        return {**super().get_config(), "epsilon": self.epsilon}


def adain(content, style, epsilon=1e-5):
    """Huang & Belongie AdaIN: give ``content`` the channel stats of ``style``.

    Huang 与 Belongie 的 AdaIN：让内容特征具有风格特征的逐通道均值与标准差。

    Huang & Belongie, 2017, https://arxiv.org/abs/1703.06868, eq. 8:
    AdaIN(x, y) = std(y) * (x - mean(x)) / std(x) + mean(y)

    Args:
        content: (batch, h, w, c) features.
        style: (batch, h2, w2, c) features (sizes may differ).
        epsilon: added to the variances.

    Returns:
        Tensor like ``content``.

    Raises:
        ValueError: for non-4-D inputs or different channel counts.
    """
    content = ops.convert_to_tensor(content, "float32")
    style = ops.convert_to_tensor(style, "float32")
    _check_4d("content", content)
    _check_4d("style", style)
    if content.shape[-1] != style.shape[-1]:
        raise ValueError(
            "`content` and `style` must have the same number of channels. "
            f"Received: {content.shape[-1]} and {style.shape[-1]}"
        )
    mean, std = _channel_stats(style, epsilon)
    channels = content.shape[-1]
    return AdaIN(epsilon)(
        [
            content,
            ops.reshape(std, (-1, channels)),
            ops.reshape(mean, (-1, channels)),
        ]
    )


@keras.saving.register_keras_serializable(package="gancourse")
class PixelNormalization(layers.Layer):
    """Normalise each vector to unit root-mean-square (ProGAN/StyleGAN).

    把每个向量归一化到均方根为 1（ProGAN/StyleGAN 的像素归一化）。

    x / sqrt(mean(x ** 2 over the last axis) + epsilon).
    """

    def __init__(self, epsilon=1e-8, **kwargs):
        super().__init__(**kwargs)
        self.epsilon = float(epsilon)

    def call(self, inputs):
        meansq = ops.mean(ops.square(inputs), axis=-1, keepdims=True)
        return inputs * ops.rsqrt(meansq + self.epsilon)

    def get_config(self):
        return {**super().get_config(), "epsilon": self.epsilon}


def make_mapping_network(
    latent_dim=64, w_dim=64, num_layers=4, name="mapping_network"
):
    """StyleGAN's mapping network f: z -> w (an MLP after pixel norm).

    StyleGAN 的映射网络 f: z -> w（像素归一化后接多层感知机）。

    Karras et al., 2019, https://arxiv.org/abs/1812.04948, figure 1b
    (8 layers of 512 units there; smaller here):
    w = (Dense -> LeakyReLU(0.2)) ** num_layers (PixelNorm(z))

    Args:
        latent_dim: size of z.
        w_dim: size of w (and of every hidden layer).
        num_layers: number of Dense layers.
        name: model name.

    Returns:
        keras.Model mapping (batch, latent_dim) to (batch, w_dim).
    """
    latent_dim = runtime._positive_int("latent_dim", latent_dim)
    w_dim = runtime._positive_int("w_dim", w_dim)
    num_layers = runtime._positive_int("num_layers", num_layers)
    z = keras.Input(shape=(latent_dim,), name="z")
    x = PixelNormalization()(z)
    for _ in range(num_layers):
        x = layers.Dense(w_dim)(x)
        x = layers.LeakyReLU(0.2)(x)
    return keras.Model(z, x, name=name)

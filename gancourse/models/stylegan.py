"""StyleGAN's mapping network f: z -> w (lesson 04).

StyleGAN 的映射网络 f: z -> w（第 04 课）。

Karras et al., 2019, https://arxiv.org/abs/1812.04948. A small teaching
illustration, not a full StyleGAN; its layers (``AdaIN``,
``PixelNormalization``) are in ``gancourse.layers``.
"""

import keras
from keras import layers

from gancourse import runtime
from gancourse.layers import PixelNormalization


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
    latent_dim = runtime.check_int("latent_dim", latent_dim, minimum=1)
    w_dim = runtime.check_int("w_dim", w_dim, minimum=1)
    num_layers = runtime.check_int("num_layers", num_layers, minimum=1)
    z = keras.Input(shape=(latent_dim,), name="z")
    x = PixelNormalization()(z)
    for _ in range(num_layers):
        x = layers.Dense(w_dim)(x)
        x = layers.LeakyReLU(0.2)(x)
    return keras.Model(z, x, name=name)

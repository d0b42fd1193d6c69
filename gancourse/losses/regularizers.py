"""Regularisers of the discriminator: the R1 gradient penalty.

判别器的正则项：R1 梯度惩罚。

The WGAN-GP penalty (``gancourse.training.wgan.gradient_penalty``) pushes
the critic's gradient norm towards 1 between real and fake samples. R1
(Mescheder et al., 2018, https://arxiv.org/abs/1801.04406) instead pushes
the discriminator's gradient towards 0 on the real data: a discriminator
that is flat around the reals cannot push the generator past them, so
training converges locally instead of oscillating. StyleGAN, StyleGAN2 and
StyleGAN2-ADA use it with every loss.
"""

import tensorflow as tf
from keras import ops

from gancourse import runtime


def r1_penalty(discriminator, real_images, gamma=10.0, condition=None):
    """The R1 penalty gamma / 2 * E[||grad_x D(x)||^2] on real images.

    R1 惩罚：gamma / 2 乘以判别器在真实样本处梯度范数平方的均值。

    Mescheder et al., 2018, https://arxiv.org/abs/1801.04406, eq. (9).
    grad = d sum(D(x)) / d x      (each sample's logits depend on it only)
    r1   = gamma / 2 * mean(sum(grad ** 2 over all non-batch axes))
    Add it to the discriminator's loss; its gradient with respect to D's
    weights is a second derivative, so call it inside D's tape. Logits of
    any rank (a PatchGAN's map) are summed per sample. Like the WGAN-GP
    penalty it assumes D has no BatchNormalization (which mixes samples).

    Args:
        discriminator: keras.Model or callable returning logits; with
            ``condition`` it is called as ``discriminator([x, condition])``
            and only x is differentiated. Wrap augmentation into it
            (``lambda x: D(augment(x))``) to penalise the D the loss sees.
        real_images: tensor (batch, ...) of real samples.
        gamma: the weight gamma >= 0 (paper: 10).
        condition: optional labels of a conditional discriminator.

    Returns:
        Scalar float32 tensor.

    Raises:
        ValueError: if ``gamma`` is negative or not a number.

    Example:

    >>> import numpy as np
    >>> weights = np.array([[1.0, 2.0]], "float32")
    >>> linear = lambda x: ops.sum(x * weights, axis=1)  # grad = weights
    >>> float(r1_penalty(linear, np.zeros((3, 2), "float32"), gamma=2.0))
    5.0
    """
    gamma = runtime.check_non_negative("gamma", gamma)
    real = ops.cast(real_images, "float32")
    with tf.GradientTape() as tape:
        tape.watch(real)
        if condition is None:
            logits = discriminator(real)
        else:
            logits = discriminator([real, condition])
        total = ops.sum(ops.cast(logits, "float32"))
    grads = tape.gradient(total, real)
    axes = list(range(1, len(grads.shape)))
    return 0.5 * gamma * ops.mean(ops.sum(ops.square(grads), axis=axes))

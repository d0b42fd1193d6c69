"""Reference solutions of lesson 10's graded exercises (one per solution cell).

The notebook's setup cell must import NumPy as ``np`` and TensorFlow as
``tf``; paste each function (without the imports below) into its
``solution``-tagged cell. The same functions are ``SOLUTIONS`` in
tests/test_exercises_lesson10.py.
"""

import numpy as np
import tensorflow as tf


def ada_step(p, real_logits, target=0.6, speed_images=500_000):
    """ADA 调整一次增强概率 / One ADA adjustment of the probability p.

    p: the augmentation probability in [0, 1]; real_logits: (N,) or (N, 1),
    the discriminator's logits on the N real images of one interval;
    target: the r_t to hold; speed_images: images for p to go from 0 to 1.
    Returns the new p, a float in [0, 1].
    """
    logits = np.asarray(real_logits, dtype="float64")
    num_images = logits.shape[0]
    r_t = np.mean(np.sign(logits))  # 0: D undecided, 1: D overfits
    step = np.sign(r_t - target) * num_images / speed_images
    return float(np.clip(p + step, 0.0, 1.0))


def translate(images, dx, dy, fill_value=0.0):
    """平移图像 / Shift images right by dx and down by dy pixels.

    images: float array (N, H, W, C); dx, dy: ints with |dx| < W and
    |dy| < H (negative values shift left or up); fill_value: the value of
    the pixels that come in from outside. Returns a new array; images is
    left unchanged.
    """
    images = np.asarray(images)
    height, width = images.shape[1:3]
    out = np.full_like(images, fill_value)
    rows_out = slice(max(dy, 0), height + min(dy, 0))
    cols_out = slice(max(dx, 0), width + min(dx, 0))
    rows_in = slice(max(-dy, 0), height - max(dy, 0))
    cols_in = slice(max(-dx, 0), width - max(dx, 0))
    out[:, rows_out, cols_out] = images[:, rows_in, cols_in]
    return out


def r1_penalty(discriminator, real_images, gamma):
    """R1 惩罚 / The R1 penalty of a discriminator on real images.

    discriminator: a callable, images (N, H, W, C) -> logits (N, 1);
    real_images: float32 array or tensor (N, H, W, C); gamma: the weight.
    Returns the scalar penalty on the gradient of D's logits with respect
    to the real images.
    """
    real = tf.convert_to_tensor(real_images, dtype=tf.float32)
    with tf.GradientTape() as tape:
        tape.watch(real)
        logits = discriminator(real)
        total = tf.reduce_sum(logits)  # each logit depends on its image only
    grads = tape.gradient(total, real)  # (N, H, W, C)
    squared_norms = tf.reduce_sum(tf.square(grads), axis=[1, 2, 3])
    return gamma / 2 * tf.reduce_mean(squared_norms)

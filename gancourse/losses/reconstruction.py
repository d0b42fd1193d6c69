"""Reconstruction losses: the L1 distance of pix2pix and CycleGAN.

重建损失：pix2pix 与 CycleGAN 使用的 L1 距离。

One function, ``l1_loss(target, output) = mean(|target - output|)`` in
float32, under the names the papers use for it:

- pix2pix's L1 term (Isola et al., 2017), ``lambda_l1 * l1_loss(t, G(s))``;
- CycleGAN's cycle-consistency loss (Zhu et al., 2017, equation 2),
  ``cycle_consistency_loss(x, F(G(x)))``;
- CycleGAN's identity loss (Zhu et al., 2017, section 5.2, after Taigman et
  al., 2017), ``identity_loss(y, G(y))``: a generator into domain Y should
  leave Y images unchanged.
"""

from keras import ops


def l1_loss(target, output):
    """Mean absolute error between ``target`` and ``output``, in float32.

    ``target`` 与 ``output`` 的平均绝对误差（float32 计算）。

    Args:
        target: tensor of any shape (the image to recover).
        output: tensor of the same shape (the network's output).

    Returns:
        Scalar float32 tensor ``mean(|target - output|)``.
    """
    target = ops.cast(target, "float32")
    output = ops.cast(output, "float32")
    return ops.mean(ops.abs(target - output))


# 同一个函数，论文中的两个名字 / One function under the papers' two names.
cycle_consistency_loss = l1_loss
identity_loss = l1_loss

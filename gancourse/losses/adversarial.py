"""Adversarial losses as pure functions, in generator/discriminator pairs.

对抗损失函数（纯函数），按生成器/判别器成对给出。

Naming follows TF-GAN: ``<family>_discriminator_loss(real_logits,
fake_logits)`` and ``<family>_generator_loss(fake_logits)``. Discriminators
output logits (no sigmoid); labels follow real = 1, fake = 0. Every loss
accepts logits of any rank (a PatchGAN's (batch, h, w, 1) map too), computes
in float32 and returns a scalar mean.
"""

import collections

from keras import ops

LossPair = collections.namedtuple("LossPair", ["generator", "discriminator"])


def _logits(tensor):
    return ops.cast(tensor, "float32")


def _check_smoothing(label_smoothing):
    if not 0.0 <= float(label_smoothing) < 1.0:
        raise ValueError(
            "`label_smoothing` must be in [0, 1). "
            f"Received: label_smoothing={label_smoothing}"
        )
    return float(label_smoothing)


def _bce_with_logits(logits, target):
    # 数值稳定的 BCE：softplus(x) - target * x / Stable BCE on logits.
    return ops.softplus(logits) - target * logits


def minimax_discriminator_loss(real_logits, fake_logits, label_smoothing=0.0):
    """Discriminator loss of the original minimax GAN.

    原始极小极大 GAN 的判别器损失。

    Goodfellow et al., 2014, https://arxiv.org/abs/1406.2661.
    loss = BCE(D(x), 1 - s) + BCE(D(G(z)), 0), where s is the one-sided label
    smoothing (Salimans et al., 2016): only real targets are softened.

    Args:
        real_logits: logits of D on real data, any shape.
        fake_logits: logits of D on generated data, any shape.
        label_smoothing: s in [0, 1).

    Returns:
        Scalar float32 tensor.
    """
    target = 1.0 - _check_smoothing(label_smoothing)
    real_loss = ops.mean(_bce_with_logits(_logits(real_logits), target))
    fake_loss = ops.mean(_bce_with_logits(_logits(fake_logits), 0.0))
    return real_loss + fake_loss


def minimax_generator_loss(fake_logits):
    """Generator loss of the original (saturating) minimax GAN.

    原始（会饱和的）极小极大 GAN 的生成器损失。

    loss = mean(log(1 - D(G(z)))) = -BCE(D(G(z)), 0). Its gradient vanishes
    when D confidently rejects the fakes, which is why lesson 01 moves on to
    the non-saturating loss.
    """
    return -ops.mean(_bce_with_logits(_logits(fake_logits), 0.0))


def non_saturating_discriminator_loss(
    real_logits, fake_logits, label_smoothing=0.0
):
    """Discriminator loss of the non-saturating GAN (same as minimax).

    非饱和 GAN 的判别器损失（与极小极大相同）。
    """
    return minimax_discriminator_loss(real_logits, fake_logits, label_smoothing)


def non_saturating_generator_loss(fake_logits):
    """Non-saturating generator loss: -mean(log D(G(z))).

    非饱和生成器损失：-mean(log D(G(z)))。

    loss = BCE(D(G(z)), 1), Goodfellow et al., 2014, section 3.
    """
    return ops.mean(_bce_with_logits(_logits(fake_logits), 1.0))


def least_squares_discriminator_loss(
    real_logits, fake_logits, label_smoothing=0.0
):
    """Least-squares GAN discriminator loss.

    最小二乘 GAN 的判别器损失。

    Mao et al., 2017, https://arxiv.org/abs/1611.04076.
    loss = 0.5 * mean((D(x) - (1 - s))^2) + 0.5 * mean(D(G(z))^2).
    """
    target = 1.0 - _check_smoothing(label_smoothing)
    real = _logits(real_logits)
    fake = _logits(fake_logits)
    return 0.5 * ops.mean(ops.square(real - target)) + 0.5 * ops.mean(
        ops.square(fake)
    )


def least_squares_generator_loss(fake_logits):
    """Least-squares GAN generator loss: 0.5 * mean((D(G(z)) - 1)^2).

    最小二乘 GAN 的生成器损失。
    """
    return 0.5 * ops.mean(ops.square(_logits(fake_logits) - 1.0))


def hinge_discriminator_loss(real_logits, fake_logits, label_smoothing=0.0):
    """Hinge discriminator loss (SAGAN, BigGAN).

    合页（hinge）判别器损失。

    Lim & Ye, 2017, https://arxiv.org/abs/1705.02894.
    loss = mean(relu(1 - D(x))) + mean(relu(1 + D(G(z)))).
    """
    if label_smoothing:
        raise ValueError(
            "`label_smoothing` is defined for the minimax, non_saturating and "
            f"least_squares losses only. Received: label_smoothing="
            f"{label_smoothing} with the hinge loss"
        )
    real = _logits(real_logits)
    fake = _logits(fake_logits)
    return ops.mean(ops.relu(1.0 - real)) + ops.mean(ops.relu(1.0 + fake))


def hinge_generator_loss(fake_logits):
    """Hinge generator loss: -mean(D(G(z))).

    合页生成器损失。
    """
    return -ops.mean(_logits(fake_logits))


def wasserstein_discriminator_loss(
    real_logits, fake_logits, label_smoothing=0.0
):
    """Wasserstein critic loss: mean(D(G(z))) - mean(D(x)).

    Wasserstein 评论家（critic）损失。

    Arjovsky et al., 2017, https://arxiv.org/abs/1701.07875. The critic must
    be kept 1-Lipschitz (gradient penalty or spectral normalisation).
    """
    if label_smoothing:
        raise ValueError(
            "`label_smoothing` is defined for the minimax, non_saturating and "
            f"least_squares losses only. Received: label_smoothing="
            f"{label_smoothing} with the wasserstein loss"
        )
    return ops.mean(_logits(fake_logits)) - ops.mean(_logits(real_logits))


def wasserstein_generator_loss(fake_logits):
    """Wasserstein generator loss: -mean(D(G(z))).

    Wasserstein 生成器损失。
    """
    return -ops.mean(_logits(fake_logits))


_PAIRS = {
    "minimax": LossPair(minimax_generator_loss, minimax_discriminator_loss),
    "non_saturating": LossPair(
        non_saturating_generator_loss, non_saturating_discriminator_loss
    ),
    "least_squares": LossPair(
        least_squares_generator_loss, least_squares_discriminator_loss
    ),
    "hinge": LossPair(hinge_generator_loss, hinge_discriminator_loss),
    "wasserstein": LossPair(
        wasserstein_generator_loss, wasserstein_discriminator_loss
    ),
}
LOSS_NAMES = tuple(_PAIRS)


def check_label_smoothing(loss_pair, label_smoothing):
    """Validate one-sided label smoothing for a loss pair; return it.

    检查单侧标签平滑参数是否适用于该损失函数对。
    """
    label_smoothing = _check_smoothing(label_smoothing)
    unsmoothable = (hinge_discriminator_loss, wasserstein_discriminator_loss)
    if label_smoothing and loss_pair.discriminator in unsmoothable:
        raise ValueError(
            "`label_smoothing` is defined for the minimax, non_saturating and "
            "least_squares losses only. Received: label_smoothing="
            f"{label_smoothing} with {loss_pair.discriminator.__name__}"
        )
    return label_smoothing


def get_loss_pair(name):
    """Look up a (generator, discriminator) loss pair by family name.

    按名称查找一对（生成器, 判别器）损失函数。

    Args:
        name: one of ``LOSS_NAMES`` ("minimax", "non_saturating",
            "least_squares", "hinge", "wasserstein"), or a ``LossPair``.

    Returns:
        LossPair(generator=fn(fake_logits), discriminator=fn(real_logits,
        fake_logits, label_smoothing=0.0)).

    Example:
        >>> pair = get_loss_pair("hinge")
        >>> pair.generator.__name__
        'hinge_generator_loss'
    """
    if isinstance(name, LossPair):
        return name
    if name not in _PAIRS:
        raise ValueError(
            f"Unknown loss name: expected one of {list(LOSS_NAMES)}. "
            f"Received: loss={name!r}"
        )
    return _PAIRS[name]

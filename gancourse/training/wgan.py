"""WGAN-GP: the gradient penalty and a ``GAN`` subclass that uses it.

WGAN-GP：梯度惩罚，以及使用它的 ``GAN`` 子类。

Gulrajani et al., 2017, https://arxiv.org/abs/1704.00028. The Wasserstein
critic must be 1-Lipschitz. Instead of clipping weights (WGAN), WGAN-GP
penalises the critic's gradient norm on random points between real and
fake samples, where the optimal critic has gradient norm 1.
"""

import keras
import tensorflow as tf
from keras import ops

from gancourse.training.base import draw_for_replica
from gancourse.training.gan import GAN


def random_interpolates(real, fake, seed_generator=None):
    """Points x_hat = fake + alpha * (real - fake), alpha ~ U[0, 1] per sample.

    真实与生成样本之间的随机插值点，每个样本一个 alpha ~ U[0, 1]。

    Args:
        real: tensor (batch, ...) of real samples.
        fake: tensor of the same shape of generated samples.
        seed_generator: ``keras.random.SeedGenerator`` (or int seed). None
            uses the fixed seed 0, which gives the same alpha on every call:
            fine for a one-off check, not for training.

    Returns:
        (x_hat, alpha): x_hat like ``real``; alpha of shape (batch, 1, ...)
        broadcastable against it.

    Raises:
        ValueError: if the static shapes of ``real`` and ``fake`` differ.
    """
    real = ops.cast(real, "float32")
    fake = ops.cast(fake, "float32")
    if tuple(real.shape[1:]) != tuple(fake.shape[1:]):
        raise ValueError(
            "`real` and `fake` must have the same sample shape. Received: "
            f"real.shape={tuple(real.shape)}, fake.shape={tuple(fake.shape)}"
        )
    seed = 0 if seed_generator is None else seed_generator
    ones = (1,) * (len(real.shape) - 1)
    # 分布式时每个副本取全局批次中自己的行 / Under tf.distribute each
    # replica takes its own rows of the global batch's alphas.
    alpha = draw_for_replica(
        lambda num: keras.random.uniform((num,) + ones, 0.0, 1.0, seed=seed),
        ops.shape(real)[0],
    )
    return fake + alpha * (real - fake), alpha


def gradient_penalty(
    critic,
    real,
    fake,
    seed_generator=None,
    condition=None,
    target=1.0,
    epsilon=1e-10,
):
    """The WGAN-GP gradient penalty E[(||grad_x_hat D(x_hat)|| - 1)^2].

    WGAN-GP 梯度惩罚：E[(||∇D(x_hat)|| - 1)^2]。

    Gulrajani et al., 2017, https://arxiv.org/abs/1704.00028, algorithm 1.
    alpha ~ U[0, 1] per sample
    x_hat = alpha * real + (1 - alpha) * fake
    norm  = sqrt(sum(grad ** 2 over all non-batch axes) + epsilon)
    gp    = mean((norm / target - 1) ** 2)
    epsilon sits inside the square root (as in TF-GAN) so the gradient of
    the norm stays finite when grad = 0.

    Args:
        critic: keras.Model or callable returning (batch, ...) scores.
        real: tensor (batch, ...) of real samples.
        fake: tensor of generated samples, same shape.
        seed_generator: ``keras.random.SeedGenerator`` for alpha (see
            ``random_interpolates``).
        condition: optional labels; the critic is then called as
            ``critic([x_hat, condition])`` and only x_hat is differentiated.
        target: the target norm (1 for a 1-Lipschitz critic).
        epsilon: small constant inside the square root.

    Returns:
        Scalar float32 tensor.

    Raises:
        ValueError: for mismatched shapes or a non-positive ``target``.

    Example::

        gp = gradient_penalty(critic, real_images, fake_images, seed_generator)
    """
    if not float(target) > 0:
        raise ValueError(
            f"`target` must be positive. Received: target={target}"
        )
    x_hat, _ = random_interpolates(real, fake, seed_generator)
    with tf.GradientTape() as tape:
        tape.watch(x_hat)
        if condition is None:
            scores = critic(x_hat)
        else:
            scores = critic([x_hat, condition])
        # 求和即可：每个样本的分数只依赖它自己的 x_hat / Summing is enough:
        # each sample's score depends on its own x_hat only.
        total = ops.sum(ops.cast(scores, "float32"))
    grads = tape.gradient(total, x_hat)
    axes = list(range(1, len(grads.shape)))
    norm = ops.sqrt(ops.sum(ops.square(grads), axis=axes) + epsilon)
    return ops.mean(ops.square(norm / target - 1.0))


class WGANGP(GAN):
    """Wasserstein GAN with gradient penalty, trained with ``fit()``.

    带梯度惩罚的 Wasserstein GAN，用 ``fit()`` 训练。

    Gulrajani et al., 2017, https://arxiv.org/abs/1704.00028.
    critic loss = mean(D(G(z))) - mean(D(x)) + gp_weight * gp
    G loss      = -mean(D(G(z)))
    The critic is updated ``d_steps`` (n_critic) times per G update. The
    critic must not use BatchNormalization (the penalty is per sample);
    the DCGAN discriminator of ``gancourse.models`` has none. Works with a
    conditional G/D too when ``condition`` is used, see ``discriminate``.

    Args:
        generator, discriminator: as ``GAN``; D is the critic.
        latent_dim: optional, checked against the generator.
        d_steps: critic updates per G update (paper: 5).
        gp_weight: lambda of the penalty (paper: 10).
        seed: int seed of the model's SeedGenerator.
        ema_decay, augment, r1_weight: as ``GAN`` (keywords). With
            ``augment`` the penalty differentiates the augmented critic
            D(T(x_hat)), the critic the loss sees.

    Example::

        wgan = WGANGP(make_dcgan_generator(), make_dcgan_discriminator())
        wgan.compile(keras.optimizers.Adam(1e-4, beta_1=0.0, beta_2=0.9),
                     keras.optimizers.Adam(1e-4, beta_1=0.0, beta_2=0.9))
    """

    LOSS_NETWORKS = {
        "d_loss": "critic",
        "g_loss": "generator",
        "gp": "critic (gradient penalty)",
        "r1": "critic (R1 penalty)",
    }

    def __init__(
        self,
        generator,
        discriminator,
        latent_dim=None,
        d_steps=5,
        gp_weight=10.0,
        seed=None,
        **kwargs,
    ):
        super().__init__(
            generator,
            discriminator,
            latent_dim=latent_dim,
            d_steps=d_steps,
            seed=seed,
            **kwargs,
        )
        if not float(gp_weight) >= 0:
            raise ValueError(
                f"`gp_weight` must be >= 0. Received: gp_weight={gp_weight}"
            )
        self.gp_weight = float(gp_weight)
        self.gp_tracker = keras.metrics.Mean(name="gp")

    def compile(self, g_optimizer, d_optimizer, loss="wasserstein", **kwargs):
        """As ``GAN.compile``; the loss defaults to "wasserstein".

        同 ``GAN.compile``；损失默认为 "wasserstein"。
        """
        super().compile(g_optimizer, d_optimizer, loss=loss, **kwargs)

    @property
    def metrics(self):
        return super().metrics + [self.gp_tracker]

    def discriminator_loss(self, real, fake, condition, fake_condition=None):
        real = ops.cast(real, "float32")
        fake = ops.cast(fake, "float32")
        base = super().discriminator_loss(real, fake, condition, fake_condition)
        # 惩罚作用在真假之间的插值点上（有增强时对 D(T(x)) 求导）/ The
        # penalty acts between real and fake (on D(T(x)) with augment).
        penalty = gradient_penalty(
            lambda x: self.augmented_logits(x, condition),
            real,
            fake,
            seed_generator=self.seed_generator,
        )
        self.gp_tracker.update_state(penalty)
        return base + self.gp_weight * penalty

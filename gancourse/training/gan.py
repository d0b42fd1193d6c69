"""The unconditional GAN as a ``keras.Model`` subclass, trained with ``fit()``.

以 ``keras.Model`` 子类实现的无条件 GAN，用 ``fit()`` 训练。

``GAN.train_step`` is the whole algorithm in named phases: sample z -> update
the discriminator -> update the generator -> report metrics. Each gradient
tape covers one network's loss and its gradients are applied only to that
network's ``trainable_weights``, so there is no ``trainable = False`` trick
(which Keras 3 does not honour the way old Keras 2 tutorials assume; see
lesson 01). Callbacks, ``verbose``, ``jit_compile``, mixed precision and
``tf.distribute`` strategies keep working because ``fit`` does the looping.
``ConditionalGAN`` and ``WGANGP`` override only the hooks.
"""

import keras
import tensorflow as tf
from keras import ops

from gancourse import losses
from gancourse import runtime
from gancourse.augment import AdaptiveAugment
from gancourse.augment import DiffAugment
from gancourse.latent import fixed_noise
from gancourse.training import ema
from gancourse.training.base import AdversarialModel
from gancourse.training.base import check_network
from gancourse.training.base import check_shape


def latent_dim_of(generator):
    """Return the latent size a generator expects (its first input's width).

    返回生成器期望的潜在向量维度。
    """
    shape = generator.inputs[0].shape if generator.inputs else None
    if shape is None or len(shape) != 2 or shape[-1] is None:
        raise ValueError(
            "`generator` must take a (batch, latent_dim) noise input. "
            f"Received: input shape {shape}"
        )
    return int(shape[-1])


def check_models(generator, discriminator, latent_dim=None):
    """Check G's output matches D's input; return the latent size.

    检查生成器输出形状与判别器输入形状一致，并返回潜在维度。

    Raises:
        ValueError: if ``latent_dim`` differs from the generator's input
            width, or G's output shape differs from D's input shape.
    """
    check_network("generator", generator)
    check_network("discriminator", discriminator)
    expected = latent_dim_of(generator)
    if latent_dim is not None and int(latent_dim) != expected:
        raise ValueError(
            "`latent_dim` must match the generator's input width "
            f"({expected}). Received: latent_dim={latent_dim}"
        )
    check_shape(
        "generator output",
        generator.outputs[0],
        discriminator.inputs[0].shape[1:],
        against="discriminator input",
    )
    return expected


def check_augment(augment):
    """Return ``augment`` if it is None or callable, else raise TypeError.

    检查 ``augment`` 参数：None 或可调用对象（图像 -> 图像）。
    """
    if augment is not None and not callable(augment):
        raise TypeError(
            "`augment` must be None or a callable images -> images (e.g. "
            f"gancourse.augment.DiffAugment()). Received: augment={augment!r}"
        )
    return augment


class GAN(AdversarialModel):
    """An unconditional GAN trained with ``fit()``.

    用 ``fit()`` 训练的无条件 GAN。

    Args:
        generator: keras.Model mapping (batch, latent_dim) to samples.
        discriminator: keras.Model mapping samples to logits.
        latent_dim: optional, checked against the generator's input.
        d_steps: discriminator updates per generator update (n_critic).
        seed: int seed of the model's ``keras.random.SeedGenerator``.
        ema_decay: optional float in [0, 1): keep ``ema_generator``, an
            exponential moving average of the generator's weights updated
            after every generator step (see ``gancourse.training.ema``);
            ``generate``, ``SampleGrid`` and other inference-mode sampling
            then use it. None: no average.
        augment: optional callable images -> images (e.g.
            ``gancourse.augment.DiffAugment``) applied to real AND fake
            images before the discriminator, in the D and the G step, so
            G learns through it. A ``DiffAugment`` draws from the model's
            seed generator; an ``AdaptiveAugment`` also gets the real
            logits of every D step (its p is logged as ``augment_p``, the
            batch's mean sign(D(x_real)) as ``r_t``).
        r1_weight: gamma of the R1 penalty on the real images added to
            D's loss (``gancourse.losses.r1_penalty``; logged as ``r1``,
            already weighted). 0: no penalty.

    Example::

        gan = GAN(make_dcgan_generator(), make_dcgan_discriminator())
        gan.compile(keras.optimizers.Adam(2e-4, beta_1=0.5),
                    keras.optimizers.Adam(2e-4, beta_1=0.5))
        history = gan.fit(make_dataset(images), epochs=10)
    """

    # 损失名 -> 它训练的网络，用于 NaN 报错 / Loss -> the network it
    # trains, named by NaN errors.
    LOSS_NETWORKS = {
        "d_loss": "discriminator",
        "g_loss": "generator",
        "r1": "discriminator (R1 penalty)",
    }

    def __init__(
        self,
        generator,
        discriminator,
        latent_dim=None,
        d_steps=1,
        seed=None,
        ema_decay=None,
        augment=None,
        r1_weight=0.0,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.latent_dim = check_models(generator, discriminator, latent_dim)
        self.generator = generator
        self.discriminator = discriminator
        self.d_steps = runtime.check_int("d_steps", d_steps, minimum=1)
        if ema_decay is not None:
            ema_decay = ema.check_decay(ema_decay)
        self.ema_decay = ema_decay
        # 检查点会保存它（它是模型属性）/ Checkpoints save it (an attribute).
        self.ema_generator = (
            None if ema_decay is None else ema.make_average(generator)
        )
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")
        # 可选：数据增强与 R1 惩罚（默认关闭）/ Optional augmentation and
        # R1 penalty, off by default.
        self.augment = check_augment(augment)
        self.r1_weight = runtime.check_non_negative("r1_weight", r1_weight)
        self.r1_tracker = None
        if self.r1_weight > 0:
            self.r1_tracker = keras.metrics.Mean(name="r1")
        self.augment_p_tracker = self.r_t_tracker = None
        if isinstance(augment, AdaptiveAugment):
            self.augment_p_tracker = keras.metrics.Mean(name="augment_p")
            self.r_t_tracker = keras.metrics.Mean(name="r_t")

    def compile(
        self,
        g_optimizer,
        d_optimizer,
        loss="non_saturating",
        label_smoothing=0.0,
        **kwargs,
    ):
        """Set the optimizers and the loss pair.

        设置两个优化器和损失函数对。

        Args:
            g_optimizer: keras optimizer of the generator.
            d_optimizer: keras optimizer of the discriminator (a different
                object: each keeps its own slots).
            loss: a name from ``gancourse.losses.LOSS_NAMES`` or a
                ``LossPair``.
            label_smoothing: one-sided label smoothing of real targets.
            **kwargs: forwarded to ``keras.Model.compile`` (``jit_compile``,
                ``run_eagerly``, ``steps_per_execution``...).
        """
        self.compile_optimizers(
            {"g_optimizer": self.generator, "d_optimizer": self.discriminator},
            {"g_optimizer": g_optimizer, "d_optimizer": d_optimizer},
            **kwargs,
        )
        self.loss_pair = losses.get_loss_pair(loss)
        self.label_smoothing = losses.check_label_smoothing(
            self.loss_pair, label_smoothing
        )

    @property
    def metrics(self):
        optional = (self.r1_tracker, self.augment_p_tracker, self.r_t_tracker)
        return [self.d_loss_tracker, self.g_loss_tracker] + [
            tracker for tracker in optional if tracker is not None
        ]

    def call(self, z, training=False):
        return self.generator_for(training)(z, training=training)

    def generator_for(self, training):
        """The network to run: G while training, else the EMA one if kept.

        训练时用生成器本身；推理时若有 EMA 生成器则用它。
        """
        if training or self.ema_generator is None:
            return self.generator
        return self.ema_generator

    def sample_latent(self, batch_size):
        """Draw standard normal noise of shape (batch_size, latent_dim).

        采样标准正态噪声。
        """
        return self.draw_for_replica(
            lambda num: keras.random.normal(
                (num, self.latent_dim), seed=self.seed_generator
            ),
            batch_size,
        )

    def generate(self, num_images=16, seed=None):
        """Generate ``num_images`` samples as a NumPy array (inference mode).

        生成 ``num_images`` 个样本（推理模式），返回 NumPy 数组。
        """
        num_images = runtime.check_int("num_images", num_images, minimum=1)
        z = self.latent_batch(num_images, seed)
        return ops.convert_to_numpy(self.generate_fake(z, None, training=False))

    def latent_batch(self, num_images, seed=None):
        """Noise for ``num_images`` samples (seeded NumPy draws if ``seed``).

        生成噪声：给定 seed 时用 NumPy 采样（可复现），否则用模型的种子生成器。
        """
        if seed is None:
            return self.sample_latent(num_images)
        return fixed_noise(num_images, self.latent_dim, seed)

    # -- hooks that conditional/Wasserstein subclasses override -------------
    def unpack_batch(self, data):
        """Split a batch into (real_images, condition or None)."""
        if isinstance(data, (tuple, list)):
            data = data[0]
        return data, None

    def generate_fake(self, z, condition, training=True):
        return self.generator_for(training)(z, training=training)

    def discriminate(self, images, condition, training=True):
        return self.discriminator(images, training=training)

    def fake_condition(self, condition, batch_size):
        """The condition of a step's fake batch (here: the real batch's).

        一个训练步中生成样本所用的条件（默认沿用真实批次的条件）。
        """
        return condition

    def augment_images(self, images):
        """``augment(images)``, or ``images`` when there is no augment.

        对图像做数据增强（未设置 ``augment`` 时原样返回）。
        """
        if self.augment is None:
            return images
        if isinstance(self.augment, DiffAugment):
            # 用模型的种子生成器：检查点会保存它 / The model's seed
            # generator, which checkpoints save.
            return self.augment(images, seed=self.seed_generator)
        return self.augment(images)

    def augmented_logits(self, images, condition):
        """D's training logits on augmented images: D(T(x)).

        判别器（训练模式）在增强后图像上的 logits。
        """
        images = self.augment_images(images)
        return self.discriminate(images, condition, training=True)

    def discriminator_loss(self, real, fake, condition, fake_condition=None):
        """D's loss on one batch: the loss pair on D's logits (+ R1).

        ``fake_condition`` is the fakes' condition when it differs from
        the real batch's (see ``fake_condition``).
        """
        if fake_condition is None:
            fake_condition = condition
        real_logits = self.augmented_logits(real, condition)
        fake_logits = self.augmented_logits(fake, fake_condition)
        loss = self.loss_pair.discriminator(
            real_logits, fake_logits, label_smoothing=self.label_smoothing
        )
        if isinstance(self.augment, AdaptiveAugment):
            # ADA 由真实样本的 logits 调节 p / ADA tunes p from real logits.
            signs = ops.sign(ops.cast(real_logits, "float32"))
            self.r_t_tracker.update_state(ops.mean(signs))
            self.augment_p_tracker.update_state(
                self.augment.update(real_logits)
            )
        if self.r1_weight > 0:
            penalty = losses.r1_penalty(
                lambda x: self.augmented_logits(x, condition),
                real,
                gamma=self.r1_weight,
            )
            self.r1_tracker.update_state(penalty)
            loss = loss + penalty
        return loss

    def check_batch(self, real):
        dtype = keras.backend.standardize_dtype(real.dtype)
        if "float" not in dtype:
            raise ValueError(
                "Each training batch must hold float images in [-1, 1] "
                "(e.g. uint8 / 127.5 - 1). Received: batch dtype "
                f"{dtype}"
            )
        expected = tuple(self.discriminator.inputs[0].shape[1:])
        received = tuple(real.shape[1:])
        if received != expected:
            raise ValueError(
                "Each training batch must hold samples of shape "
                f"{expected} (the discriminator's input). Received: batch "
                f"shape {tuple(real.shape)}"
            )

    # -- the algorithm ----------------------------------------------------
    def train_step(self, data):
        real, condition = self.unpack_batch(data)
        self.check_batch(real)
        batch_size = ops.shape(real)[0]

        # 1. 更新判别器（生成器固定）/ Update D with G fixed.
        for _ in range(self.d_steps):
            z = self.sample_latent(batch_size)
            fake_condition = self.fake_condition(condition, batch_size)
            fake = self.generate_fake(z, fake_condition, training=True)
            with tf.GradientTape() as tape:
                d_loss = self.discriminator_loss(
                    real, fake, condition, fake_condition
                )
            self.update(self.d_optimizer, self.discriminator, tape, d_loss)

        # 2. 更新生成器（判别器固定）/ Update G with D fixed.
        z = self.sample_latent(batch_size)
        fake_condition = self.fake_condition(condition, batch_size)
        with tf.GradientTape() as tape:
            fake = self.generate_fake(z, fake_condition, training=True)
            fake_logits = self.augmented_logits(fake, fake_condition)
            g_loss = self.loss_pair.generator(fake_logits)
        self.update(self.g_optimizer, self.generator, tape, g_loss)
        if self.ema_generator is not None:
            ema.update_average(
                self.ema_generator,
                self.generator,
                ema.decay_at(self.g_optimizer.iterations, self.ema_decay),
            )

        # 3. 记录指标 / Report metrics.
        self.d_loss_tracker.update_state(d_loss)
        self.g_loss_tracker.update_state(g_loss)
        return self.metric_logs()

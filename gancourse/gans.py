"""GANs as ``keras.Model`` subclasses, trained with ``fit()``.

以 ``keras.Model`` 子类实现的 GAN，用 ``fit()`` 训练。

``GAN.train_step`` is the whole algorithm in named phases: sample z -> update
the discriminator -> update the generator -> report metrics. Each gradient
tape covers one network's loss and its gradients are applied only to that
network's ``trainable_weights``, so there is no ``trainable = False`` trick
(which Keras 3 does not honour the way old Keras 2 tutorials assume; see
lesson 01). Callbacks, ``verbose``, ``jit_compile``, mixed precision and
``tf.distribute`` strategies keep working because ``fit`` does the looping.
"""

import keras
import numpy as np
import tensorflow as tf
from keras import ops

from gancourse import losses
from gancourse import runtime


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
    for name, model in (
        ("generator", generator),
        ("discriminator", discriminator),
    ):
        if not isinstance(model, keras.Model):
            raise TypeError(
                f"`{name}` must be a keras.Model. Received: {type(model)}"
            )
    expected = latent_dim_of(generator)
    if latent_dim is not None and int(latent_dim) != expected:
        raise ValueError(
            "`latent_dim` must match the generator's input width "
            f"({expected}). Received: latent_dim={latent_dim}"
        )
    g_out = tuple(generator.outputs[0].shape[1:])
    d_in = tuple(discriminator.inputs[0].shape[1:])
    if g_out != d_in:
        raise ValueError(
            "The generator's output shape must equal the discriminator's "
            f"input shape {d_in}. Received: generator output shape {g_out}"
        )
    return expected


def _replica_scale(loss):
    """Divide a per-replica mean loss by the number of replicas.

    Optimizers sum gradients over replicas, so this keeps the update equal to
    the single-device one under ``tf.distribute`` strategies.
    """
    return keras.src.losses.loss.scale_loss_for_distribution(loss)


def needs_loss_scaling(*models):
    """Whether the global or a model's dtype policy is ``mixed_float16``.

    判断全局或任一模型的 dtype 策略是否为 ``mixed_float16``（需要损失缩放）。

    float16 has a narrow exponent range, so small gradients underflow to 0
    unless the loss is multiplied by a large factor before differentiating
    (and the gradients divided by it after). bfloat16 keeps float32's
    exponent range and needs no loss scaling.

    Args:
        *models: keras models or layers whose ``dtype_policy`` to check.

    Returns:
        bool.
    """
    names = {keras.mixed_precision.global_policy().name}
    names.update(model.dtype_policy.name for model in models)
    return "mixed_float16" in names


def loss_scaled(optimizer, *models):
    """Wrap ``optimizer`` in a ``LossScaleOptimizer`` under mixed_float16.

    在 mixed_float16 策略下把优化器包装成 ``LossScaleOptimizer``。

    Returns ``optimizer`` unchanged when no policy is ``mixed_float16`` (see
    ``needs_loss_scaling``) or when it is a ``LossScaleOptimizer`` already.
    The train steps call ``optimizer.scale_loss(loss)`` before
    differentiating; ``LossScaleOptimizer.apply`` unscales the gradients,
    skips steps with non-finite gradients and adapts the scale.

    Args:
        optimizer: a ``keras.optimizers.Optimizer``.
        *models: the networks it trains (their policies are checked).

    Returns:
        The optimizer to use.
    """
    if isinstance(
        optimizer, keras.optimizers.LossScaleOptimizer
    ) or not needs_loss_scaling(*models):
        return optimizer
    return keras.optimizers.LossScaleOptimizer(optimizer)


def _replica_draw(draw, batch_size):
    """Call ``draw(n)`` and keep this replica's rows of the global batch.

    Each replica of a ``tf.distribute`` strategy reads the same
    ``SeedGenerator`` state, so a plain draw would give every replica the
    same noise. Drawing for the whole global batch and slicing this
    replica's rows gives each replica its own rows, and the same rows a
    single device draws for that global batch. With one replica this is
    just ``draw(batch_size)``.
    """
    num_replicas = tf.distribute.get_strategy().num_replicas_in_sync
    context = tf.distribute.get_replica_context()
    if num_replicas == 1 or context is None:
        return draw(batch_size)
    start = context.replica_id_in_sync_group * batch_size
    return draw(batch_size * num_replicas)[start : start + batch_size]


class CappedFitMixin:
    """``keras.Model.fit`` with ``epochs`` capped in fast mode (CI).

    ``fit`` 的轮数在快速模式（CI）下被限制。

    Mixed into every course model trained with ``fit`` (``GAN``,
    ``Pix2Pix``, ``CycleGAN``...), so notebooks can show honest epochs.
    """

    def fit(self, *args, epochs=1, **kwargs):
        """``keras.Model.fit``, with ``epochs`` capped in fast mode (CI).

        与 ``keras.Model.fit`` 相同；快速模式（CI）下限制轮数。
        """
        # tf.data 自己负责打乱 / A tf.data.Dataset shuffles itself; Keras
        # 3.15 warns when fit's own `shuffle` is left on for one.
        kwargs.setdefault("shuffle", False)
        return super().fit(*args, epochs=runtime.cap_epochs(epochs), **kwargs)


class GAN(CappedFitMixin, keras.Model):
    """An unconditional GAN trained with ``fit()``.

    用 ``fit()`` 训练的无条件 GAN。

    Args:
        generator: keras.Model mapping (batch, latent_dim) to samples.
        discriminator: keras.Model mapping samples to logits.
        latent_dim: optional, checked against the generator's input.
        d_steps: discriminator updates per generator update (n_critic).
        seed: int seed of the model's ``keras.random.SeedGenerator``.

    Example:
        >>> gan = GAN(make_dcgan_generator(), make_dcgan_discriminator())
        >>> gan.compile(keras.optimizers.Adam(1e-4),
        ...             keras.optimizers.Adam(1e-4), loss="non_saturating")
        >>> history = gan.fit(dataset, epochs=10)  # doctest: +SKIP
    """

    def __init__(
        self,
        generator,
        discriminator,
        latent_dim=None,
        d_steps=1,
        seed=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.latent_dim = check_models(generator, discriminator, latent_dim)
        self.generator = generator
        self.discriminator = discriminator
        self.d_steps = runtime._positive_int("d_steps", d_steps)
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")

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
        for name, optimizer in (
            ("g_optimizer", g_optimizer),
            ("d_optimizer", d_optimizer),
        ):
            if not isinstance(optimizer, keras.optimizers.Optimizer):
                raise ValueError(
                    f"`{name}` must be a keras.optimizers.Optimizer instance. "
                    f"Received: {name}={optimizer!r}"
                )
        if g_optimizer is d_optimizer:
            raise ValueError(
                "`g_optimizer` and `d_optimizer` must be two different "
                "optimizer objects. Received: the same object twice"
            )
        # 不要 Keras 默认的 rmsprop：它不训练任何网络，却会进入检查点 /
        # No default rmsprop: it trains nothing but would enter checkpoints.
        kwargs.setdefault("optimizer", None)
        super().compile(**kwargs)
        # mixed_float16 需要损失缩放 / mixed_float16 needs loss scaling.
        self.g_optimizer = loss_scaled(g_optimizer, self, self.generator)
        self.d_optimizer = loss_scaled(d_optimizer, self, self.discriminator)
        # 先建好优化器变量，检查点恢复时才能找到它们 / Build the slots now so
        # a checkpoint (BackupAndRestore) can restore them into a new model.
        self.g_optimizer.build(self.generator.trainable_variables)
        self.d_optimizer.build(self.discriminator.trainable_variables)
        # 子网络都是已构建的函数式模型 / The sub-networks are built already.
        self.built = True
        self.loss_pair = losses.get_loss_pair(loss)
        self.label_smoothing = losses.check_label_smoothing(
            self.loss_pair, label_smoothing
        )

    @property
    def metrics(self):
        return [self.d_loss_tracker, self.g_loss_tracker]

    def call(self, z, training=False):
        return self.generator(z, training=training)

    def sample_latent(self, batch_size):
        """Draw standard normal noise of shape (batch_size, latent_dim).

        采样标准正态噪声。
        """
        return _replica_draw(
            lambda num: keras.random.normal(
                (num, self.latent_dim), seed=self.seed_generator
            ),
            batch_size,
        )

    def generate(self, num_images=16, seed=None):
        """Generate ``num_images`` samples as a NumPy array (inference mode).

        生成 ``num_images`` 个样本（推理模式），返回 NumPy 数组。
        """
        num_images = runtime._positive_int("num_images", num_images)
        z = self.latent_batch(num_images, seed)
        return ops.convert_to_numpy(self.generator(z, training=False))

    def latent_batch(self, num_images, seed=None):
        """Noise for ``num_images`` samples (seeded NumPy draws if ``seed``).

        生成噪声：给定 seed 时用 NumPy 采样（可复现），否则用模型的种子生成器。
        """
        if seed is None:
            return self.sample_latent(num_images)
        rng = np.random.default_rng(seed)
        return rng.standard_normal((num_images, self.latent_dim)).astype(
            "float32"
        )

    # -- hooks that conditional/Wasserstein subclasses override -------------
    def unpack_batch(self, data):
        """Split a batch into (real_images, condition or None)."""
        if isinstance(data, (tuple, list)):
            data = data[0]
        return data, None

    def generate_fake(self, z, condition, training=True):
        return self.generator(z, training=training)

    def discriminate(self, images, condition, training=True):
        return self.discriminator(images, training=training)

    def discriminator_loss(self, real, fake, condition):
        """D's loss on one batch: the loss pair on D's logits."""
        real_logits = self.discriminate(real, condition)
        fake_logits = self.discriminate(fake, condition)
        return self.loss_pair.discriminator(
            real_logits, fake_logits, label_smoothing=self.label_smoothing
        )

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
            fake = self.generate_fake(z, condition, training=True)
            with tf.GradientTape() as tape:
                d_loss = self.discriminator_loss(real, fake, condition)
                scaled = self.d_optimizer.scale_loss(_replica_scale(d_loss))
            weights = self.discriminator.trainable_weights
            grads = tape.gradient(scaled, weights)
            self.d_optimizer.apply(grads, weights)

        # 2. 更新生成器（判别器固定）/ Update G with D fixed.
        z = self.sample_latent(batch_size)
        with tf.GradientTape() as tape:
            fake = self.generate_fake(z, condition, training=True)
            fake_logits = self.discriminate(fake, condition, training=True)
            g_loss = self.loss_pair.generator(fake_logits)
            scaled = self.g_optimizer.scale_loss(_replica_scale(g_loss))
        weights = self.generator.trainable_weights
        grads = tape.gradient(scaled, weights)
        self.g_optimizer.apply(grads, weights)

        # 3. 记录指标 / Report metrics.
        self.d_loss_tracker.update_state(d_loss)
        self.g_loss_tracker.update_state(g_loss)
        return {m.name: m.result() for m in self.metrics}

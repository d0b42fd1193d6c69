"""Explicit training steps and loops: the "from scratch" form of lesson 01.

显式的训练步与训练循环：第 01 课“从零开始”的写法。

``make_train_step`` returns a ``tf.function`` with two gradient tapes, one per
network. It calls the same loss functions as ``gancourse.GAN.train_step``;
the two forms differ only in who runs the loop (you, or ``fit``).
"""

import keras
import numpy as np
import tensorflow as tf

from gancourse import losses
from gancourse import runtime
from gancourse.checkpoint import check_finite
from gancourse.training.base import apply_update
from gancourse.training.base import check_optimizers
from gancourse.training.base import draw_for_replica
from gancourse.training.base import loss_scaled
from gancourse.training.gan import GAN
from gancourse.training.gan import check_models
from gancourse.training.progress import LossHistory


def make_train_step(
    generator,
    discriminator,
    g_optimizer,
    d_optimizer,
    loss="non_saturating",
    label_smoothing=0.0,
    seed=None,
    jit_compile=False,
):
    """Build one GAN training step as a ``tf.function``.

    构建一个 GAN 训练步（``tf.function``）。

    The step does, on a batch of real samples x:
    1. z ~ N(0, I); update D on loss_D(D(x), D(G(z))) (G fixed);
    2. new z; update G on loss_G(D(G(z))) (D fixed).

    Args:
        generator: keras.Model (batch, latent_dim) -> samples.
        discriminator: keras.Model samples -> logits.
        g_optimizer: keras optimizer for G.
        d_optimizer: keras optimizer for D (a different object).
        loss: loss family name or ``losses.LossPair``.
        label_smoothing: one-sided label smoothing.
        seed: int seed for the noise.
        jit_compile: compile the step with XLA.

    Under a ``mixed_float16`` policy the optimizers are wrapped in
    ``LossScaleOptimizer`` (``loss_scaled``). Under a
    ``tf.distribute`` strategy, call the step per replica with
    ``strategy.run(step, args=(batch,))`` inside ``strategy.scope()``: each
    replica's loss is divided by the number of replicas, so the summed
    gradients equal the single-device gradients of the global batch.

    Returns:
        A function ``step(real) -> {"d_loss": tensor, "g_loss": tensor}``.
    """
    latent_dim = check_models(generator, discriminator)
    check_optimizers(g_optimizer=g_optimizer, d_optimizer=d_optimizer)
    pair = losses.get_loss_pair(loss)
    label_smoothing = losses.check_label_smoothing(pair, label_smoothing)
    seed_generator = keras.random.SeedGenerator(seed)
    # mixed_float16 需要损失缩放 / mixed_float16 needs loss scaling.
    g_optimizer = loss_scaled(g_optimizer, generator)
    d_optimizer = loss_scaled(d_optimizer, discriminator)
    expected = tuple(discriminator.inputs[0].shape[1:])
    # 先在 tf.function 外创建优化器变量 / Build optimizer slots eagerly.
    g_optimizer.build(generator.trainable_variables)
    d_optimizer.build(discriminator.trainable_variables)

    def sample_latent(batch_size):
        # 分布式时每个副本取不同的噪声行 / One set of noise rows per replica.
        return draw_for_replica(
            lambda num: keras.random.normal(
                (num, latent_dim), seed=seed_generator
            ),
            batch_size,
        )

    def step(real):
        if tuple(real.shape[1:]) != expected:
            raise ValueError(
                f"Each batch must hold samples of shape {expected}. "
                f"Received: batch shape {tuple(real.shape)}"
            )
        batch_size = tf.shape(real)[0]
        # 判别器：真样本记 1，假样本记 0 / D: real -> 1, fake -> 0.
        z = sample_latent(batch_size)
        fake = generator(z, training=True)
        with tf.GradientTape() as tape:
            real_logits = discriminator(real, training=True)
            fake_logits = discriminator(fake, training=True)
            d_loss = pair.discriminator(
                real_logits, fake_logits, label_smoothing=label_smoothing
            )
        apply_update(d_optimizer, discriminator, tape, d_loss)
        # 生成器：让判别器把假样本判为真 / G: make D call fakes real.
        z = sample_latent(batch_size)
        with tf.GradientTape() as tape:
            fake_logits = discriminator(
                generator(z, training=True), training=True
            )
            g_loss = pair.generator(fake_logits)
        apply_update(g_optimizer, generator, tape, g_loss)
        return {"d_loss": d_loss, "g_loss": g_loss}

    train_step = tf.function(step, jit_compile=jit_compile)
    # 暴露噪声状态，供检查点保存 / Expose the noise state for checkpoints.
    train_step.seed_generator = seed_generator
    return train_step


def train(step, dataset, epochs, on_epoch_end=None, verbose=1, initial_epoch=0):
    """Run ``step`` over ``dataset`` for ``epochs`` epochs (a plain loop).

    用普通 Python 循环训练：每轮遍历一次数据集。

    Args:
        step: a function from ``make_train_step``.
        dataset: iterable of batches (tf.data.Dataset).
        epochs: number of epochs (capped in fast mode).
        on_epoch_end: optional ``fn(epoch, logs)`` called after each epoch.
        verbose: 1 prints one ``keras.utils.Progbar`` line per epoch with
            the epoch's mean losses (like ``fit(verbose=2)``); 0 prints
            nothing.
        initial_epoch: epochs already done (after
            ``Checkpointer.restore``); training runs epochs
            ``initial_epoch + 1 .. epochs``.

    Returns:
        dict of per-epoch mean losses: {"d_loss": [...], "g_loss": [...]}.

    Raises:
        NonFiniteLossError: when a loss becomes NaN or Inf (the message
            names the network and the step).
    """
    epochs = runtime.BUDGET.epochs(epochs)
    initial_epoch = runtime.check_int(
        "initial_epoch",
        initial_epoch,
        minimum=0,
        maximum=epochs,
        reason=f"(epochs={epochs})",
    )
    log = LossHistory(
        epochs, log_every=1 if verbose else 0, unit_name="epoch", verbose=2
    )
    global_step = 0
    for epoch in range(initial_epoch, epochs):
        sums = {}
        num_batches = 0
        for batch in dataset:
            if isinstance(batch, (tuple, list)):
                batch = batch[0]
            values = {k: float(v) for k, v in step(batch).items()}
            global_step += 1
            check_finite(
                values,
                step=global_step,
                epoch=epoch + 1,
                networks=GAN.LOSS_NETWORKS,
            )
            for name, value in values.items():
                sums[name] = sums.get(name, 0.0) + value
            num_batches += 1
        if num_batches == 0:
            raise ValueError(
                "`dataset` must yield at least one batch. "
                "Received: an empty dataset"
            )
        logs = {name: total / num_batches for name, total in sums.items()}
        log.append(epoch + 1, logs)
        if on_epoch_end is not None:
            on_epoch_end(epoch, logs)
    return {name: np.asarray(values) for name, values in log.history.items()}

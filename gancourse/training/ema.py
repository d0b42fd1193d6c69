"""An exponential moving average (EMA) of a network's weights.

网络权重的指数移动平均（EMA）：用于采样的“平均生成器”。

GAN generators oscillate from step to step, because each step answers the
discriminator of that moment. Averaging the weights over recent steps
cancels much of that oscillation: the averaged generator usually gives
better samples (lower FID) than the last raw one, at no training cost
(Yazıcı et al., 2019, "The Unusual Effectiveness of Averaging in GAN
Training"; used by ProGAN, StyleGAN and BigGAN). The raw generator keeps
training; the average is only sampled from.

After update ``t`` (1-based) the average is::

    a <- d_t * a + (1 - d_t) * w,   d_t = min(decay, (1 + t) / (10 + t))

The warm-up ``(1 + t) / (10 + t)`` (as in ``tf.train.ExponentialMovingAverage``
with ``num_updates``) lets the average follow the fast early changes
instead of staying near the random initial weights for ~1/(1-decay) steps.
Every weight is averaged, BatchNorm's moving statistics included, so the
average is a consistent network in inference mode. ``GAN(ema_decay=...)``
keeps the average inside the model (checkpointed); the ``EMAGenerator``
callback adds one to any model with a generator (Pix2Pix, CycleGAN...).
"""

import keras
import tensorflow as tf
from keras import ops


def check_decay(decay):
    """Return ``decay`` as a float in [0, 1), or raise ``ValueError``.

    检查 EMA 衰减系数在 [0, 1) 之间。
    """
    if isinstance(decay, bool) or not isinstance(decay, (int, float)):
        raise TypeError(
            f"`ema_decay` must be a number in [0, 1). Received: {decay!r}"
        )
    if not 0.0 <= float(decay) < 1.0:
        raise ValueError(
            f"`ema_decay` must be in [0, 1). Received: ema_decay={decay}"
        )
    return float(decay)


def decay_at(step, decay):
    """The decay used by the ``step``-th update (1-based), with warm-up.

    第 ``step`` 次更新使用的衰减系数（含预热）。

    >>> [round(float(decay_at(t, 0.999)), 3) for t in (1, 10, 100, 10_000)]
    [0.182, 0.55, 0.918, 0.999]
    """
    step = ops.cast(step, "float32")
    return ops.minimum(decay, (1.0 + step) / (10.0 + step))


def make_average(network, name=None):
    """A copy of ``network`` (same architecture and weights) to average into.

    复制网络（结构与权重相同），作为移动平均的容器。

    Call it inside a ``tf.distribute`` strategy scope when the network was
    built in one, so the copy's weights are mirrored too.
    """
    if not isinstance(network, keras.Model):
        raise TypeError(
            "`network` must be a keras.Model. Received: "
            f"{type(network).__name__}"
        )
    average = keras.models.clone_model(network)
    average.name = name or f"{network.name}_ema"
    average.set_weights(network.get_weights())
    average.trainable = False
    return average


def update_average(average, network, decay):
    """``average <- decay * average + (1 - decay) * network``, every weight.

    用 ``network`` 的当前权重更新移动平均。

    Works eagerly, inside ``tf.function`` and inside a ``tf.distribute``
    replica function (the update is made once per variable, in cross-replica
    context, so mirrored copies stay equal).

    Args:
        average: the network from ``make_average``.
        network: the network being trained (same architecture).
        decay: float or scalar tensor in [0, 1].
    """
    pairs = list(zip(average.weights, network.weights))
    if len(pairs) != len(network.weights) or len(average.weights) != len(
        network.weights
    ):
        raise ValueError(
            "`average` must have the architecture of `network`. Received: "
            f"{len(average.weights)} weights for {len(network.weights)}"
        )

    def blend(variable, value):
        d = ops.cast(decay, variable.dtype)
        return variable.assign(d * variable + (1.0 - d) * value)

    def update(strategy):
        for target, source in pairs:
            strategy.extended.update(target.value, blend, args=(source.value,))

    context = tf.distribute.get_replica_context()
    if context is None:
        # 已在跨副本上下文中 / Already in cross-replica context.
        update(tf.distribute.get_strategy())
    else:
        context.merge_call(update)


class EMAGenerator(keras.callbacks.Callback):
    """Keep an EMA copy of a model's generator while ``fit`` trains it.

    训练时维护模型生成器权重的指数移动平均副本（适用于任何带生成器的模型）。

    For models without a built-in average (``Pix2Pix``, ``CycleGAN``, a
    ``GAN`` built without ``ema_decay``, or your own ``keras.Model`` with a
    ``generator`` attribute). After the ``t``-th training batch (counted
    from this callback's first batch)::

        average <- d_t * average + (1 - d_t) * generator,
        d_t = min(ema_decay, (1 + t) / (10 + t))

    (``decay_at``/``update_average``). The average starts as a copy of the
    generator at the first ``fit`` and carries on over later ``fit`` calls.
    Sample from ``callback.average``. It is not in ``TrainingCheckpoint``'s
    checkpoints: for a resumable average use ``GAN(ema_decay=...)``. With
    ``steps_per_execution > 1`` Keras calls it once per execution, so it
    averages every that many steps.

    Args:
        ema_decay: float in [0, 1), e.g. 0.999.
        network: name of the attribute holding the network to average,
            e.g. "generator_g" for a ``CycleGAN``.

    Example::

        ema = EMAGenerator(0.999)
        pix2pix.fit(dataset, epochs=5, callbacks=[ema])
        fakes = ema.average.predict(sources)
    """

    def __init__(self, ema_decay=0.999, network="generator"):
        super().__init__()
        self.ema_decay = check_decay(ema_decay)
        if not isinstance(network, str):
            raise TypeError(
                "`network` must be an attribute name (str). "
                f"Received: network={network!r}"
            )
        self.network = network
        self.average = None
        self.updates = 0

    def source(self):
        """The network being averaged: ``getattr(model, network)``."""
        network = getattr(self.model, self.network, None)
        if not isinstance(network, keras.Model):
            raise ValueError(
                f"`EMAGenerator` needs a model whose `{self.network}` is a "
                f"keras.Model. Received: {type(self.model).__name__} with "
                f"{self.network}={type(network).__name__}"
            )
        return network

    def on_train_begin(self, logs=None):
        if self.average is None:
            with self.model.distribute_strategy.scope():
                self.average = make_average(self.source())

    def on_train_batch_end(self, batch, logs=None):
        self.updates += 1
        decay = decay_at(self.updates, self.ema_decay)
        update_average(self.average, self.source(), decay)

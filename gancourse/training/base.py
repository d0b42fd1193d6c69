"""The base of every adversarial model: optimizers, updates, noise, fast mode.

所有对抗模型的基类：优化器设置、梯度更新、噪声采样与快速模式。

A GAN has several networks, each with its own optimizer and loss, so
``keras.Model.compile(optimizer=...)`` and the default ``train_step`` do not
fit it. ``AdversarialModel`` adds the few pieces every course model needs,
written once:

- ``compile_optimizers(...)``: checks one distinct optimizer per network,
  wraps it for loss scaling under ``mixed_float16`` and builds its slots up
  front (so a checkpoint restores into a new model);
- ``update(optimizer, network, tape, loss)``: the gradient step, with the
  loss divided by the number of replicas under a ``tf.distribute`` strategy
  and scaled under ``mixed_float16``;
- ``draw_for_replica(draw, batch_size)``: noise that differs per replica
  but equals what one device draws for the global batch;
- ``fit``: ``keras.Model.fit`` with the epochs capped in fast mode.

Subclasses write ``train_step`` as named phases (update D, update G,
report metrics) and call these helpers.
"""

import keras
import tensorflow as tf
from keras import ops

from gancourse import runtime
from gancourse.distribute import is_multi_worker


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
    ``LossScaleOptimizer.apply`` unscales the gradients, skips steps with
    non-finite gradients and adapts the scale.

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


def check_optimizers(**optimizers):
    """Check each value is a Keras optimizer and no object is used twice.

    检查每个值都是 Keras 优化器，且没有同一个对象被用了两次。

    Each network needs its own optimizer: an optimizer keeps per-variable
    slots (Adam's moments) and an ``iterations`` counter.

    Raises:
        TypeError: a value is not a Keras optimizer.
        ValueError: the same optimizer object is given twice.
    """
    seen = {}
    for name, optimizer in optimizers.items():
        if not isinstance(optimizer, keras.optimizers.Optimizer):
            raise TypeError(
                f"`{name}` must be a keras.optimizers.Optimizer instance. "
                f"Received: {name}={optimizer!r}"
            )
        for other_name, other in seen.items():
            if optimizer is other:
                raise ValueError(
                    "Each network needs its own optimizer object. Received: "
                    f"the same object as `{other_name}` and `{name}`"
                )
        seen[name] = optimizer


def apply_update(optimizer, network, tape, loss):
    """Differentiate ``loss`` on ``tape`` and update ``network`` only.

    用 ``tape`` 求 ``loss`` 对 ``network`` 可训练权重的梯度并更新它。

    The gradient is taken with an upstream factor ``scale / replicas``
    instead of 1: ``optimizer.scale_loss`` gives the loss scale of a
    ``LossScaleOptimizer`` (1 otherwise), and dividing by the number of
    replicas in sync keeps the update equal to the single-device one,
    because a distributed optimizer sums the replicas' gradients. With one
    device and no loss scaling the factor is exactly 1.

    Args:
        optimizer: the network's optimizer (after ``loss_scaled``).
        network: the ``keras.Model`` (or layer) to update, or a list of
            variables (the image that style transfer optimises).
        tape: the ``tf.GradientTape`` that recorded ``loss``.
        loss: scalar loss tensor of this replica's batch.
    """
    replicas = tf.distribute.get_strategy().num_replicas_in_sync
    factor = 1.0 if replicas == 1 else 1.0 / replicas
    upstream = optimizer.scale_loss(tf.constant(factor, loss.dtype))
    if isinstance(network, (list, tuple)):
        weights = list(network)
    else:
        weights = network.trainable_weights
    grads = tape.gradient(loss, weights, output_gradients=upstream)
    optimizer.apply(grads, weights)


def draw_for_replica(draw, batch_size):
    """Call ``draw(n)`` and keep this replica's rows of the global batch.

    在分布式训练中为当前副本取出全局批次里属于它的那几行随机数。

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


def unpack_pair(data):
    """Return (source, target) tensors from a (source, target) batch.

    从 (source, target) 批次中取出两个图像张量。

    Raises:
        ValueError: if the batch is not a pair.
    """
    source, target = data, None
    if isinstance(data, (tuple, list)):
        source, target, _ = keras.utils.unpack_x_y_sample_weight(tuple(data))
    if target is None and isinstance(source, (tuple, list)):
        if len(source) == 2:
            source, target = source
    if target is not None:
        return ops.convert_to_tensor(source), ops.convert_to_tensor(target)
    raise ValueError(
        "Each batch must be a (source, target) pair of image batches. "
        f"Received: {type(data)}"
    )


def check_shape(name, tensor, expected, against):
    """Raise ``ValueError`` unless ``tensor``'s sample shape is ``expected``.

    检查两个网络之间的接口形状是否一致（不含批次维）。

    Args:
        name: what ``tensor`` is, e.g. "generator output".
        tensor: a symbolic input or output of a functional model.
        expected: the sample shape it must have.
        against: what ``expected`` is, e.g. "discriminator input".
    """
    expected = tuple(expected)
    received = tuple(tensor.shape[1:])
    if received != expected:
        raise ValueError(
            f"The {name} shape must equal the {against} shape {expected}. "
            f"Received: {name} shape {received}"
        )


def check_network(name, model):
    """Raise ``TypeError`` unless ``model`` is a ``keras.Model``."""
    if not isinstance(model, keras.Model):
        raise TypeError(
            f"`{name}` must be a keras.Model. Received: {type(model).__name__}"
        )
    return model


class AdversarialModel(keras.Model):
    """A ``keras.Model`` with one optimizer per network, trained by ``fit``.

    每个网络各有一个优化器、用 ``fit`` 训练的 ``keras.Model``（所有课程
    GAN 的基类）。

    Subclasses that draw random numbers (noise, interpolation points,
    image-pool swaps) own a ``keras.random.SeedGenerator`` as
    ``self.seed_generator``; checkpoints save its state.
    """

    def compile_optimizers(self, networks, optimizers, **kwargs):
        """Set one optimizer per network, then ``keras.Model.compile``.

        为每个网络设置各自的优化器，然后调用 ``keras.Model.compile``。

        Args:
            networks: dict optimizer attribute name -> the network it
                trains, e.g. ``{"g_optimizer": self.generator}``.
            optimizers: dict the same names -> ``keras.optimizers``
                instances (all different objects).
            **kwargs: forwarded to ``keras.Model.compile`` (``jit_compile``,
                ``run_eagerly``, ``steps_per_execution``...).
        """
        check_optimizers(**optimizers)
        # 不要 Keras 默认的 rmsprop：它不训练任何网络，却会进入检查点 /
        # No default rmsprop: it trains nothing but would enter checkpoints.
        kwargs.setdefault("optimizer", None)
        super().compile(**kwargs)
        for name, network in networks.items():
            # mixed_float16 需要损失缩放 / mixed_float16 needs loss scaling.
            optimizer = loss_scaled(optimizers[name], self, network)
            # 先建好优化器变量，检查点恢复时才能找到它们 / Build the slots
            # now so a checkpoint restores them into a new model.
            optimizer.build(network.trainable_variables)
            setattr(self, name, optimizer)
        # 子网络都是已构建的函数式模型 / The sub-networks are built already.
        self.built = True

    def update(self, optimizer, network, tape, loss):
        """One gradient step of ``network`` on ``loss`` (see ``apply_update``).

        对 ``network`` 做一次梯度更新。
        """
        apply_update(optimizer, network, tape, loss)

    def metric_logs(self):
        """The logs a ``train_step`` returns: every metric's result.

        ``train_step`` 返回的日志：每个指标的当前值。

        Under ``MultiWorkerMirroredStrategy`` with several workers, Keras 3
        reduces the logs with ``strategy.reduce("MEAN", value, axis=0)``,
        which fails on scalars (tensorflow/tensorflow#72388); there each
        value gets a leading axis of length 1 and Keras reduces it back to
        the mean over replicas (a scalar).
        """
        logs = {m.name: m.result() for m in self.metrics}
        if is_multi_worker(self.distribute_strategy):
            logs = {name: ops.reshape(v, (1,)) for name, v in logs.items()}
        return logs

    def draw_for_replica(self, draw, batch_size):
        """``draw_for_replica(draw, batch_size)`` (replica-aware noise)."""
        return draw_for_replica(draw, batch_size)

    def fit(self, *args, epochs=1, **kwargs):
        """``keras.Model.fit``, with ``epochs`` capped in fast mode.

        与 ``keras.Model.fit`` 相同；快速模式下限制轮数。

        Resume a run with ``initial_epoch`` (see ``TrainingCheckpoint``).
        """
        # tf.data 自己负责打乱 / A tf.data.Dataset shuffles itself; Keras
        # 3.15 warns when fit's own `shuffle` is left on for one.
        kwargs.setdefault("shuffle", False)
        return super().fit(
            *args, epochs=runtime.BUDGET.epochs(epochs), **kwargs
        )

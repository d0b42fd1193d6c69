"""Save and restore a course model's full training state; stop on NaN/Inf.

保存与恢复课程模型的完整训练状态（断点续训）；损失为 NaN/Inf 时停止。

A checkpoint holds everything the next step depends on, so a resumed run is
bit-identical (on CPU) to one that never stopped:

- every network (generator, discriminator, critic, the four CycleGAN nets)
  and its layers' RNG states (dropout masks);
- every optimizer (slots and ``iterations``);
- the model's ``SeedGenerator`` state (the noise z) and other state
  variables (the CycleGAN image pools);
- the epoch counter (and, through ``callbacks.TrainingCheckpoint``, the
  fixed noise of a ``SampleGrid``).

Writes go through ``tf.train.CheckpointManager``: TensorFlow writes the data
into a temporary folder, renames it, and only then (atomically) points the
``checkpoint`` state file at it. ``Checkpointer.restore`` also tries older
checkpoints when the newest one cannot be read, so a run killed during a
save resumes from the last complete one. The data order is the data
pipeline's business: see ``gancourse.data.skip_epochs``.
"""

import math
import re
import shutil
import warnings
from pathlib import Path

import keras
import tensorflow as tf

from gancourse import runtime

_CHECKPOINT_NAME = re.compile(r"^ckpt-(\d+)\.index$")


class NonFiniteLossError(FloatingPointError):
    """A training loss became NaN or infinite.

    训练损失变成了 NaN 或无穷大。
    """


def check_finite(logs, step, epoch=None, networks=None):
    """Raise ``NonFiniteLossError`` if a loss in ``logs`` is NaN or Inf.

    若 ``logs`` 中某个损失为 NaN 或 Inf，则抛出 ``NonFiniteLossError``。

    Args:
        logs: dict of loss name -> number (or scalar tensor).
        step: global training step (1-based) the losses belong to.
        epoch: optional epoch (1-based), for the message.
        networks: optional dict loss name -> the network it trains (a
            course model's ``LOSS_NETWORKS``), for the message.

    Raises:
        NonFiniteLossError: naming the network, the loss and the step.
    """
    for name, value in (logs or {}).items():
        try:
            number = float(value)
        except (TypeError, ValueError):
            continue
        if not math.isfinite(number):
            network = (networks or {}).get(name, "network")
            where = f"step {step}"
            if epoch is not None:
                where += f" (epoch {epoch})"
            raise NonFiniteLossError(
                f"Training stopped: the {network} loss `{name}` became "
                f"{number} at {where}. Expected finite losses. Lower the "
                "learning rate, check the input range ([-1, 1]) or resume "
                "from the last checkpoint."
            )


def global_step(model):
    """Generator updates so far (its optimizer's ``iterations``), or None.

    到目前为止生成器的更新次数（其优化器的 ``iterations``）。
    """
    for name in ("g_optimizer", "optimizer"):
        optimizer = getattr(model, name, None)
        if isinstance(optimizer, keras.optimizers.Optimizer):
            return int(optimizer.iterations.numpy())
    return None


def training_objects(model):
    """Collect the state a course model needs to resume training.

    收集课程模型续训所需的全部状态（网络、优化器、随机数状态等）。

    Args:
        model: a compiled ``GAN``, ``ConditionalGAN``, ``WGANGP``,
            ``Pix2Pix`` or ``CycleGAN`` (any ``keras.Model`` whose
            networks and optimizers are attributes).

    Returns:
        dict name -> trackable: the networks, the optimizers, the seed
        generators' state and other state variables (image pools).

    Raises:
        ValueError: if ``model`` has no optimizer yet (call ``compile``).
    """
    if not isinstance(model, keras.Model):
        raise TypeError(
            f"`model` must be a keras.Model. Received: {type(model).__name__}"
        )
    objects = {}
    for name, value in sorted(vars(model).items()):
        if name.startswith("_") or value is model:
            continue
        if isinstance(value, keras.Model):
            objects[name] = value
        elif isinstance(value, keras.optimizers.Optimizer):
            objects[name] = value
        elif isinstance(value, keras.random.SeedGenerator):
            objects[name] = value.state
        elif isinstance(value, keras.Variable):
            objects[name] = value
        elif hasattr(value, "__dict__") and not isinstance(
            value, (keras.layers.Layer, keras.metrics.Metric, type)
        ):
            # 例如 CycleGAN 的图像池 / E.g. CycleGAN's image pools.
            for sub, variable in sorted(vars(value).items()):
                if isinstance(variable, keras.Variable):
                    objects[f"{name}_{sub}"] = variable
    if not any(
        isinstance(v, keras.optimizers.Optimizer) for v in objects.values()
    ):
        raise ValueError(
            "`model` must be compiled (its optimizers are part of the "
            "checkpoint). Received: a model without optimizers"
        )
    return objects


def _with_rng_states(objects):
    """Add each network's layer RNG states (e.g. Dropout) to ``objects``.

    Layer seed generators are not checkpoint dependencies of a Keras model,
    so without this a resumed run would draw different dropout masks.
    """
    objects = dict(objects)
    for name, value in list(objects.items()):
        if isinstance(value, keras.Model) and f"{name}_rng" not in objects:
            weights = {id(w) for w in value.weights}
            states = [v for v in value.variables if id(v) not in weights]
            if states:
                objects[f"{name}_rng"] = states
    return objects


def _checkpoint_numbers(directory):
    """Numbers of the ``ckpt-N`` checkpoints in ``directory``, newest first."""
    directory = Path(directory)
    if not directory.is_dir():
        return []
    numbers = []
    for path in directory.iterdir():
        match = _CHECKPOINT_NAME.match(path.name)
        if match:
            numbers.append(int(match.group(1)))
    return sorted(numbers, reverse=True)


def latest_epoch(directory):
    """Epoch of the newest checkpoint in ``directory`` (0 if none).

    返回 ``directory`` 中最新检查点的轮数（没有则为 0）。
    """
    numbers = _checkpoint_numbers(directory)
    return numbers[0] if numbers else 0


class Checkpointer:
    """Save and restore named training state under one directory.

    在一个目录下保存与恢复训练状态（供显式循环或回调使用）。

    Checkpoint ``ckpt-N`` holds the state after epoch N. ``restore`` loads
    the newest readable one and returns N, so a loop continues with
    ``range(N, epochs)``.

    Args:
        directory: folder of the checkpoints (created on first save).
        max_to_keep: how many recent checkpoints to keep (at least 2, so a
            complete one survives an interrupted save).
        **objects: trackables to save: keras models (their dropout RNG
            states are added automatically), optimizers, ``keras.Variable``
            / ``tf.Variable`` (e.g. ``step.seed_generator.state``).

    Example (an explicit loop)::

        step = make_train_step(generator, discriminator, g_opt, d_opt)
        saver = Checkpointer("ckpt", generator=generator,
                             discriminator=discriminator,
                             g_optimizer=g_opt, d_optimizer=d_opt,
                             noise_state=step.seed_generator.state)
        start = saver.restore()
        skip_epochs(dataset, start)
        train(step, dataset, epochs=10, initial_epoch=start,
              on_epoch_end=lambda epoch, logs: saver.save(epoch + 1))
    """

    def __init__(self, directory, max_to_keep=3, **objects):
        runtime.check_int(
            "max_to_keep",
            max_to_keep,
            minimum=2,
            reason="(the previous checkpoint is the fallback)",
        )
        if not objects:
            raise ValueError(
                "`Checkpointer` needs at least one object to save. "
                "Received: none"
            )
        self.directory = Path(directory)
        if self.directory.exists() and not self.directory.is_dir():
            raise ValueError(
                "`directory` must be a folder. Received: the file "
                f"{self.directory}"
            )
        self.max_to_keep = max_to_keep
        objects = _with_rng_states(objects)
        self.epoch = tf.Variable(0, dtype=tf.int64, trainable=False)
        self.checkpoint = tf.train.Checkpoint(epoch=self.epoch, **objects)
        self._manager = None

    @property
    def manager(self):
        """The ``tf.train.CheckpointManager`` (created lazily)."""
        if self._manager is None:
            self._manager = tf.train.CheckpointManager(
                self.checkpoint,
                str(self.directory),
                max_to_keep=self.max_to_keep,
            )
        return self._manager

    def save(self, epoch, scratch=None):
        """Save the state after ``epoch`` epochs as ``ckpt-<epoch>``.

        保存第 ``epoch`` 轮结束后的状态。

        Args:
            epoch: epochs done.
            scratch: optional folder to write into instead, deleted right
                after. In a multi-worker run every worker must take part in
                a save (it may run collective ops), but only the chief may
                write the real checkpoint; the others write to a scratch
                folder (as ``keras.callbacks.BackupAndRestore`` does).

        Returns:
            str: the checkpoint prefix written.
        """
        epoch = int(epoch)
        if epoch < 0:
            raise ValueError(f"`epoch` must be >= 0. Received: epoch={epoch}")
        self.epoch.assign(epoch)
        try:
            if scratch is not None:
                manager = tf.train.CheckpointManager(
                    self.checkpoint, str(scratch), max_to_keep=1
                )
                prefix = manager.save(checkpoint_number=epoch)
                shutil.rmtree(scratch, ignore_errors=True)
                return prefix
            return self.manager.save(checkpoint_number=epoch)
        except (OSError, tf.errors.OpError) as error:
            raise OSError(
                f"Could not write a checkpoint in {self.directory}: "
                f"expected a writable folder. Received: {error}"
            ) from None

    def restore(self):
        """Load the newest readable checkpoint; return its epoch (0: none).

        恢复最新的可读检查点，返回其轮数（没有检查点时返回 0）。

        An unreadable newest checkpoint (e.g. a save killed half-way) is
        skipped with a warning and the previous one is used.

        Raises:
            ValueError: if checkpoints exist but none is readable, or they
                belong to differently shaped networks.
        """
        numbers = _checkpoint_numbers(self.directory)
        errors = []
        for number in numbers:
            prefix = str(self.directory / f"ckpt-{number}")
            try:
                status = self.checkpoint.restore(prefix)
                status.assert_existing_objects_matched()
            except Exception as error:  # Any read error: try the next one.
                summary = str(error).strip().splitlines()[0][:200]
                if "shape" in summary.lower() or isinstance(
                    error, AssertionError
                ):
                    raise ValueError(
                        f"Checkpoint {prefix} does not match this model: "
                        "expected the same networks, optimizers and sample "
                        f"noise. Received: {summary}"
                    ) from None
                errors.append(f"ckpt-{number}: {summary}")
                warnings.warn(
                    f"Checkpoint {prefix} is unreadable ({summary}); "
                    "trying the previous one.",
                    stacklevel=2,
                )
                continue
            return int(self.epoch.numpy())
        if errors:
            raise ValueError(
                f"No readable checkpoint in {self.directory}: expected at "
                f"least one complete ckpt-N. Received: {'; '.join(errors)}"
            )
        return 0


# 旧路径：回调在 callbacks，数据顺序在 data / Old paths: the callbacks
# live in gancourse.callbacks, the data order in gancourse.data.
_MOVED = {
    "NonFiniteGuard": "gancourse.callbacks",
    "TrainingCheckpoint": "gancourse.callbacks",
    "skip_epochs": "gancourse.data.pipelines",
}


def __getattr__(name):
    if name in _MOVED:
        import importlib

        return getattr(importlib.import_module(_MOVED[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

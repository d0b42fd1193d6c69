"""Checkpoint and resume training, and stop on a non-finite loss.

断点续训（保存与恢复训练状态），以及在损失变为 NaN/Inf 时停止训练。

A checkpoint holds everything the next step depends on, so a resumed run is
bit-identical (on CPU) to one that never stopped:

- every network (generator, discriminator, critic, the four CycleGAN nets);
- every optimizer (slots and ``iterations``);
- the model's ``SeedGenerator`` state (the noise z) and other state
  variables (the CycleGAN image pools);
- the epoch counter;
- the fixed noise of a ``SampleGrid`` (so the GIF frames stay comparable).

Writes go through ``tf.train.CheckpointManager``: TensorFlow writes the data
into a temporary folder, renames it, and only then (atomically) points the
``checkpoint`` state file at it. ``Checkpointer.restore`` also tries older
checkpoints when the newest one cannot be read, so a run killed during a
save resumes from the last complete one.

Data order: a ``shuffle(seed=..., reshuffle_each_iteration=True)`` data set
(``make_dataset``) draws the order of its k-th iterator from its seed and k,
and ``fit`` creates fresh iterators every epoch (Keras 3.15: two per epoch
for a data set of known length, ``FIT_ITERATORS_PER_EPOCH``). After a
restart the count starts again at 0, so ``skip_epochs`` creates (and drops,
without reading) as many iterators as the finished epochs used; the next
epoch is then shuffled exactly like the uninterrupted run's. This keeps
``make_dataset``'s order unchanged; ``tests/test_checkpoint.py`` checks it
bit for bit.
"""

import math
import re
import warnings
from pathlib import Path

import keras
import tensorflow as tf

from gancourse import runtime

# 损失名 -> 网络名，用于清晰的报错 / Loss name -> network, for clear errors.
NETWORK_OF_LOSS = {
    "d_loss": "discriminator",
    "g_loss": "generator",
    "gp": "critic (gradient penalty)",
    "d_x_loss": "discriminator_x",
    "d_y_loss": "discriminator_y",
    "cycle": "generators (cycle loss)",
    "identity": "generators (identity loss)",
    "l1": "generator (L1 loss)",
}
_CHECKPOINT_NAME = re.compile(r"^ckpt-(\d+)\.index$")
# fit 每轮开头建一个迭代器，轮末再预建一个 / fit makes one iterator at the
# start of each epoch and one more at its end (keras EpochIterator).
FIT_ITERATORS_PER_EPOCH = 2


class NonFiniteLossError(FloatingPointError):
    """A training loss became NaN or infinite.

    训练损失变成了 NaN 或无穷大。
    """


def check_finite(logs, step, epoch=None):
    """Raise ``NonFiniteLossError`` if a loss in ``logs`` is NaN or Inf.

    若 ``logs`` 中某个损失为 NaN 或 Inf，则抛出 ``NonFiniteLossError``。

    Args:
        logs: dict of loss name -> number (or scalar tensor).
        step: global training step (1-based) the losses belong to.
        epoch: optional epoch (1-based), for the message.

    Raises:
        NonFiniteLossError: naming the network, the loss and the step.
    """
    for name, value in (logs or {}).items():
        try:
            number = float(value)
        except (TypeError, ValueError):
            continue
        if not math.isfinite(number):
            network = NETWORK_OF_LOSS.get(name, "network")
            where = f"step {step}"
            if epoch is not None:
                where += f" (epoch {epoch})"
            raise NonFiniteLossError(
                f"Training stopped: the {network} loss `{name}` became "
                f"{number} at {where}. Expected finite losses. Lower the "
                "learning rate, check the input range ([-1, 1]) or resume "
                "from the last checkpoint."
            )


class NonFiniteGuard(keras.callbacks.Callback):
    """Stop ``fit`` with a clear error as soon as a loss is NaN or Inf.

    一旦损失出现 NaN 或 Inf，就以清晰的错误信息终止 ``fit``。

    Unlike ``keras.callbacks.TerminateOnNaN`` it raises
    ``NonFiniteLossError`` naming the network (generator, discriminator...)
    and the step, so scripts exit non-zero instead of saving garbage.

    Example:
        >>> gan.fit(dataset, epochs=5,
        ...         callbacks=[NonFiniteGuard()])  # doctest: +SKIP
    """

    def __init__(self):
        super().__init__()
        self.epoch = 0

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        step = _global_step(self.model)
        check_finite(logs, step=step, epoch=self.epoch + 1)


def _global_step(model):
    """The number of generator updates so far (its optimizer's counter)."""
    for name in ("g_optimizer", "optimizer"):
        optimizer = getattr(model, name, None)
        if isinstance(optimizer, keras.optimizers.Optimizer):
            return int(optimizer.iterations)
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
            f"`model` must be a keras.Model. Received: {type(model)}"
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

    Example:
        >>> step = make_train_step(generator, discriminator, g_opt, d_opt)
        >>> saver = Checkpointer("ckpt", generator=generator,
        ...                      discriminator=discriminator,
        ...                      g_optimizer=g_opt, d_optimizer=d_opt,
        ...                      noise_state=step.seed_generator.state)
        >>> start = saver.restore()  # doctest: +SKIP
        >>> for epoch in range(start, 10):  # doctest: +SKIP
        ...     ...; saver.save(epoch + 1)
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

    def save(self, epoch):
        """Save the state after ``epoch`` epochs as ``ckpt-<epoch>``.

        保存第 ``epoch`` 轮结束后的状态。

        Returns:
            str: the checkpoint prefix written.
        """
        epoch = int(epoch)
        if epoch < 0:
            raise ValueError(f"`epoch` must be >= 0. Received: epoch={epoch}")
        self.epoch.assign(epoch)
        try:
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


def skip_epochs(dataset, num_epochs, iterators_per_epoch=1):
    """Advance a reshuffling ``tf.data`` data set by ``num_epochs`` epochs.

    让每轮重新打乱的数据集跳过 ``num_epochs`` 轮的打乱顺序（用于续训）。

    Creating an iterator draws the next shuffle order, so this creates and
    drops ``num_epochs * iterators_per_epoch`` iterators (cheap: no element
    is read). Use 1 for a plain ``for batch in dataset`` loop
    (``steps.train``) and ``FIT_ITERATORS_PER_EPOCH`` for ``fit``
    (``TrainingCheckpoint.restore`` does that for you).

    Returns:
        the same ``dataset``.
    """
    num_epochs = runtime.check_int("num_epochs", num_epochs, minimum=0)
    if not isinstance(dataset, tf.data.Dataset):
        raise TypeError(
            f"`dataset` must be a tf.data.Dataset. Received: {type(dataset)}"
        )
    for _ in range(int(num_epochs) * int(iterators_per_epoch)):
        iter(dataset)
    return dataset


class TrainingCheckpoint(keras.callbacks.Callback):
    """Save a course GAN's full training state every epoch; resume from it.

    每轮保存课程 GAN 的完整训练状态，并可从中恢复（断点续训）。

    Saves networks, optimizers, seed-generator state, the epoch and the
    fixed noise of ``sample_grid``. Call ``restore(model, dataset)`` before
    ``fit`` to resume (it also advances ``dataset``'s shuffling, see
    ``skip_epochs``); otherwise ``fit`` resumes by itself at
    ``on_train_begin``, with the data order of a fresh run. The checkpoint
    of an epoch whose losses are NaN/Inf is not written. Exact resume
    assumes ``fit`` without ``steps_per_epoch`` on a data set of known
    length (as ``make_dataset`` builds); checkpoints are per epoch.

    Args:
        directory: folder of the checkpoints.
        sample_grid: optional ``SampleGrid`` whose noise is saved too.
        max_to_keep: recent checkpoints kept (at least 2).
        every: save every ``every`` epochs (and after the last one).

    Example:
        >>> saver = TrainingCheckpoint("runs/dcgan/checkpoints", grid)
        >>> start = saver.restore(gan, dataset)  # doctest: +SKIP
        >>> gan.fit(dataset, epochs=20,
        ...         callbacks=[saver, grid])  # doctest: +SKIP
    """

    def __init__(self, directory, sample_grid=None, max_to_keep=3, every=1):
        super().__init__()
        runtime.check_int("every", every, minimum=1)
        self.directory = Path(directory)
        self.sample_grid = sample_grid
        self.max_to_keep = max_to_keep
        self.every = every
        self.checkpointer = None
        self.restored_epoch = None
        self._noise = None

    def _checkpointer_for(self, model):
        if self.checkpointer is None:
            objects = training_objects(model)
            grid = self.sample_grid
            if grid is not None:
                if grid.model is None and grid.explicit_generator is None:
                    grid.set_model(model)
                grid._ensure_noise()
                self._noise = tf.Variable(grid.noise, trainable=False)
                objects["sample_noise"] = self._noise
            self.checkpointer = Checkpointer(
                self.directory, max_to_keep=self.max_to_keep, **objects
            )
        return self.checkpointer

    def restore(self, model, dataset=None):
        """Restore ``model`` (and the grid noise); return the epoch reached.

        恢复模型（及样本网格噪声）并返回已完成的轮数。

        Args:
            model: the compiled course model to restore into.
            dataset: optional ``tf.data`` data set to ``skip_epochs``.

        Returns:
            int: epochs already done (0 when there is no checkpoint).
        """
        epoch = self._checkpointer_for(model).restore()
        self.restored_epoch = epoch
        if epoch:
            # Keras 3 读取 _initial_epoch（与 BackupAndRestore 相同）/
            # Keras 3 reads _initial_epoch, as BackupAndRestore uses it.
            model._initial_epoch = epoch
            if self.sample_grid is not None:
                self.sample_grid.noise = self._noise.numpy()
                # 不覆盖第 0 轮的网格，并读回旧网格 / Keep the epoch-0 grid
                # and read the earlier grids back for the GIF.
                self.sample_grid.include_initial = False
                self.sample_grid.reload(epoch)
            if dataset is not None:
                skip_epochs(dataset, epoch, FIT_ITERATORS_PER_EPOCH)
        return epoch

    def on_train_begin(self, logs=None):
        if self.restored_epoch is None:
            self.restore(self.model)

    def on_train_end(self, logs=None):
        # fit 只在开始时读取它；清掉以免影响下一次 fit / fit reads it only
        # at its start; clear it so a later fit is not shifted.
        self.model._initial_epoch = None
        self.restored_epoch = None

    def on_epoch_end(self, epoch, logs=None):
        done = epoch + 1
        last = self.params.get("epochs") if self.params else None
        if done % self.every and done != last:
            return
        try:
            check_finite(logs, step=_global_step(self.model), epoch=done)
        except NonFiniteLossError as error:
            warnings.warn(f"Not saving a checkpoint: {error}", stacklevel=2)
            return
        if self._noise is not None:
            self._noise.assign(self.sample_grid.noise)
        self._checkpointer_for(self.model).save(done)

"""Keras callbacks of the course: samples, NaN guard, checkpoints, FID.

课程用到的 Keras 回调：样本网格、NaN 守卫、断点续训与 FID。

- ``SampleGrid`` / ``TranslationGrid`` (from ``gancourse.grids``): a grid
  from the same fixed noise (or the same source images) after every epoch,
  and its GIF;
- ``NonFiniteGuard``: stop ``fit`` with a clear error on a NaN/Inf loss;
- ``TimeLimit``: stop ``fit`` after a budget of seconds (to compare
  models at equal training time);
- ``TrainingCheckpoint``: save the full training state every epoch and
  resume from it with ``fit(..., initial_epoch=saver.restore(model, data))``;
- ``TensorBoardLogger``: losses, learning rates and samples for
  TensorBoard;
- ``FIDCallback`` (from ``gancourse.metrics``): FID during training;
- ``DiscriminatorMonitor`` (from ``gancourse.metrics``): D's accuracy on
  training reals, held-out reals and fakes, to see it overfit;
- ``EMAGenerator`` (from ``gancourse.training.ema``): an EMA copy of any
  model's generator.
"""

import time
import warnings
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from gancourse import plotting
from gancourse import runtime
from gancourse.checkpoint import Checkpointer
from gancourse.checkpoint import NonFiniteLossError
from gancourse.checkpoint import check_finite
from gancourse.checkpoint import global_step
from gancourse.checkpoint import latest_epoch
from gancourse.checkpoint import training_objects
from gancourse.data.pipelines import fit_iterators_per_epoch
from gancourse.data.pipelines import skip_epochs
from gancourse.grids import SampleGrid  # noqa: F401
from gancourse.grids import TranslationGrid  # noqa: F401
from gancourse.metrics.callback import DiscriminatorMonitor  # noqa: F401
from gancourse.metrics.callback import FIDCallback  # noqa: F401
from gancourse.training.ema import EMAGenerator  # noqa: F401


class NonFiniteGuard(keras.callbacks.Callback):
    """Stop ``fit`` with a clear error as soon as a loss is NaN or Inf.

    一旦损失出现 NaN 或 Inf，就以清晰的错误信息终止 ``fit``。

    Unlike ``keras.callbacks.TerminateOnNaN`` it raises
    ``NonFiniteLossError`` naming the network (generator, discriminator...)
    and the step, so scripts exit non-zero instead of saving garbage.

    Example::

        gan.fit(dataset, epochs=5, callbacks=[NonFiniteGuard()])
    """

    def __init__(self):
        super().__init__()
        self.epoch = 0

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        check_finite(
            logs,
            step=global_step(self.model),
            epoch=self.epoch + 1,
            networks=getattr(self.model, "LOSS_NETWORKS", None),
        )


class TimeLimit(keras.callbacks.Callback):
    """Stop ``fit`` once training has taken ``seconds`` (a time budget).

    训练时间达到 ``seconds`` 秒后停止 ``fit``：用于在相同训练时间下比较模型。

    The clock runs only inside training batches: time spent in other
    callbacks (sample grids, FID) at the end of an epoch is not counted,
    so two models get the same time to learn. The check comes after each
    batch, so a run overshoots by at most one step.

    Args:
        seconds: the budget (a positive number).

    Attributes:
        elapsed: seconds of training so far.
        steps: batches trained.
    """

    def __init__(self, seconds):
        super().__init__()
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
            raise TypeError(
                f"`seconds` must be a number. Received: seconds={seconds!r}"
            )
        if not seconds > 0:
            raise ValueError(
                f"`seconds` must be positive. Received: seconds={seconds}"
            )
        self.seconds = float(seconds)
        self.elapsed = 0.0
        self.steps = 0
        self._start = None

    def on_train_batch_begin(self, batch, logs=None):
        self._start = time.perf_counter()

    def on_train_batch_end(self, batch, logs=None):
        self.elapsed += time.perf_counter() - self._start
        self.steps += 1
        if self.elapsed >= self.seconds:
            self.model.stop_training = True


def _scratch_folder(model, saver):
    """Where a non-chief worker writes its copy of a checkpoint (or None).

    多机训练中非主节点写检查点的临时目录；单进程训练返回 None。
    """
    strategy = model.distribute_strategy
    if strategy.extended.should_checkpoint:
        return None
    task = strategy.cluster_resolver.task_id
    return saver.directory.parent / f".checkpoints-worker-{task}"


class TrainingCheckpoint(keras.callbacks.Callback):
    """Save a course GAN's full training state every epoch; resume from it.

    每轮保存课程 GAN 的完整训练状态，并可从中恢复（断点续训）。

    Saves networks, optimizers, seed-generator state, the epoch and the
    fixed noise of ``sample_grid``. To resume, restore before ``fit`` and
    start ``fit`` where the checkpoint ends::

        saver = TrainingCheckpoint("runs/dcgan/checkpoints", grid)
        done = saver.restore(gan, dataset)      # 0 for a new run
        gan.fit(dataset, epochs=20, initial_epoch=done,
                callbacks=[saver, grid])

    ``restore`` also advances ``dataset``'s shuffling past the finished
    epochs (``gancourse.data.skip_epochs``), so the resumed run sees the
    batches the uninterrupted run saw. ``fit`` refuses to start (with a
    message saying what to do) if the folder holds checkpoints this
    callback has not restored, or if ``initial_epoch`` disagrees with
    them. The checkpoint of an epoch whose losses are NaN/Inf is not
    written. Exact resume assumes ``fit`` without ``steps_per_epoch`` on a
    data set of known length (as ``make_dataset`` builds). In a
    multi-worker run only the chief writes into ``directory``; the other
    workers take part in every save through a scratch folder and restore
    from ``directory`` (on a shared file system).

    Args:
        directory: folder of the checkpoints.
        sample_grid: optional ``SampleGrid`` whose noise is saved too.
        max_to_keep: recent checkpoints kept (at least 2).
        every: save every ``every`` epochs (and after the last one).
    """

    def __init__(self, directory, sample_grid=None, max_to_keep=3, every=1):
        super().__init__()
        self.directory = Path(directory)
        self.sample_grid = sample_grid
        self.max_to_keep = max_to_keep
        self.every = runtime.check_int("every", every, minimum=1)
        self.checkpointer = None
        # 本对象恢复或保存的最后一轮（None：尚未接触该目录）/ The last
        # epoch this object restored or saved (None: not yet).
        self.epoch = None
        self._noise = None
        self._first_epoch = None

    def _checkpointer_for(self, model):
        if self.checkpointer is None:
            objects = training_objects(model)
            grid = self.sample_grid
            if grid is not None:
                if grid.model is None and grid.explicit_generator is None:
                    grid.set_model(model)
                grid.ensure_noise()
                self._noise = tf.Variable(grid.noise, trainable=False)
                objects["sample_noise"] = self._noise
            self.checkpointer = Checkpointer(
                self.directory, max_to_keep=self.max_to_keep, **objects
            )
        return self.checkpointer

    def restore(self, model, dataset=None):
        """Restore ``model`` (and the grid noise); return the epoch reached.

        恢复模型（及样本网格噪声）并返回已完成的轮数；把它作为
        ``initial_epoch`` 传给 ``fit``。

        Args:
            model: the compiled course model to restore into.
            dataset: optional reshuffling ``tf.data`` data set that ``fit``
                will read; its shuffling is advanced past the finished
                epochs.

        Returns:
            int: epochs already done (0 when there is no checkpoint).
        """
        epoch = self._checkpointer_for(model).restore()
        self.epoch = epoch
        if epoch:
            if self.sample_grid is not None:
                self.sample_grid.noise = self._noise.numpy()
                # 不覆盖第 0 轮的网格，并读回旧网格 / Keep the epoch-0 grid
                # and read the earlier grids back for the GIF.
                self.sample_grid.include_initial = False
                self.sample_grid.reload(epoch)
            if dataset is not None:
                skip_epochs(dataset, epoch, fit_iterators_per_epoch())
        return epoch

    def on_train_begin(self, logs=None):
        found = latest_epoch(self.directory)
        if found and self.epoch is None:
            raise ValueError(
                f"{self.directory} already holds checkpoints up to epoch "
                f"{found}. Expected a new folder, or a resumed run: "
                "`done = saver.restore(model, dataset)` then "
                "`model.fit(..., initial_epoch=done)`."
            )
        self._first_epoch = None

    def on_epoch_begin(self, epoch, logs=None):
        if self._first_epoch is not None:
            return
        self._first_epoch = epoch
        expected = self.epoch or 0
        if epoch != expected:
            raise ValueError(
                f"`initial_epoch` must be the epoch the checkpoints in "
                f"{self.directory} reached ({expected}). Received: "
                f"initial_epoch={epoch}"
            )

    def on_epoch_end(self, epoch, logs=None):
        done = epoch + 1
        last = self.params.get("epochs") if self.params else None
        if done % self.every and done != last:
            return
        try:
            check_finite(
                logs,
                step=global_step(self.model),
                epoch=done,
                networks=getattr(self.model, "LOSS_NETWORKS", None),
            )
        except NonFiniteLossError as error:
            warnings.warn(f"Not saving a checkpoint: {error}", stacklevel=2)
            return
        checkpointer = self._checkpointer_for(self.model)
        if self._noise is not None:
            self._noise.assign(self.sample_grid.noise)
        checkpointer.save(done, scratch=_scratch_folder(self.model, self))
        self.epoch = done


class TensorBoardLogger(keras.callbacks.Callback):
    """Write a GAN's losses, learning rates and samples for TensorBoard.

    把 GAN 的损失、学习率和样本网格写成 TensorBoard 日志。

    Written with TensorFlow's own summary API (``tf.summary``) into
    ``log_dir``; view them with ``tensorboard --logdir runs/`` (``pip
    install tensorboard``). Tags:

    - ``batch/<loss>`` every ``every_steps`` generator updates (the x axis
      is the generator optimizer's step count);
    - ``epoch/<loss>`` after every epoch (x axis: the epoch);
    - ``learning_rate/<optimizer>`` for every optimizer of the model;
    - ``samples``: the fixed-noise grid of ``sample_grid``, once per epoch.

    Args:
        log_dir: folder of the event files (created on first write).
        sample_grid: optional ``SampleGrid`` whose fixed noise is drawn.
        every_steps: how often the per-step losses are written.
    """

    def __init__(self, log_dir, sample_grid=None, every_steps=50):
        super().__init__()
        try:
            import tensorboard  # noqa: F401 (tf.summary needs it)
        except ImportError:
            raise ImportError(
                "TensorBoardLogger needs the tensorboard package: run `pip "
                "install tensorboard`. (需要先安装 tensorboard：pip install "
                "tensorboard。)"
            ) from None
        self.log_dir = Path(log_dir)
        self.sample_grid = sample_grid
        self.every_steps = runtime.check_int("every_steps", every_steps, 1)
        self.writer = None

    def on_train_begin(self, logs=None):
        if self.writer is None:
            self.writer = tf.summary.create_file_writer(str(self.log_dir))

    def on_train_batch_end(self, batch, logs=None):
        step = global_step(self.model)
        if step is None or step % self.every_steps:
            return
        with self.writer.as_default(step=step):
            for name, value in (logs or {}).items():
                tf.summary.scalar(f"batch/{name}", float(value))

    def on_epoch_end(self, epoch, logs=None):
        with self.writer.as_default(step=epoch + 1):
            for name, value in (logs or {}).items():
                tf.summary.scalar(f"epoch/{name}", float(value))
            for name, value in sorted(vars(self.model).items()):
                if isinstance(value, keras.optimizers.Optimizer):
                    rate = keras.ops.convert_to_numpy(value.learning_rate)
                    tf.summary.scalar(f"learning_rate/{name}", float(rate))
            if self.sample_grid is not None:
                if self.sample_grid.model is None:
                    self.sample_grid.set_model(self.model)
                grid = plotting.image_grid(
                    self.sample_grid.sample(),
                    num_cols=self.sample_grid.num_cols,
                )
                tf.summary.image("samples", grid[np.newaxis], step=epoch + 1)
        self.writer.flush()

    def on_train_end(self, logs=None):
        self.writer.flush()

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import keras
import numpy as np
import pytest

from gancourse import callbacks
from gancourse import checkpoint
from gancourse import data
from gancourse import steps
from tests import tiny

ROOT = Path(__file__).resolve().parents[1]


# 保留 Dropout：其随机数状态也必须被保存 / Keep dropout: its RNG state must
# be saved too.
GAN = dict(dropout_rate=0.3, beta_1=0.5)


def weights(model):
    return [np.array(w) for w in model.weights]


def assert_same_weights(first, second):
    assert len(first) == len(second)
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)


def test_fit_resume_is_bit_exact(small_images, tmp_path):
    # 不中断地训练 3 轮 / Three epochs without a stop.
    straight = tiny.model("gan", seed=1, **GAN)
    grid = callbacks.SampleGrid(num_images=4, seed=5)
    dataset = data.make_dataset(small_images, batch_size=8, seed=3)
    straight.fit(dataset, epochs=3, callbacks=[grid], verbose=0)

    # 训练 1 轮后“重启进程”：新对象、新数据集 / One epoch, then "restart":
    # new objects and a new data set, with a different seed to prove the
    # state comes from the checkpoint.
    first = tiny.model("gan", seed=1, **GAN)
    grid1 = callbacks.SampleGrid(num_images=4, seed=5)
    saver = callbacks.TrainingCheckpoint(tmp_path / "ckpt", grid1)
    first.fit(
        data.make_dataset(small_images, batch_size=8, seed=3),
        epochs=1,
        callbacks=[saver, grid1],
        verbose=0,
    )
    resumed = tiny.model("gan", seed=99, **GAN)
    grid2 = callbacks.SampleGrid(num_images=4, seed=123)
    saver = callbacks.TrainingCheckpoint(tmp_path / "ckpt", grid2)
    # 重启后的脚本同样先调用 setup(1)：数据顺序依赖全局种子 / The restarted
    # script calls setup(1) again: the shuffle order uses the global seed.
    keras.utils.set_random_seed(1)
    dataset = data.make_dataset(small_images, batch_size=8, seed=3)
    done = saver.restore(resumed, dataset)
    assert done == 1
    history = resumed.fit(
        dataset,
        epochs=3,
        initial_epoch=done,
        callbacks=[saver, grid2],
        verbose=0,
    )
    assert len(history.history["d_loss"]) == 2
    assert int(resumed.g_optimizer.iterations) == 12
    assert_same_weights(weights(straight), weights(resumed))
    # 固定噪声也被恢复 / The fixed sample noise was restored too.
    np.testing.assert_array_equal(grid2.noise, grid.noise)
    np.testing.assert_array_equal(grid2.grids[-1], grid.grids[-1])
    assert checkpoint.latest_epoch(tmp_path / "ckpt") == 3


def explicit_parts(seed):
    gan = tiny.model("gan", seed=seed, **GAN)
    g_optimizer = keras.optimizers.Adam(1e-3)
    d_optimizer = keras.optimizers.Adam(1e-3)
    step = steps.make_train_step(
        gan.generator, gan.discriminator, g_optimizer, d_optimizer, seed=seed
    )
    objects = dict(
        generator=gan.generator,
        discriminator=gan.discriminator,
        g_optimizer=g_optimizer,
        d_optimizer=d_optimizer,
        noise_state=step.seed_generator.state,
    )
    return gan, step, objects


def test_explicit_loop_resume_is_bit_exact(small_images, tmp_path):
    straight, step, _ = explicit_parts(seed=2)
    dataset = data.make_dataset(small_images, batch_size=8, seed=4)
    steps.train(step, dataset, epochs=3, verbose=0)

    first, step, objects = explicit_parts(seed=2)
    saver = checkpoint.Checkpointer(tmp_path, **objects)
    dataset = data.make_dataset(small_images, batch_size=8, seed=4)
    steps.train(
        step,
        dataset,
        epochs=2,
        verbose=0,
        on_epoch_end=lambda epoch, logs: saver.save(epoch + 1),
    )
    resumed, step, objects = explicit_parts(seed=50)
    keras.utils.set_random_seed(2)
    saver = checkpoint.Checkpointer(tmp_path, **objects)
    start = saver.restore()
    assert start == 2
    dataset = data.skip_epochs(
        data.make_dataset(small_images, batch_size=8, seed=4), start
    )
    history = steps.train(
        step, dataset, epochs=3, verbose=0, initial_epoch=start
    )
    assert len(history["d_loss"]) == 1
    assert_same_weights(weights(straight), weights(resumed))


def test_restore_falls_back_when_newest_checkpoint_is_corrupt(
    small_images, tmp_path
):
    gan = tiny.model("gan", **GAN)
    saver = checkpoint.Checkpointer(tmp_path, generator=gan.generator)
    saver.save(1)
    good = weights(gan.generator)
    gan.generator.weights[0].assign(gan.generator.weights[0] + 1.0)
    saver.save(2)
    # 模拟写到一半被杀：截断最新检查点的数据文件 / Simulate a save killed
    # half-way: truncate the newest checkpoint's data file.
    data_file = next(tmp_path.glob("ckpt-2.data-*"))
    data_file.write_bytes(data_file.read_bytes()[:10])
    fresh = tiny.model("gan", seed=7, **GAN)
    saver = checkpoint.Checkpointer(tmp_path, generator=fresh.generator)
    with pytest.warns(UserWarning, match="ckpt-2 is unreadable"):
        assert saver.restore() == 1
    assert_same_weights(good, weights(fresh.generator))
    # 所有检查点都坏了：清晰报错 / All broken: a clear error.
    for path in tmp_path.glob("ckpt-1.data-*"):
        path.write_bytes(b"")
    with pytest.warns(UserWarning):
        with pytest.raises(ValueError, match="No readable checkpoint"):
            saver.restore()


def test_restore_rejects_a_different_architecture(tmp_path):
    gan = tiny.model("gan", **GAN)
    checkpoint.Checkpointer(tmp_path, generator=gan.generator).save(1)
    other, _ = tiny.networks("gan", base_filters=8)
    saver = checkpoint.Checkpointer(tmp_path, generator=other)
    with pytest.raises(ValueError, match="does not match this model"):
        saver.restore()


SAVE_FOREVER = """
import sys
import numpy as np
import tensorflow as tf
from gancourse import checkpoint
big = tf.Variable(np.zeros((4_000_000,), "float32"))
saver = checkpoint.Checkpointer(sys.argv[1], big=big)
epoch = 0
while True:
    epoch += 1
    big.assign(tf.fill(big.shape, float(epoch)))
    saver.save(epoch)
    print(epoch, flush=True)
"""


def test_sigkill_during_saves_leaves_a_readable_checkpoint(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT), TF_CPP_MIN_LOG_LEVEL="3")
    process = subprocess.Popen(
        [sys.executable, "-c", SAVE_FOREVER, str(tmp_path)],
        stdout=subprocess.PIPE,
        env=env,
    )
    try:
        # 等到至少写完 3 个检查点，再在保存途中杀掉 / Wait for 3 complete
        # saves, then kill it in the middle of the following ones.
        for _ in range(3):
            line = process.stdout.readline()
            assert line, "the saving process died"
        time.sleep(0.05)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    import tensorflow as tf

    big = tf.Variable(np.zeros((4_000_000,), "float32"))
    epoch = checkpoint.Checkpointer(tmp_path, big=big).restore()
    assert epoch >= 3
    # 恢复出的数值属于同一轮 / The values restored belong to that epoch.
    assert np.all(big.numpy() == float(epoch))


def poisoned(images, index, shuffle=False):
    """Batches of 8 with a NaN image (make_dataset itself refuses NaN)."""
    import tensorflow as tf

    images = images.copy()
    images[index] = np.nan
    dataset = tf.data.Dataset.from_tensor_slices(images)
    if shuffle:
        dataset = dataset.shuffle(len(images), seed=0)
    return dataset.batch(8, drop_remainder=True)


def test_nan_guard_stops_fit_naming_network_and_step(small_images):
    gan = tiny.model("gan", **GAN)
    # 无打乱，第 3 批（步 3）含 NaN / No shuffle: batch 3 (step 3) has a NaN.
    dataset = poisoned(small_images, 17)
    with pytest.raises(
        checkpoint.NonFiniteLossError,
        match=r"discriminator loss `d_loss` became nan at step 3 \(epoch 1\)",
    ):
        gan.fit(
            dataset,
            epochs=2,
            callbacks=[callbacks.NonFiniteGuard()],
            verbose=0,
        )
    assert int(gan.g_optimizer.iterations) == 3


def test_nan_guard_in_explicit_loop_and_no_checkpoint_of_nan(
    small_images, tmp_path
):
    gan, step, _ = explicit_parts(seed=0)
    dataset = poisoned(small_images, 9)
    with pytest.raises(
        checkpoint.NonFiniteLossError, match="discriminator.*at step 2"
    ):
        steps.train(step, dataset, epochs=1, verbose=0)
    # 回调不保存损失为 NaN 的一轮 / The callback skips a NaN epoch.
    gan = tiny.model("gan", **GAN)
    saver = callbacks.TrainingCheckpoint(tmp_path)
    with pytest.warns(UserWarning, match="Not saving a checkpoint"):
        gan.fit(
            poisoned(small_images, 0, shuffle=True),
            epochs=1,
            callbacks=[saver],
            verbose=0,
        )
    assert checkpoint.latest_epoch(tmp_path) == 0


def test_really_diverging_learning_rate_is_caught(small_images):
    gan = tiny.model("gan", learning_rate=1e35, **GAN)
    dataset = data.make_dataset(small_images, batch_size=8, seed=0)
    with pytest.raises(checkpoint.NonFiniteLossError, match="at step"):
        gan.fit(
            dataset,
            epochs=3,
            callbacks=[callbacks.NonFiniteGuard()],
            verbose=0,
        )


def state(model):
    arrays = []
    for value in checkpoint.training_objects(model).values():
        if isinstance(value, keras.Model):
            arrays += [np.array(w) for w in value.weights]
        elif isinstance(value, keras.optimizers.Optimizer):
            arrays += [np.array(v) for v in value.variables]
        elif isinstance(value, list):
            arrays += [np.array(v) for v in value]
        else:
            arrays.append(np.array(value))
    return arrays


@pytest.mark.parametrize(
    "family,options",
    [
        ("conditional", dict(dropout_rate=0.3)),
        ("wgangp", {}),
        ("pix2pix", {}),
        # 图像池也是状态；eager 省去四个网络的图追踪 / The image pools are
        # state too; eager skips tracing four networks.
        ("cyclegan", dict(pool_size=4, run_eagerly=True)),
    ],
    ids=["ConditionalGAN", "WGANGP", "Pix2Pix", "CycleGAN"],
)
def test_every_course_model_resumes_bit_exactly(
    family, options, small_images, tmp_path
):
    images, batch_size = small_images, 8
    if family == "cyclegan":
        images, batch_size = small_images[:8], 4
    straight = tiny.model(family, seed=1, beta_1=0.5, **options)
    dataset = tiny.dataset(family, images, batch_size=batch_size)
    straight.fit(dataset, epochs=2, verbose=0)

    first = tiny.model(family, seed=1, beta_1=0.5, **options)
    saver = callbacks.TrainingCheckpoint(tmp_path)
    dataset = tiny.dataset(family, images, batch_size=batch_size)
    first.fit(dataset, epochs=1, callbacks=[saver], verbose=0)

    resumed = tiny.model(family, seed=77, beta_1=0.5, **options)
    keras.utils.set_random_seed(1)
    dataset = tiny.dataset(family, images, batch_size=batch_size)
    saver = callbacks.TrainingCheckpoint(tmp_path)
    done = saver.restore(resumed, dataset)
    assert done == 1
    resumed.fit(
        dataset, epochs=2, initial_epoch=done, callbacks=[saver], verbose=0
    )
    assert_same_weights(state(straight), state(resumed))


def test_fit_refuses_checkpoints_it_was_not_resumed_from(
    small_images, tmp_path
):
    dataset = data.make_dataset(small_images, batch_size=8, seed=0)
    first = tiny.model("gan", **GAN)
    saver = callbacks.TrainingCheckpoint(tmp_path)
    first.fit(dataset, epochs=1, callbacks=[saver], verbose=0)
    # 同一个回调继续训练：它知道自己保存到了第 1 轮 / The same callback
    # continues: it knows it saved epoch 1.
    first.fit(dataset, epochs=2, initial_epoch=1, callbacks=[saver], verbose=0)
    assert checkpoint.latest_epoch(tmp_path) == 2

    # 新进程忘了 restore：拒绝覆盖，并说明怎么做 / A new process that forgot
    # restore: refused, with what to do.
    resumed = tiny.model("gan", seed=5, **GAN)
    before = weights(resumed)
    with pytest.raises(ValueError, match="initial_epoch=done"):
        resumed.fit(
            dataset,
            epochs=3,
            callbacks=[callbacks.TrainingCheckpoint(tmp_path)],
            verbose=0,
        )
    assert_same_weights(before, weights(resumed))
    # restore 了却没传 initial_epoch：拒绝 / Restored, but fit started at 0.
    saver = callbacks.TrainingCheckpoint(tmp_path)
    assert saver.restore(resumed) == 2
    with pytest.raises(ValueError, match="Received: initial_epoch=0"):
        resumed.fit(dataset, epochs=3, callbacks=[saver], verbose=0)
    assert int(resumed.g_optimizer.iterations) == 8
    history = resumed.fit(
        dataset, epochs=3, initial_epoch=2, callbacks=[saver], verbose=0
    )
    assert len(history.history["d_loss"]) == 1
    assert int(resumed.g_optimizer.iterations) == 12


def test_fit_iterators_per_epoch_is_measured():
    # fit 每轮新建的迭代器数（Keras 3.15 为 2），不是写死的常数 / Measured
    # by a real fit, not a constant that mirrors Keras internals.
    assert data.fit_iterators_per_epoch() == 2

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
from gancourse import gans
from gancourse import models
from gancourse import steps

ROOT = Path(__file__).resolve().parents[1]


def tiny_gan(seed=0, learning_rate=1e-3):
    keras.utils.set_random_seed(seed)
    generator = models.make_dcgan_generator(
        latent_dim=8, image_shape=(16, 16, 1), base_filters=4
    )
    # 保留 Dropout：其随机数状态也必须被保存 / Keep dropout: its RNG state
    # must be saved too.
    discriminator = models.make_dcgan_discriminator(
        image_shape=(16, 16, 1), base_filters=4, dropout_rate=0.3
    )
    gan = gans.GAN(generator, discriminator, seed=seed)
    gan.compile(
        keras.optimizers.Adam(learning_rate, beta_1=0.5),
        keras.optimizers.Adam(learning_rate, beta_1=0.5),
    )
    return gan


def weights(model):
    return [np.array(w) for w in model.weights]


def assert_same_weights(first, second):
    assert len(first) == len(second)
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)


def test_fit_resume_is_bit_exact(small_images, tmp_path):
    # 不中断地训练 3 轮 / Three epochs without a stop.
    straight = tiny_gan(seed=1)
    grid = callbacks.SampleGrid(num_images=4, seed=5)
    dataset = data.make_dataset(small_images, batch_size=8, seed=3)
    straight.fit(dataset, epochs=3, callbacks=[grid], verbose=0)

    # 训练 1 轮后“重启进程”：新对象、新数据集 / One epoch, then "restart":
    # new objects and a new data set, with a different seed to prove the
    # state comes from the checkpoint.
    first = tiny_gan(seed=1)
    grid1 = callbacks.SampleGrid(num_images=4, seed=5)
    saver = checkpoint.TrainingCheckpoint(tmp_path / "ckpt", grid1)
    first.fit(
        data.make_dataset(small_images, batch_size=8, seed=3),
        epochs=1,
        callbacks=[saver, grid1],
        verbose=0,
    )
    resumed = tiny_gan(seed=99)
    grid2 = callbacks.SampleGrid(num_images=4, seed=123)
    saver = checkpoint.TrainingCheckpoint(tmp_path / "ckpt", grid2)
    # 重启后的脚本同样先调用 setup(1)：数据顺序依赖全局种子 / The restarted
    # script calls setup(1) again: the shuffle order uses the global seed.
    keras.utils.set_random_seed(1)
    dataset = data.make_dataset(small_images, batch_size=8, seed=3)
    assert saver.restore(resumed, dataset) == 1
    history = resumed.fit(
        dataset, epochs=3, callbacks=[saver, grid2], verbose=0
    )
    assert len(history.history["d_loss"]) == 2
    assert int(resumed.g_optimizer.iterations) == 12
    assert_same_weights(weights(straight), weights(resumed))
    # 固定噪声也被恢复 / The fixed sample noise was restored too.
    np.testing.assert_array_equal(grid2.noise, grid.noise)
    np.testing.assert_array_equal(grid2.grids[-1], grid.grids[-1])
    assert checkpoint.latest_epoch(tmp_path / "ckpt") == 3


def explicit_parts(seed):
    gan = tiny_gan(seed=seed)
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
    dataset = checkpoint.skip_epochs(
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
    gan = tiny_gan(seed=0)
    saver = checkpoint.Checkpointer(tmp_path, generator=gan.generator)
    saver.save(1)
    good = weights(gan.generator)
    gan.generator.weights[0].assign(gan.generator.weights[0] + 1.0)
    saver.save(2)
    # 模拟写到一半被杀：截断最新检查点的数据文件 / Simulate a save killed
    # half-way: truncate the newest checkpoint's data file.
    data_file = next(tmp_path.glob("ckpt-2.data-*"))
    data_file.write_bytes(data_file.read_bytes()[:10])
    fresh = tiny_gan(seed=7)
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
    gan = tiny_gan(seed=0)
    checkpoint.Checkpointer(tmp_path, generator=gan.generator).save(1)
    other = models.make_dcgan_generator(
        latent_dim=8, image_shape=(16, 16, 1), base_filters=8
    )
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
    gan = tiny_gan(seed=0)
    # 无打乱，第 3 批（步 3）含 NaN / No shuffle: batch 3 (step 3) has a NaN.
    dataset = poisoned(small_images, 17)
    with pytest.raises(
        checkpoint.NonFiniteLossError,
        match=r"discriminator loss `d_loss` became nan at step 3 \(epoch 1\)",
    ):
        gan.fit(
            dataset,
            epochs=2,
            callbacks=[checkpoint.NonFiniteGuard()],
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
    gan = tiny_gan(seed=0)
    saver = checkpoint.TrainingCheckpoint(tmp_path)
    with pytest.warns(UserWarning, match="Not saving a checkpoint"):
        gan.fit(
            poisoned(small_images, 0, shuffle=True),
            epochs=1,
            callbacks=[saver],
            verbose=0,
        )
    assert checkpoint.latest_epoch(tmp_path) == 0


def test_really_diverging_learning_rate_is_caught(small_images):
    gan = tiny_gan(seed=0, learning_rate=1e35)
    dataset = data.make_dataset(small_images, batch_size=8, seed=0)
    with pytest.raises(checkpoint.NonFiniteLossError, match="at step"):
        gan.fit(
            dataset,
            epochs=3,
            callbacks=[checkpoint.NonFiniteGuard()],
            verbose=0,
        )


def _adam():
    return keras.optimizers.Adam(1e-3, beta_1=0.5)


def _conditional(seed, images):
    from gancourse import conditional

    keras.utils.set_random_seed(seed)
    generator = conditional.make_conditional_generator(
        latent_dim=8, num_classes=3, image_shape=(16, 16, 1), base_filters=4
    )
    discriminator = conditional.make_conditional_discriminator(
        num_classes=3, image_shape=(16, 16, 1), base_filters=4
    )
    model = conditional.ConditionalGAN(generator, discriminator, seed=seed)
    model.compile(_adam(), _adam())
    labels = np.arange(len(images)) % 3
    return model, lambda: data.make_dataset(
        images, labels, batch_size=8, seed=3
    )


def _wgangp(seed, images):
    from gancourse import wgan

    keras.utils.set_random_seed(seed)
    generator = models.make_dcgan_generator(
        latent_dim=8, image_shape=(16, 16, 1), base_filters=4
    )
    critic = models.make_dcgan_discriminator(
        image_shape=(16, 16, 1), base_filters=4, dropout_rate=0.0
    )
    model = wgan.WGANGP(generator, critic, d_steps=2, seed=seed)
    model.compile(_adam(), _adam())
    return model, lambda: data.make_dataset(images, batch_size=8, seed=3)


def _pix2pix(seed, images):
    from gancourse import image_to_image

    keras.utils.set_random_seed(seed)
    generator = image_to_image.make_unet_generator(
        (16, 16, 1), base_filters=4, num_downsamples=2
    )
    discriminator = image_to_image.make_patchgan_discriminator(
        (16, 16, 1), (16, 16, 1), base_filters=4
    )
    model = image_to_image.Pix2Pix(generator, discriminator)
    model.compile(_adam(), _adam())
    return model, lambda: data.make_dataset(
        images, images[::-1], batch_size=8, seed=3
    )


def _cyclegan(seed, images):
    from gancourse import cyclegan
    from gancourse import image_to_image

    keras.utils.set_random_seed(seed)
    nets = [
        cyclegan.make_resnet_generator(
            (16, 16, 1), base_filters=4, num_residual_blocks=1
        )
        for _ in range(2)
    ] + [
        image_to_image.make_patchgan_discriminator((16, 16, 1), base_filters=4)
        for _ in range(2)
    ]
    # 图像池也是状态 / The image pools are state too.
    model = cyclegan.CycleGAN(*nets, pool_size=4, seed=seed)
    # eager 省去四个网络的图追踪 / Eager skips tracing four networks.
    model.compile(_adam(), _adam(), _adam(), _adam(), run_eagerly=True)
    return model, lambda: cyclegan.make_unpaired_dataset(
        images[:8], images[8:16], batch_size=4, seed=3
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
    "build",
    [_conditional, _wgangp, _pix2pix, _cyclegan],
    ids=["ConditionalGAN", "WGANGP", "Pix2Pix", "CycleGAN"],
)
def test_every_course_model_resumes_bit_exactly(build, small_images, tmp_path):
    straight, make_data = build(1, small_images)
    straight.fit(make_data(), epochs=2, verbose=0)

    first, make_data = build(1, small_images)
    saver = checkpoint.TrainingCheckpoint(tmp_path)
    first.fit(make_data(), epochs=1, callbacks=[saver], verbose=0)

    resumed, _ = build(77, small_images)
    keras.utils.set_random_seed(1)
    dataset = make_data()
    saver = checkpoint.TrainingCheckpoint(tmp_path)
    assert saver.restore(resumed, dataset) == 1
    resumed.fit(dataset, epochs=2, callbacks=[saver], verbose=0)
    assert_same_weights(state(straight), state(resumed))


def test_callback_alone_resumes_at_train_begin(small_images, tmp_path):
    dataset = data.make_dataset(small_images, batch_size=8, seed=0)
    first = tiny_gan(seed=0)
    first.fit(
        dataset,
        epochs=1,
        callbacks=[checkpoint.TrainingCheckpoint(tmp_path)],
        verbose=0,
    )
    resumed = tiny_gan(seed=5)
    history = resumed.fit(
        dataset,
        epochs=2,
        callbacks=[checkpoint.TrainingCheckpoint(tmp_path)],
        verbose=0,
    )
    # 一轮来自检查点，只训练了第二轮 / Epoch 1 came from the checkpoint.
    assert len(history.history["d_loss"]) == 1
    assert int(resumed.g_optimizer.iterations) == 8
    # 之后普通的 fit 不受影响 / A later plain fit is not shifted.
    history = resumed.fit(dataset, epochs=1, verbose=0)
    assert len(history.history["d_loss"]) == 1

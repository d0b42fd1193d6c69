"""TensorBoard logs: losses, learning rates and the sample grid read back.

TensorBoard 日志：读回损失、学习率与样本网格。
"""

import numpy as np
import pytest
import tensorflow as tf

from gancourse import callbacks
from tests import tiny


def read_events(log_dir):
    """tag -> list of (step, value) of every event file in ``log_dir``."""
    found = {}
    for path in sorted(log_dir.glob("events.out.tfevents.*")):
        for event in tf.compat.v1.train.summary_iterator(str(path)):
            for value in event.summary.value:
                array = tf.make_ndarray(value.tensor)
                found.setdefault(value.tag, []).append((event.step, array))
    return found


def test_logger_writes_losses_rates_and_samples(small_images, tmp_path):
    gan = tiny.model("gan", seed=0)
    grid = callbacks.SampleGrid(num_images=4, seed=1)
    logger = callbacks.TensorBoardLogger(tmp_path, grid, every_steps=2)
    history = gan.fit(
        tiny.dataset("gan", small_images),
        epochs=2,
        callbacks=[logger, grid],  # 顺序无关 / Order does not matter.
        verbose=0,
    )
    events = read_events(tmp_path)
    # 每轮 4 步：第 2、4、6、8 步写入 / 4 steps per epoch: steps 2, 4, 6, 8.
    assert [step for step, _ in events["batch/d_loss"]] == [2, 4, 6, 8]
    epoch_losses = [float(value) for _, value in events["epoch/g_loss"]]
    np.testing.assert_allclose(
        epoch_losses, history.history["g_loss"], rtol=1e-6
    )
    rates = events["learning_rate/g_optimizer"]
    assert [step for step, _ in rates] == [1, 2]
    np.testing.assert_allclose(float(rates[0][1]), 1e-3, rtol=1e-6)
    assert "learning_rate/d_optimizer" in events
    # 图像以 PNG 存储：[宽, 高, png...] / Images are stored as PNG strings.
    (step, image), *_ = events["samples"][-1:]
    assert step == 2
    width, height, png = image[0], image[1], image[2]
    decoded = tf.io.decode_png(png).numpy()
    assert decoded.shape[:2] == (int(height), int(width))
    np.testing.assert_array_equal(decoded, grid.grids[-1])


def test_logger_without_grid_and_bad_arguments(small_images, tmp_path):
    gan = tiny.model("wgangp", seed=0)
    logger = callbacks.TensorBoardLogger(tmp_path / "wgan", every_steps=100)
    gan.fit(
        tiny.dataset("wgangp", small_images),
        epochs=1,
        callbacks=[logger],
        verbose=0,
    )
    events = read_events(tmp_path / "wgan")
    assert {"epoch/d_loss", "epoch/g_loss", "epoch/gp"} <= set(events)
    assert "samples" not in events
    assert not any(tag.startswith("batch/") for tag in events)
    with pytest.raises(ValueError, match="Received: every_steps=0"):
        callbacks.TensorBoardLogger(tmp_path, every_steps=0)

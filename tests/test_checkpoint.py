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
    history = resumed.fit(dataset, epochs=3, callbacks=[saver, grid2], verbose=0)
    assert len(history.history["d_loss"]) == 2
    assert int(resumed.g_optimizer.iterations) == 12
    assert_same_weights(weights(straight), weights(resumed))
    # 固定噪声也被恢复 / The fixed sample noise was restored too.
    np.testing.assert_array_equal(grid2.noise, grid.noise)
    np.testing.assert_array_equal(grid2.grids[-1], grid.grids[-1])
    assert checkpoint.latest_epoch(tmp_path / "ckpt") == 3

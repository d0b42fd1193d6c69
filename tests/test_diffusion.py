"""The diffusion model of lesson 11: schedule, loss, training step, samplers.

第 11 课的扩散模型：噪声表、损失、训练步骤与采样器，对照 NumPy 参考实现。
"""

import keras
import numpy as np
import pytest
import tensorflow as tf

from gancourse import models
from gancourse import training
from gancourse.training.diffusion import DDPM
from gancourse.training.diffusion import NoiseSchedule
from gancourse.training.diffusion import epsilon_loss

SHAPE = (8, 8, 1)


def test_schedule_matches_numpy():
    schedule = NoiseSchedule(50, beta_start=1e-3, beta_end=0.05)
    betas = np.linspace(1e-3, 0.05, 50)
    np.testing.assert_allclose(schedule.betas, betas)
    np.testing.assert_allclose(schedule.alpha_bars, np.cumprod(1 - betas))


def test_closed_form_equals_the_step_by_step_forward_process():
    # 逐步加噪 T 次与一步闭式公式同分布：用同一批噪声的线性组合精确比较 /
    # Noising step by step equals the closed form in distribution; check
    # the mean and standard deviation over many draws.
    schedule = NoiseSchedule(30, beta_start=1e-3, beta_end=0.2)
    rng = np.random.default_rng(0)
    x0 = np.full((20_000, 1, 1, 1), 0.7, "float32")
    x = x0.astype("float64")
    for beta in schedule.betas[:20]:
        x = np.sqrt(1 - beta) * x + np.sqrt(beta) * rng.standard_normal(x.shape)
    t = np.full((len(x0),), 19, "int32")
    noise = rng.standard_normal(x0.shape).astype("float32")
    closed = np.asarray(schedule.q_sample(x0, t, noise))
    abar = schedule.alpha_bars[19]
    assert abs(x.mean() - np.sqrt(abar) * 0.7) < 0.01
    assert abs(x.std() - np.sqrt(1 - abar)) < 0.01
    assert abs(closed.mean() - x.mean()) < 0.015
    assert abs(closed.std() - x.std()) < 0.015
    # 闭式公式逐元素正确 / Element-wise, the closed form itself.
    np.testing.assert_allclose(
        closed,
        np.sqrt(abar) * x0 + np.sqrt(1 - abar) * noise,
        rtol=1e-5,
        atol=1e-6,
    )


def test_q_sample_picks_each_images_own_step():
    schedule = NoiseSchedule(10)
    x0 = np.ones((3,) + SHAPE, "float32")
    noise = np.zeros_like(x0)
    out = np.asarray(schedule.q_sample(x0, np.array([0, 4, 9]), noise))
    np.testing.assert_allclose(
        out[:, 0, 0, 0], np.sqrt(schedule.alpha_bars[[0, 4, 9]]), rtol=1e-6
    )


def test_epsilon_loss_is_the_mean_squared_error():
    rng = np.random.default_rng(1)
    a, b = rng.standard_normal((2, 4) + SHAPE).astype("float32")
    np.testing.assert_allclose(
        float(epsilon_loss(a, b)), np.mean((a - b) ** 2), rtol=1e-6
    )


@keras.saving.register_keras_serializable(package="gancourse_tests")
class PerfectNoise(keras.layers.Layer):
    """The exact noise of x_t when every training image equals ``value``."""

    def __init__(self, alpha_bars, value, **kwargs):
        super().__init__(**kwargs)
        self.alpha_bars = [float(a) for a in alpha_bars]
        self.value = float(value)

    def build(self, input_shape):
        # 一个乘以 0 的权重，让优化器有东西可更新 / A weight multiplied by
        # 0, so the optimizer has something to update.
        self.w = self.add_weight(shape=(), initializer="zeros")

    def call(self, inputs):
        x_t, t = inputs
        abar = tf.gather(tf.constant(self.alpha_bars, tf.float32), t)
        abar = tf.reshape(abar, (-1, 1, 1, 1))
        eps = (x_t - tf.sqrt(abar) * self.value) / tf.sqrt(1 - abar)
        return eps + 0.0 * self.w


def perfect_network(schedule, value):
    x_t = keras.Input(SHAPE)
    t = keras.Input((), dtype="int32")
    out = PerfectNoise(schedule.alpha_bars, value)([x_t, t])
    return keras.Model([x_t, t], out)


def test_a_perfect_noise_predictor_has_zero_loss_and_samples_the_data():
    schedule = NoiseSchedule(40)
    ddpm = DDPM(perfect_network(schedule, 0.3), schedule=schedule, seed=0)
    ddpm.compile(keras.optimizers.Adam(1e-3))
    images = np.full((16,) + SHAPE, 0.3, "float32")
    logs = ddpm.fit(images, batch_size=8, epochs=1, verbose=0).history
    assert logs["loss"][0] < 1e-10
    cases = (("ddim", 7), ("ddim", 40), ("ancestral", None), ("ancestral", 9))
    for sampler, steps in cases:
        samples = ddpm.sample(4, steps=steps, sampler=sampler, seed=1)
        np.testing.assert_allclose(samples, 0.3, atol=1e-4, err_msg=sampler)


def test_a_wrong_predictor_has_a_positive_loss():
    # 对照：预测错的常数时损失明显大于 0 / Control: the predictor of the
    # wrong constant has a clearly positive loss.
    schedule = NoiseSchedule(40)
    ddpm = DDPM(perfect_network(schedule, -0.5), schedule=schedule, seed=0)
    ddpm.compile(keras.optimizers.Adam(1e-3))
    images = np.full((16,) + SHAPE, 0.3, "float32")
    logs = ddpm.fit(images, batch_size=8, epochs=1, verbose=0).history
    assert logs["loss"][0] > 0.05


def tiny_ddpm(seed=3, ema_decay=None, channel_multipliers=(1, 2)):
    keras.utils.set_random_seed(0)
    network = models.make_diffusion_unet(
        image_shape=SHAPE,
        base_filters=4,
        time_dim=8,
        channel_multipliers=channel_multipliers,
    )
    ddpm = DDPM(
        network,
        NoiseSchedule(20),
        ema_decay=ema_decay,
        seed=seed,
        sample_steps=5,
    )
    ddpm.compile(keras.optimizers.Adam(1e-3))
    return ddpm


@pytest.fixture(scope="module")
def trained():
    # 两种图像（全亮、全暗）训练 15 轮；各测试共用 / Two kinds of image
    # (all bright, all dark), 15 epochs; shared by the tests below.
    ddpm = tiny_ddpm(ema_decay=0.9)
    images = np.concatenate(
        [np.full((32,) + SHAPE, 0.8), np.full((32,) + SHAPE, -0.8)]
    ).astype("float32")
    # 模块级夹具先于 conftest 的函数级夹具运行：自己关掉快速模式 / A
    # module fixture runs before conftest's function fixture that turns
    # fast mode off, so turn it off here.
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("GANCOURSE_FAST", raising=False)
        history = ddpm.fit(images, batch_size=16, epochs=15, verbose=0)
    return ddpm, history.history["loss"]


def test_training_reduces_the_loss_on_simple_data(trained):
    _, losses = trained
    first, last = np.mean(losses[:3]), np.mean(losses[-3:])
    assert last < 0.7 * first, losses
    assert "DDPM" in training.__all__


def test_a_seeded_training_step_is_reproducible():
    images = np.random.default_rng(0).uniform(-1, 1, (8,) + SHAPE)
    images = tf.constant(images.astype("float32"))
    runs = []
    for seed in (3, 3, 4):
        ddpm = tiny_ddpm(seed=seed, channel_multipliers=(1,))
        logs = ddpm.train_step(images)
        runs.append((float(logs["loss"]), ddpm.network.get_weights()))
    assert runs[0][0] == runs[1][0]
    for a, b in zip(runs[0][1], runs[1][1]):
        np.testing.assert_array_equal(a, b)
    assert runs[2][0] != runs[0][0]


def test_samplers_give_images_in_range_and_are_seeded(trained):
    ddpm, _ = trained
    for sampler in ("ddim", "ancestral"):
        a = ddpm.sample(3, sampler=sampler, seed=5)
        b = ddpm.sample(3, sampler=sampler, seed=5)
        assert a.shape == (3,) + SHAPE and a.dtype == np.float32
        assert a.min() >= -1 and a.max() <= 1
        np.testing.assert_array_equal(a, b)
        assert not np.array_equal(a, ddpm.sample(3, sampler=sampler, seed=6))
    # 采样用 EMA 网络 / Sampling uses the EMA network.
    assert ddpm.network_for(False) is ddpm.ema_network
    assert ddpm.network_for(True) is ddpm.network


def test_timesteps_go_down_to_zero(trained):
    ddpm, _ = trained
    steps = ddpm.timesteps(5, "ddim")
    assert steps[0] == 19 and steps[-1] == 0 and len(steps) == 5
    assert np.all(np.diff(steps) < 0)
    np.testing.assert_array_equal(
        ddpm.timesteps(None, "ancestral"), np.arange(19, -1, -1)
    )


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda d: d.sample(2, sampler="euler"), "`sampler` must be one of"),
        (lambda d: d.sample(2, steps=21), "steps"),
        (lambda d: d.sample(0), "num_images"),
    ],
)
def test_bad_sampler_arguments_raise(call, message, trained):
    with pytest.raises(ValueError, match=message):
        call(trained[0])


def test_bad_schedule_raises():
    with pytest.raises(ValueError, match="0 < beta_start <= beta_end < 1"):
        NoiseSchedule(10, beta_start=0.1, beta_end=0.01)
    with pytest.raises(TypeError, match="`network` must be a keras.Model"):
        DDPM("unet")


def test_time_embedding_matches_numpy():
    steps = np.array([0, 3, 250, 999])
    out = np.asarray(models.TimeEmbedding(6)(steps))
    freqs = 10_000.0 ** (-np.arange(3) / 3)
    angles = steps[:, None] * freqs[None]
    expected = np.concatenate([np.sin(angles), np.cos(angles)], axis=1)
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-5)
    with pytest.raises(ValueError, match="even"):
        models.TimeEmbedding(5)


def test_unet_round_trips_in_safe_mode(tmp_path):
    network = models.make_diffusion_unet(
        image_shape=SHAPE, base_filters=4, time_dim=8
    )
    path = tmp_path / "unet.keras"
    network.save(path)
    loaded = keras.saving.load_model(path, safe_mode=True)
    x = np.random.default_rng(0).standard_normal((2,) + SHAPE)
    t = np.array([0, 19])
    np.testing.assert_allclose(
        loaded([x.astype("float32"), t]),
        network([x.astype("float32"), t]),
        rtol=1e-5,
        atol=1e-6,
    )
    with pytest.raises(ValueError, match="divisible by 4"):
        models.make_diffusion_unet(image_shape=(10, 10, 1))


@keras.saving.register_keras_serializable(package="gancourse_tests")
class GaussianNoise(keras.layers.Layer):
    """The optimal noise predictor when every pixel of x_0 is N(0, s^2)."""

    def __init__(self, alpha_bars, std, **kwargs):
        super().__init__(**kwargs)
        self.alpha_bars = [float(a) for a in alpha_bars]
        self.std = float(std)

    def build(self, input_shape):
        self.w = self.add_weight(shape=(), initializer="zeros")

    def call(self, inputs):
        x_t, t = inputs
        abar = tf.gather(tf.constant(self.alpha_bars, tf.float32), t)
        abar = tf.reshape(abar, (-1, 1, 1, 1))
        # E[eps | x_t] = sqrt(1 - abar) x_t / (abar s^2 + 1 - abar).
        scale = tf.sqrt(1 - abar) / (abar * self.std**2 + 1 - abar)
        return scale * x_t + 0.0 * self.w


def test_samplers_reproduce_gaussian_data_with_the_optimal_predictor():
    # 数据是 N(0, 0.3^2) 时，最优噪声预测器有闭式解；走完全部时间步的采样器
    # 应生成标准差约 0.3 的样本。步数少时样本向均值收缩 / With N(0, 0.3^2)
    # data the optimal noise predictor has a closed form, and a sampler that
    # visits every step returns samples of std about 0.3; with few steps the
    # samples shrink towards the mean.
    schedule = NoiseSchedule(200, beta_start=5e-4, beta_end=0.1)
    x_t = keras.Input(SHAPE)
    t = keras.Input((), dtype="int32")
    network = keras.Model(
        [x_t, t], GaussianNoise(schedule.alpha_bars, 0.3)([x_t, t])
    )
    ddpm = DDPM(network, schedule=schedule)
    stds = {}
    for sampler, steps in (("ancestral", None), ("ddim", 200), ("ddim", 20)):
        samples = ddpm.sample(500, steps=steps, sampler=sampler, seed=0)
        assert abs(samples.mean()) < 0.01, (sampler, samples.mean())
        stds[sampler, steps] = samples.std()
    assert abs(stds["ancestral", None] - 0.3) < 0.02, stds
    assert abs(stds["ddim", 200] - 0.3) < 0.02, stds
    assert stds["ddim", 20] < stds["ddim", 200] - 0.02, stds

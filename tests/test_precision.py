"""Mixed precision, loss scaling and XLA for every GAN family (tiny models)."""

import keras
import numpy as np
import pytest

from gancourse import cyclegan
from gancourse import gans
from gancourse import models
from gancourse import steps
from gancourse import wgan
from tests import tiny

FAMILIES = tiny.FAMILIES
# 每族的小模型选项 / Tiny-model options per family: 8x8 DCGANs with the
# factories' dropout; 16x16 CycleGAN and Pix2Pix with one-downsample
# PatchGANs (and ResNet), so they also fit 8x8 images.
OPTIONS = {
    "gan": dict(image_shape=(8, 8, 1), dropout_rate=0.3),
    "conditional": dict(image_shape=(8, 8, 1), dropout_rate=0.3),
    "wgangp": dict(image_shape=(8, 8, 1), dropout_rate=0.3),
    "cyclegan": dict(
        image_shape=(16, 16, 1), num_downsamples=1, d_downsamples=1
    ),
    "pix2pix": dict(image_shape=(16, 16, 1), d_downsamples=1),
}


def model_and_data(family, **options):
    """``tiny.model(family)`` with ``OPTIONS`` and two batches of images."""
    options = {**OPTIONS[family], **options}
    shape = (16, *options["image_shape"])
    images = np.random.default_rng(0).uniform(-1, 1, shape)
    return tiny.model(family, **options), tiny.dataset(family, images, seed=0)


def networks_of(model):
    if isinstance(model, cyclegan.CycleGAN):
        return [
            model.generator_g,
            model.generator_f,
            model.discriminator_x,
            model.discriminator_y,
        ]
    return [model.generator, model.discriminator]


def optimizers_of(model):
    names = ("g_optimizer", "f_optimizer", "d_x_optimizer", "d_y_optimizer")
    if not isinstance(model, cyclegan.CycleGAN):
        names = ("g_optimizer", "d_optimizer")
    return [getattr(model, name) for name in names]


def fit_and_check(model, dataset):
    """Fit one epoch; check finite losses and that every network moved."""
    before = [
        [np.array(w) for w in network.trainable_weights]
        for network in networks_of(model)
    ]
    history = model.fit(dataset, epochs=1, verbose=0)
    for name, values in history.history.items():
        assert np.all(np.isfinite(values)), (name, values)
    for network, weights in zip(networks_of(model), before):
        change = max(
            float(np.abs(np.array(w) - old).max())
            for w, old in zip(network.trainable_weights, weights)
        )
        assert change > 0, network.name
    return history


@pytest.fixture
def policy():
    """Set a global dtype policy for one test and always restore float32."""

    def set_policy(name):
        keras.mixed_precision.set_global_policy(name)

    yield set_policy
    keras.mixed_precision.set_global_policy("float32")


@pytest.mark.parametrize("family", FAMILIES)
def test_mixed_bfloat16_fit_every_family(family, policy):
    policy("mixed_bfloat16")
    model, dataset = model_and_data(family)
    for network in networks_of(model):
        computes = {layer.compute_dtype for layer in network.layers[1:]}
        assert "bfloat16" in computes, network.name
        assert {w.dtype for w in network.weights} == {"float32"}
        # 损失只看 float32 输出 / Losses only ever see float32 outputs.
        assert network.outputs[0].dtype == "float32", network.name
    # bfloat16 的指数范围与 float32 相同：不需要损失缩放 / bfloat16 keeps
    # float32's exponent range: no loss scaling.
    for optimizer in optimizers_of(model):
        assert not isinstance(optimizer, keras.optimizers.LossScaleOptimizer)
    fit_and_check(model, dataset)


@pytest.mark.parametrize("family", FAMILIES)
def test_compile_wraps_optimizers_under_mixed_float16(family, policy):
    policy("mixed_float16")
    model, _ = model_and_data(family)
    for optimizer in optimizers_of(model):
        assert isinstance(optimizer, keras.optimizers.LossScaleOptimizer)
        assert optimizer.built


def test_loss_scaled_wraps_only_when_needed(policy):
    optimizer = keras.optimizers.Adam()
    network = models.make_mlp_discriminator()
    assert gans.loss_scaled(optimizer, network) is optimizer
    policy("mixed_float16")
    wrapped = gans.loss_scaled(optimizer, network)
    assert isinstance(wrapped, keras.optimizers.LossScaleOptimizer)
    assert wrapped.inner_optimizer is optimizer
    # 已包装的不会再包一层 / An already wrapped optimizer stays as it is.
    assert gans.loss_scaled(wrapped, network) is wrapped
    # 模型自身的策略也算数 / A model's own policy counts too.
    policy("float32")
    half = keras.layers.Dense(1, dtype="mixed_float16")
    assert gans.needs_loss_scaling(half)
    assert not gans.needs_loss_scaling(network)


@pytest.mark.parametrize("family", ["gan", "wgangp", "cyclegan"])
def test_mixed_float16_fit_on_cpu(family, policy):
    # CPU 上也有 float16 内核（慢，但可用来测试损失缩放）/ The CPU has
    # float16 kernels too: slow, but enough to exercise loss scaling.
    policy("mixed_float16")
    model, dataset = model_and_data(family)
    fit_and_check(model, dataset)
    for optimizer in optimizers_of(model):
        assert isinstance(optimizer, keras.optimizers.LossScaleOptimizer)
        assert float(optimizer.dynamic_scale) > 1.0


@pytest.mark.parametrize("family", FAMILIES)
def test_jit_compile_one_step_every_family(family):
    # XLA 编译很慢：GAN/cGAN/WGAN-GP 用小 MLP 检查其 train_step（卷积工厂
    # 在 benchmarks/train_step.py 的 xla 行中编译）/ XLA compiles slowly:
    # small MLPs check the GAN/cGAN/WGAN-GP train_steps (the conv factories
    # compile in the xla rows of benchmarks/train_step.py); CycleGAN and
    # Pix2Pix keep their own 8x8 conv networks (padding, normalisation).
    if family in ("gan", "conditional", "wgangp"):
        model = tiny.model(family, points=True, jit_compile=True)
        points = np.random.default_rng(0).normal(size=(16, 2))
        dataset = tiny.dataset(family, points, seed=0)
    else:
        model, dataset = model_and_data(
            family, image_shape=(8, 8, 1), jit_compile=True
        )
    assert model.jit_compile is True
    fit_and_check(model, dataset.take(1))


@pytest.mark.parametrize("mode", ["mixed_bfloat16", "mixed_float16"])
def test_gradient_penalty_matches_float32(mode, policy):
    rng = np.random.default_rng(1)
    real = rng.uniform(-1, 1, (8, 8, 8, 1)).astype("float32")
    fake = rng.uniform(-1, 1, (8, 8, 8, 1)).astype("float32")
    keras.utils.set_random_seed(0)
    critic = models.make_dcgan_discriminator((8, 8, 1), base_filters=4)
    expected = float(wgan.gradient_penalty(critic, real, fake))
    policy(mode)
    mixed = models.make_dcgan_discriminator((8, 8, 1), base_filters=4)
    mixed.set_weights(critic.get_weights())
    penalty = wgan.gradient_penalty(mixed, real, fake)
    assert penalty.dtype == "float32"
    assert expected > 0.01
    np.testing.assert_allclose(float(penalty), expected, rtol=0.05)


def test_train_step_loss_scaling_under_mixed_float16(policy):
    policy("mixed_float16")
    generator, discriminator = tiny.networks("mlp", latent_dim=4)
    g_optimizer = keras.optimizers.Adam(1e-3)
    d_optimizer = keras.optimizers.Adam(1e-3)
    step = steps.make_train_step(
        generator, discriminator, g_optimizer, d_optimizer, seed=0
    )
    before = np.array(generator.trainable_weights[0])
    logs = step(np.ones((8, 2), "float32"))
    assert np.isfinite(float(logs["g_loss"]))
    assert np.abs(np.array(generator.trainable_weights[0]) - before).max() > 0
    # 内层优化器确实更新了：包装后的优化器也执行了一步 / The wrapped
    # optimizers stepped (the inner ones count the iterations).
    assert int(g_optimizer.iterations) == 1
    assert int(d_optimizer.iterations) == 1

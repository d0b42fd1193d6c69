"""Mixed precision, loss scaling and XLA for every GAN family (tiny models)."""

import keras
import numpy as np
import pytest

from gancourse import conditional
from gancourse import cyclegan
from gancourse import data
from gancourse import gans
from gancourse import image_to_image
from gancourse import models
from gancourse import steps
from gancourse import wgan

FAMILIES = ("gan", "conditional", "wgan_gp", "cyclegan", "pix2pix")


def adam():
    return keras.optimizers.Adam(1e-3)


def mlp(outputs, inputs=(2,)):
    return keras.Sequential(
        [keras.Input(inputs), keras.layers.Dense(8, activation="tanh")]
        + [keras.layers.Dense(outputs, dtype="float32")]
    )


def build_points(family, **compile_kwargs):
    """A compiled MLP GAN of ``family`` on 2-D points (fast to compile)."""
    keras.utils.set_random_seed(0)
    points = np.random.default_rng(0).normal(size=(16, 2)).astype("float32")
    if family == "conditional":
        z = keras.Input((2,))
        labels = keras.Input((), dtype="int32")
        hidden = keras.layers.Concatenate()(
            [z, keras.layers.Embedding(3, 2)(labels)]
        )
        generator = keras.Model([z, labels], mlp(2, (4,))(hidden))
        x = keras.Input((2,))
        labels = keras.Input((), dtype="int32")
        one_hot = keras.layers.CategoryEncoding(3, output_mode="one_hot")
        hidden = keras.layers.Concatenate()([x, one_hot(labels)])
        discriminator = keras.Model([x, labels], mlp(1, (5,))(hidden))
        model = conditional.ConditionalGAN(
            generator, discriminator, num_classes=3, seed=0
        )
        model.compile(adam(), adam(), **compile_kwargs)
        labels = np.arange(16) % 3
        return model, data.make_dataset(points, labels, batch_size=8, seed=0)
    if family == "gan":
        model = gans.GAN(mlp(2), mlp(1), seed=0)
    else:
        model = wgan.WGANGP(mlp(2), mlp(1), d_steps=2, seed=0)
    model.compile(adam(), adam(), **compile_kwargs)
    return model, data.make_dataset(points, batch_size=8, seed=0)


def build(family, size=16, **compile_kwargs):
    """A compiled tiny model of ``family`` and a 2-batch data set.

    GAN, ConditionalGAN and WGANGP use the 8x8 DCGAN factories; CycleGAN
    and Pix2Pix use ``size`` x ``size`` images.
    """
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    small = rng.uniform(-1, 1, (16, 8, 8, 1)).astype("float32")
    large = rng.uniform(-1, 1, (16, size, size, 1)).astype("float32")
    if family in ("gan", "wgan_gp"):
        generator = models.make_dcgan_generator(
            latent_dim=8, image_shape=(8, 8, 1), base_filters=4
        )
        discriminator = models.make_dcgan_discriminator(
            image_shape=(8, 8, 1), base_filters=4
        )
        if family == "gan":
            model = gans.GAN(generator, discriminator, seed=0)
        else:
            model = wgan.WGANGP(generator, discriminator, d_steps=2, seed=0)
        model.compile(adam(), adam(), **compile_kwargs)
        return model, data.make_dataset(small, batch_size=8, seed=0)
    if family == "conditional":
        model = conditional.ConditionalGAN(
            conditional.make_conditional_generator(
                latent_dim=8,
                num_classes=3,
                image_shape=(8, 8, 1),
                base_filters=4,
                embedding_dim=4,
            ),
            conditional.make_conditional_discriminator(
                num_classes=3, image_shape=(8, 8, 1), base_filters=4
            ),
            seed=0,
        )
        model.compile(adam(), adam(), **compile_kwargs)
        labels = np.arange(16) % 3
        return model, data.make_dataset(small, labels, batch_size=8, seed=0)
    if family == "cyclegan":
        networks = [
            cyclegan.make_resnet_generator(
                (size, size, 1),
                base_filters=4,
                num_downsamples=1,
                num_residual_blocks=1,
            )
            for _ in range(2)
        ] + [
            image_to_image.make_patchgan_discriminator(
                (size, size, 1), base_filters=4, num_downsamples=1
            )
            for _ in range(2)
        ]
        model = cyclegan.CycleGAN(*networks)
        model.compile(adam(), adam(), adam(), adam(), **compile_kwargs)
        dataset = cyclegan.make_unpaired_dataset(large, -large, batch_size=8)
        return model, dataset
    model = image_to_image.Pix2Pix(
        image_to_image.make_unet_generator(
            (size, size, 1), base_filters=4, num_downsamples=2
        ),
        image_to_image.make_patchgan_discriminator(
            (size, size, 1), (size, size, 1), base_filters=4, num_downsamples=1
        ),
    )
    model.compile(adam(), adam(), **compile_kwargs)
    pairs = data.make_dataset(large, batch_size=8, seed=0)
    return model, pairs.map(lambda x: (x, -x))


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
    model, dataset = build(family)
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
    model, _ = build(family)
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


@pytest.mark.parametrize("family", ["gan", "wgan_gp", "cyclegan"])
def test_mixed_float16_fit_on_cpu(family, policy):
    # CPU 上也有 float16 内核（慢，但可用来测试损失缩放）/ The CPU has
    # float16 kernels too: slow, but enough to exercise loss scaling.
    policy("mixed_float16")
    model, dataset = build(family)
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
    if family in ("gan", "conditional", "wgan_gp"):
        model, dataset = build_points(family, jit_compile=True)
    else:
        model, dataset = build(family, size=8, jit_compile=True)
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
    keras.utils.set_random_seed(0)
    generator = models.make_mlp_generator(latent_dim=4, output_shape=(2,))
    discriminator = models.make_mlp_discriminator()
    g_optimizer, d_optimizer = adam(), adam()
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

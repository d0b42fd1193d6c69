"""BiGAN / ALI: the encoder factories, the two phases, fit, saving.

BiGAN / ALI 的测试：编码器与 (x, z) 判别器工厂、两个训练阶段、fit 与保存。
"""

import keras
import numpy as np
import pytest

from gancourse import callbacks
from gancourse import checkpoint
from gancourse import data
from gancourse import models
from gancourse import training

LATENT = 8
SHAPE = (16, 16, 1)


def networks(seed=0, latent_dim=LATENT):
    keras.utils.set_random_seed(seed)
    generator = models.make_dcgan_generator(
        latent_dim=latent_dim, image_shape=SHAPE, base_filters=4
    )
    encoder = models.make_encoder(
        latent_dim=latent_dim, image_shape=SHAPE, base_filters=4
    )
    discriminator = models.make_bigan_discriminator(
        latent_dim=latent_dim,
        image_shape=SHAPE,
        base_filters=4,
        latent_units=8,
        joint_units=8,
        dropout_rate=0.0,
    )
    return generator, encoder, discriminator


def tiny_bigan(seed=0, learning_rate=1e-2):
    bigan = training.BiGAN(*networks(seed), seed=seed)
    bigan.compile(
        *[keras.optimizers.Adam(learning_rate) for _ in range(3)],
    )
    return bigan


def snapshot(model):
    return [np.array(w) for w in model.trainable_weights]


def changed(before, model):
    return any(
        not np.array_equal(a, np.asarray(b))
        for a, b in zip(before, model.trainable_weights)
    )


def softplus(x):
    return np.logaddexp(0.0, x)


# -- the factories ----------------------------------------------------------
def test_encoder_and_pair_discriminator_shapes(small_images):
    _, encoder, discriminator = networks()
    codes = np.asarray(encoder(small_images[:3]))
    assert codes.shape == (3, LATENT)
    assert codes.dtype == np.float32
    logits = discriminator([small_images[:3], codes])
    assert logits.shape == (3, 1)
    # 判别器同时看 x 与 z：改变 z 会改变 logit / D sees z too.
    other = discriminator([small_images[:3], codes + 1.0])
    assert not np.allclose(np.asarray(other), np.asarray(logits))


def test_default_encoder_mirrors_the_dcgan_generator():
    encoder = models.make_encoder()
    assert encoder.input_shape == (None, 28, 28, 1)
    assert encoder.output_shape == (None, 100)
    assert encoder.count_params() == 2_281_700
    assert models.make_bigan_discriminator().count_params() == 3_575_809


@pytest.mark.parametrize(
    "factory, kwargs, match",
    [
        (models.make_encoder, dict(latent_dim=0), "latent_dim=0"),
        (models.make_encoder, dict(image_shape=(30, 30, 1)), "image_shape="),
        (models.make_bigan_discriminator, dict(joint_units=0), "joint_units"),
        (
            models.make_bigan_discriminator,
            dict(dropout_rate=1.5),
            "dropout_rate=1.5",
        ),
    ],
)
def test_factories_reject_bad_values(factory, kwargs, match):
    with pytest.raises(ValueError, match=f"Received: {match}"):
        factory(**kwargs)


def test_mismatched_networks_are_refused():
    generator, encoder, discriminator = networks()
    _, other_encoder, other_discriminator = networks(latent_dim=4)
    with pytest.raises(ValueError, match=r"encoder output shape \(4,\)"):
        training.BiGAN(generator, other_encoder, discriminator)
    with pytest.raises(ValueError, match=r"code input shape \(4,\)"):
        training.BiGAN(generator, encoder, other_discriminator)
    with pytest.raises(ValueError, match="two inputs.*Received: 1 input"):
        training.BiGAN(generator, encoder, models.make_dcgan_discriminator())
    with pytest.raises(ValueError, match="Received: latent_dim=3"):
        training.BiGAN(generator, encoder, discriminator, latent_dim=3)
    with pytest.raises(TypeError, match="`encoder` must be a keras.Model"):
        training.BiGAN(generator, "encoder", discriminator)


# -- the two phases -----------------------------------------------------------
def test_discriminator_step_updates_only_the_discriminator(small_images):
    bigan = tiny_bigan()
    before = {
        name: snapshot(getattr(bigan, name))
        for name in ("generator", "encoder", "discriminator")
    }
    bigan.discriminator_step(small_images[:8])
    assert changed(before["discriminator"], bigan.discriminator)
    assert not changed(before["generator"], bigan.generator)
    assert not changed(before["encoder"], bigan.encoder)


def test_generator_encoder_step_updates_only_g_and_e(small_images):
    bigan = tiny_bigan()
    before = {
        name: snapshot(getattr(bigan, name))
        for name in ("generator", "encoder", "discriminator")
    }
    bigan.generator_encoder_step(small_images[:8])
    assert changed(before["generator"], bigan.generator)
    assert changed(before["encoder"], bigan.encoder)
    assert not changed(before["discriminator"], bigan.discriminator)


@pytest.mark.parametrize("phase", ["discriminator", "generator_encoder"])
def test_phase_losses_match_the_bce_formulas(small_images, phase):
    # D: real pairs (x, E(x)) -> 1, fake pairs (G(z), z) -> 0; G/E: the
    # labels flipped. Reference: the BCE written with NumPy.
    bigan = tiny_bigan()
    real = small_images[:8]
    state = np.array(bigan.seed_generator.state)
    z = bigan.sample_latent(8)
    pairs = bigan.make_pairs(real, z)
    real_logits, fake_logits = (
        np.asarray(t, "float64") for t in bigan.pair_logits(*pairs)
    )
    bigan.seed_generator.state.assign(state)  # The step draws the same z.
    loss = float(getattr(bigan, f"{phase}_step")(real))
    if phase == "discriminator":
        expected = softplus(-real_logits).mean() + softplus(fake_logits).mean()
    else:
        expected = softplus(-fake_logits).mean() + softplus(real_logits).mean()
    np.testing.assert_allclose(loss, expected, rtol=1e-5)


def test_short_fit_gives_finite_metrics(small_images):
    bigan = tiny_bigan(learning_rate=1e-3)
    dataset = data.make_dataset(small_images[:16], batch_size=8, seed=0)
    history = bigan.fit(dataset, epochs=2, verbose=0)
    assert set(history.history) == {"d_loss", "ge_loss", "recon_mse"}
    for values in history.history.values():
        assert len(values) == 2
        assert np.all(np.isfinite(values))
    # 重建误差有界：图像都在 [-1, 1] / Images lie in [-1, 1].
    assert 0.0 < history.history["recon_mse"][-1] <= 4.0


def test_bad_batch_is_refused(small_images):
    bigan = tiny_bigan()
    with pytest.raises(ValueError, match=r"shape \(16, 16, 1\).*Received"):
        bigan.train_step(np.zeros((2, 8, 8, 1), "float32"))


# -- sampling, encoding, reconstruction ---------------------------------------
def test_generate_encode_reconstruct(small_images):
    bigan = tiny_bigan()
    assert bigan.generate(5, seed=1).shape == (5, *SHAPE)
    np.testing.assert_array_equal(
        bigan.generate(3, seed=1), bigan.generate(3, seed=1)
    )
    codes = bigan.encode(small_images[:5], batch_size=2)
    np.testing.assert_allclose(
        codes,
        np.asarray(bigan.encoder(small_images[:5], training=False)),
        rtol=1e-5,
        atol=1e-6,
    )
    rebuilt = bigan.reconstruct(small_images[:5], batch_size=2)
    assert rebuilt.shape == (5, *SHAPE)
    np.testing.assert_allclose(
        rebuilt,
        np.asarray(bigan.generator(codes, training=False)),
        rtol=1e-5,
        atol=1e-6,
    )
    with pytest.raises(ValueError, match=r"Received: images.shape=\(2, 8"):
        bigan.encode(np.zeros((2, 8, 8, 1), "float32"))
    with pytest.raises(ValueError, match="Received: values in"):
        bigan.encode(np.full((2, *SHAPE), 3.0, "float32"))


def test_sample_grid_and_checkpoint_see_all_three_networks():
    bigan = tiny_bigan()
    grid = callbacks.SampleGrid(num_images=4)
    grid.set_model(bigan)
    assert grid.sample().shape == (4, *SHAPE)
    objects = checkpoint.training_objects(bigan)
    for name in (
        "generator",
        "encoder",
        "discriminator",
        "g_optimizer",
        "e_optimizer",
        "d_optimizer",
        "seed_generator",
    ):
        assert name in objects, name


# -- saving -------------------------------------------------------------------
def test_keras_file_round_trip_in_safe_mode(small_images, tmp_path):
    bigan = tiny_bigan()
    # 先训练一步，让权重离开初始值 / One update, so weights are not initial.
    bigan.discriminator_step(small_images[:8])
    bigan.generator_encoder_step(small_images[:8])
    path = tmp_path / "bigan.keras"
    bigan.save(path)
    reloaded = keras.saving.load_model(path, safe_mode=True, compile=False)
    assert isinstance(reloaded, training.BiGAN)
    assert reloaded.latent_dim == LATENT
    np.testing.assert_allclose(
        reloaded.reconstruct(small_images[:4]),
        bigan.reconstruct(small_images[:4]),
        rtol=1e-6,
        atol=1e-6,
    )
    real = small_images[:4]
    codes = bigan.encode(real)
    np.testing.assert_allclose(
        np.asarray(reloaded.discriminator([real, codes], training=False)),
        np.asarray(bigan.discriminator([real, codes], training=False)),
        rtol=1e-6,
        atol=1e-6,
    )


@pytest.mark.parametrize("name", ["encoder", "discriminator"])
def test_networks_reload_in_safe_mode(name, small_images, tmp_path):
    _, encoder, discriminator = networks()
    model = {"encoder": encoder, "discriminator": discriminator}[name]
    inputs = small_images[:2]
    if name == "discriminator":
        inputs = [inputs, np.ones((2, LATENT), "float32")]
    path = tmp_path / f"{name}.keras"
    model.save(path)
    reloaded = keras.saving.load_model(path, safe_mode=True, compile=False)
    np.testing.assert_allclose(
        np.asarray(reloaded(inputs, training=False)),
        np.asarray(model(inputs, training=False)),
        rtol=1e-6,
        atol=1e-6,
    )

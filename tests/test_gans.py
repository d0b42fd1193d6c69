import keras
import numpy as np
import pytest

from gancourse import data
from gancourse import gans
from gancourse import models
from tests import tiny


def snapshot(model):
    return [np.array(w) for w in model.trainable_weights]


def changed(before, model):
    return any(
        not np.array_equal(a, np.asarray(b))
        for a, b in zip(before, model.trainable_weights)
    )


@pytest.mark.parametrize("loss", ["non_saturating", "hinge", "least_squares"])
def test_short_fit_gives_finite_losses(small_images, loss):
    gan = tiny.model("gan", loss=loss)
    dataset = data.make_dataset(small_images, batch_size=8, seed=0)
    history = gan.fit(dataset, epochs=2, verbose=0)
    assert set(history.history) == {"d_loss", "g_loss"}
    assert len(history.history["d_loss"]) == 2
    assert np.all(np.isfinite(history.history["d_loss"]))
    assert np.all(np.isfinite(history.history["g_loss"]))


def test_each_phase_updates_only_its_network(small_images):
    gan = tiny.model("gan")
    real = small_images[:8]
    fake = gan.generate_fake(gan.sample_latent(8), None)
    g_before, d_before = snapshot(gan.generator), snapshot(gan.discriminator)
    # Phase 1 alone: the D update, as train_step does it.
    import tensorflow as tf

    with tf.GradientTape() as tape:
        d_loss = gan.discriminator_loss(real, fake, None)
    weights = gan.discriminator.trainable_weights
    gan.d_optimizer.apply(tape.gradient(d_loss, weights), weights)
    assert changed(d_before, gan.discriminator)
    assert not changed(g_before, gan.generator)
    # A full step then changes G; D changes only in its own phase.
    d_mid = snapshot(gan.discriminator)
    gan.d_steps = 1
    gan.train_step(real)
    assert changed(g_before, gan.generator)
    assert changed(d_mid, gan.discriminator)


def test_generator_phase_leaves_discriminator_alone(small_images):
    gan = tiny.model("gan")
    gan.d_optimizer.learning_rate = 0.0  # Freeze the D phase's effect.
    d_before = snapshot(gan.discriminator)
    g_before = snapshot(gan.generator)
    gan.train_step(small_images[:8])
    assert not changed(d_before, gan.discriminator)
    assert changed(g_before, gan.generator)


def test_same_seed_same_first_steps(small_images):
    results = []
    for _ in range(2):
        gan = tiny.model("gan", seed=7)
        dataset = data.make_dataset(small_images, batch_size=8, shuffle=False)
        history = gan.fit(dataset, epochs=1, verbose=0)
        results.append(
            (history.history["d_loss"][0], history.history["g_loss"][0])
        )
    assert results[0] == results[1]
    other = tiny.model("gan", seed=8)
    dataset = data.make_dataset(small_images, batch_size=8, shuffle=False)
    history = other.fit(dataset, epochs=1, verbose=0)
    assert history.history["d_loss"][0] != results[0][0]


def test_fit_with_labels_and_jit(small_images):
    gan = tiny.model("gan", jit_compile=True)
    dataset = data.make_dataset(small_images, np.zeros(32), batch_size=8)
    history = gan.fit(dataset, epochs=1, verbose=0)
    assert np.isfinite(history.history["g_loss"][0])


def test_fast_mode_caps_epochs(small_images, monkeypatch):
    monkeypatch.setenv("GANCOURSE_FAST", "1")
    gan = tiny.model("gan")
    history = gan.fit(
        data.make_dataset(small_images, batch_size=4), epochs=9, verbose=0
    )
    assert len(history.history["d_loss"]) == 1


def test_generate_shape_and_range():
    gan = tiny.model("gan")
    images = gan.generate(5, seed=1)
    assert images.shape == (5, 16, 16, 1) and np.abs(images).max() <= 1
    np.testing.assert_allclose(images, gan.generate(5, seed=1))


def test_bad_arguments():
    gan = tiny.model("gan")
    generator, discriminator = gan.generator, gan.discriminator
    with pytest.raises(ValueError, match="Received: latent_dim=3"):
        gans.GAN(generator, discriminator, latent_dim=3)
    other_d = models.make_dcgan_discriminator(image_shape=(28, 28, 1))
    with pytest.raises(ValueError, match="Received: generator output shape"):
        gans.GAN(generator, other_d)
    with pytest.raises(ValueError, match="Received: loss='bce'"):
        gan.compile(
            keras.optimizers.Adam(), keras.optimizers.Adam(), loss="bce"
        )
    optimizer = keras.optimizers.Adam()
    with pytest.raises(ValueError, match="same object"):
        gan.compile(optimizer, optimizer)
    with pytest.raises(TypeError, match="g_optimizer"):
        gan.compile("adam", keras.optimizers.Adam())
    with pytest.raises(ValueError, match="Received: batch shape"):
        gan.train_step(np.zeros((4, 28, 28, 1), "float32"))


def test_mixed_bfloat16_fit(small_images):
    keras.mixed_precision.set_global_policy("mixed_bfloat16")
    try:
        gan = tiny.model("gan")
        history = gan.fit(
            data.make_dataset(small_images, batch_size=8), epochs=1, verbose=0
        )
        assert gan.generator.layers[1].compute_dtype == "bfloat16"
        assert gan.generator.outputs[0].dtype == "float32"
    finally:
        keras.mixed_precision.set_global_policy("float32")
    assert np.isfinite(history.history["d_loss"][0])


def test_backup_and_restore_resumes_training(small_images, tmp_path):
    dataset = data.make_dataset(small_images, batch_size=8, seed=0)
    backup = keras.callbacks.BackupAndRestore(
        str(tmp_path / "backup"), delete_checkpoint=False
    )
    first = tiny.model("gan")
    first.fit(dataset, epochs=2, callbacks=[backup], verbose=0)
    assert int(first.g_optimizer.iterations) == 8
    resumed = tiny.model("gan", seed=1)
    history = resumed.fit(dataset, epochs=3, callbacks=[backup], verbose=0)
    # Two epochs came from the checkpoint; only the third one ran.
    assert len(history.history["d_loss"]) == 1
    assert int(resumed.g_optimizer.iterations) == 12
    assert resumed.optimizer is None

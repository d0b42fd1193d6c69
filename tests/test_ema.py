"""The EMA generator: the running average, its warm-up, sampling and resume."""

import keras
import numpy as np
import pytest

from gancourse import callbacks
from gancourse import training
from gancourse.training import ema
from tests import tiny


def _images(count, seed):
    rng = np.random.default_rng(seed)
    return rng.uniform(-1, 1, size=(count, 16, 16, 1)).astype("float32")


def _numpy_ema(trajectory, decay):
    """The average of a list of weight lists, by the module's formula."""
    average = [np.array(w, dtype="float64") for w in trajectory[0]]
    for step, weights in enumerate(trajectory[1:], start=1):
        d = min(decay, (1 + step) / (10 + step))
        average = [d * a + (1 - d) * w for a, w in zip(average, weights)]
    return average


def test_decay_warms_up_to_its_ceiling():
    steps = [1, 2, 5, 50, 500, 50_000]
    got = [float(ema.decay_at(t, 0.99)) for t in steps]
    expected = [min(0.99, (1 + t) / (10 + t)) for t in steps]
    np.testing.assert_allclose(got, expected, rtol=1e-6)
    assert got[-1] == pytest.approx(0.99)


def test_update_average_is_the_weighted_blend():
    network = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    average = ema.make_average(network)
    assert average is not network
    before = [w.copy() for w in average.get_weights()]
    network.set_weights([w + 1.0 for w in network.get_weights()])
    ema.update_average(average, network, 0.75)
    for got, old, new in zip(
        average.get_weights(), before, network.get_weights()
    ):
        np.testing.assert_allclose(got, 0.75 * old + 0.25 * new, rtol=1e-6)
    # 只有平均值改变，被训练的网络不变 / Only the average moved.
    np.testing.assert_allclose(network.get_weights()[1], before[1] + 1.0)


def test_gan_ema_equals_the_running_average_of_the_generator():
    """After each fit step the EMA weights follow the formula exactly."""
    images = _images(32, seed=1)
    gan = tiny.model("gan", ema_decay=0.9)
    trajectory = [gan.generator.get_weights()]

    class Record(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            trajectory.append(gan.generator.get_weights())

    gan.fit(
        tiny.dataset("gan", images, batch_size=8),
        epochs=2,
        verbose=0,
        callbacks=[Record()],
    )
    assert len(trajectory) == 9
    expected = _numpy_ema(trajectory, 0.9)
    moved = max(
        float(np.abs(a - b).max())
        for a, b in zip(trajectory[0], trajectory[-1])
    )
    assert moved > 1e-3
    for got, want in zip(gan.ema_generator.get_weights(), expected):
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-6)
    # EMA 与原生成器不同，采样用的是 EMA / The average differs from G, and
    # inference-mode sampling uses the average.
    z = np.random.default_rng(0).standard_normal((4, 8)).astype("float32")
    averaged = keras.ops.convert_to_numpy(gan.ema_generator(z))
    assert not np.allclose(averaged, gan.generator(z, training=False))
    np.testing.assert_allclose(gan(z), averaged, rtol=1e-5, atol=1e-6)
    grid = callbacks.SampleGrid(num_images=4)
    grid.set_model(gan)
    grid.noise = z
    np.testing.assert_allclose(grid.sample(), averaged, rtol=1e-5, atol=1e-6)


def test_ema_does_not_change_training():
    images = _images(16, seed=2)
    runs = []
    for decay in (None, 0.5):
        keras.utils.set_random_seed(0)
        gan = tiny.model("gan", ema_decay=decay)
        gan.fit(tiny.dataset("gan", images), epochs=1, verbose=0)
        runs.append(
            gan.generator.get_weights() + gan.discriminator.get_weights()
        )
    for a, b in zip(*runs):
        np.testing.assert_array_equal(a, b)


def test_conditional_gan_samples_from_its_average():
    images = _images(16, seed=3)
    gan = tiny.model("conditional", ema_decay=0.5)
    gan.fit(tiny.dataset("conditional", images), epochs=1, verbose=0)
    z = np.zeros((3, gan.latent_dim), "float32")
    labels = np.array([0, 1, 2])
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(
            gan.generate_fake(z, labels, training=False)
        ),
        keras.ops.convert_to_numpy(gan.ema_generator([z, labels])),
        rtol=1e-5,
        atol=1e-6,
    )


def test_ema_generator_is_checkpointed_and_resumes_exactly(tmp_path):
    images = _images(24, seed=4)

    def run(epochs, directory, resume=False):
        keras.utils.set_random_seed(0)
        gan = tiny.model("gan", ema_decay=0.8)
        dataset = tiny.dataset("gan", images)
        saver = callbacks.TrainingCheckpoint(directory)
        done = saver.restore(gan, dataset) if resume else 0
        gan.fit(
            dataset,
            epochs=epochs,
            initial_epoch=done,
            verbose=0,
            callbacks=[saver],
        )
        return gan.ema_generator.get_weights()

    straight = run(3, tmp_path / "a")
    run(1, tmp_path / "b")
    resumed = run(3, tmp_path / "b", resume=True)
    for a, b in zip(straight, resumed):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize(
    ("decay", "error", "match"),
    [
        (1.0, ValueError, r"\[0, 1\).*ema_decay=1.0"),
        (-0.1, ValueError, r"\[0, 1\).*ema_decay=-0.1"),
        ("0.9", TypeError, r"number in \[0, 1\).*'0.9'"),
        (True, TypeError, r"number in \[0, 1\).*True"),
    ],
)
def test_bad_decay_is_rejected(decay, error, match):
    generator, discriminator = tiny.networks("gan")
    with pytest.raises(error, match=match):
        training.GAN(generator, discriminator, ema_decay=decay)


def test_make_average_rejects_a_non_model():
    with pytest.raises(TypeError, match="keras.Model.*list"):
        ema.make_average([1, 2])

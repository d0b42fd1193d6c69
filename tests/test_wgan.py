import keras
import numpy as np
import pytest
from scipy import stats

from gancourse import data
from gancourse import models
from gancourse import wgan


def linear_critic(weight, bias=0.3):
    """A critic D(x) = <w, flatten(x)> + b; its gradient is w everywhere."""
    shape = weight.shape
    inputs = keras.Input(shape=shape)
    x = keras.layers.Flatten()(inputs)
    dense = keras.layers.Dense(1)
    outputs = dense(x)
    dense.set_weights(
        [weight.reshape(-1, 1).astype("float32"), np.array([bias], "float32")]
    )
    return keras.Model(inputs, outputs)


@pytest.mark.parametrize("shape", [(3,), (4, 4, 2)])
def test_linear_critic_penalty_is_weight_norm_squared(rng, shape):
    weight = rng.normal(size=shape)
    critic = linear_critic(weight)
    real = rng.normal(size=(6, *shape)).astype("float32")
    fake = rng.normal(size=(6, *shape)).astype("float32")
    seed = keras.random.SeedGenerator(0)
    gp = float(wgan.gradient_penalty(critic, real, fake, seed))
    expected = (np.linalg.norm(weight) - 1.0) ** 2  # NumPy reference
    np.testing.assert_allclose(gp, expected, rtol=1e-5)


def test_unit_norm_critic_has_zero_penalty(rng):
    weight = rng.normal(size=(5,))
    critic = linear_critic(weight / np.linalg.norm(weight))
    real = rng.normal(size=(8, 5)).astype("float32")
    fake = rng.normal(size=(8, 5)).astype("float32")
    assert float(wgan.gradient_penalty(critic, real, fake)) < 1e-10


def test_penalty_of_a_quadratic_critic_matches_numpy(rng):
    # D(x) = 0.5 * ||x||^2 has gradient x_hat itself: a check that the
    # penalty is evaluated at the interpolates, one norm per sample.
    real = rng.normal(size=(16, 3)).astype("float32")
    fake = rng.normal(size=(16, 3)).astype("float32")
    x_hat, alpha = wgan.random_interpolates(real, fake, 7)
    alpha = np.asarray(alpha)
    np.testing.assert_allclose(
        np.asarray(x_hat), alpha * real + (1 - alpha) * fake, rtol=1e-5
    )

    def critic(x):
        return 0.5 * keras.ops.sum(x**2, axis=1)

    gp = float(wgan.gradient_penalty(critic, real, fake, 7))
    norms = np.linalg.norm(np.asarray(x_hat), axis=1)
    np.testing.assert_allclose(gp, np.mean((norms - 1) ** 2), rtol=1e-5)


def test_alpha_is_uniform_per_sample():
    real = np.ones((4000, 2, 2, 1), "float32")
    fake = np.zeros((4000, 2, 2, 1), "float32")
    seed = keras.random.SeedGenerator(123)
    x_hat, alpha = wgan.random_interpolates(real, fake, seed)
    alpha = np.asarray(alpha)
    assert alpha.shape == (4000, 1, 1, 1)
    # One alpha per sample, shared by all its pixels.
    np.testing.assert_allclose(
        np.asarray(x_hat), np.broadcast_to(alpha, real.shape)
    )
    assert stats.kstest(alpha.ravel(), "uniform").pvalue > 0.01
    # A second draw from the same generator differs.
    _, again = wgan.random_interpolates(real, fake, seed)
    assert not np.allclose(alpha, np.asarray(again))


def test_conditional_critic_gets_the_labels(rng):
    images = keras.Input(shape=(3,))
    labels = keras.Input(shape=(), dtype="int32")
    scale = keras.layers.Embedding(2, 3)(labels)
    outputs = keras.layers.Dot(axes=1)([images, scale])
    critic = keras.Model([images, labels], outputs)
    table = np.array([[1.0, 0.0, 0.0], [0.0, 3.0, 4.0]], "float32")
    critic.layers[2].set_weights([table])
    real = rng.normal(size=(4, 3)).astype("float32")
    fake = rng.normal(size=(4, 3)).astype("float32")
    for label, norm in [(0, 1.0), (1, 5.0)]:
        condition = keras.ops.convert_to_tensor(np.full(4, label, "int32"))
        gp = float(wgan.gradient_penalty(critic, real, fake, 0, condition))
        np.testing.assert_allclose(gp, (norm - 1.0) ** 2, rtol=1e-5)


def test_bad_arguments_raise(rng):
    critic = linear_critic(np.ones(3))
    real = rng.normal(size=(2, 3)).astype("float32")
    with pytest.raises(ValueError, match="Received"):
        wgan.gradient_penalty(critic, real, real[:, :2])
    with pytest.raises(ValueError, match="Received"):
        wgan.gradient_penalty(critic, real, real, target=0)
    generator = models.make_mlp_generator(latent_dim=2)
    discriminator = models.make_mlp_discriminator()
    with pytest.raises(ValueError, match="Received"):
        wgan.WGANGP(generator, discriminator, gp_weight=-1.0)
    with pytest.raises(ValueError, match="Received"):
        wgan.WGANGP(generator, discriminator, d_steps=0)


def test_short_fit_is_finite_and_tracks_gp(small_images):
    keras.utils.set_random_seed(0)
    generator = models.make_dcgan_generator(
        latent_dim=8, image_shape=(16, 16, 1), base_filters=4
    )
    critic = models.make_dcgan_discriminator(
        image_shape=(16, 16, 1), base_filters=4, dropout_rate=0.0
    )
    model = wgan.WGANGP(generator, critic, d_steps=2, seed=0)
    assert model.gp_weight == 10.0
    model.compile(
        keras.optimizers.Adam(1e-4, beta_1=0.0, beta_2=0.9),
        keras.optimizers.Adam(1e-4, beta_1=0.0, beta_2=0.9),
    )
    assert model.loss_pair.generator.__name__ == "wasserstein_generator_loss"
    dataset = data.make_dataset(small_images, batch_size=8, seed=0)
    history = model.fit(dataset, epochs=2, verbose=0)
    assert set(history.history) == {"d_loss", "g_loss", "gp"}
    for values in history.history.values():
        assert np.all(np.isfinite(values))
    assert min(history.history["gp"]) >= 0.0


def test_wgangp_default_is_five_critic_steps():
    generator = models.make_mlp_generator(latent_dim=2)
    model = wgan.WGANGP(generator, models.make_mlp_discriminator())
    assert model.d_steps == 5


def spectral_layers(model):
    return [
        layer
        for layer in model.layers
        if isinstance(layer, keras.layers.SpectralNormalization)
    ]


def test_spectral_norm_gives_unit_largest_singular_value(small_images):
    # Keras 3's SpectralNormalization divides the wrapped kernel by its
    # power-iteration estimate of sigma and assigns it back to
    # `layer.layer.kernel` on every call with training=True.
    keras.utils.set_random_seed(0)
    critic = models.make_dcgan_discriminator(
        image_shape=(16, 16, 1), base_filters=4, spectral_norm=True
    )
    wrapped = spectral_layers(critic)
    assert len(wrapped) == 3
    before = [
        np.linalg.svd(
            np.asarray(layer.layer.kernel).reshape(-1, layer.kernel_shape[-1]),
            compute_uv=False,
        )[0]
        for layer in wrapped
    ]
    assert max(abs(s - 1.0) for s in before) > 0.1  # not normalised yet
    for _ in range(30):
        critic(small_images[:4], training=True)
    for layer in wrapped:
        kernel = np.asarray(layer.layer.kernel)
        matrix = kernel.reshape(-1, kernel.shape[-1])
        sigma = np.linalg.svd(matrix, compute_uv=False)[0]
        np.testing.assert_allclose(sigma, 1.0, rtol=1e-2)
    # Inference calls leave the kernels alone.
    kernels = [np.asarray(layer.layer.kernel) for layer in wrapped]
    critic(small_images[:4], training=False)
    for kernel, layer in zip(kernels, wrapped):
        np.testing.assert_array_equal(kernel, np.asarray(layer.layer.kernel))

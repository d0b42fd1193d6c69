import numpy as np
import pytest

from gancourse import models


@pytest.mark.parametrize("image_shape", [(28, 28, 1), (16, 16, 3), (32, 24, 1)])
def test_dcgan_shapes_and_range(image_shape):
    generator = models.make_dcgan_generator(
        latent_dim=8, image_shape=image_shape, base_filters=4
    )
    discriminator = models.make_dcgan_discriminator(
        image_shape=image_shape, base_filters=4
    )
    z = np.random.default_rng(0).normal(size=(3, 8)).astype("float32") * 10
    images = generator(z)
    assert images.shape == (3, *image_shape)
    assert np.abs(np.asarray(images)).max() <= 1.0
    assert discriminator(images).shape == (3, 1)


def test_default_dcgan_is_the_tutorial_model():
    generator = models.make_dcgan_generator()
    # Dense 100 -> 7*7*256 (no bias) is the tutorial's first layer.
    assert generator.layers[1].kernel.shape == (100, 7 * 7 * 256)
    assert generator.count_params() == 2_330_944
    assert models.make_dcgan_discriminator().count_params() == 212_865


def test_spectral_norm_option_wraps_layers():
    plain = models.make_dcgan_discriminator(base_filters=4)
    normed = models.make_dcgan_discriminator(base_filters=4, spectral_norm=True)
    kinds = [type(layer).__name__ for layer in normed.layers]
    assert kinds.count("SpectralNormalization") == 3
    assert "SpectralNormalization" not in [
        type(x).__name__ for x in plain.layers
    ]


def test_mlp_models():
    generator = models.make_mlp_generator(
        latent_dim=4, output_shape=(28, 28, 1), output_activation="tanh"
    )
    discriminator = models.make_mlp_discriminator(input_shape=(28, 28, 1))
    images = generator(np.zeros((2, 4), "float32"))
    assert images.shape == (2, 28, 28, 1)
    assert discriminator(images).shape == (2, 1)


@pytest.mark.parametrize("shape", [(30, 30, 1), (28, 28), "abc", (0, 28, 1)])
def test_bad_image_shape(shape):
    with pytest.raises(ValueError, match="Received: image_shape="):
        models.make_dcgan_generator(image_shape=shape)


def test_bad_latent_dim():
    with pytest.raises(ValueError, match="latent_dim=0"):
        models.make_dcgan_generator(latent_dim=0)

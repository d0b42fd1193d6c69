import numpy as np
import pytest

from gancourse import stylegan


def test_adain_layer_sets_channel_mean_and_std(rng):
    x = rng.normal(2.0, 3.0, size=(2, 5, 4, 3)).astype("float32")
    scale = np.array([[1.0, 2.0, 0.5], [3.0, 0.1, 1.0]], "float32")
    bias = np.array([[0.0, -1.0, 4.0], [1.0, 2.0, 3.0]], "float32")
    out = np.asarray(stylegan.AdaIN(epsilon=0.0)([x, scale, bias]))
    # NumPy reference of StyleGAN eq. 1.
    mean = x.mean(axis=(1, 2), keepdims=True)
    std = x.std(axis=(1, 2), keepdims=True)
    expected = scale[:, None, None] * (x - mean) / std + bias[:, None, None]
    np.testing.assert_allclose(out, expected, rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(out.mean(axis=(1, 2)), bias, atol=1e-4)
    np.testing.assert_allclose(out.std(axis=(1, 2)), scale, rtol=1e-4)


def test_adain_copies_the_style_statistics(rng):
    content = rng.normal(size=(2, 6, 6, 4)).astype("float32")
    style = rng.normal(-1.0, 5.0, size=(2, 3, 9, 4)).astype("float32")
    out = np.asarray(stylegan.adain(content, style, epsilon=0.0))
    np.testing.assert_allclose(
        out.mean(axis=(1, 2)), style.mean(axis=(1, 2)), rtol=1e-4, atol=1e-4
    )
    np.testing.assert_allclose(
        out.std(axis=(1, 2)), style.std(axis=(1, 2)), rtol=1e-4
    )
    # The normalised content pattern is kept (correlation 1 per channel).
    corr = np.corrcoef(out[0, ..., 0].ravel(), content[0, ..., 0].ravel())
    assert corr[0, 1] > 0.9999


def test_adain_rejects_bad_shapes(rng):
    content = rng.normal(size=(1, 4, 4, 3)).astype("float32")
    with pytest.raises(ValueError, match="Received"):
        stylegan.adain(content, rng.normal(size=(1, 4, 4, 2)))
    with pytest.raises(ValueError, match="Received"):
        stylegan.adain(content[0], content[0])


def test_mapping_network(rng):
    mapping = stylegan.make_mapping_network(latent_dim=6, w_dim=5, num_layers=3)
    z = rng.normal(size=(4, 6)).astype("float32")
    w = np.asarray(mapping(z))
    assert w.shape == (4, 5)
    dense = [
        layer for layer in mapping.layers if layer.name.startswith("dense")
    ]
    assert len(dense) == 3
    # Pixel norm makes the output invariant to the scale of z.
    np.testing.assert_allclose(np.asarray(mapping(7.0 * z)), w, rtol=1e-4)
    normed = np.asarray(stylegan.PixelNormalization()(z))
    np.testing.assert_allclose(np.mean(normed**2, axis=1), 1.0, rtol=1e-5)
    with pytest.raises(ValueError, match="Received"):
        stylegan.make_mapping_network(num_layers=0)

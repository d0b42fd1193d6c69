import keras
import numpy as np
import pytest

from gancourse import style_transfer as st


def _np_gram(features):
    batch, height, width, channels = features.shape
    flat = features.reshape(batch, height * width, channels).astype("float64")
    return np.einsum("bpc,bpd->bcd", flat, flat) / (height * width)


@pytest.fixture(scope="module")
def tiny_extractor():
    keras.utils.set_random_seed(0)
    return st.make_vgg_feature_extractor(
        style_layers=("block1_conv1", "block2_conv1"),
        content_layers=("block2_conv2",),
        weights=None,
    )


def test_gram_matrix_matches_numpy(rng):
    features = rng.normal(size=(2, 5, 3, 4)).astype("float32")
    gram = np.asarray(st.gram_matrix(features))
    assert gram.shape == (2, 4, 4)
    np.testing.assert_allclose(gram, _np_gram(features), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(gram, np.transpose(gram, (0, 2, 1)), atol=1e-6)


def test_gram_matrix_is_size_normalised(rng):
    # 平铺两次不改变 Gram 矩阵 / Tiling a map twice keeps its Gram matrix.
    features = rng.normal(size=(1, 4, 4, 3)).astype("float32")
    tiled = np.concatenate([features, features], axis=2)
    np.testing.assert_allclose(
        st.gram_matrix(tiled), st.gram_matrix(features), rtol=1e-5
    )


def test_style_loss_matches_numpy(rng):
    style = [
        rng.normal(size=(1, 6, 6, 3)).astype("float32"),
        rng.normal(size=(1, 3, 3, 5)).astype("float32"),
    ]
    # 生成图尺寸不同也可以比较 / A different spatial size is allowed.
    generated = [
        rng.normal(size=(1, 4, 8, 3)).astype("float32"),
        rng.normal(size=(1, 2, 4, 5)).astype("float32"),
    ]
    errors = [
        np.mean((_np_gram(g) - _np_gram(s)) ** 2)
        for s, g in zip(style, generated)
    ]
    np.testing.assert_allclose(
        st.style_loss(style, generated), np.mean(errors), rtol=1e-5
    )
    np.testing.assert_allclose(
        st.style_loss(style, generated, layer_weights=[2.0, 0.5]),
        2.0 * errors[0] + 0.5 * errors[1],
        rtol=1e-5,
    )
    relative = [
        error / np.mean(_np_gram(s) ** 2) for error, s in zip(errors, style)
    ]
    np.testing.assert_allclose(
        st.style_loss(style, generated, normalize=True),
        np.mean(relative),
        rtol=1e-5,
    )
    assert float(st.style_loss(style, style)) == pytest.approx(0.0, abs=1e-6)


def test_normalised_style_loss_is_scale_free(rng):
    style = rng.normal(size=(1, 4, 4, 3)).astype("float32")
    generated = rng.normal(size=(1, 4, 4, 3)).astype("float32")
    base = st.style_loss(style, generated, normalize=True)
    scaled = st.style_loss(100 * style, 100 * generated, normalize=True)
    np.testing.assert_allclose(scaled, base, rtol=1e-4)


def test_content_loss_matches_numpy(rng):
    content = rng.normal(size=(1, 4, 5, 3)).astype("float32")
    generated = rng.normal(size=(1, 4, 5, 3)).astype("float32")
    expected = np.mean((generated - content) ** 2)
    np.testing.assert_allclose(
        st.content_loss([content], [generated]), expected, rtol=1e-5
    )
    np.testing.assert_allclose(
        st.content_loss(content, generated, normalize=True),
        expected / np.mean(content**2),
        rtol=1e-5,
    )


def test_total_variation_matches_numpy(rng):
    images = rng.uniform(-1, 1, size=(2, 5, 4, 3)).astype("float32")
    vertical = np.diff(images, axis=1)
    horizontal = np.diff(images, axis=2)
    expected = np.mean(vertical**2) + np.mean(horizontal**2)
    np.testing.assert_allclose(
        st.total_variation_loss(images), expected, rtol=1e-5
    )
    flat = np.full((1, 4, 4, 3), 0.3, "float32")
    assert float(st.total_variation_loss(flat)) == pytest.approx(0.0)


def test_preprocess_matches_keras_vgg19(rng):
    images = rng.uniform(-1, 1, size=(2, 3, 3, 3)).astype("float32")
    expected = keras.applications.vgg19.preprocess_input((images + 1.0) * 127.5)
    np.testing.assert_allclose(
        st.vgg19_preprocess(images), expected, rtol=1e-5, atol=1e-3
    )


def test_extractor_structure_and_shapes(tiny_extractor):
    images = np.zeros((2, 32, 32, 3), "float32")
    outputs = tiny_extractor(images)
    assert set(outputs) == {"style", "content"}
    assert [tuple(f.shape) for f in outputs["style"]] == [
        (2, 32, 32, 64),
        (2, 16, 16, 128),
    ]
    assert [tuple(f.shape) for f in outputs["content"]] == [(2, 16, 16, 128)]
    assert tiny_extractor.weights_source == "random"
    assert tiny_extractor.style_layers == ("block1_conv1", "block2_conv1")
    assert not tiny_extractor.trainable_weights
    # 只保留到最深的所需层 / Only layers up to the deepest one requested.
    assert tiny_extractor.count_params() == (
        3 * 3 * 3 * 64 + 64 + 3 * 3 * 64 * 64 + 64
    ) + (3 * 3 * 64 * 128 + 128 + 3 * 3 * 128 * 128 + 128)


def test_random_weights_are_seeded():
    def first_kernel(seed):
        extractor = st.make_vgg_feature_extractor(
            style_layers=("block1_conv1",),
            content_layers=("block1_conv1",),
            weights=None,
            seed=seed,
        )
        return extractor.get_layer("vgg19_trunk").weights[0].numpy()

    np.testing.assert_array_equal(first_kernel(3), first_kernel(3))
    assert not np.allclose(first_kernel(3), first_kernel(4))


def test_imagenet_falls_back_visibly_when_download_fails(monkeypatch, capsys):
    def offline(*args, **kwargs):
        raise Exception("URL fetch failure (simulated)")

    monkeypatch.setattr(st.keras.utils, "get_file", offline)
    monkeypatch.setattr(
        "keras.src.applications.vgg19.file_utils.get_file", offline
    )
    extractor = st.make_vgg_feature_extractor(
        style_layers=("block1_conv1",),
        content_layers=("block1_conv1",),
        weights="imagenet",
    )
    assert extractor.weights_source == "random"
    assert "using random VGG19 weights" in capsys.readouterr().out


def test_style_transfer_lowers_loss(tiny_extractor, rng):
    content = rng.uniform(-1, 1, size=(32, 32, 3)).astype("float32")
    style = rng.uniform(-1, 1, size=(24, 24, 3)).astype("float32")
    image, history = st.run_style_transfer(
        content,
        style,
        iterations=8,
        style_weight=10.0,
        tv_weight=0.1,
        learning_rate=0.05,
        extractor=tiny_extractor,
    )
    assert image.shape == (32, 32, 3)
    assert image.min() >= -1.0 and image.max() <= 1.0
    assert set(history) == {"loss", "style_loss", "content_loss", "tv_loss"}
    assert len(history["loss"]) == 8
    assert history["content_loss"][0] == pytest.approx(0.0, abs=1e-6)
    assert history["loss"][-1] < 0.8 * history["loss"][0]
    assert history["style_loss"][-1] < history["style_loss"][0]


def test_noise_init_is_seeded_and_fast_mode_caps(
    tiny_extractor, rng, monkeypatch
):
    content = rng.uniform(-1, 1, size=(16, 16, 3)).astype("float32")
    kwargs = dict(init="noise", extractor=tiny_extractor, seed=5)
    first, _ = st.run_style_transfer(content, content, iterations=2, **kwargs)
    second, _ = st.run_style_transfer(content, content, iterations=2, **kwargs)
    np.testing.assert_allclose(first, second, atol=1e-6)
    monkeypatch.setenv("GANCOURSE_FAST", "1")
    _, history = st.run_style_transfer(
        content, content, iterations=50, **kwargs
    )
    assert len(history["loss"]) == st.runtime.FAST_ITERATIONS


def test_step_updates_only_the_image(tiny_extractor, rng):
    import tensorflow as tf

    content = rng.uniform(-1, 1, size=(1, 16, 16, 3)).astype("float32")
    style = rng.uniform(-1, 1, size=(1, 16, 16, 3)).astype("float32")
    weights_before = [w.numpy().copy() for w in tiny_extractor.weights]
    step = st.make_style_transfer_step(
        tiny_extractor,
        tiny_extractor(style)["style"],
        tiny_extractor(content)["content"],
        keras.optimizers.Adam(0.1),
        style_weight=1.0,
        content_weight=1.0,
        tv_weight=1.0,
    )
    image = tf.Variable(content)
    logs = step(image)
    assert set(logs) == {"loss", "style_loss", "content_loss", "tv_loss"}
    assert not np.allclose(image.numpy(), content)
    assert float(tf.reduce_max(tf.abs(image))) <= 1.0
    for before, after in zip(weights_before, tiny_extractor.weights):
        np.testing.assert_array_equal(before, after.numpy())


def test_default_images():
    content = st.load_content_image(max_size=64)
    assert content.shape == (43, 64, 3) and content.dtype == np.float32
    assert -1.0 <= content.min() and content.max() <= 1.0
    pattern = st.make_style_pattern(32, seed=1)
    assert pattern.shape == (32, 32, 3)
    assert pattern.std() > 0.2  # 色彩丰富 / Colourful, not flat.
    np.testing.assert_array_equal(pattern, st.make_style_pattern(32, seed=1))
    coffee = st.load_style_image("coffee", max_size=48)
    assert coffee.shape == (32, 48, 3)


def test_load_image_resizes(tmp_path):
    from PIL import Image

    pixels = np.zeros((20, 40, 3), "uint8")
    pixels[:, 20:] = 255
    Image.fromarray(pixels).save(tmp_path / "two.png")
    image = st.load_image(tmp_path / "two.png", max_size=10)
    assert image.shape == (5, 10, 3)
    np.testing.assert_allclose(image[:, 0], -1.0)
    np.testing.assert_allclose(image[:, -1], 1.0)


def test_bad_inputs_raise():
    with pytest.raises(ValueError, match="Received"):
        st.gram_matrix(np.zeros((4, 4, 3), "float32"))
    with pytest.raises(ValueError, match="Received"):
        st.total_variation_loss(np.zeros((1, 1, 4, 3), "float32"))
    with pytest.raises(ValueError, match="Received"):
        st.style_loss([np.zeros((1, 2, 2, 3))], [])
    with pytest.raises(ValueError, match="Received"):
        st.content_loss(np.zeros((1, 2, 2, 3)), np.zeros((1, 2, 3, 3)))
    with pytest.raises(ValueError, match="block5_conv4.*Received"):
        st.make_vgg_feature_extractor(style_layers=("conv1",), weights=None)
    with pytest.raises(ValueError, match="Received"):
        st.make_vgg_feature_extractor(weights=None, input_shape=(32, 32, 1))
    with pytest.raises(ValueError, match="Received"):
        st.load_style_image("starry_night")
    image = np.zeros((8, 8, 3), "float32")
    with pytest.raises(ValueError, match="Received: init='zeros'"):
        st.run_style_transfer(image, image, init="zeros")
    with pytest.raises(ValueError, match="Received"):
        st.run_style_transfer(2.0 + image, image)
    with pytest.raises(ValueError, match="Received"):
        st.run_style_transfer(image[..., :1], image)


def test_transformer_network_shape_and_range(rng):
    network = st.make_transformer_network(filters=4, num_residual=1)
    images = rng.uniform(-1, 1, size=(2, 16, 24, 3)).astype("float32")
    outputs = network(images).numpy()
    assert outputs.shape == (2, 16, 24, 3)
    assert np.abs(outputs).max() <= 1.0
    with pytest.raises(ValueError, match="Received"):
        st.make_transformer_network(image_shape=(30, 30, 3))
    with pytest.raises(ValueError, match="Received"):
        st.make_transformer_network(num_residual=-1)


def test_feed_forward_training_lowers_loss(tiny_extractor, rng):
    keras.utils.set_random_seed(1)
    network = st.make_transformer_network(filters=4, num_residual=1)
    content = rng.uniform(-1, 1, size=(24, 24, 3)).astype("float32")
    style = rng.uniform(-1, 1, size=(16, 16, 3)).astype("float32")
    before = [w.numpy().copy() for w in tiny_extractor.weights]
    history = st.train_feed_forward_stylizer(
        network,
        tiny_extractor,
        style,
        [content],
        steps=10,
        batch_size=2,
        crop_size=16,
        learning_rate=1e-2,
    )
    assert len(history["loss"]) == 10
    assert np.mean(history["loss"][-3:]) < history["loss"][0]
    for old, new in zip(before, tiny_extractor.weights):
        np.testing.assert_array_equal(old, new.numpy())
    with pytest.raises(ValueError, match="Received"):
        st.train_feed_forward_stylizer(
            network, tiny_extractor, style, [content], crop_size=32
        )

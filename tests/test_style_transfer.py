import socket

import keras
import numpy as np
import pytest

from gancourse import images
from gancourse import runtime
from gancourse import style_transfer
from gancourse.data import style as style_data
from gancourse.losses import perceptual
from gancourse.models import transformer
from gancourse.models import vgg
from gancourse.training import style_transfer as training

# 旧模块 gancourse.style_transfer 的全部公开名称 / Every public name of the
# old module gancourse.style_transfer, with the module it moved to.
OLD_PUBLIC_NAMES = {
    perceptual: (
        "gram_matrix",
        "style_loss",
        "content_loss",
        "total_variation_loss",
    ),
    vgg: (
        "VGG19_LAYERS",
        "DEFAULT_STYLE_LAYERS",
        "DEFAULT_CONTENT_LAYERS",
        "VGG19_BGR_MEAN",
        "vgg19_preprocess",
        "make_vgg_feature_extractor",
    ),
    transformer: ("make_transformer_network",),
    training: (
        "make_style_transfer_step",
        "run_style_transfer",
        "train_feed_forward_stylizer",
    ),
    style_data: (
        "load_content_image",
        "make_style_pattern",
        "load_style_image",
    ),
    images: ("load_image",),
}


def _np_gram(features):
    batch, height, width, channels = features.shape
    flat = features.reshape(batch, height * width, channels).astype("float64")
    return np.einsum("bpc,bpd->bcd", flat, flat) / (height * width)


@pytest.fixture(scope="module")
def tiny_extractor():
    keras.utils.set_random_seed(0)
    return vgg.make_vgg_feature_extractor(
        style_layers=("block1_conv1", "block2_conv1"),
        content_layers=("block2_conv2",),
        weights=None,
    )


def test_gram_matrix_matches_numpy(rng):
    features = rng.normal(size=(2, 5, 3, 4)).astype("float32")
    gram = np.asarray(perceptual.gram_matrix(features))
    assert gram.shape == (2, 4, 4)
    np.testing.assert_allclose(gram, _np_gram(features), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(gram, np.transpose(gram, (0, 2, 1)), atol=1e-6)


def test_gram_matrix_is_size_normalised(rng):
    # 平铺两次不改变 Gram 矩阵 / Tiling a map twice keeps its Gram matrix.
    features = rng.normal(size=(1, 4, 4, 3)).astype("float32")
    tiled = np.concatenate([features, features], axis=2)
    np.testing.assert_allclose(
        perceptual.gram_matrix(tiled),
        perceptual.gram_matrix(features),
        rtol=1e-5,
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
        perceptual.style_loss(style, generated), np.mean(errors), rtol=1e-5
    )
    np.testing.assert_allclose(
        perceptual.style_loss(style, generated, layer_weights=[2.0, 0.5]),
        2.0 * errors[0] + 0.5 * errors[1],
        rtol=1e-5,
    )
    relative = [
        error / np.mean(_np_gram(s) ** 2) for error, s in zip(errors, style)
    ]
    np.testing.assert_allclose(
        perceptual.style_loss(style, generated, normalize=True),
        np.mean(relative),
        rtol=1e-5,
    )
    assert float(perceptual.style_loss(style, style)) == pytest.approx(
        0.0, abs=1e-6
    )


def test_normalised_style_loss_is_scale_free(rng):
    style = rng.normal(size=(1, 4, 4, 3)).astype("float32")
    generated = rng.normal(size=(1, 4, 4, 3)).astype("float32")
    base = perceptual.style_loss(style, generated, normalize=True)
    scaled = perceptual.style_loss(100 * style, 100 * generated, normalize=True)
    np.testing.assert_allclose(scaled, base, rtol=1e-4)


def test_content_loss_matches_numpy(rng):
    content = rng.normal(size=(1, 4, 5, 3)).astype("float32")
    generated = rng.normal(size=(1, 4, 5, 3)).astype("float32")
    expected = np.mean((generated - content) ** 2)
    np.testing.assert_allclose(
        perceptual.content_loss([content], [generated]), expected, rtol=1e-5
    )
    np.testing.assert_allclose(
        perceptual.content_loss(content, generated, normalize=True),
        expected / np.mean(content**2),
        rtol=1e-5,
    )


def test_total_variation_matches_numpy(rng):
    images = rng.uniform(-1, 1, size=(2, 5, 4, 3)).astype("float32")
    vertical = np.diff(images, axis=1)
    horizontal = np.diff(images, axis=2)
    expected = np.mean(vertical**2) + np.mean(horizontal**2)
    np.testing.assert_allclose(
        perceptual.total_variation_loss(images), expected, rtol=1e-5
    )
    flat = np.full((1, 4, 4, 3), 0.3, "float32")
    assert float(perceptual.total_variation_loss(flat)) == pytest.approx(0.0)


def test_preprocess_matches_keras_vgg19(rng):
    images = rng.uniform(-1, 1, size=(2, 3, 3, 3)).astype("float32")
    expected = keras.applications.vgg19.preprocess_input((images + 1.0) * 127.5)
    np.testing.assert_allclose(
        vgg.vgg19_preprocess(images), expected, rtol=1e-5, atol=1e-3
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
        extractor = vgg.make_vgg_feature_extractor(
            style_layers=("block1_conv1",),
            content_layers=("block1_conv1",),
            weights=None,
            seed=seed,
        )
        return extractor.get_layer("vgg19_trunk").weights[0].numpy()

    np.testing.assert_array_equal(first_kernel(3), first_kernel(3))
    assert not np.allclose(first_kernel(3), first_kernel(4))


@pytest.mark.parametrize("timeout_before", [None, 7.5])
def test_imagenet_falls_back_visibly_when_download_fails(
    monkeypatch, capsys, timeout_before
):
    seen = []

    def offline(*args, **kwargs):
        seen.append(socket.getdefaulttimeout())
        raise Exception("URL fetch failure (simulated)")

    monkeypatch.setattr(keras.utils, "get_file", offline)
    monkeypatch.setattr(
        "keras.src.applications.vgg19.file_utils.get_file", offline
    )
    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(timeout_before)
    try:
        extractor = vgg.make_vgg_feature_extractor(
            style_layers=("block1_conv1",),
            content_layers=("block1_conv1",),
            weights="imagenet",
            download_timeout=3.0,
        )
        after = socket.getdefaulttimeout()
    finally:
        socket.setdefaulttimeout(previous)
    assert extractor.weights_source == "random"
    assert "using random VGG19 weights" in capsys.readouterr().out
    # 超时只在下载期间生效，之后恢复 / The timeout guards the download only,
    # and the process-wide default is restored afterwards.
    assert seen == [3.0]
    assert after == timeout_before


def test_style_transfer_lowers_loss(tiny_extractor, rng):
    content = rng.uniform(-1, 1, size=(32, 32, 3)).astype("float32")
    style = rng.uniform(-1, 1, size=(24, 24, 3)).astype("float32")
    image, history = training.run_style_transfer(
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
    first, _ = training.run_style_transfer(
        content, content, iterations=2, **kwargs
    )
    second, _ = training.run_style_transfer(
        content, content, iterations=2, **kwargs
    )
    np.testing.assert_allclose(first, second, atol=1e-6)
    monkeypatch.setenv("GANCOURSE_FAST", "1")
    _, history = training.run_style_transfer(
        content, content, iterations=50, **kwargs
    )
    assert len(history["loss"]) == runtime.BUDGET.limits["iterations"]


def test_step_updates_only_the_image(tiny_extractor, rng):
    import tensorflow as tf

    content = rng.uniform(-1, 1, size=(1, 16, 16, 3)).astype("float32")
    style = rng.uniform(-1, 1, size=(1, 16, 16, 3)).astype("float32")
    weights_before = [w.numpy().copy() for w in tiny_extractor.weights]
    step = training.make_style_transfer_step(
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
    content = style_data.load_content_image(max_size=64)
    assert content.shape == (43, 64, 3) and content.dtype == np.float32
    assert -1.0 <= content.min() and content.max() <= 1.0
    pattern = style_data.make_style_pattern(32, seed=1)
    assert pattern.shape == (32, 32, 3)
    assert pattern.std() > 0.2  # 色彩丰富 / Colourful, not flat.
    np.testing.assert_array_equal(
        pattern, style_data.make_style_pattern(32, seed=1)
    )
    coffee = style_data.load_style_image("coffee", max_size=48)
    assert coffee.shape == (32, 48, 3)


def test_load_image_resizes(tmp_path):
    from PIL import Image

    pixels = np.zeros((20, 40, 3), "uint8")
    pixels[:, 20:] = 255
    Image.fromarray(pixels).save(tmp_path / "two.png")
    image = images.load_image(tmp_path / "two.png", max_size=10)
    assert image.shape == (5, 10, 3)
    np.testing.assert_allclose(image[:, 0], -1.0)
    np.testing.assert_allclose(image[:, -1], 1.0)


def test_bad_inputs_raise():
    with pytest.raises(ValueError, match="Received"):
        perceptual.gram_matrix(np.zeros((4, 4, 3), "float32"))
    with pytest.raises(ValueError, match="Received"):
        perceptual.total_variation_loss(np.zeros((1, 1, 4, 3), "float32"))
    with pytest.raises(ValueError, match="Received"):
        perceptual.style_loss([np.zeros((1, 2, 2, 3))], [])
    with pytest.raises(ValueError, match="Received"):
        perceptual.content_loss(np.zeros((1, 2, 2, 3)), np.zeros((1, 2, 3, 3)))
    with pytest.raises(ValueError, match="block5_conv4.*Received"):
        vgg.make_vgg_feature_extractor(style_layers=("conv1",), weights=None)
    with pytest.raises(ValueError, match="Received"):
        vgg.make_vgg_feature_extractor(weights=None, input_shape=(32, 32, 1))
    with pytest.raises(ValueError, match="Received"):
        style_data.load_style_image("starry_night")
    image = np.zeros((8, 8, 3), "float32")
    with pytest.raises(ValueError, match="Received: init='zeros'"):
        training.run_style_transfer(image, image, init="zeros")
    with pytest.raises(ValueError, match="Received"):
        training.run_style_transfer(2.0 + image, image)
    with pytest.raises(ValueError, match="Received"):
        training.run_style_transfer(image[..., :1], image)


def test_transformer_network_shape_and_range(rng):
    network = transformer.make_transformer_network(filters=4, num_residual=1)
    images = rng.uniform(-1, 1, size=(2, 16, 24, 3)).astype("float32")
    outputs = network(images).numpy()
    assert outputs.shape == (2, 16, 24, 3)
    assert np.abs(outputs).max() <= 1.0
    with pytest.raises(ValueError, match="Received"):
        transformer.make_transformer_network(image_shape=(30, 30, 3))
    with pytest.raises(ValueError, match="Received"):
        transformer.make_transformer_network(num_residual=-1)


def test_feed_forward_training_lowers_loss(tiny_extractor, rng):
    keras.utils.set_random_seed(1)
    network = transformer.make_transformer_network(filters=4, num_residual=1)
    content = rng.uniform(-1, 1, size=(24, 24, 3)).astype("float32")
    style = rng.uniform(-1, 1, size=(16, 16, 3)).astype("float32")
    before = [w.numpy().copy() for w in tiny_extractor.weights]
    history = training.train_feed_forward_stylizer(
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
        training.train_feed_forward_stylizer(
            network, tiny_extractor, style, [content], crop_size=32
        )


def test_progress_display_does_not_change_the_history(
    tiny_extractor, rng, capsys
):
    content = rng.uniform(-1, 1, size=(16, 16, 3)).astype("float32")
    kwargs = dict(iterations=3, init="noise", extractor=tiny_extractor)
    image, quiet = training.run_style_transfer(content, content, **kwargs)
    assert capsys.readouterr().out == ""
    shown_image, shown = training.run_style_transfer(
        content, content, log_every=2, **kwargs
    )
    assert "3/3" in capsys.readouterr().out
    assert shown == quiet
    np.testing.assert_array_equal(shown_image, image)


def test_old_import_path_exposes_the_same_objects():
    for module, names in OLD_PUBLIC_NAMES.items():
        for name in names:
            assert getattr(style_transfer, name) is getattr(module, name), name
    old_names = {name for names in OLD_PUBLIC_NAMES.values() for name in names}
    assert set(style_transfer.__all__) == old_names

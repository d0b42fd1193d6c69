import keras
import numpy as np
import pytest

from gancourse import callbacks
from gancourse import conditional
from gancourse import data
from gancourse.models import conditional as models
from tests import tiny


@pytest.mark.parametrize(
    "image_shape, mode, spectral_norm",
    [
        ((28, 28, 1), "projection", False),
        ((16, 16, 3), "concat", False),
        ((32, 24, 1), "projection", True),
        ((32, 24, 1), "concat", True),
    ],
)
def test_shapes_and_range(image_shape, mode, spectral_norm):
    generator = conditional.make_conditional_generator(
        latent_dim=8, num_classes=5, image_shape=image_shape, base_filters=4
    )
    discriminator = conditional.make_conditional_discriminator(
        num_classes=5,
        image_shape=image_shape,
        base_filters=4,
        mode=mode,
        spectral_norm=spectral_norm,
    )
    z = np.random.default_rng(0).normal(size=(3, 8)).astype("float32") * 10
    labels = np.array([0, 2, 4], "int32")
    images = np.asarray(generator([z, labels]))
    assert images.shape == (3, *image_shape)
    assert np.abs(images).max() <= 1.0
    assert discriminator([images, labels]).shape == (3, 1)
    assert conditional.num_classes_of(generator) == 5
    assert conditional.num_classes_of(discriminator) == 5


def test_projection_discriminator_is_linear_in_the_class_embedding():
    # D(x, y) = psi(phi(x)) + <embed(y), phi(x)>: with the psi head zeroed,
    # the logit must equal the inner product computed with NumPy.
    discriminator = conditional.make_conditional_discriminator(
        num_classes=3, image_shape=(8, 8, 1), base_filters=2, dropout_rate=0
    )
    head = discriminator.get_layer("logit")
    head.set_weights([np.zeros_like(w) for w in head.get_weights()])
    table = np.asarray(
        discriminator.get_layer(conditional.PROJECTION_EMBEDDING).kernel
    )
    flatten = [
        layer
        for layer in discriminator.layers
        if isinstance(layer, keras.layers.Flatten)
    ][0]
    features_model = keras.Model(discriminator.inputs[0], flatten.output)
    images = np.random.default_rng(1).uniform(-1, 1, (3, 8, 8, 1))
    images = images.astype("float32")
    labels = np.array([0, 1, 2], "int32")
    phi = np.asarray(features_model(images))
    expected = np.sum(phi * table[labels], axis=1, keepdims=True)
    got = discriminator([images, labels])
    np.testing.assert_allclose(np.asarray(got), expected, rtol=1e-4, atol=1e-5)


def test_bad_arguments_raise():
    with pytest.raises(ValueError, match="Received: num_classes=1"):
        conditional.make_conditional_generator(num_classes=1)
    with pytest.raises(TypeError, match="Received: num_classes=1.5"):
        conditional.make_conditional_discriminator(num_classes=1.5)
    with pytest.raises(ValueError, match="Received"):
        conditional.make_conditional_discriminator(mode="sum")
    with pytest.raises(ValueError, match="Received"):
        conditional.make_conditional_generator(image_shape=(30, 30, 1))


def test_mismatched_models_raise():
    generator = conditional.make_conditional_generator(
        latent_dim=8, num_classes=3, image_shape=(16, 16, 1), base_filters=4
    )
    four_classes = conditional.make_conditional_discriminator(
        num_classes=4, image_shape=(16, 16, 1), base_filters=4
    )
    with pytest.raises(ValueError, match="Received"):
        conditional.ConditionalGAN(generator, four_classes)
    wrong_size = conditional.make_conditional_discriminator(
        num_classes=3, image_shape=(28, 28, 1), base_filters=4
    )
    with pytest.raises(ValueError, match="Received"):
        conditional.ConditionalGAN(generator, wrong_size)
    from gancourse import models

    unconditional = models.make_dcgan_discriminator(image_shape=(16, 16, 1))
    with pytest.raises(ValueError, match="Received"):
        conditional.ConditionalGAN(generator, unconditional)


def test_label_checks():
    cgan = tiny.model("conditional")
    with pytest.raises(ValueError, match="Received"):
        cgan.generate(4, labels=[0, 1, 2, 3])  # 3 is out of range
    with pytest.raises(ValueError, match="Received"):
        cgan.generate(4, labels=[-1, 0, 0, 0])
    with pytest.raises(ValueError, match="Received"):
        cgan.generate(4, labels=[0, 1])  # wrong length
    with pytest.raises(ValueError, match="Received"):
        cgan.generate(2, labels=[[0], [1]])  # wrong rank
    with pytest.raises(ValueError, match="Received"):
        cgan.generate_fake(np.zeros((2, 8), "float32"), None)
    assert cgan.generate(4, labels=2, seed=0).shape == (4, 16, 16, 1)
    images = np.zeros((8, 16, 16, 1), "float32")
    with pytest.raises(ValueError, match="Received"):
        cgan.fit(data.make_dataset(images, batch_size=4), verbose=0)


@pytest.mark.parametrize("mode", ["projection", "concat"])
def test_short_fit_gives_finite_losses(small_images, mode):
    cgan = tiny.model("conditional", mode=mode)
    labels = np.arange(len(small_images)) % 3
    dataset = data.make_dataset(small_images, labels, batch_size=8, seed=0)
    grid = callbacks.SampleGrid(num_images=6, condition=np.arange(6) % 3)
    history = cgan.fit(dataset, epochs=2, verbose=0, callbacks=[grid])
    assert set(history.history) == {"d_loss", "g_loss"}
    assert np.all(np.isfinite(history.history["d_loss"]))
    assert np.all(np.isfinite(history.history["g_loss"]))
    assert len(grid.grids) == 3  # before training + 2 epochs
    assert grid.sample().shape == (6, 16, 16, 1)
    # Training changed the generator, so the fixed-noise grid changed.
    assert not np.array_equal(grid.grids[0], grid.grids[-1])


def test_changing_only_the_label_changes_the_image():
    cgan = tiny.model("conditional")
    z = np.random.default_rng(0).normal(size=(1, 8)).astype("float32")
    z = np.repeat(z, 3, axis=0)
    images = np.asarray(cgan.generate_fake(z, np.arange(3), training=False))
    # Same label and same z give the same image; another label another one.
    again = np.asarray(cgan.generate_fake(z, np.arange(3), training=False))
    np.testing.assert_array_equal(images, again)
    for a, b in [(0, 1), (0, 2), (1, 2)]:
        assert np.abs(images[a] - images[b]).max() > 1e-4


def test_fake_labels_default_reuses_the_real_labels():
    cgan = tiny.model("conditional")
    labels = np.array([2, 2, 0, 1], "int32")
    assert cgan.fake_condition(labels, 4) is labels


def test_uniform_fake_labels_are_uniform_whatever_the_data():
    cgan = tiny.model("conditional", fake_labels="uniform")
    real = np.zeros(3000, "int32")  # every real label is class 0
    drawn = np.asarray(cgan.fake_condition(real, 3000))
    assert drawn.shape == (3000,) and drawn.dtype == np.int32
    counts = np.bincount(drawn, minlength=tiny.NUM_CLASSES)
    assert len(counts) == tiny.NUM_CLASSES  # no label out of range
    # 每类期望 1000，标准差约 26 / Expected 1000 each, std about 26.
    np.testing.assert_array_less(np.abs(counts - 1000), 130)
    again = np.asarray(cgan.fake_condition(real, 3000))
    assert not np.array_equal(drawn, again)  # new labels at every call


def test_uniform_fake_labels_train_a_rare_class_more():
    """G's updates reach a class the data never shows only when uniform."""
    images = np.random.default_rng(0).uniform(-1, 1, (32, 16, 16, 1))
    labels = np.zeros(32, "int32")  # classes 1 and 2 are missing
    dataset = data.make_dataset(images.astype("float32"), labels, 8, seed=0)
    rows = {}
    for fake_labels in ("data", "uniform"):
        cgan = tiny.model("conditional", fake_labels=fake_labels, seed=1)
        table = cgan.generator.get_layer(models.GENERATOR_EMBEDDING)
        before = np.asarray(table.embeddings)
        history = cgan.fit(dataset, epochs=1, verbose=0)
        assert np.all(np.isfinite(history.history["g_loss"]))
        moved = np.asarray(table.embeddings) - before
        rows[fake_labels] = np.abs(moved).sum(axis=1)
    # 标签 1、2 的嵌入行只有在假样本用到它们时才会被更新 / The
    # embedding rows of labels 1 and 2 move only if a fake used them.
    np.testing.assert_array_equal(rows["data"][1:], 0.0)
    assert np.all(rows["uniform"][1:] > 0)


def test_unknown_fake_labels_raise():
    with pytest.raises(ValueError, match="fake_labels.*Received: 'balanced'"):
        tiny.model("conditional", fake_labels="balanced")

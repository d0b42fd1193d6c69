"""GAN inversion and latent editing: ``invert``, ``latent_direction``, ``edit``.

GAN 反演与潜在编辑的测试：已知 z 能被找回、编码器初始化、潜在方向与编辑强度。
"""

import keras
import numpy as np
import pytest

from gancourse import inversion
from gancourse import runtime

LATENT = 6


@pytest.fixture(scope="module")
def generator():
    """A small fixed random generator: z (6) -> 8x8x1 images in [-1, 1]."""
    keras.utils.set_random_seed(1)
    return keras.Sequential(
        [
            keras.Input((LATENT,)),
            keras.layers.Dense(32, activation="tanh"),
            keras.layers.Dense(64, activation="tanh"),
            keras.layers.Reshape((8, 8, 1)),
        ]
    )


@pytest.fixture(scope="module")
def known(generator):
    """(z, G(z)) for 8 known codes."""
    z = np.random.default_rng(5).normal(size=(8, LATENT)).astype("float32")
    return z, np.asarray(generator(z, training=False))


def linear_encoder(generator, num_samples=400):
    """A least-squares linear map G(z) -> z: a rough but honest encoder."""
    z = np.random.default_rng(9).normal(size=(num_samples, LATENT))
    x = np.asarray(generator(z.astype("float32"))).reshape(num_samples, -1)
    x1 = np.concatenate([x, np.ones((num_samples, 1))], axis=1)
    weights = np.linalg.lstsq(x1, z, rcond=None)[0]
    encoder = keras.Sequential(
        [
            keras.Input((8, 8, 1)),
            keras.layers.Flatten(),
            keras.layers.Dense(LATENT),
        ]
    )
    encoder.layers[-1].set_weights([weights[:-1], weights[-1]])
    return encoder


# -- invert -------------------------------------------------------------------
def test_invert_recovers_a_known_code(generator, known):
    z, images = known
    result = inversion.invert(
        generator, images, steps=200, learning_rate=0.05, seed=1
    )
    codes, losses, history = result
    assert codes.shape == (8, LATENT) and codes.dtype == np.float32
    # 起点离答案很远，终点很近 / Far at the start, close at the end.
    initial = inversion.initial_codes(None, images, LATENT, seed=1)
    assert np.linalg.norm(initial - z, axis=1).min() > 0.5
    np.testing.assert_allclose(codes, z, atol=2e-2)
    assert losses["pixel"].shape == (8,)
    assert losses["pixel"].max() < 1e-5
    np.testing.assert_array_equal(losses["loss"], losses["pixel"])
    # 损失大体单调下降：每 20 步的平均值严格下降 / The loss falls
    # monotonically-ish: the mean of every 20 steps is strictly lower.
    loss = np.asarray(history["loss"])
    assert len(loss) == 200
    windows = loss[:100].reshape(5, 20).mean(axis=1)
    assert np.all(np.diff(windows) < 0), windows
    assert loss[-1] < 1e-3 * loss[0]


def test_steps_zero_returns_the_initial_codes_and_their_losses(
    generator, known
):
    z, images = known
    start = z + 0.3
    result = inversion.invert(generator, images, steps=0, init=start)
    np.testing.assert_array_equal(result.codes, start)
    expected = np.mean(
        (np.asarray(generator(start)) - images) ** 2, axis=(1, 2, 3)
    )
    np.testing.assert_allclose(result.losses["pixel"], expected, rtol=1e-5)
    assert result.history == {"pixel": [], "loss": []}


def test_encoder_initialisation_is_used_and_helps(generator, known):
    z, images = known
    encoder = linear_encoder(generator)
    encoded = np.asarray(encoder(images, training=False))
    only = inversion.invert(generator, images, steps=0, init=encoder)
    np.testing.assert_allclose(only.codes, encoded, rtol=1e-6, atol=1e-6)
    # 编码器起点在相同步数下好于随机起点 / From E(x), the same few steps
    # get further than from noise.
    from_encoder = inversion.invert(
        generator, images, steps=15, learning_rate=0.02, init=encoder
    )
    from_noise = inversion.invert(
        generator, images, steps=15, learning_rate=0.02, seed=1
    )
    assert (
        from_encoder.losses["pixel"].mean()
        < 0.5 * from_noise.losses["pixel"].mean()
    )
    assert from_encoder.history["loss"][0] < from_noise.history["loss"][0]


def test_feature_loss_is_added_with_its_weight(generator, known):
    z, images = known
    keras.utils.set_random_seed(2)
    features = keras.Sequential(
        [
            keras.Input((8, 8, 1)),
            keras.layers.Flatten(),
            keras.layers.Dense(5),
        ]
    )
    start = z + 0.5
    result = inversion.invert(
        generator,
        images,
        steps=0,
        init=start,
        feature_extractor=features,
        feature_weight=0.25,
    )
    fake = np.asarray(generator(start))
    pixel = np.mean((fake - images) ** 2, axis=(1, 2, 3))
    feature = np.mean(
        (np.asarray(features(fake)) - np.asarray(features(images))) ** 2,
        axis=1,
    )
    np.testing.assert_allclose(result.losses["pixel"], pixel, rtol=1e-5)
    np.testing.assert_allclose(result.losses["feature"], feature, rtol=1e-5)
    np.testing.assert_allclose(
        result.losses["loss"], pixel + 0.25 * feature, rtol=1e-5
    )
    # 特征损失也被优化 / The feature loss is optimised too.
    moved = inversion.invert(
        generator, images, steps=30, init=start, feature_extractor=features
    )
    assert moved.history["feature"][-1] < moved.history["feature"][0]


def test_fast_mode_caps_the_steps(generator, known, monkeypatch):
    monkeypatch.setenv("GANCOURSE_FAST", "1")
    result = inversion.invert(generator, known[1], steps=500)
    assert len(result.history["loss"]) == runtime.BUDGET.limits["iterations"]


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (
            dict(images=np.zeros((2, 4, 4, 1))),
            ValueError,
            r"shape \(8, 8, 1\)\. Received: images.shape=\(2, 4, 4, 1\)",
        ),
        (
            dict(images=np.full((2, 8, 8, 1), 2.0)),
            ValueError,
            "in \\[-1, 1\\]. Received",
        ),
        (
            dict(init=np.zeros((2, 3))),
            ValueError,
            r"shape \(2, 6\)\. Received: init.shape=\(2, 3\)",
        ),
        (dict(init="encoder"), TypeError, "Received: str"),
        (dict(steps=-1), ValueError, "Received: steps=-1"),
        (dict(steps=2.5), TypeError, "Received: steps=2.5"),
        (dict(learning_rate=0), ValueError, "Received: learning_rate=0"),
        (dict(feature_weight=-1), ValueError, "Received: feature_weight=-1"),
        (dict(feature_extractor="vgg"), TypeError, "Received: str"),
        (dict(generator="G"), TypeError, "Received: str"),
    ],
)
def test_invert_rejects_bad_input(generator, kwargs, error, match):
    arguments = dict(
        generator=generator, images=np.zeros((2, 8, 8, 1)), steps=1
    )
    arguments.update(kwargs)
    with pytest.raises(error, match=match):
        inversion.invert(**arguments)


# -- latent_direction ---------------------------------------------------------
@pytest.mark.parametrize("method", ["svm", "logistic"])
def test_latent_direction_recovers_a_planted_direction(method):
    rng = np.random.default_rng(0)
    planted = rng.normal(size=16)
    planted /= np.linalg.norm(planted)
    z = rng.normal(size=(600, 16))
    labels = np.sign(z @ planted)  # -1 / +1.
    direction = inversion.latent_direction(z, labels, method=method)
    assert direction.shape == (16,) and direction.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(direction), 1.0, rtol=1e-6)
    assert float(direction @ planted) > 0.95
    # 标签对调，方向也对调 / Swapped labels give the opposite direction.
    flipped = inversion.latent_direction(z, -labels, method=method)
    assert float(flipped @ planted) < -0.95
    # 对照：随机标签找不到这个方向 / Control: random labels do not.
    noise = rng.integers(0, 2, size=600)
    control = inversion.latent_direction(z, noise, method=method)
    assert abs(float(control @ planted)) < 0.5


def test_latent_direction_rejects_bad_input():
    z = np.random.default_rng(0).normal(size=(10, 3))
    with pytest.raises(ValueError, match="exactly two distinct values"):
        inversion.latent_direction(z, np.ones(10))
    with pytest.raises(ValueError, match=r"Received: labels.shape=\(9,\)"):
        inversion.latent_direction(z, np.arange(9) % 2)
    with pytest.raises(ValueError, match=r"Received: codes.shape=\(10,\)"):
        inversion.latent_direction(z[:, 0], np.arange(10) % 2)
    with pytest.raises(ValueError, match="Received: method='pca'"):
        inversion.latent_direction(z, np.arange(10) % 2, method="pca")


# -- edit ---------------------------------------------------------------------
def test_edit_moves_codes_by_the_strengths():
    rng = np.random.default_rng(0)
    z = rng.normal(size=(4, 5)).astype("float32")
    direction = rng.normal(size=5)
    unit = direction / np.linalg.norm(direction)
    strengths = [-2.0, 0.0, 0.5, 3.0]
    # 方向先被归一化：强度就是移动的距离 / The direction is normalised
    # first, so a strength is the distance moved.
    path = inversion.edit(z, 7.0 * direction, strengths)
    assert path.shape == (4, 4, 5) and path.dtype == np.float32
    expected = z[:, None, :] + np.asarray(strengths)[None, :, None] * unit
    np.testing.assert_allclose(path, expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(path[:, 1], z)
    np.testing.assert_allclose(
        np.linalg.norm(path - z[:, None], axis=-1),
        np.tile(np.abs(strengths), (4, 1)),
        rtol=1e-5,
        atol=1e-6,
    )
    one = inversion.edit(z[0], direction, strengths=2.0)
    assert one.shape == (1, 5)
    np.testing.assert_allclose(one[0], z[0] + 2.0 * unit, rtol=1e-5)


def test_edit_rejects_bad_input():
    with pytest.raises(ValueError, match=r"Received: z.shape=\(4,\)"):
        inversion.edit(np.zeros(4), np.ones(3))
    with pytest.raises(ValueError, match="non-zero"):
        inversion.edit(np.zeros(3), np.zeros(3))
    with pytest.raises(ValueError, match="Received: strengths=\\[\\]"):
        inversion.edit(np.zeros(3), np.ones(3), strengths=[])

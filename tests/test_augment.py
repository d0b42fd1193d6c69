"""DiffAugment, the ADA controller, R1 and the EMA callback (lesson 10).

可微数据增强、ADA 概率控制器、R1 惩罚与 EMA 回调（第 10 课）。
"""

import keras
import numpy as np
import pytest
import tensorflow as tf

from gancourse import augment
from gancourse import callbacks
from gancourse import checkpoint
from gancourse import losses
from tests import tiny


def _images(count, size=16, channels=1, seed=0):
    rng = np.random.default_rng(seed)
    shape = (count, size, size, channels)
    return rng.uniform(-1, 1, size=shape).astype("float32")


def _numpy(tensor):
    return keras.ops.convert_to_numpy(tensor)


def _float(variable):
    return float(keras.ops.convert_to_numpy(variable))


def _numpy_translate(image, dy, dx, fill):
    """out[i, j] = image[i - dy, j - dx], else fill (pad, then crop)."""
    height, width = image.shape[:2]
    s = max(height, width, abs(dy), abs(dx))
    padded = np.pad(image, ((s, s), (s, s), (0, 0)), constant_values=fill)
    return padded[s - dy : s - dy + height, s - dx : s - dx + width]


def _numpy_cutout(image, top, left, size, fill):
    out = image.copy()
    rows = slice(max(top, 0), max(top + size[0], 0))
    cols = slice(max(left, 0), max(left + size[1], 0))
    out[rows, cols] = fill
    return out


# -- the transforms ---------------------------------------------------------
@pytest.mark.parametrize("channels", [1, 3])
@pytest.mark.parametrize(
    "policy", ["color", "translation", "cutout", augment.DEFAULT_POLICY]
)
def test_shape_dtype_and_range(policy, channels):
    images = _images(8, channels=channels)
    out = _numpy(augment.diff_augment(images, policy, seed=1, fill_value=-1))
    assert out.shape == images.shape and out.dtype == np.float32
    assert not np.allclose(out, images)
    if "color" not in policy:
        # 平移与遮挡只搬动像素或填入背景 / Translation and cutout only move
        # pixels or write the fill value.
        assert out.min() >= -1.0 and out.max() <= 1.0
        assert np.isin(out, np.append(images, -1.0)).all()


def test_translate_matches_numpy():
    image = _images(1, size=5, channels=2)[0]
    shifts = [(0, 0), (1, 2), (-2, 1), (3, -4), (-5, 0), (7, 7)]
    out = _numpy(
        augment.translate(
            np.repeat(image[None], len(shifts), axis=0),
            np.array(shifts),
            fill_value=-1.0,
        )
    )
    for got, (dy, dx) in zip(out, shifts):
        want = _numpy_translate(image, dy, dx, -1.0)
        np.testing.assert_array_equal(got, want)


def test_random_translation_moves_each_image_by_one_integer_shift():
    images = _images(24, size=16)
    seed_generator = keras.random.SeedGenerator(5)
    out = _numpy(
        augment.random_translation(images, ratio=0.125, seed=seed_generator)
    )
    bound = augment.max_shift(images, 0.125)
    assert bound == (2, 2)
    found = []
    for image, got in zip(images, out):
        matches = [
            (dy, dx)
            for dy in range(-4, 5)
            for dx in range(-4, 5)
            if np.array_equal(got, _numpy_translate(image, dy, dx, 0.0))
        ]
        assert len(matches) == 1, matches
        assert max(abs(m) for m in matches[0]) <= 2
        found.append(matches[0])
    assert len(set(found)) > 5


def test_cutout_matches_numpy():
    image = _images(1, size=6)[0]
    corners = [(1, 2), (-2, 0), (4, 4), (0, -3), (6, 6)]
    out = _numpy(
        augment.cutout(
            np.repeat(image[None], len(corners), axis=0),
            np.array(corners),
            size=(3, 2),
            fill_value=0.0,
        )
    )
    for got, (top, left) in zip(out, corners):
        want = _numpy_cutout(image, top, left, (3, 2), 0.0)
        np.testing.assert_array_equal(got, want)
    # 完全在图内的方块恰好遮挡 3x2 个像素 / A square inside cuts 3x2 pixels.
    assert (out[0] != image).sum() == 6


def test_random_cutout_cuts_exactly_one_square():
    images = _images(32, size=16)
    out = _numpy(augment.random_cutout(images, ratio=0.25, fill_value=-1.0))
    side = augment.cutout_size(images, 0.25)[0]
    assert side == 4
    full = 0
    for image, got in zip(images, out):
        cut = (got != image)[..., 0]
        rows, cols = np.nonzero(cut)
        assert len(rows) > 0
        top, bottom = rows.min(), rows.max() + 1
        left, right = cols.min(), cols.max() + 1
        # 遮挡区域是一个实心矩形，填入背景值 / One solid rectangle of fill.
        assert cut[top:bottom, left:right].all()
        assert cut.sum() == (bottom - top) * (right - left)
        np.testing.assert_array_equal(got[cut], -1.0)
        for start, stop in ((top, bottom), (left, right)):
            inside = start > 0 and stop < 16
            assert (stop - start == side) if inside else stop - start <= side
        full += (bottom - top, right - left) == (side, side)
    assert full > 10


def test_color_transforms_follow_diffaugment():
    images = _images(6, channels=3)
    mean = images.mean(axis=(1, 2, 3), keepdims=True)
    channel_mean = images.mean(axis=3, keepdims=True)
    bright = _numpy(augment.random_brightness(images, seed=1))
    offset = (bright - images).reshape(6, -1)
    np.testing.assert_allclose(offset, offset[:, :1].repeat(768, 1), atol=1e-6)
    assert np.all(np.abs(offset) <= 0.5) and np.ptp(offset[:, 0]) > 0.1
    contrast = _numpy(augment.random_contrast(images, seed=2))
    np.testing.assert_allclose(
        contrast.mean(axis=(1, 2, 3), keepdims=True), mean, atol=1e-6
    )
    away = np.abs(images - mean) > 1e-2
    factor = (contrast - mean) / (images - mean)
    per_image = np.median(factor, axis=(1, 2, 3), keepdims=True)
    np.testing.assert_allclose((factor - per_image)[away], 0, atol=1e-3)
    assert np.all((per_image >= 0.5) & (per_image < 1.5))
    saturated = _numpy(augment.random_saturation(images, seed=3))
    np.testing.assert_allclose(
        saturated.mean(axis=3, keepdims=True), channel_mean, atol=1e-6
    )
    away = np.abs(images - channel_mean) > 1e-2
    factor = (saturated - channel_mean) / (images - channel_mean)
    per_image = np.median(factor, axis=(1, 2, 3), keepdims=True)
    np.testing.assert_allclose((factor - per_image)[away], 0, atol=1e-3)
    assert np.all((per_image >= 0) & (per_image < 2))
    assert np.ptp(per_image) > 0.1
    # 灰度图像的饱和度变换是恒等的 / Saturation leaves grayscale alone.
    gray = _images(4)
    np.testing.assert_allclose(
        _numpy(augment.random_saturation(gray, seed=3)), gray, atol=1e-6
    )


def test_seeds_make_draws_reproducible_and_generators_advance():
    images = _images(4)

    def run(seed):
        return _numpy(augment.diff_augment(images, seed=seed))

    np.testing.assert_array_equal(run(7), run(7))
    assert not np.allclose(run(7), run(8))
    first, second = keras.random.SeedGenerator(3), keras.random.SeedGenerator(3)
    np.testing.assert_array_equal(run(first), run(second))
    # 同一个生成器每次调用给出新的增强 / One generator: new draws per call.
    assert not np.allclose(run(first), run(first))
    callable_augment = augment.DiffAugment(seed=11)
    again = augment.DiffAugment(seed=11)
    np.testing.assert_array_equal(
        _numpy(callable_augment(images)), _numpy(again(images))
    )


def test_gradients_flow_through_a_tf_function():
    images = tf.constant(_images(4, channels=3))
    seed_generator = keras.random.SeedGenerator(0)

    @tf.function
    def gradient(x, policy):
        with tf.GradientTape() as tape:
            tape.watch(x)
            out = augment.diff_augment(x, policy, seed=seed_generator)
            total = tf.reduce_sum(out * tf.sin(out))
        return tape.gradient(total, x)

    grads = _numpy(gradient(images, augment.DEFAULT_POLICY))
    assert np.isfinite(grads).all()
    assert (np.abs(grads).reshape(4, -1).max(axis=1) > 0).all()
    # 平移的梯度：保留下来的像素为 1，移出图像的为 0 / Translation's
    # gradient is 1 for the pixels kept and 0 for those shifted out.
    shifts = np.array([[1, -2], [0, 0], [-3, 3], [2, 1]])
    with tf.GradientTape() as tape:
        tape.watch(images)
        total = tf.reduce_sum(augment.translate(images, shifts))
    grads = _numpy(tape.gradient(total, images))
    for grad, (dy, dx) in zip(grads, shifts):
        ones = np.ones((16, 16, 3), "float32")
        kept = _numpy_translate(ones, -dy, -dx, 0.0)
        np.testing.assert_array_equal(grad, kept)


def test_probability_zero_is_identity_one_augments_every_image():
    images = _images(200, size=8)

    def changed(probability):
        out = _numpy(
            augment.diff_augment(images, "cutout", probability, seed=4)
        )
        return np.any(out != images, axis=(1, 2, 3)), out

    unchanged, out = changed(0.0)
    assert not unchanged.any()
    np.testing.assert_array_equal(out, images)
    assert changed(1.0)[0].all()
    assert 0.35 < changed(0.5)[0].mean() < 0.65
    variable = keras.Variable(0.0, trainable=False)
    assert not np.any(
        _numpy(augment.diff_augment(images, probability=variable)) != images
    )


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        (dict(policy="color,zoom"), ValueError, r"policy.*zoom"),
        (dict(policy=3), TypeError, "Received: policy=3"),
        (dict(probability=1.5), ValueError, r"\[0, 1\].*probability=1.5"),
        (dict(seed=-1), ValueError, "seed=-1"),
    ],
)
def test_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        augment.diff_augment(_images(2), **kwargs)
    with pytest.raises(ValueError, match="Received: shape"):
        augment.diff_augment(np.zeros((2, 4), "float32"))


# -- the ADA controller -----------------------------------------------------
def _numpy_ada(logit_batches, p, target, interval, speed):
    """ADA's p after each update, in float64 (Karras et al., 2020)."""
    history, signs, count, images = [], [], 0, 0
    for logits in logit_batches:
        signs.append(np.sign(logits).ravel())
        images += len(logits)
        count += 1
        if count == interval:
            r_t = np.concatenate(signs).mean()
            p = np.clip(p + np.sign(r_t - target) * images / speed, 0, 1)
            signs, count, images = [], 0, 0
        history.append(p)
    return np.array(history)


def test_ada_rises_by_the_computed_amount_and_clips_at_one():
    ada = augment.AdaptiveAugment(interval=3, speed_images=100)
    update = tf.function(ada.update)
    got = [_float(update(tf.ones((8, 1)))) for _ in range(20)]
    # 每 3 步 p 增加 8 * 3 / 100 / Every 3 steps p rises by 8 * 3 / 100.
    steps = np.arange(1, 21) // 3
    np.testing.assert_allclose(got, np.minimum(steps * 0.24, 1.0), rtol=1e-6)
    assert got[-1] == 1.0 and _float(ada.overfitting) == 1.0


def test_ada_stays_at_zero_when_d_does_not_overfit():
    ada = augment.AdaptiveAugment(interval=2, speed_images=10)
    for logits in (-np.ones((4, 1)), np.zeros((4, 1)), -np.ones((4, 1))) * 4:
        ada.update(logits.astype("float32"))
    assert _float(ada.probability) == 0.0
    ada = augment.AdaptiveAugment(interval=2, speed_images=10, target=0.0)
    ada.update(np.zeros((4, 1), "float32"))
    ada.update(np.zeros((4, 1), "float32"))
    # r_t 恰好等于目标：p 不动 / r_t exactly on target: p stays.
    assert _float(ada.probability) == 0.0


def test_ada_matches_numpy_on_a_random_sequence():
    rng = np.random.default_rng(3)
    # 过拟合程度先升后降 / Overfitting first grows, then falls.
    levels = np.concatenate([np.linspace(0.6, 1.0, 32), np.full(28, 0.2)])
    batches = [
        (rng.uniform(size=(6, 3, 3, 1)) < level).astype("float32") * 2 - 1.5
        for level in levels
    ]
    ada = augment.AdaptiveAugment(
        interval=4, speed_images=120, initial_probability=0.25, target=0.6
    )
    update = tf.function(ada.update)
    got = [_float(update(batch)) for batch in batches]
    want = _numpy_ada(batches, 0.25, 0.6, 4, 120)
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    # p 先降到 0、再升、再降 / p falls to 0, rises, then falls again.
    assert want.min() == 0.0 and want.max() > 0.5 and want[-1] < want.max()


def test_ada_rejects_bad_settings():
    with pytest.raises(ValueError, match="interval=0"):
        augment.AdaptiveAugment(interval=0)
    with pytest.raises(ValueError, match="target=1.2"):
        augment.AdaptiveAugment(target=1.2)
    with pytest.raises(TypeError, match="speed_images"):
        augment.AdaptiveAugment(speed_images=1e5)


# -- R1 ---------------------------------------------------------------------
def test_r1_of_a_linear_discriminator_is_half_gamma_times_w_squared():
    weights = np.array([0.5, -1.0, 2.0, 3.0], "float32").reshape(1, 2, 2, 1)

    def linear(x):
        return keras.ops.sum(x * weights, axis=(1, 2, 3))

    real = _images(5, size=2)
    got = float(losses.r1_penalty(linear, real, gamma=3.0))
    assert got == pytest.approx(1.5 * np.sum(weights**2), rel=1e-6)


def test_r1_of_a_quadratic_discriminator_matches_numpy():
    rng = np.random.default_rng(1)
    a = rng.normal(size=(1, 4, 4, 2)).astype("float32")
    real = _images(6, size=4, channels=2)

    def quadratic(x):
        # PatchGAN 式的 logits 图 / A PatchGAN-like map of logits.
        return a * keras.ops.square(x)

    gradient = 2 * a * real
    want = 0.5 * 10.0 * np.mean(np.sum(gradient**2, axis=(1, 2, 3)))
    got = float(losses.r1_penalty(quadratic, real))
    assert got == pytest.approx(want, rel=1e-5)
    labels = np.arange(6) % 3
    seen = []

    def conditional(inputs):
        seen.append(inputs[1])
        return quadratic(inputs[0])

    got = float(losses.r1_penalty(conditional, real, condition=labels))
    assert got == pytest.approx(want, rel=1e-5) and seen[0] is labels
    with pytest.raises(ValueError, match="gamma=-1"):
        losses.r1_penalty(quadratic, real, gamma=-1)


# -- the course GANs --------------------------------------------------------
def _snapshot(network):
    return [np.array(w) for w in network.weights]


def _changed(before, network):
    return any(
        not np.array_equal(a, b) for a, b in zip(before, network.weights)
    )


def _gan(family="gan", learning_rate=1e-3, **options):
    """A tiny compiled course GAN built with ``options`` (augment...)."""
    networks = tiny.networks(family)
    course_model = tiny.CLASSES[family](*networks, seed=0, **options)
    course_model.compile(
        *[keras.optimizers.Adam(learning_rate) for _ in networks]
    )
    return course_model


def test_augment_sees_real_and_fake_in_both_steps():
    calls = []

    def flip(images):
        calls.append(tuple(images.shape))
        return -images

    gan = _gan(augment=flip)
    real = _images(8)
    fake = gan.generate_fake(gan.sample_latent(8), None)
    got = float(gan.discriminator_loss(real, fake, None))
    want = float(
        gan.loss_pair.discriminator(
            gan.discriminator(-real, training=True),
            gan.discriminator(-fake, training=True),
        )
    )
    assert got == pytest.approx(want, rel=1e-6)
    calls.clear()
    gan.train_step(real)
    # D 步：真实与生成各一次；G 步：生成一次 / D step: real and fake;
    # G step: fake.
    assert calls == [(8, 16, 16, 1)] * 3


def test_an_identity_augment_leaves_training_bit_identical():
    images = _images(16, seed=4)
    runs = []
    for options in (dict(), dict(augment=lambda images: images)):
        gan = _gan(**options)
        gan.fit(tiny.dataset("gan", images), epochs=1, verbose=0)
        runs.append(_snapshot(gan.generator) + _snapshot(gan.discriminator))
    for a, b in zip(*runs):
        np.testing.assert_array_equal(a, b)


def test_r1_is_added_to_the_discriminator_loss():
    gan = _gan(r1_weight=4.0)
    real, fake = _images(8), _images(8, seed=1)
    got = float(gan.discriminator_loss(real, fake, None))
    base = gan.loss_pair.discriminator(
        gan.discriminator(real, training=True),
        gan.discriminator(fake, training=True),
    )
    r1 = losses.r1_penalty(gan.discriminator, real, gamma=4.0)
    assert float(r1) > 0
    assert got == pytest.approx(float(base + r1), rel=1e-5)
    with pytest.raises(ValueError, match="r1_weight=-1"):
        _gan(r1_weight=-1)
    with pytest.raises(TypeError, match="augment=3"):
        _gan(augment=3)


@pytest.mark.parametrize("family", ["gan", "conditional", "wgangp"])
def test_course_gans_train_with_augment_and_r1(family):
    images = _images(16, seed=2)
    ada = augment.AdaptiveAugment(interval=1, speed_images=16)
    gan = _gan(family, augment=ada, r1_weight=1.0, d_steps=2)
    g_before = _snapshot(gan.generator)
    d_before = _snapshot(gan.discriminator)
    history = gan.fit(tiny.dataset(family, images), epochs=1, verbose=0)
    logs = {name: values[-1] for name, values in history.history.items()}
    expected = {"d_loss", "g_loss", "r1", "augment_p", "r_t"}
    assert set(logs) == expected | ({"gp"} if family == "wgangp" else set())
    assert all(np.isfinite(value) for value in logs.values())
    assert logs["r1"] > 0
    assert _changed(g_before, gan.generator)
    assert _changed(d_before, gan.discriminator)
    # p 不是可训练权重，只由 ADA 调整 / p is no trainable weight.
    assert all(w is not ada.probability for w in gan.trainable_weights)
    assert 0.0 <= _float(ada.probability) <= 1.0


def test_generator_learns_through_the_augmentation():
    gan = _gan(augment=augment.DiffAugment(), learning_rate=1e-2)
    gan.d_optimizer.learning_rate = 0.0
    g_before, d_before = _snapshot(gan.generator), _snapshot(gan.discriminator)
    gan.train_step(_images(8))
    assert _changed(g_before, gan.generator)
    assert not _changed(d_before, gan.discriminator)


def test_ada_probability_is_checkpointed_and_resumes_exactly(tmp_path):
    images = _images(24, seed=5)

    def model():
        ada = augment.AdaptiveAugment(
            interval=1, speed_images=48, initial_probability=0.5
        )
        return _gan(augment=ada), ada

    keras.utils.set_random_seed(0)
    straight, straight_ada = model()
    straight.fit(tiny.dataset("gan", images), epochs=2, verbose=0)
    assert "augment_probability" in checkpoint.training_objects(straight)

    keras.utils.set_random_seed(0)
    first, first_ada = model()
    saver = callbacks.TrainingCheckpoint(tmp_path)
    first.fit(
        tiny.dataset("gan", images), epochs=1, callbacks=[saver], verbose=0
    )
    saved = _float(first_ada.probability)
    assert saved != 0.5
    keras.utils.set_random_seed(0)
    resumed, resumed_ada = model()
    dataset = tiny.dataset("gan", images)
    saver = callbacks.TrainingCheckpoint(tmp_path)
    done = saver.restore(resumed, dataset)
    assert done == 1 and _float(resumed_ada.probability) == saved
    resumed.fit(
        dataset, epochs=2, initial_epoch=1, callbacks=[saver], verbose=0
    )
    assert _float(resumed_ada.probability) == _float(straight_ada.probability)
    for a, b in zip(_snapshot(straight), _snapshot(resumed)):
        np.testing.assert_array_equal(a, b)


# -- the EMA callback -------------------------------------------------------
def _numpy_ema(trajectory, decay):
    average = [np.array(w, dtype="float64") for w in trajectory[0]]
    for step, weights in enumerate(trajectory[1:], start=1):
        d = min(decay, (1 + step) / (10 + step))
        average = [d * a + (1 - d) * w for a, w in zip(average, weights)]
    return average


class _Record(keras.callbacks.Callback):
    def __init__(self, network):
        super().__init__()
        self.network = network
        self.trajectory = [network.get_weights()]

    def on_train_batch_end(self, batch, logs=None):
        self.trajectory.append(self.network.get_weights())


def test_ema_callback_equals_the_running_average():
    images = _images(24, seed=6)
    gan = _gan(ema_decay=0.9)
    ema = callbacks.EMAGenerator(0.9)
    record = _Record(gan.generator)
    gan.fit(
        tiny.dataset("gan", images),
        epochs=2,
        verbose=0,
        callbacks=[ema, record],
    )
    assert ema.updates == 6 and len(record.trajectory) == 7
    expected = _numpy_ema(record.trajectory, 0.9)
    assert not np.allclose(expected[0], record.trajectory[-1][0])
    for got, want, built_in in zip(
        ema.average.get_weights(), expected, gan.ema_generator.get_weights()
    ):
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-6)
        np.testing.assert_allclose(got, built_in, rtol=1e-5, atol=1e-7)


def test_ema_callback_works_for_pix2pix_and_rejects_bad_input():
    images = _images(8, seed=7)
    pix2pix = tiny.model("pix2pix")
    ema = callbacks.EMAGenerator(0.5)
    record = _Record(pix2pix.generator)
    pix2pix.fit(
        tiny.dataset("pix2pix", images, batch_size=4),
        epochs=1,
        verbose=0,
        callbacks=[ema, record],
    )
    expected = _numpy_ema(record.trajectory, 0.5)
    for got, want in zip(ema.average.get_weights(), expected):
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-6)
    with pytest.raises(ValueError, match=r"\[0, 1\).*ema_decay=1.0"):
        callbacks.EMAGenerator(1.0)
    with pytest.raises(TypeError, match="network=3"):
        callbacks.EMAGenerator(0.9, network=3)
    with pytest.raises(ValueError, match="generator_g"):
        pix2pix.fit(
            tiny.dataset("pix2pix", images, batch_size=4),
            epochs=1,
            verbose=0,
            callbacks=[callbacks.EMAGenerator(0.9, network="generator_g")],
        )

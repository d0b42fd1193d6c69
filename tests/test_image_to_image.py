import keras
import numpy as np
import pytest

from gancourse import cyclegan
from gancourse import image_to_image as i2i
from gancourse import layers as course_layers
from gancourse import losses
from tests import tiny


def _adam():
    return keras.optimizers.Adam(1e-3)


def _weights(model):
    return [np.array(w) for w in model.trainable_weights]


def _changed(before, model):
    after = _weights(model)
    return any(not np.allclose(b, a) for b, a in zip(before, after))


# -- shapes and validation --------------------------------------------------
@pytest.mark.parametrize(
    "shape,num_downsamples",
    [((16, 16, 1), 2), ((16, 16, 3), 4), ((32, 24, 1), 3), ((8, 8, 2), 1)],
)
def test_unet_shape_and_range(rng, shape, num_downsamples):
    model = i2i.make_unet_generator(
        shape, base_filters=4, num_downsamples=num_downsamples
    )
    images = rng.uniform(-1, 1, (2, *shape)).astype("float32")
    out = np.asarray(model(images))
    assert out.shape == (2, *shape)
    assert np.all(np.abs(out) <= 1.0)


def test_unet_residual_output_is_clipped_source_plus_correction(rng):
    model = i2i.make_unet_generator(
        (16, 16, 3), base_filters=4, num_downsamples=2, residual=True
    )
    images = rng.uniform(-1, 1, (2, 16, 16, 3)).astype("float32")
    layer = model.get_layer("correction")
    # 初始修正为零：输出等于输入 / Zero start: the output is the input.
    np.testing.assert_allclose(np.asarray(model(images)), images, atol=1e-6)
    kernel = layer.kernel
    kernel.assign(rng.normal(0, 0.1, kernel.shape).astype("float32"))
    correction = keras.Model(model.input, layer.output)
    expected = np.clip(images + np.asarray(correction(images)), -1, 1)
    np.testing.assert_allclose(np.asarray(model(images)), expected, atol=1e-6)
    with pytest.raises(ValueError, match="Received"):
        i2i.make_unet_generator((16, 16, 1), output_channels=3, residual=True)


def test_unet_output_channels():
    model = i2i.make_unet_generator(
        (16, 16, 1), output_channels=3, base_filters=4, num_downsamples=2
    )
    assert model.output_shape == (None, 16, 16, 3)


@pytest.mark.parametrize(
    "factory",
    [i2i.make_unet_generator, cyclegan.make_resnet_generator],
)
def test_generators_reject_indivisible_sizes(factory):
    with pytest.raises(ValueError, match="divisible by 8.*Received"):
        factory((28, 28, 1), num_downsamples=3)
    with pytest.raises(ValueError, match="Received"):
        factory((16, 16), num_downsamples=2)


def test_bad_norm_and_downsamples():
    with pytest.raises(ValueError, match="Received: norm='layer'"):
        i2i.make_patchgan_discriminator((16, 16, 1), norm="layer")
    with pytest.raises(ValueError, match="Received"):
        i2i.make_unet_generator((16, 16, 1), num_downsamples=0)


@pytest.mark.parametrize(
    "shape,num_downsamples,expected",
    [
        ((16, 16, 1), 2, (4, 4)),
        ((32, 16, 3), 3, (4, 2)),
        ((28, 28, 1), 2, (7, 7)),
    ],
)
@pytest.mark.parametrize("norm", ["instance", "batch", None])
def test_patchgan_logit_map(rng, shape, num_downsamples, expected, norm):
    model = i2i.make_patchgan_discriminator(
        shape, base_filters=4, num_downsamples=num_downsamples, norm=norm
    )
    out = model(rng.uniform(-1, 1, (3, *shape)).astype("float32"))
    assert tuple(out.shape) == (3, *expected, 1)


def test_conditional_patchgan_takes_two_inputs(rng):
    model = i2i.make_patchgan_discriminator(
        (16, 16, 1), target_shape=(16, 16, 3), base_filters=4
    )
    source = rng.uniform(-1, 1, (2, 16, 16, 1)).astype("float32")
    target = rng.uniform(-1, 1, (2, 16, 16, 3)).astype("float32")
    assert tuple(model([source, target]).shape) == (2, 4, 4, 1)
    with pytest.raises(ValueError, match="Received"):
        i2i.make_patchgan_discriminator((16, 16, 1), target_shape=(8, 8, 1))
    with pytest.raises(ValueError, match="divisible by 4.*Received"):
        i2i.make_patchgan_discriminator((18, 18, 1), num_downsamples=2)


def test_patchgan_receptive_field():
    # pix2pix 论文的 70x70 / The paper's 70x70 PatchGAN; 1 -> 4 -> 7 -> 16.
    assert i2i.patchgan_receptive_field(3) == 70
    assert i2i.patchgan_receptive_field(1) == 16
    assert i2i.patchgan_receptive_field(2) == 34


def test_patchgan_receptive_field_is_local(rng):
    # 改动感受野外的像素，角落 logit 不变 / A corner logit ignores far pixels.
    model = i2i.make_patchgan_discriminator(
        (64, 64, 1), base_filters=2, num_downsamples=2, norm=None
    )
    images = rng.uniform(-1, 1, (1, 64, 64, 1)).astype("float32")
    changed = images.copy()
    changed[:, 40:, 40:] = 0.5
    before, after = np.asarray(model(images)), np.asarray(model(changed))
    np.testing.assert_allclose(before[0, 0, 0], after[0, 0, 0], atol=1e-6)
    assert not np.allclose(before[0, -1, -1], after[0, -1, -1])


@pytest.mark.parametrize("shape", [(16, 16, 1), (16, 32, 3), (8, 8, 1)])
def test_resnet_generator_shape(rng, shape):
    model = cyclegan.make_resnet_generator(
        shape, base_filters=4, num_downsamples=2, num_residual_blocks=1
    )
    out = np.asarray(model(rng.uniform(-1, 1, (2, *shape)).astype("float32")))
    assert out.shape == (2, *shape)
    assert np.all(np.abs(out) <= 1.0)
    with pytest.raises(ValueError, match="Received"):
        cyclegan.make_resnet_generator(shape, num_residual_blocks=0)


# -- layers -----------------------------------------------------------------
def test_instance_norm_matches_numpy(rng):
    x = rng.normal(3.0, 2.0, (3, 5, 6, 4)).astype("float32")
    out = np.asarray(course_layers.instance_normalization()(x))
    mean = x.mean(axis=(1, 2), keepdims=True)
    var = x.var(axis=(1, 2), keepdims=True)
    np.testing.assert_allclose(out, (x - mean) / np.sqrt(var + 1e-5), atol=1e-4)
    # 每个样本每个通道：均值 0、方差 1 / Per sample and channel: 0 and 1.
    np.testing.assert_allclose(out.mean(axis=(1, 2)), 0.0, atol=1e-5)
    np.testing.assert_allclose(out.std(axis=(1, 2)), 1.0, atol=1e-3)
    # 模型内用的等价层 / The equivalent layer the factories use.
    layer = course_layers.InstanceNormalization()
    np.testing.assert_allclose(np.asarray(layer(x)), out, atol=1e-4)
    gamma = rng.normal(size=4).astype("float32")
    beta = rng.normal(size=4).astype("float32")
    group = course_layers.instance_normalization()
    group.build(x.shape)
    for norm in (layer, group):
        norm.gamma.assign(gamma)
        norm.beta.assign(beta)
    np.testing.assert_allclose(
        np.asarray(layer(x)), np.asarray(group(x)), atol=1e-4
    )
    with pytest.raises(ValueError, match="Received"):
        course_layers.InstanceNormalization()(np.zeros((2, 3), "float32"))


@pytest.mark.parametrize("padding", [1, 3, (2, 1)])
def test_reflection_padding_matches_numpy(rng, padding):
    x = rng.normal(size=(2, 7, 8, 3)).astype("float32")
    layer = course_layers.ReflectionPadding2D(padding)
    pad_h, pad_w = (padding, padding) if isinstance(padding, int) else padding
    expected = np.pad(
        x, ((0, 0), (pad_h, pad_h), (pad_w, pad_w), (0, 0)), mode="reflect"
    )
    np.testing.assert_allclose(np.asarray(layer(x)), expected)
    assert layer.compute_output_shape((None, 7, 8, 3)) == expected.shape[:0] + (
        None,
        *expected.shape[1:],
    )


def test_reflection_padding_serializes():
    layer = course_layers.ReflectionPadding2D((2, 1))
    config = keras.saving.serialize_keras_object(layer)
    restored = keras.saving.deserialize_keras_object(config)
    assert isinstance(restored, course_layers.ReflectionPadding2D)
    assert restored.padding == (2, 1)
    with pytest.raises(ValueError, match="Received"):
        course_layers.ReflectionPadding2D(-1)


# -- losses -------------------------------------------------------------------
def test_cycle_loss_zero_for_identity_generators(rng):
    x = rng.uniform(-1, 1, (4, 8, 8, 1)).astype("float32")
    identity = keras.Sequential(
        [keras.Input((8, 8, 1)), keras.layers.Identity()]
    )
    cycled = identity(identity(x))
    assert float(losses.cycle_consistency_loss(x, cycled)) == 0.0


def test_cycle_and_identity_losses_match_numpy(rng):
    real = rng.uniform(-1, 1, (4, 8, 8, 3)).astype("float32")
    other = rng.uniform(-1, 1, (4, 8, 8, 3)).astype("float32")
    expected = np.mean(np.abs(real - other))
    np.testing.assert_allclose(
        float(losses.cycle_consistency_loss(real, other)), expected, rtol=1e-6
    )
    np.testing.assert_allclose(
        float(losses.identity_loss(real, other)), expected, rtol=1e-6
    )
    assert float(losses.identity_loss(real, real)) == 0.0


# -- training ---------------------------------------------------------------
# 单步测试用 eager 模式，省去图追踪时间 / The tiny models run eagerly: no
# tracing for a step or two.


def test_cyclegan_step_updates_all_four_networks(rng):
    model = tiny.model("cyclegan", pool_size=8, run_eagerly=True)
    nets = (
        model.generator_g,
        model.generator_f,
        model.discriminator_x,
        model.discriminator_y,
    )
    before = [_weights(net) for net in nets]
    x = rng.uniform(-1, 1, (4, 16, 16, 1)).astype("float32")
    y = rng.uniform(-1, 1, (4, 16, 16, 1)).astype("float32")
    logs = model.train_on_batch(x, y, return_dict=True)
    assert set(logs) == {"g_loss", "d_x_loss", "d_y_loss", "cycle", "identity"}
    assert all(np.isfinite(value) for value in logs.values())
    assert all(_changed(b, net) for b, net in zip(before, nets))


def test_cyclegan_phases_touch_only_their_networks(rng):
    model = tiny.model("cyclegan", run_eagerly=True)
    x = rng.uniform(-1, 1, (4, 16, 16, 1)).astype("float32")
    y = rng.uniform(-1, 1, (4, 16, 16, 1)).astype("float32")
    gens = (model.generator_g, model.generator_f)
    discs = (model.discriminator_x, model.discriminator_y)
    gen_before = [_weights(net) for net in gens]
    disc_before = [_weights(net) for net in discs]
    # 判别器阶段不动生成器 / The D phase leaves G and F unchanged.
    model.discriminator_step(x, y, y, x)
    assert not any(_changed(b, net) for b, net in zip(gen_before, gens))
    assert all(_changed(b, net) for b, net in zip(disc_before, discs))
    # 生成器阶段不动判别器 / The G phase leaves D_X and D_Y unchanged.
    disc_before = [_weights(net) for net in discs]
    model.generator_step(x, y)
    assert all(_changed(b, net) for b, net in zip(gen_before, gens))
    assert not any(_changed(b, net) for b, net in zip(disc_before, discs))


def test_cyclegan_validates_arguments():
    model = tiny.model("cyclegan", run_eagerly=True)
    nets = (
        model.generator_g,
        model.generator_f,
        model.discriminator_x,
        model.discriminator_y,
    )
    with pytest.raises(ValueError, match="Received"):
        cyclegan.CycleGAN(*nets, lambda_cycle=-1.0)
    with pytest.raises(ValueError, match="Received"):
        cyclegan.CycleGAN(*nets, pool_size=-2)
    wrong = i2i.make_patchgan_discriminator((32, 32, 1), base_filters=2)
    with pytest.raises(ValueError, match="Received"):
        cyclegan.CycleGAN(*nets[:3], wrong)
    optimizer = _adam()
    with pytest.raises(ValueError, match="Received"):
        model.compile(optimizer, optimizer, _adam(), _adam())


def test_image_pool_returns_current_or_past_fakes():
    pool = cyclegan.ImagePool(4, (2, 2, 1), "pool")
    seed = keras.random.SeedGenerator(0)
    first = np.full((4, 2, 2, 1), 1.0, "float32")
    np.testing.assert_array_equal(np.asarray(pool.query(first, seed)), first)
    second = np.full((4, 2, 2, 1), 2.0, "float32")
    returned = np.asarray(pool.query(second, seed))
    assert set(np.unique(returned)) <= {1.0, 2.0}
    assert int(pool.count.numpy()) == 4


def test_pix2pix_fit_is_finite_and_l1_matches_numpy(rng):
    source = rng.uniform(-1, 1, (16, 16, 16, 1)).astype("float32")
    target = rng.uniform(-1, 1, (16, 16, 16, 1)).astype("float32")
    model = tiny.model("pix2pix", run_eagerly=True)
    # L1 项在更新前计算：用同一批数据的 NumPy 参考 / L1 is measured before
    # the G update; a huge lambda cannot move D, so compare it directly.
    fake = np.asarray(model.generator(source, training=True))
    expected_l1 = np.mean(np.abs(target - fake))
    logs = model.train_on_batch(source, target, return_dict=True)
    np.testing.assert_allclose(logs["l1"], expected_l1, rtol=1e-4)
    history = model.fit(source, target, batch_size=8, epochs=2, verbose=0)
    assert set(history.history) == {"g_loss", "d_loss", "l1"}
    assert all(np.isfinite(v).all() for v in history.history.values())
    assert len(history.history["l1"]) == 2


def test_pix2pix_validates_arguments():
    model = tiny.model("pix2pix", run_eagerly=True)
    unconditional = i2i.make_patchgan_discriminator((16, 16, 1))
    with pytest.raises(ValueError, match="Received"):
        i2i.Pix2Pix(model.generator, unconditional)
    with pytest.raises(ValueError, match="Received"):
        i2i.Pix2Pix(model.generator, model.discriminator, lambda_l1=-1)
    # 类型错误 -> TypeError / A wrong type is a TypeError.
    with pytest.raises(TypeError, match="Received: g_optimizer='adam'"):
        model.compile("adam", _adam())


# -- data -------------------------------------------------------------------
def test_mask_random_squares(rng):
    images = rng.uniform(-1, 1, (5, 10, 12, 1)).astype("float32")
    masked, mask = i2i.mask_random_squares(images, hole_size=4, seed=1)
    assert masked.shape == images.shape and mask.shape == (5, 10, 12, 1)
    np.testing.assert_array_equal(mask.sum(axis=(1, 2, 3)), 16)
    np.testing.assert_array_equal(masked[mask[..., 0] > 0], 0.0)
    keep = mask[..., 0] == 0
    np.testing.assert_array_equal(masked[keep], images[keep])
    again, _ = i2i.mask_random_squares(images, hole_size=4, seed=1)
    np.testing.assert_array_equal(masked, again)
    with pytest.raises(ValueError, match="Received"):
        i2i.mask_random_squares(images, hole_size=11)


def test_pad_images(rng):
    images = rng.uniform(-1, 1, (2, 28, 28, 1)).astype("float32")
    padded = i2i.pad_images(images, 32)
    assert padded.shape == (2, 32, 32, 1)
    np.testing.assert_array_equal(padded[:, 2:30, 2:30], images)
    assert np.all(padded[:, :2] == -1.0)
    with pytest.raises(ValueError, match="Received"):
        i2i.pad_images(images, 20)


def test_make_inpainting_data():
    masked, original = i2i.make_inpainting_data("test", num_images=8)
    assert masked.shape == original.shape == (8, 32, 32, 1)
    assert masked.dtype == original.dtype == np.float32
    assert original.min() >= -1.0 and original.max() <= 1.0
    differs = (masked != original).reshape(8, -1).sum(axis=1)
    assert np.all(differs > 0) and np.all(differs <= 144)
    again, _, mask = i2i.make_inpainting_data(
        "test", num_images=8, return_mask=True
    )
    np.testing.assert_array_equal(again, masked)
    np.testing.assert_array_equal(mask.sum(axis=(1, 2, 3)), 144)
    np.testing.assert_array_equal(masked[mask > 0], 0.0)


def test_super_resolution_data():
    low, high = i2i.make_super_resolution_data(
        "test", num_crops=4, crop_size=16, scale=4
    )
    assert low.shape == high.shape == (4, 16, 16, 3)
    for array in (low, high):
        assert array.min() >= -1.0 and array.max() <= 1.0
    # 4x4 区块均值在降采样后保持 / Area downscaling keeps 4x4 block means
    # up to bicubic overshoot, so the low-res input is close but blurrier.
    assert np.abs(low - high).mean() < 0.2
    assert (
        np.abs(np.diff(low, axis=1)).mean()
        < np.abs(np.diff(high, axis=1)).mean()
    )
    with pytest.raises(ValueError, match="Received"):
        i2i.make_super_resolution_data("val")
    with pytest.raises(ValueError, match="Received"):
        i2i.degrade(high, scale=3)


def test_image_quality_matches_numpy(rng):
    target = rng.uniform(-1, 1, (2, 16, 16, 3)).astype("float32")
    predicted = np.clip(target + 0.1, -1, 1)
    mse = np.mean((predicted - target) ** 2, axis=(1, 2, 3))
    expected = np.mean(10 * np.log10(4.0 / mse))
    result = i2i.image_quality(predicted, target)
    np.testing.assert_allclose(result["psnr"], expected, rtol=1e-4)
    assert i2i.image_quality(target, target)["ssim"] == pytest.approx(1.0)


def test_unpaired_domains():
    shoes, boots = cyclegan.make_unpaired_domains(split="test", num_images=5)
    assert shoes.shape == boots.shape == (5, 28, 28, 1)
    assert not np.allclose(shoes.mean(), boots.mean())
    with pytest.raises(ValueError, match="Received"):
        cyclegan.make_unpaired_domains(3, 3)
    dataset = cyclegan.make_unpaired_dataset(shoes, boots, batch_size=2, seed=0)
    x, y = next(iter(dataset))
    assert tuple(x.shape) == tuple(y.shape) == (2, 28, 28, 1)


def test_horse2zebra_error_is_clear_when_tfds_missing(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "tensorflow_datasets", None)
    with pytest.raises(ImportError, match="pip install tensorflow-datasets"):
        cyclegan.load_horse2zebra()


def test_cyclegan_resumes_from_backup(rng, tmp_path):
    x = rng.uniform(-1, 1, (4, 16, 16, 1)).astype("float32")
    first = tiny.model("cyclegan", run_eagerly=True)
    assert first.optimizer is None  # 没有多余的默认优化器 / No stray rmsprop.

    def backup():
        return keras.callbacks.BackupAndRestore(
            str(tmp_path), delete_checkpoint=False
        )

    first.fit(x, x, batch_size=4, epochs=1, verbose=0, callbacks=[backup()])
    # 全新的模型从第 2 轮继续，并带回优化器状态 / A fresh model continues at
    # epoch 2 with the saved optimizer state.
    resumed = tiny.model("cyclegan", run_eagerly=True)
    history = resumed.fit(
        x, x, batch_size=4, epochs=2, verbose=0, callbacks=[backup()]
    )
    assert history.epoch == [1]
    assert int(resumed.g_optimizer.iterations.numpy()) == 2


# -- lesson 06: mask channel, local PatchGAN, decoder dropout ----------------
def test_make_inpainting_data_mask_channel():
    plain, original, mask = i2i.make_inpainting_data(
        "test", num_images=6, return_mask=True
    )
    source, again = i2i.make_inpainting_data(
        "test", num_images=6, mask_channel=True
    )
    assert source.shape == (6, 32, 32, 2) and source.dtype == np.float32
    np.testing.assert_array_equal(source[..., :1], plain)
    np.testing.assert_array_equal(source[..., 1:], mask)
    np.testing.assert_array_equal(again, original)
    # 洞里的 0 与衣服上的灰色相同，掩码通道把两者分开 / The hole's 0 equals
    # grey garment pixels; only the mask channel tells them apart.
    assert set(np.unique(source[..., 1])) == {0.0, 1.0}


@pytest.mark.parametrize("num_downsamples,far", [(1, 11), (2, None)])
def test_patchgan_corner_logit_field_on_32x32(rng, num_downsamples, far):
    # n = 1: the corner logit sees rows/cols up to 10 only (a 16x16 field);
    # n = 2: its 34x34 field reaches pixel 22, so it is nearly global.
    model = i2i.make_patchgan_discriminator(
        (32, 32, 1), base_filters=2, num_downsamples=num_downsamples, norm=None
    )
    images = rng.uniform(-1, 1, (1, 32, 32, 1)).astype("float32")
    before = np.asarray(model(images))[0, 0, 0]
    if far is not None:
        changed = images.copy()
        changed[:, far:, far:] = 0.5
        np.testing.assert_allclose(np.asarray(model(changed))[0, 0, 0], before)
        changed = images.copy()
        changed[:, far - 1, far - 1] += 0.5
        assert not np.allclose(np.asarray(model(changed))[0, 0, 0], before)
    else:
        changed = images.copy()
        changed[:, 22, 22] += 0.5
        assert not np.allclose(np.asarray(model(changed))[0, 0, 0], before)


def test_pix2pix_with_mask_channel_source_trains(rng):
    generator = i2i.make_unet_generator(
        (8, 8, 2), output_channels=1, base_filters=4, num_downsamples=2
    )
    discriminator = i2i.make_patchgan_discriminator(
        (8, 8, 2), target_shape=(8, 8, 1), base_filters=4, num_downsamples=1
    )
    model = i2i.Pix2Pix(generator, discriminator)
    model.compile(_adam(), _adam(), run_eagerly=True)
    source = rng.uniform(-1, 1, (4, 8, 8, 2)).astype("float32")
    target = rng.uniform(-1, 1, (4, 8, 8, 1)).astype("float32")
    logs = model.train_on_batch(source, target, return_dict=True)
    assert all(np.isfinite(value) for value in logs.values())
    assert tuple(discriminator.output_shape) == (None, 4, 4, 1)


def test_unet_decoder_dropout(rng):
    def dropouts(model):
        return [
            layer
            for layer in model.layers
            if isinstance(layer, keras.layers.Dropout)
        ]

    plain = i2i.make_unet_generator((32, 32, 1), base_filters=4)
    assert dropouts(plain) == []
    # 最深的三个解码块 / The three deepest decoder blocks (of 4 here).
    model = i2i.make_unet_generator(
        (32, 32, 1), base_filters=4, num_downsamples=5, dropout=0.5
    )
    assert [layer.rate for layer in dropouts(model)] == [0.5] * 3
    assert (
        plain.count_params()
        == i2i.make_unet_generator(
            (32, 32, 1), base_filters=4, dropout=0.5
        ).count_params()
    )
    images = rng.uniform(-1, 1, (2, 32, 32, 1)).astype("float32")
    np.testing.assert_allclose(
        np.asarray(model(images)), np.asarray(model(images))
    )
    assert not np.allclose(
        np.asarray(model(images, training=True)),
        np.asarray(model(images, training=True)),
    )
    for bad in (-0.1, 1.0):
        with pytest.raises(ValueError, match="Received: dropout"):
            i2i.make_unet_generator((32, 32, 1), dropout=bad)

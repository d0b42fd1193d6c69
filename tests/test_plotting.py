import json

import keras
import numpy as np
import pytest
from PIL import Image

from gancourse import callbacks
from gancourse import cli
from gancourse import data
from gancourse import gans
from gancourse import models
from gancourse import plotting


def test_image_grid_layout(rng):
    images = np.stack([np.full((4, 5, 1), v) for v in (-1.0, 0.0, 1.0)])
    grid = plotting.image_grid(images, num_cols=2, padding=1)
    assert grid.shape == (2 * 5 + 1, 2 * 6 + 1, 1) and grid.dtype == np.uint8
    assert grid[1, 1, 0] == 0 and grid[1, 7, 0] == 128 and grid[6, 1, 0] == 255


def test_show_images_and_errors(rng):
    images = rng.uniform(-1, 1, (6, 8, 8, 3))
    figure = plotting.show_images(images, num_rows=2, titles=list("abcdef"))
    assert len(figure.axes) == 6
    with pytest.raises(
        ValueError, match=r"Received: values in \[0.000, 2.000\]"
    ):
        plotting.show_images(np.linspace(0, 2, 64).reshape(1, 8, 8, 1))
    with pytest.raises(ValueError, match="Received: images.shape=\\(8, 8\\)"):
        plotting.show_images(np.zeros((8, 8)))
    with pytest.raises(ValueError, match="1 or 3 channels"):
        plotting.show_images(np.zeros((1, 8, 8, 2)))


def test_interpolation_endpoints_and_norm():
    rng = np.random.default_rng(0)
    start, end = rng.normal(size=64), rng.normal(size=64)
    path = plotting.interpolate_latent(start, end, num_steps=5)
    np.testing.assert_allclose(path[0], start, rtol=1e-5)
    np.testing.assert_allclose(path[-1], end, rtol=1e-5)
    linear = plotting.interpolate_latent(start, end, 5, spherical=False)
    # Slerp keeps the norm near the endpoints'; the linear midpoint shrinks.
    assert np.linalg.norm(path[2]) > np.linalg.norm(linear[2])
    with pytest.raises(ValueError, match="same size"):
        plotting.interpolate_latent(start, end[:3])


def test_plot_history_accepts_dict():
    figure = plotting.plot_history({"d_loss": [1.0, 0.5], "g_loss": [2, 1]})
    assert [line.get_label() for line in figure.axes[0].lines] == [
        "d_loss",
        "g_loss",
    ]
    with pytest.raises(ValueError, match="Received: list"):
        plotting.plot_history([1, 2])


def test_plot_history_epoch_ticks_are_whole_numbers():
    figure = plotting.plot_history({"d_loss": [1.0, 0.8, 0.7]})
    figure.canvas.draw()
    ticks = figure.axes[0].get_xticks()
    assert len(ticks) >= 2
    np.testing.assert_array_equal(ticks, np.round(ticks))


def test_sample_grid_fixed_noise_and_gif(tmp_path, small_images):
    keras.utils.set_random_seed(0)
    generator = models.make_dcgan_generator(
        latent_dim=4, image_shape=(16, 16, 1), base_filters=2
    )
    discriminator = models.make_dcgan_discriminator((16, 16, 1), base_filters=2)
    gan = gans.GAN(generator, discriminator, seed=0)
    gan.compile(keras.optimizers.Adam(), keras.optimizers.Adam())
    grid = callbacks.SampleGrid(num_images=4, out_dir=tmp_path / "s")
    gan.fit(
        data.make_dataset(small_images, batch_size=8),
        epochs=2,
        callbacks=[grid],
        verbose=0,
    )
    assert len(grid.grids) == 3  # Before training + 2 epochs.
    assert (tmp_path / "s" / "epoch_002.png").is_file()
    noise = grid.noise.copy()
    grid.sample()
    np.testing.assert_array_equal(noise, grid.noise)
    gif = Image.open(grid.save_gif(tmp_path / "t.gif"))
    assert gif.n_frames == 3


def test_cli_writes_outputs(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    from tests.test_data import write_idx

    write_idx(folder, count=64)
    out = tmp_path / "run"
    code = cli.main(
        [
            "train",
            "dcgan",
            "--epochs",
            "1",
            "--out",
            str(out),
            "--data-dir",
            str(folder),
            "--batch-size",
            "32",
            "--base-filters",
            "4",
            "--latent-dim",
            "8",
        ]
    )
    assert code == 0
    for name in (
        "samples.png",
        "training.gif",
        "losses.png",
        "generator.keras",
        "summary.json",
    ):
        assert (out / name).is_file(), name
    summary = json.loads((out / "summary.json").read_text())
    assert summary["epochs"] == 1 and summary["model"] == "dcgan"
    reloaded = keras.saving.load_model(out / "generator.keras")
    assert reloaded.output_shape == (None, 28, 28, 1)


def test_cli_help(capsys):
    with pytest.raises(SystemExit):
        cli.main(["train", "dcgan", "--help"])
    assert "--epochs" in capsys.readouterr().out


def test_save_image_never_leaves_a_truncated_file(tmp_path, monkeypatch):
    # 写入中途失败（例如进程被杀）：目标文件保持原样，没有残缺图片和临时
    # 文件 / A save that fails half-way (e.g. a killed process) leaves the
    # target as it was: no truncated image, no temporary file.
    path = tmp_path / "epoch_001.png"
    first = np.zeros((4, 4, 1), "uint8")
    plotting.save_image(first, path)
    original = Image.Image.save

    def crash(self, fp, *args, **kwargs):
        with open(fp, "wb") as file:
            file.write(b"\x89PNG half")
        raise OSError("killed while writing")

    monkeypatch.setattr(Image.Image, "save", crash)
    with pytest.raises(OSError, match="killed while writing"):
        plotting.save_image(np.full((4, 4, 1), 255, "uint8"), path)
    monkeypatch.setattr(Image.Image, "save", original)
    with Image.open(path) as image:
        assert np.array_equal(np.asarray(image), first[..., 0])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["epoch_001.png"]


def test_translation_grid_draws_only_the_image_channels_of_its_sources():
    """An inpainting source = image + mask channel; the grid shows the image."""
    rng = np.random.default_rng(0)
    image = rng.uniform(-1, 1, (3, 8, 8, 1)).astype("float32")
    mask = (rng.uniform(size=(3, 8, 8, 1)) > 0.5).astype("float32")
    sources = np.concatenate([image, mask], axis=-1)
    inputs = keras.Input((8, 8, 2))
    network = keras.Model(inputs, keras.layers.Conv2D(1, 1)(inputs))
    grid = callbacks.TranslationGrid(sources, targets=image)
    grid.set_model(network)
    rows = grid.sample()
    assert rows.shape == (9, 8, 8, 1)
    np.testing.assert_array_equal(rows[:3], image)  # sources, image channel
    np.testing.assert_array_equal(rows[6:], image)  # targets
    expected = np.asarray(network(sources, training=False))
    np.testing.assert_allclose(rows[3:6], expected, rtol=1e-6)

import gzip
import struct

import numpy as np
import pytest

from gancourse import data
from gancourse.data import mnist


def write_idx(folder, split="train", count=5, gz=True, truncate=False):
    folder.mkdir(parents=True, exist_ok=True)
    image_stem, label_stem = mnist._IDX_FILES[split]
    rng = np.random.default_rng(count)
    images = rng.integers(0, 256, size=(count, 28, 28), dtype=np.uint8)
    labels = rng.integers(0, 10, size=count, dtype=np.uint8)
    image_bytes = struct.pack(">IIII", 2051, count, 28, 28) + images.tobytes()
    label_bytes = struct.pack(">II", 2049, count) + labels.tobytes()
    if truncate:
        image_bytes = image_bytes[:-100]
    for stem, payload in ((image_stem, image_bytes), (label_stem, label_bytes)):
        if gz:
            with gzip.open(folder / f"{stem}.gz", "wb") as handle:
                handle.write(payload)
        else:
            (folder / stem).write_bytes(payload)
    return images, labels


@pytest.fixture
def isolated(tmp_path, monkeypatch):
    """No env dir, an empty Keras home and no Debian folder."""
    monkeypatch.delenv("GANCOURSE_DATA_DIR", raising=False)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras_home"))
    monkeypatch.setattr(
        mnist, "DEBIAN_DIRS", {"fashion-mnist": tmp_path / "deb"}
    )
    return tmp_path


def test_explicit_path_scales_to_minus_one_one(isolated):
    images, labels = write_idx(isolated / "mine", count=7)
    x, y = data.load_fashion_mnist(path=isolated / "mine", download=False)
    assert x.shape == (7, 28, 28, 1) and x.dtype == np.float32
    np.testing.assert_allclose(x[..., 0], images / 127.5 - 1.0, atol=1e-6)
    np.testing.assert_array_equal(y, labels)
    assert y.dtype == np.int64
    assert x.min() >= -1.0 and x.max() <= 1.0


def test_uncompressed_files_and_test_split(isolated):
    write_idx(isolated / "mine", split="test", count=3, gz=False)
    x, _ = data.load_fashion_mnist(
        "test", path=isolated / "mine", download=False
    )
    assert x.shape == (3, 28, 28, 1)


def test_resolution_order(isolated, monkeypatch):
    # Debian only.
    write_idx(isolated / "deb", count=2)
    assert len(data.load_fashion_mnist(download=False)[0]) == 2
    # The Keras cache wins over Debian.
    write_idx(isolated / "keras_home" / "datasets" / "fashion-mnist", count=3)
    assert len(data.load_fashion_mnist(download=False)[0]) == 3
    # GANCOURSE_DATA_DIR wins over the cache.
    write_idx(isolated / "env" / "fashion-mnist", count=4)
    monkeypatch.setenv("GANCOURSE_DATA_DIR", str(isolated / "env"))
    assert len(data.load_fashion_mnist(download=False)[0]) == 4
    # An explicit path wins over everything.
    write_idx(isolated / "mine", count=5)
    x, _ = data.load_fashion_mnist(path=isolated / "mine", download=False)
    assert len(x) == 5


def test_mnist_reads_keras_npz_cache(isolated):
    cache = isolated / "keras_home" / "datasets"
    cache.mkdir(parents=True)
    x_train = np.zeros((4, 28, 28), np.uint8)
    np.savez(
        cache / "mnist.npz",
        x_train=x_train,
        y_train=np.arange(4),
        x_test=x_train[:2],
        y_test=np.arange(2),
    )
    x, y = data.load_mnist(download=False)
    assert x.shape == (4, 28, 28, 1) and np.all(x == -1.0)
    assert data.load_dataset("mnist", "test", download=False)[0].shape[0] == 2


def test_missing_data_gives_bilingual_help(isolated):
    with pytest.raises(FileNotFoundError) as info:
        data.load_fashion_mnist(download=False)
    message = str(info.value)
    assert "apt-get install dataset-fashion-mnist" in message
    assert "GANCOURSE_DATA_DIR" in message and "无法" in message


def test_failed_download_is_reported(isolated, monkeypatch):
    def offline(name, split):
        raise OSError("no network")

    monkeypatch.setattr(mnist, "_download", offline)
    with pytest.raises(FileNotFoundError, match="OSError: no network"):
        data.load_mnist()


def test_truncated_file_names_the_file(isolated):
    write_idx(isolated / "mine", truncate=True)
    with pytest.raises(ValueError, match="train-images-idx3-ubyte.gz"):
        data.load_fashion_mnist(path=isolated / "mine", download=False)


def test_corrupt_gzip_names_the_file(isolated):
    write_idx(isolated / "mine")
    bad = isolated / "mine" / "train-labels-idx1-ubyte.gz"
    bad.write_bytes(bad.read_bytes()[:20])
    with pytest.raises(ValueError, match="train-labels-idx1-ubyte.gz"):
        data.load_fashion_mnist(path=isolated / "mine", download=False)


def test_wrong_magic_number(isolated):
    write_idx(isolated / "mine")
    stem = mnist._IDX_FILES["train"]
    (isolated / "mine" / f"{stem[0]}.gz").rename(isolated / "tmp.gz")
    (isolated / "mine" / f"{stem[1]}.gz").rename(
        isolated / "mine" / f"{stem[0]}.gz"
    )
    (isolated / "tmp.gz").rename(isolated / "mine" / f"{stem[1]}.gz")
    with pytest.raises(ValueError, match="magic number 2051"):
        data.load_fashion_mnist(path=isolated / "mine", download=False)


def test_explicit_path_without_files(isolated):
    with pytest.raises(FileNotFoundError, match="No fashion-mnist IDX files"):
        data.load_fashion_mnist(path=isolated, download=False)


def test_bad_split_and_name():
    with pytest.raises(ValueError, match="Received: split='val'"):
        data.load_fashion_mnist("val")
    with pytest.raises(ValueError, match="Received: name='cifar'"):
        data.load_dataset("cifar")


def test_make_dataset_batches_and_fast_cap(small_images, monkeypatch):
    labels = np.arange(32)
    dataset = data.make_dataset(small_images, labels, batch_size=8, seed=1)
    batches = list(dataset)
    assert len(batches) == 4
    assert batches[0][0].shape == (8, 16, 16, 1)
    monkeypatch.setenv("GANCOURSE_FAST", "1")
    fast = data.make_dataset(small_images, batch_size=2, seed=1)
    assert len(list(fast)) == 3


def test_make_dataset_validates(small_images):
    with pytest.raises(ValueError, match="Received: 32 images and 3 labels"):
        data.make_dataset(small_images, labels=[1, 2, 3])
    with pytest.raises(ValueError, match="batch_size=64"):
        data.make_dataset(small_images, batch_size=64)


def test_ring_data_and_coverage():
    points = data.make_ring_data(4000, num_modes=8, radius=2.0, std=0.05)
    assert points.shape == (4000, 2) and points.dtype == np.float32
    covered, quality = data.ring_mode_coverage(points)
    assert covered == 8 and quality > 0.97
    one_mode = np.tile(data.ring_centers(8)[:1], (100, 1))
    assert data.ring_mode_coverage(one_mode)[0] == 1
    with pytest.raises(ValueError, match="shape"):
        data.ring_mode_coverage(np.zeros((3, 3)))
    shares = data.ring_mode_shares(np.vstack([one_mode, [[9.0, 9.0]] * 100]))
    np.testing.assert_allclose(shares, [0.5] + [0.0] * 7)

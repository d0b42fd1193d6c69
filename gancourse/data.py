"""Data sets: Fashion-MNIST / MNIST loaders, tf.data pipelines, 2-D toy data.

数据集：Fashion-MNIST / MNIST 加载、tf.data 输入管道、二维玩具数据。

Every image loader returns NHWC float32 images in [-1, 1] and integer labels.
Files are looked up offline first, in this order:

1. an explicit ``path`` argument (a folder holding the four IDX files);
2. ``$GANCOURSE_DATA_DIR/<name>/`` (``<name>`` is ``fashion-mnist`` or
   ``mnist``), or ``$GANCOURSE_DATA_DIR/mnist.npz`` for MNIST;
3. the Keras cache (``$KERAS_HOME`` or ``~/.keras``)``/datasets/``;
4. Debian's ``dataset-fashion-mnist`` package
   (``/usr/share/datasets/fashion-mnist``), Fashion-MNIST only;
5. the Keras download (``keras.datasets.<name>.load_data()``), online only.
"""

import gzip
import os
import zlib
from pathlib import Path

import numpy as np

from gancourse import runtime

FASHION_MNIST_CLASSES = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)
MNIST_CLASSES = tuple(str(digit) for digit in range(10))

DEBIAN_DIRS = {"fashion-mnist": Path("/usr/share/datasets/fashion-mnist")}
_IDX_FILES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}
_HOW_TO_GET = (
    "Could not find the {title} data set offline, and the Keras download "
    "failed ({reason}).\n"
    "Get the data in one of these ways:\n"
    "  - online: run keras.datasets.{module}.load_data() once (it caches the "
    "files under ~/.keras/datasets);\n"
    "  - Debian/Ubuntu: sudo apt-get install dataset-fashion-mnist "
    "(Fashion-MNIST only);\n"
    "  - copy the four *-idx?-ubyte.gz files into a folder and pass "
    "path=FOLDER or set GANCOURSE_DATA_DIR "
    "(files in $GANCOURSE_DATA_DIR/{name}/)."
    "\n无法在本地找到 {title} 数据集，且 Keras 下载失败。获取数据的方法：\n"
    "  - 联网时运行一次 keras.datasets.{module}.load_data()（文件缓存在 "
    "~/.keras/datasets）；\n"
    "  - Debian/Ubuntu：sudo apt-get install dataset-fashion-mnist"
    "（仅 Fashion-MNIST）；\n"
    "  - 把四个 *-idx?-ubyte.gz 文件放进一个文件夹，传入 path=该文件夹，"
    "或设置 GANCOURSE_DATA_DIR（文件放在 $GANCOURSE_DATA_DIR/{name}/）。"
)


def _keras_datasets_dir():
    home = os.environ.get("KERAS_HOME") or os.path.join("~", ".keras")
    return Path(home).expanduser() / "datasets"


def _find_idx(folder, stem):
    """Return the path of ``stem`` (.gz or uncompressed) in ``folder``."""
    for candidate in (folder / f"{stem}.gz", folder / stem):
        if candidate.is_file():
            return candidate
    return None


def _read_idx(path, expected_magic, expected_dims):
    """Read one IDX file, raising ValueError naming the file if it is bad."""
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rb") as handle:
            raw = handle.read()
    except (OSError, EOFError, zlib.error) as error:
        raise ValueError(
            f"The data file {path} is truncated or corrupt ({error}). "
            "Delete it and get it again. / 数据文件已损坏或不完整，请删除后"
            "重新获取。"
        ) from None
    magic = int.from_bytes(raw[0:4], "big") if len(raw) >= 4 else None
    if magic != expected_magic:
        raise ValueError(
            f"The data file {path} is not an IDX file of the expected kind: "
            f"expected magic number {expected_magic}. Received: {magic}. "
            "/ 数据文件类型不对。"
        )
    header_size = 4 + 4 * expected_dims
    if len(raw) < header_size:
        raise ValueError(
            f"The data file {path} is too short to be an IDX file: expected "
            f"a header of {header_size} bytes. Received: {len(raw)} bytes. "
            "/ 数据文件过短，不是有效的 IDX 文件。"
        )
    dims = [
        int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big")
        for i in range(expected_dims)
    ]
    expected_size = header_size + int(np.prod(dims))
    if len(raw) != expected_size:
        raise ValueError(
            f"The data file {path} is truncated or corrupt: its header "
            f"announces shape {tuple(dims)}, i.e. {expected_size} bytes. "
            f"Received: {len(raw)} bytes. / 数据文件已损坏或不完整。"
        )
    return np.frombuffer(raw, np.uint8, offset=header_size).reshape(dims)


def _load_idx_folder(folder, split):
    """Load (images, labels) from a folder of IDX files, or None."""
    image_stem, label_stem = _IDX_FILES[split]
    image_path = _find_idx(folder, image_stem)
    label_path = _find_idx(folder, label_stem)
    if image_path is None or label_path is None:
        return None
    images = _read_idx(image_path, 2051, 3)
    labels = _read_idx(label_path, 2049, 1)
    if len(images) != len(labels):
        raise ValueError(
            f"{image_path} and {label_path} do not match: expected as many "
            f"labels as images. Received: {len(images)} images and "
            f"{len(labels)} labels."
        )
    return images, labels


def _load_npz(path, split):
    """Load (images, labels) from a Keras-style mnist.npz, or None."""
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as archive:
            return archive[f"x_{split}"], archive[f"y_{split}"]
    except (OSError, ValueError, KeyError, EOFError, zlib.error) as error:
        raise ValueError(
            f"The data file {path} is truncated or corrupt ({error}). "
            "Delete it and get it again. / 数据文件已损坏或不完整，请删除后"
            "重新获取。"
        ) from None


def _candidates(name, path):
    """Yield (description, loader) pairs in resolution order."""
    if path is not None:
        folder = Path(path).expanduser()
        yield f"path={folder}", lambda split: _load_idx_folder(folder, split)
        if name == "mnist":
            npz = folder / "mnist.npz"
            yield f"path={npz}", lambda split: _load_npz(npz, split)
        return
    env_dir = os.environ.get("GANCOURSE_DATA_DIR")
    if env_dir:
        folder = Path(env_dir).expanduser() / name
        yield "GANCOURSE_DATA_DIR", lambda s: _load_idx_folder(folder, s)
        if name == "mnist":
            npz = Path(env_dir).expanduser() / "mnist.npz"
            yield "GANCOURSE_DATA_DIR", lambda s: _load_npz(npz, s)
    cache = _keras_datasets_dir()
    if name == "mnist":
        yield "Keras cache", lambda s: _load_npz(cache / "mnist.npz", s)
    else:
        yield "Keras cache", lambda s: _load_idx_folder(cache / name, s)
    if name in DEBIAN_DIRS:
        folder = DEBIAN_DIRS[name]
        yield "Debian package", lambda s: _load_idx_folder(folder, s)


def _download(name, split):
    import keras

    module = {"fashion-mnist": "fashion_mnist", "mnist": "mnist"}[name]
    loader = getattr(keras.datasets, module)
    train, test = loader.load_data()
    return train if split == "train" else test


def _load(name, split, path, download, normalize):
    if split not in _IDX_FILES:
        raise ValueError(
            f"`split` must be 'train' or 'test'. Received: split={split!r}"
        )
    result = None
    for _, loader in _candidates(name, path):
        result = loader(split)
        if result is not None:
            break
    if result is None and path is not None:
        raise FileNotFoundError(
            f"No {name} IDX files for split {split!r} in {path}: expected "
            f"{_IDX_FILES[split][0]}(.gz) and {_IDX_FILES[split][1]}(.gz). "
            f"/ 在 {path} 中找不到 {name} 的 IDX 文件。"
        )
    if result is None:
        reason = "download=False"
        if download:
            try:
                result = _download(name, split)
            except Exception as error:  # Any network/IO failure.
                reason = f"{type(error).__name__}: {error}"
        if result is None:
            module = "fashion_mnist" if name == "fashion-mnist" else "mnist"
            title = "Fashion-MNIST" if name == "fashion-mnist" else "MNIST"
            raise FileNotFoundError(
                _HOW_TO_GET.format(
                    title=title, module=module, name=name, reason=reason
                )
            )
    images, labels = result
    images = np.asarray(images)[..., np.newaxis]
    if normalize:
        images = images.astype("float32") / 127.5 - 1.0
    return images, np.asarray(labels).astype("int64")


def load_fashion_mnist(split="train", path=None, download=True, normalize=True):
    """Load Fashion-MNIST as NHWC float32 images in [-1, 1] and int labels.

    加载 Fashion-MNIST：NHWC float32 图像（取值 [-1, 1]）与整数标签。

    The course's default data set (Xiao et al., 2017,
    https://arxiv.org/abs/1708.07747). See the module docstring for where the
    files are looked up.

    Args:
        split: "train" (60,000 images) or "test" (10,000 images).
        path: optional folder holding ``{train,t10k}-{images-idx3,labels-idx1}
            -ubyte[.gz]``.
        download: whether to fall back to the Keras download.
        normalize: if False, return the raw uint8 images (0..255).

    Returns:
        (images, labels): images of shape (N, 28, 28, 1), labels (N,) int64.

    Raises:
        ValueError: for a bad ``split`` or a truncated/corrupt file.
        FileNotFoundError: when no source has the data (the message, in
            English and Chinese, says how to get it).
    """
    return _load("fashion-mnist", split, path, download, normalize)


def load_mnist(split="train", path=None, download=True, normalize=True):
    """Load MNIST digits like :func:`load_fashion_mnist`.

    加载 MNIST 手写数字，接口与 :func:`load_fashion_mnist` 相同。

    Offline, MNIST needs the Keras cache (``~/.keras/datasets/mnist.npz``),
    ``GANCOURSE_DATA_DIR`` or an explicit ``path``; Debian ships no package.
    """
    return _load("mnist", split, path, download, normalize)


def load_dataset(name="fashion_mnist", split="train", **kwargs):
    """Load a data set by name: "fashion_mnist" (default) or "mnist".

    按名称加载数据集："fashion_mnist"（默认）或 "mnist"。
    """
    loaders = {"fashion_mnist": load_fashion_mnist, "mnist": load_mnist}
    if name not in loaders:
        raise ValueError(
            f"`name` must be one of {sorted(loaders)}. Received: name={name!r}"
        )
    return loaders[name](split=split, **kwargs)


def class_names(name="fashion_mnist"):
    """Class names of a data set, in label order (English)."""
    if name == "fashion_mnist":
        return FASHION_MNIST_CLASSES
    if name == "mnist":
        return MNIST_CLASSES
    raise ValueError(
        f"`name` must be 'fashion_mnist' or 'mnist'. Received: name={name!r}"
    )


def make_dataset(
    images,
    labels=None,
    batch_size=128,
    shuffle=True,
    seed=None,
    drop_remainder=True,
    cache=True,
):
    """Build a shuffled, batched, cached and prefetched ``tf.data.Dataset``.

    构建打乱、分批、缓存并预取的 ``tf.data.Dataset``。

    In fast mode the data set is cut to ``runtime.FAST_STEPS`` batches, so a
    lesson's ``fit`` finishes in seconds under CI.

    Args:
        images: array (N, ...) of float32 images in [-1, 1].
        labels: optional array (N,) of labels; batches are then (images,
            labels) tuples.
        batch_size: positive int.
        shuffle: reshuffle every epoch.
        seed: shuffle seed (int) for a reproducible order.
        drop_remainder: drop the last incomplete batch (GAN steps like
            equal-size batches).
        cache: cache the elements in memory after the first epoch.

    Returns:
        tf.data.Dataset.
    """
    import tensorflow as tf

    batch_size = runtime._positive_int("batch_size", batch_size)
    images = np.asarray(images)
    if images.ndim < 2:
        raise ValueError(
            "`images` must have a batch axis and at least one feature axis. "
            f"Received: images.shape={images.shape}"
        )
    if images.dtype.kind not in "biuf":
        raise ValueError(
            "`images` must hold numbers (float32 in [-1, 1]). Received: "
            f"images.dtype={images.dtype}"
        )
    if images.dtype.kind == "f" and not np.isfinite(images).all():
        raise ValueError(
            "`images` must be finite. Received: "
            f"{int((~np.isfinite(images)).sum())} NaN/Inf values"
        )
    if len(images) == 0:
        raise ValueError(
            "`images` must hold at least one image. Received: "
            f"images.shape={images.shape}"
        )
    if labels is not None and len(labels) != len(images):
        raise ValueError(
            "`labels` must have one entry per image. Received: "
            f"{len(images)} images and {len(labels)} labels."
        )
    if batch_size > len(images) and drop_remainder:
        raise ValueError(
            f"`batch_size` must be at most the number of images ({len(images)})"
            f" when drop_remainder=True. Received: batch_size={batch_size}"
        )
    elements = images if labels is None else (images, np.asarray(labels))
    dataset = tf.data.Dataset.from_tensor_slices(elements)
    if cache:
        dataset = dataset.cache()
    if shuffle:
        dataset = dataset.shuffle(
            min(len(images), 60_000), seed=seed, reshuffle_each_iteration=True
        )
    dataset = dataset.batch(batch_size, drop_remainder=drop_remainder)
    if runtime.fast_mode():
        dataset = dataset.take(runtime.FAST_STEPS)
    return dataset.prefetch(tf.data.AUTOTUNE)


def ring_centers(num_modes=8, radius=2.0):
    """Centres of ``num_modes`` Gaussians evenly spaced on a circle (float32).

    均匀分布在圆上的各高斯分量中心。
    """
    num_modes = runtime._positive_int("num_modes", num_modes)
    angles = 2.0 * np.pi * np.arange(num_modes) / num_modes
    centers = radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    return centers.astype("float32")


def make_ring_data(
    num_samples=10_000, num_modes=8, radius=2.0, std=0.05, seed=0
):
    """Sample a 2-D mixture of Gaussians on a ring (the classic toy GAN data).

    在圆环上采样二维高斯混合分布（经典的 GAN 玩具数据）。

    Args:
        num_samples: number of points.
        num_modes: number of Gaussians, evenly spaced on the circle.
        radius: circle radius.
        std: standard deviation of every Gaussian.
        seed: NumPy seed.

    Returns:
        float32 array of shape (num_samples, 2).
    """
    num_samples = runtime._positive_int("num_samples", num_samples)
    rng = np.random.default_rng(seed)
    centers = ring_centers(num_modes, radius)
    which = rng.integers(0, num_modes, size=num_samples)
    points = centers[which] + std * rng.standard_normal((num_samples, 2))
    return points.astype("float32")


def ring_mode_shares(samples, num_modes=8, radius=2.0, std=0.05):
    """Fraction of samples within 3 standard deviations of each ring mode.

    每个模式附近（3 个标准差以内）的样本比例。

    Returns:
        float64 array (num_modes,); its sum is the high-quality fraction.
    """
    samples = np.asarray(samples, dtype="float64")
    if samples.ndim != 2 or samples.shape[1] != 2:
        raise ValueError(
            "`samples` must have shape (N, 2). "
            f"Received: samples.shape={samples.shape}"
        )
    centers = ring_centers(num_modes, radius).astype("float64")
    distances = np.linalg.norm(samples[:, None, :] - centers[None], axis=-1)
    close = distances.min(axis=1) < 3.0 * std
    nearest = distances.argmin(axis=1)[close]
    return np.bincount(nearest, minlength=num_modes) / len(samples)


def ring_mode_coverage(
    samples, num_modes=8, radius=2.0, std=0.05, min_fraction=0.01
):
    """Measure how many ring modes a set of 2-D samples covers.

    统计二维样本覆盖了圆环上的多少个模式。

    A sample is "high quality" if it lies within 3 standard deviations of a
    centre; a mode counts as covered if at least ``min_fraction`` of all
    samples fall near it (the measure of Srivastava et al., VEEGAN, 2017).

    Returns:
        (modes_covered, high_quality_fraction): int and float.
    """
    shares = ring_mode_shares(samples, num_modes, radius, std)
    return int((shares >= min_fraction).sum()), float(shares.sum())

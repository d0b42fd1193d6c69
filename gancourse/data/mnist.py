"""Fashion-MNIST and MNIST loaders that work offline.

Fashion-MNIST / MNIST 数据加载（可离线使用）。

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

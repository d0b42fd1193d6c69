"""Image helpers of every lesson: range checks, conversion, crops, photos.

图像工具：取值范围检查、格式转换、随机裁剪与离线示例照片。

Convention of the whole package: images are NHWC float32 in [-1, 1]. This
module is the one place that checks it (``check_images``), converts to and
from uint8 (``to_uint8``, ``from_uint8``), pads and crops with a seeded
NumPy generator (``pad_images``, ``random_crops``) and loads the small
photos that ship with scikit-image and scikit-learn, so the lessons run
offline (``load_sample_photo``, ``load_image``). NumPy and Pillow only: no
TensorFlow import.
"""

import numpy as np

from gancourse import runtime

# 随 scikit-image / scikit-learn 附带、离线可用的照片 / Photos that ship with
# scikit-image (skimage.data) and scikit-learn (load_sample_image).
SKIMAGE_PHOTOS = ("astronaut", "coffee", "chelsea", "rocket")
SKLEARN_PHOTOS = ("china", "flower")
SAMPLE_PHOTOS = SKIMAGE_PHOTOS + SKLEARN_PHOTOS


def check_images(
    images, name="images", channels=(1, 3), value_range=True, tolerance=1e-3
):
    """Check a batch of NHWC images; return it as a float32 NumPy array.

    检查一批 NHWC 图像（默认要求取值在 [-1, 1]），返回 float32 NumPy 数组。

    Args:
        images: array-like (N, height, width, channels).
        name: the argument's name, for the message.
        channels: allowed channel counts, or None for any.
        value_range: also require values in [-1, 1] (within ``tolerance``).
        tolerance: slack on the range, for float rounding.

    Raises:
        ValueError: wrong rank, channel count, or values out of range.
    """
    images = np.asarray(images, dtype="float32")
    if images.ndim != 4:
        raise ValueError(
            f"`{name}` must be a batch of images (N, height, width, channels)"
            f" in [-1, 1]. Received: {name}.shape={images.shape}"
        )
    if channels is not None and images.shape[-1] not in channels:
        allowed = " or ".join(str(c) for c in channels)
        raise ValueError(
            f"`{name}` must have {allowed} channels. "
            f"Received: {name}.shape={images.shape}"
        )
    if value_range and images.size:
        low, high = float(images.min()), float(images.max())
        if low < -1.0 - tolerance or high > 1.0 + tolerance:
            raise ValueError(
                f"`{name}` must hold values in [-1, 1]. "
                f"Received: values in [{low:.3f}, {high:.3f}]"
            )
    return images


def to_uint8(images):
    """Map images from [-1, 1] to uint8 0..255 (values outside are clipped).

    把 [-1, 1] 的图像映射为 0..255 的 uint8（超出范围的值被截断）。
    """
    images = np.clip(np.asarray(images, dtype="float32"), -1.0, 1.0)
    return np.round((images + 1.0) * 127.5).astype("uint8")


def from_uint8(images):
    """Map uint8 (or 0..255 valued) images to float32 in [-1, 1].

    把 0..255 的图像映射为 [-1, 1] 的 float32。
    """
    return (np.asarray(images, dtype="float32") / 127.5 - 1.0).astype("float32")


def pad_images(images, size=32, value=-1.0):
    """Pad (N, h, w, c) images evenly to (N, size, size, c) with ``value``.

    用 ``value``（默认黑色 -1）把图像四周均匀填充到 size x size。
    """
    images = np.asarray(images, "float32")
    height, width = images.shape[1:3]
    if size < max(height, width):
        raise ValueError(
            f"`size` must be at least the image size {(height, width)}. "
            f"Received: size={size}"
        )
    top, left = (size - height) // 2, (size - width) // 2
    pads = ((0, 0), (top, size - height - top), (left, size - width - left))
    return np.pad(images, pads + ((0, 0),), constant_values=value)


def random_crops(images, num_crops, crop_size, rng, min_std=0.0, flip=False):
    """Cut ``num_crops`` random square crops from a list of images.

    从一组图像中随机裁剪 ``num_crops`` 个正方形块（用给定的随机数生成器）。

    For each crop: pick an image, a top and a left corner (in that order,
    from ``rng``); with ``flip``, mirror it left-right with probability 1/2;
    with ``min_std`` > 0, draw again when the crop is nearly flat (its
    standard deviation is below ``min_std``).

    Args:
        images: sequence of (H, W, C) arrays (sizes may differ).
        num_crops: number of crops.
        crop_size: side of a crop, at most the smallest image side.
        rng: a ``numpy.random.Generator`` (the caller owns the seed).
        min_std: skip crops flatter than this (0: keep every crop).
        flip: random horizontal flips.

    Returns:
        float32 array (num_crops, crop_size, crop_size, C).
    """
    num_crops = runtime.check_int("num_crops", num_crops, minimum=1)
    crop_size = runtime.check_int("crop_size", crop_size, minimum=1)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            "`rng` must be a numpy.random.Generator "
            f"(np.random.default_rng(seed)). Received: {type(rng).__name__}"
        )
    smallest = min(min(np.shape(image)[:2]) for image in images)
    if crop_size > smallest:
        raise ValueError(
            f"`crop_size` must fit in every image (at most {smallest}). "
            f"Received: crop_size={crop_size}"
        )
    crops = []
    while len(crops) < num_crops:
        image = images[rng.integers(len(images))]
        top = rng.integers(0, image.shape[0] - crop_size + 1)
        left = rng.integers(0, image.shape[1] - crop_size + 1)
        crop = image[top : top + crop_size, left : left + crop_size]
        if flip and rng.random() < 0.5:
            crop = crop[:, ::-1]
        # 跳过几乎纯色的块 / Skip flat crops (sky, black background).
        if min_std and crop.std() < min_std:
            continue
        crops.append(crop)
    return np.stack(crops).astype("float32")


def resize_long_side(image, max_size):
    """Resize a uint8 (H, W, C) array so its long side is ``max_size``.

    把 uint8 图像等比缩放，使长边为 ``max_size`` 像素（Lanczos 插值）。
    """
    from PIL import Image

    if max_size is None:
        return image
    max_size = runtime.check_int("max_size", max_size, minimum=1)
    height, width = image.shape[:2]
    scale = max_size / max(height, width)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    resized = Image.fromarray(image).resize(size, Image.Resampling.LANCZOS)
    return np.asarray(resized)


def load_sample_photo(name, max_size=None):
    """A photo that ships with scikit-image or scikit-learn, in [-1, 1].

    加载 scikit-image 或 scikit-learn 自带的照片（离线可用），范围 [-1, 1]。

    Args:
        name: one of ``SAMPLE_PHOTOS``: "astronaut", "coffee", "chelsea"
            (a cat), "rocket" (``skimage.data``), "china" (a pagoda) or
            "flower" (``sklearn.datasets.load_sample_image``); a ".jpg"
            suffix is accepted.
        max_size: optional long side in pixels.

    Returns:
        float32 array (H, W, 3) in [-1, 1].

    Raises:
        ValueError: unknown ``name``.
    """
    stem = (
        name[:-4] if isinstance(name, str) and name.endswith(".jpg") else name
    )
    if stem in SKLEARN_PHOTOS:
        from sklearn.datasets import load_sample_image

        image = load_sample_image(f"{stem}.jpg")
    elif stem in SKIMAGE_PHOTOS:
        import skimage.data

        image = getattr(skimage.data, stem)()
    else:
        raise ValueError(
            f"`name` must be one of {list(SAMPLE_PHOTOS)}. "
            f"Received: name={name!r}"
        )
    return from_uint8(resize_long_side(np.asarray(image)[..., :3], max_size))


def load_image(path, max_size=None):
    """Load an RGB image file (or http(s) URL) as float32 in [-1, 1].

    读取 RGB 图像文件（或 http(s) 网址）为 [-1, 1] 的 float32 数组。

    Args:
        path: file path, or an http(s) URL (downloaded once to
            ``~/.keras/datasets`` with ``keras.utils.get_file``).
        max_size: optional int, resize so the long side has this many pixels.

    Returns:
        float32 array (height, width, 3) in [-1, 1].
    """
    from PIL import Image

    path = str(path)
    if path.startswith(("http://", "https://")):
        import keras

        path = keras.utils.get_file(origin=path)
    with Image.open(path) as picture:
        image = np.asarray(picture.convert("RGB"))
    return from_uint8(resize_long_side(image, max_size))

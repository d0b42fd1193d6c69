"""Paired and unpaired image data of the image-to-image lessons (06, 07).

图像到图像翻译（第 06、07 课）的成对与非成对数据。

- inpainting pairs (masked garment, garment) with the hole mask;
- super-resolution pairs (bicubic-upscaled crop, sharp crop) cut from the
  photos that ship with scikit-image / scikit-learn;
- two unpaired Fashion-MNIST domains for CycleGAN, and horse2zebra online.
"""

import numpy as np

from gancourse import images as course_images
from gancourse import runtime
from gancourse.data.mnist import load_fashion_mnist
from gancourse.data.pipelines import make_dataset

# 训练与测试用不同的照片，避免泄漏 / Different photos for training and
# testing (no leakage).
SR_TRAIN_IMAGES = ("astronaut", "coffee", "rocket", "china", "flower")
SR_TEST_IMAGES = ("chelsea",)


def mask_random_squares(images, hole_size=12, fill_value=0.0, seed=0):
    """Blank one random hole_size x hole_size square in each image.

    在每张图像中随机遮挡一个 hole_size x hole_size 的正方形。

    Args:
        images: (N, h, w, c) float array in [-1, 1].
        hole_size: side of the square, at most min(h, w).
        fill_value: value written into the hole (0 = mid grey, so the hole
            differs from the black background).
        seed: int seed of the hole positions.

    Returns:
        (masked, mask): the masked copy and a (N, h, w, 1) float32 mask that
        is 1 inside the hole.
    """
    images = np.asarray(images, "float32")
    if images.ndim != 4:
        raise ValueError(
            "`images` must be (N, height, width, channels). "
            f"Received: images.shape={images.shape}"
        )
    hole_size = runtime.check_int("hole_size", hole_size, minimum=1)
    height, width = images.shape[1:3]
    if hole_size > min(height, width):
        raise ValueError(
            f"`hole_size` must be at most {min(height, width)}. "
            f"Received: hole_size={hole_size}"
        )
    rng = np.random.default_rng(seed)
    tops = rng.integers(0, height - hole_size + 1, size=len(images))
    lefts = rng.integers(0, width - hole_size + 1, size=len(images))
    rows = np.arange(height)[None, :, None]
    cols = np.arange(width)[None, None, :]
    inside = (
        (rows >= tops[:, None, None])
        & (rows < tops[:, None, None] + hole_size)
        & (cols >= lefts[:, None, None])
        & (cols < lefts[:, None, None] + hole_size)
    )
    mask = inside[..., None].astype("float32")
    masked = np.where(mask > 0, np.float32(fill_value), images)
    return masked.astype("float32"), mask


def make_inpainting_data(
    split="train",
    num_images=None,
    hole_size=12,
    pad_to=32,
    seed=0,
    return_mask=False,
    mask_channel=False,
):
    """Fashion-MNIST inpainting pairs: (masked, original) in [-1, 1].

    Fashion-MNIST 图像修复数据对：（被遮挡图像, 原图），范围 [-1, 1]。

    The hole is cut from the 28x28 garment, then both images are padded to
    ``pad_to`` (32 = divisible by 2**3 for a 3-level U-Net); ``pad_to=None``
    keeps 28x28 (use ``num_downsamples=2``). The hole is filled with 0 (mid
    grey), a value garments also contain; ``mask_channel=True`` therefore
    appends the mask as a second source channel (1 = hole, 0 = known), so
    the network is told which pixels to fill.

    Args:
        split: "train" or "test".
        num_images: keep the first ``num_images`` images (default all).
        hole_size: side of the square hole.
        pad_to: final size, or None.
        seed: int seed of the hole positions.
        return_mask: also return the (N, s, s, 1) hole mask (1 = hole).
        mask_channel: make the source (N, s, s, 2): the masked image, then
            the mask.

    Returns:
        (masked, original) float32 arrays of shape (N, s, s, 1) (masked:
        (N, s, s, 2) with ``mask_channel=True``), or (masked, original,
        mask) with ``return_mask=True``.
    """
    images, _ = load_fashion_mnist(split)
    if num_images is not None:
        num_images = runtime.check_int("num_images", num_images, minimum=1)
        images = images[:num_images]
    masked, mask = mask_random_squares(images, hole_size, seed=seed)
    if pad_to is not None:
        masked = course_images.pad_images(masked, pad_to)
        images = course_images.pad_images(images, pad_to)
        mask = course_images.pad_images(mask, pad_to, value=0.0)
    if mask_channel:
        masked = np.concatenate([masked, mask], axis=-1)
    if return_mask:
        return masked, images.astype("float32"), mask
    return masked, images.astype("float32")


def load_sr_images(names=SR_TRAIN_IMAGES + SR_TEST_IMAGES):
    """The photos used for super-resolution, by name, in [-1, 1].

    超分辨率使用的照片（按名称），范围 [-1, 1]。

    Returns:
        dict name -> (h, w, 3) float32 array (``images.load_sample_photo``).
    """
    return {name: course_images.load_sample_photo(name) for name in names}


def degrade(images, scale=4):
    """Downscale by ``scale`` (area average), then bicubic-upscale back.

    先按 ``scale`` 面积平均缩小，再用双三次插值放大回原尺寸。

    Returns (N, h, w, c) float32 clipped to [-1, 1]: the network input and
    the bicubic baseline at once.
    """
    import tensorflow as tf

    images = np.asarray(images, "float32")
    scale = runtime.check_int("scale", scale, minimum=1)
    height, width = images.shape[1:3]
    if height % scale or width % scale:
        raise ValueError(
            f"Image height and width must be divisible by `scale`. "
            f"Received: scale={scale} for images {images.shape}"
        )
    small = tf.image.resize(
        images, (height // scale, width // scale), method="area"
    )
    big = tf.image.resize(small, (height, width), method="bicubic")
    return np.clip(big.numpy(), -1.0, 1.0).astype("float32")


def make_super_resolution_data(
    split="train", num_crops=1024, crop_size=32, scale=4, min_std=0.05, seed=0
):
    """Super-resolution pairs from natural-image crops: (bicubic, sharp).

    由自然图像随机裁剪得到的超分辨率数据对：（双三次放大图, 清晰原图）。

    Crops of ``crop_size`` are cut at random from the training images
    ("train": astronaut, coffee, rocket, china, flower) or the held-out image
    ("test": chelsea, the cat), shrunk by ``scale`` and bicubic-upscaled
    back. The network therefore maps a blurry image to a sharp one of the
    same size (SRCNN-style pre-upsampling), so one U-Net serves both
    lessons and the bicubic input is the baseline to beat.

    Args:
        split: "train" or "test" (different source images: no leakage).
        num_crops: number of crops.
        crop_size: side of a crop, divisible by ``scale``.
        scale: downscaling factor.
        min_std: crops with a smaller standard deviation (flat sky, black
            background) are skipped.
        seed: int seed of the crop positions.

    Returns:
        (low, high): two (num_crops, crop_size, crop_size, 3) float32 arrays
        in [-1, 1].
    """
    if split not in ("train", "test"):
        raise ValueError(
            f"`split` must be 'train' or 'test'. Received: split={split!r}"
        )
    num_crops = runtime.check_int("num_crops", num_crops, minimum=1)
    crop_size = runtime.check_int("crop_size", crop_size, minimum=1)
    names = SR_TRAIN_IMAGES if split == "train" else SR_TEST_IMAGES
    sources = list(load_sr_images(names).values())
    rng = np.random.default_rng(seed)
    crops = course_images.random_crops(
        sources, num_crops, crop_size, rng, min_std=min_std
    )
    return degrade(crops, scale), crops


def make_unpaired_domains(class_a=7, class_b=9, split="train", num_images=None):
    """Two unpaired Fashion-MNIST domains (default Sneaker and Ankle boot).

    两个非成对的 Fashion-MNIST 域（默认：运动鞋与短靴）。

    Args:
        class_a: label of domain X (7 = Sneaker).
        class_b: label of domain Y (9 = Ankle boot).
        split: "train" or "test".
        num_images: keep at most this many images per domain.

    Returns:
        (images_a, images_b): (N_a, 28, 28, 1) and (N_b, 28, 28, 1) float32
        in [-1, 1]. No image of one domain has a partner in the other.
    """
    for name, value in (("class_a", class_a), ("class_b", class_b)):
        if not 0 <= int(value) <= 9:
            raise ValueError(
                f"`{name}` must be a label in 0..9. Received: {name}={value}"
            )
    if class_a == class_b:
        raise ValueError(
            "`class_a` and `class_b` must differ. "
            f"Received: class_a={class_a}, class_b={class_b}"
        )
    if num_images is not None:
        num_images = runtime.check_int("num_images", num_images, minimum=1)
    images, labels = load_fashion_mnist(split)
    domains = []
    for label in (class_a, class_b):
        chosen = images[labels == label]
        if num_images is not None:
            chosen = chosen[:num_images]
        domains.append(chosen)
    return tuple(domains)


def make_unpaired_dataset(images_a, images_b, batch_size=32, seed=None):
    """Zip two independently shuffled image sets into (x, y) batches.

    将两组各自打乱的图像打包成 (x, y) 批次（非成对）。

    Each domain goes through ``gancourse.data.make_dataset`` (so fast mode
    cuts it to a few batches); the zip stops at the shorter one.
    """
    import tensorflow as tf

    seed_b = None if seed is None else seed + 1
    return tf.data.Dataset.zip(
        (
            make_dataset(images_a, batch_size=batch_size, seed=seed),
            make_dataset(images_b, batch_size=batch_size, seed=seed_b),
        )
    )


def load_horse2zebra(split="train", image_size=64, num_images=None):
    """Load tfds ``cycle_gan/horse2zebra`` as two datasets in [-1, 1].

    通过 tensorflow_datasets 加载 horse2zebra（需要联网下载约 110 MB）。

    Needs ``pip install tensorflow-datasets`` and internet access on the
    first call (the course's offline default is ``make_unpaired_domains``).

    Args:
        split: "train" or "test" (tfds splits trainA/trainB, testA/testB).
        image_size: side the 256x256 photos are resized to.
        num_images: optional cap per domain.

    Returns:
        (horses, zebras): two unbatched ``tf.data.Dataset`` of (s, s, 3)
        float32 images.

    Raises:
        ImportError: if tensorflow_datasets is not installed.
        RuntimeError: if the download or loading fails (offline).
    """
    if split not in ("train", "test"):
        raise ValueError(
            f"`split` must be 'train' or 'test'. Received: split={split!r}"
        )
    try:
        import tensorflow_datasets as tfds
    except ImportError as error:
        raise ImportError(
            "load_horse2zebra needs tensorflow_datasets: run "
            "`pip install tensorflow-datasets` (需要先安装 "
            "tensorflow_datasets：pip install tensorflow-datasets)."
        ) from error
    import tensorflow as tf

    image_size = runtime.check_int("image_size", image_size, minimum=1)
    try:
        horses, zebras = tfds.load(
            "cycle_gan/horse2zebra",
            split=[f"{split}A", f"{split}B"],
            as_supervised=True,
        )
    except Exception as error:
        raise RuntimeError(
            "Could not download or load 'cycle_gan/horse2zebra' (no internet?"
            "). Use make_unpaired_domains() offline. (无法下载或加载 "
            "horse2zebra，可能处于离线状态；请改用 make_unpaired_domains()。)"
        ) from error

    def prepare(image, label):
        image = tf.image.resize(tf.cast(image, "float32"), (image_size,) * 2)
        return image / 127.5 - 1.0

    domains = []
    for dataset in (horses, zebras):
        dataset = dataset.map(prepare, num_parallel_calls=tf.data.AUTOTUNE)
        if num_images is not None:
            dataset = dataset.take(num_images)
        domains.append(dataset)
    return tuple(domains)

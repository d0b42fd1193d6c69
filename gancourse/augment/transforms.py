"""Differentiable transforms of DiffAugment and the ``DiffAugment`` callable.

DiffAugment 的可微变换，以及可调用的 ``DiffAugment`` 对象。

Transforms (DiffAugment's TensorFlow code; images NHWC, float, in [-1, 1]):

- "color": brightness x + (u - 0.5), saturation (x - mean_c) * 2u + mean_c
  (mean over channels: a no-op on grayscale), contrast
  (x - mean) * (u + 0.5) + mean (mean over the image); u ~ U[0, 1) per
  image. These may leave [-1, 1], as in DiffAugment;
- "translation": shift by up to ``ratio`` of the size, padding with
  ``fill_value``;
- "cutout": one square of side ``ratio`` of the size set to ``fill_value``,
  its centre anywhere in the image (it may be cut by the border).

``fill_value`` 0 (DiffAugment's choice, mid-grey in [-1, 1]) or -1 (the
black background of MNIST-like data). Every random function draws once
per call with ``seed``: a ``keras.random.SeedGenerator`` gives new draws on
each call and works inside ``tf.function``; an int gives the same draws on
every call; None uses Keras' global generator.
"""

import keras
from keras import ops

from gancourse import runtime

# 策略名 -> 变换名（顺序同 DiffAugment）/ Policy -> transforms, in
# DiffAugment's order.
POLICIES = {
    "color": ("brightness", "saturation", "contrast"),
    "translation": ("translation",),
    "cutout": ("cutout",),
}
DEFAULT_POLICY = "color,translation,cutout"


def parse_policy(policy):
    """Return the policy names as a tuple, checked against ``POLICIES``.

    解析增强策略（逗号分隔的字符串或名称列表），返回名称元组。

    >>> parse_policy("color, translation")
    ('color', 'translation')
    """
    if isinstance(policy, str):
        policy = [name.strip() for name in policy.split(",") if name.strip()]
    elif not isinstance(policy, (list, tuple)):
        raise TypeError(
            "`policy` must be a comma-separated string or a list of names. "
            f"Received: policy={policy!r}"
        )
    unknown = [name for name in policy if name not in POLICIES]
    if unknown:
        raise ValueError(
            f"`policy` names must be in {sorted(POLICIES)}. "
            f"Received: policy={policy!r}"
        )
    return tuple(policy)


def check_probability(probability, name="probability"):
    """Return a Python number as a float in [0, 1]; pass tensors through.

    检查概率参数：Python 数值必须在 [0, 1] 之间；张量/变量原样返回。
    """
    if isinstance(probability, bool):
        raise TypeError(f"`{name}` must be a number. Received: {probability}")
    if isinstance(probability, (int, float)):
        if not 0.0 <= float(probability) <= 1.0:
            raise ValueError(
                f"`{name}` must be in [0, 1]. Received: {name}={probability}"
            )
        return float(probability)
    return probability


def _image_size(images):
    """(height, width) of an NHWC float batch; they must be static."""
    dtype = keras.backend.standardize_dtype(images.dtype)
    shape = tuple(images.shape)
    if len(shape) != 4 or None in shape[1:3] or "float" not in dtype:
        raise ValueError(
            "`images` must be a float batch (batch, height, width, channels) "
            f"with a known height and width. Received: shape {shape}, "
            f"dtype {dtype}"
        )
    return int(shape[1]), int(shape[2])


def _seeds(seed):
    """One seed per random draw: the generator itself, or seed, seed + 1..."""
    count = 0
    while True:
        if seed is None or isinstance(seed, keras.random.SeedGenerator):
            yield seed
        else:
            yield runtime.check_int("seed", seed, minimum=0) + count
        count += 1


def _per_image(images, columns, seed):
    """U[0, 1) draws of shape (batch, columns) in float32."""
    shape = (ops.shape(images)[0], columns)
    return keras.random.uniform(shape, seed=seed)


def translate(images, shifts, fill_value=0.0):
    """Shift each image by whole pixels, filling the uncovered border.

    按整数像素平移每张图像，空出的边用 ``fill_value`` 填充。

    ``out[b, i, j] = images[b, i - dy, j - dx]`` where that pixel exists,
    else ``fill_value``: positive shifts move the content down and right.

    Args:
        images: float tensor (batch, height, width, channels).
        shifts: int tensor (batch, 2) of (dy, dx).
        fill_value: value of the uncovered pixels.

    Returns:
        Tensor like ``images``; differentiable with respect to ``images``.

    >>> import numpy as np
    >>> image = np.arange(9, dtype="float32").reshape(1, 3, 3, 1)
    >>> out = translate(image, np.array([[1, 0]]), fill_value=-1.0)
    >>> ops.convert_to_numpy(out)[0, :, :, 0].tolist()
    [[-1.0, -1.0, -1.0], [0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]
    """
    height, width = _image_size(images)
    shifts = ops.cast(shifts, "int32")
    pad = [[0, 0], [1, 1], [1, 1], [0, 0]]
    # 越界的索引落到填充的边上 / Out-of-range indices land on the padding.
    padded = ops.pad(images, pad, constant_values=fill_value)
    rows = ops.arange(height, dtype="int32")[None] - shifts[:, :1] + 1
    cols = ops.arange(width, dtype="int32")[None] - shifts[:, 1:] + 1
    rows = ops.clip(rows, 0, height + 1)[:, :, None, None]
    cols = ops.clip(cols, 0, width + 1)[:, None, :, None]
    out = ops.take_along_axis(padded, rows, axis=1)
    return ops.take_along_axis(out, cols, axis=2)


def cutout(images, corners, size, fill_value=0.0):
    """Set one (size_h, size_w) rectangle per image to ``fill_value``.

    把每张图像中的一个矩形区域设为 ``fill_value``（遮挡）。

    Args:
        images: float tensor (batch, height, width, channels).
        corners: int tensor (batch, 2), the (row, column) of each
            rectangle's top-left corner; it may lie outside the image, then
            only the part inside is cut.
        size: (size_h, size_w) ints.
        fill_value: the value of the cut pixels.

    Returns:
        Tensor like ``images``; its gradient is 0 inside the rectangles.
    """
    height, width = _image_size(images)
    corners = ops.cast(corners, "int32")
    rows = ops.arange(height, dtype="int32")[None]
    cols = ops.arange(width, dtype="int32")[None]
    top, left = corners[:, :1], corners[:, 1:]
    inside_rows = ops.logical_and(rows >= top, rows < top + size[0])
    inside_cols = ops.logical_and(cols >= left, cols < left + size[1])
    mask = ops.logical_and(inside_rows[:, :, None], inside_cols[:, None, :])
    fill = ops.cast(fill_value, images.dtype)
    return ops.where(mask[..., None], fill, images)


def random_brightness(images, seed=None):
    """Add u - 0.5 to each image, u ~ U[0, 1) (DiffAugment's brightness).

    随机亮度：每张图像加上 u - 0.5。
    """
    _image_size(images)
    magnitude = _per_image(images, 1, seed)[:, :, None, None] - 0.5
    return images + ops.cast(magnitude, images.dtype)


def random_saturation(images, seed=None):
    """Scale each image's distance to its channel mean by 2u, u ~ U[0, 1).

    随机饱和度：按 2u 缩放到通道均值的偏离（灰度图像不变）。
    """
    _image_size(images)
    magnitude = ops.cast(_per_image(images, 1, seed) * 2.0, images.dtype)
    mean = ops.mean(images, axis=3, keepdims=True)
    return (images - mean) * magnitude[:, :, None, None] + mean


def random_contrast(images, seed=None):
    """Scale each image's distance to its mean by u + 0.5, u ~ U[0, 1).

    随机对比度：按 u + 0.5 缩放到整幅图像均值的偏离。
    """
    _image_size(images)
    magnitude = ops.cast(_per_image(images, 1, seed) + 0.5, images.dtype)
    mean = ops.mean(images, axis=(1, 2, 3), keepdims=True)
    return (images - mean) * magnitude[:, :, None, None] + mean


def max_shift(images, ratio=0.125):
    """(dy, dx) bounds of ``random_translation``: floor(size * ratio).

    随机平移的最大像素数（每个方向）。
    """
    height, width = _image_size(images)
    return int(height * ratio), int(width * ratio)


def cutout_size(images, ratio=0.5):
    """(size_h, size_w) of ``random_cutout``: floor(size * ratio), >= 1.

    随机遮挡的方块边长。
    """
    height, width = _image_size(images)
    return max(1, int(height * ratio)), max(1, int(width * ratio))


def random_translation(images, ratio=0.125, fill_value=0.0, seed=None):
    """Shift each image by integers in [-floor(ratio * size), +floor(...)].

    随机平移：每个方向最多移动尺寸的 ``ratio``，空出的边用 ``fill_value``。
    """
    bounds = ops.convert_to_tensor(max_shift(images, ratio), "float32")
    draws = _per_image(images, 2, seed)
    shifts = ops.floor(draws * (2.0 * bounds + 1.0)) - bounds
    return translate(images, ops.cast(shifts, "int32"), fill_value)


def random_cutout(images, ratio=0.5, fill_value=0.0, seed=None):
    """Cut one square of side floor(ratio * size) per image (DiffAugment).

    随机遮挡：每张图像中一个边长为尺寸 ``ratio`` 的方块设为 ``fill_value``。

    The centre is uniform over 0..size (0..size - 1 for an odd side), so
    the square may be cut by the border.
    """
    height, width = _image_size(images)
    size = cutout_size(images, ratio)
    limits = [height + 1 - size[0] % 2, width + 1 - size[1] % 2]
    limits = ops.convert_to_tensor(limits, "float32")
    centres = ops.floor(_per_image(images, 2, seed) * limits)
    half = ops.convert_to_tensor([size[0] // 2, size[1] // 2], "int32")
    corners = ops.cast(centres, "int32") - half
    return cutout(images, corners, size, fill_value)


def diff_augment(
    images,
    policy=DEFAULT_POLICY,
    probability=1.0,
    seed=None,
    translation_ratio=0.125,
    cutout_ratio=0.5,
    fill_value=0.0,
):
    """Apply the policy's transforms, each to each image with ``probability``.

    可微数据增强：每个变换以 ``probability`` 的概率作用于每张图像。

    For each transform (in DiffAugment's order) and each image an
    independent u ~ U[0, 1) decides: the image is transformed when
    u < probability. So probability 1 is DiffAugment, probability 0 is the
    identity, and anything between is ADA's p. Every step is a
    differentiable function of ``images``.

    Args:
        images: float tensor (batch, height, width, channels) in [-1, 1].
        policy: comma-separated names from ``POLICIES`` (or a list).
        probability: float in [0, 1] or a scalar tensor / variable.
        seed: ``keras.random.SeedGenerator``, int or None (see the module).
        translation_ratio: largest shift as a fraction of the size.
        cutout_ratio: side of the cut square as a fraction of the size.
        fill_value: value of translated-in and cut-out pixels.

    Returns:
        Tensor like ``images``.

    Example::

        seed_generator = keras.random.SeedGenerator(0)
        augmented = diff_augment(images, "translation,cutout",
                                 seed=seed_generator)
    """
    transforms = {
        "brightness": random_brightness,
        "saturation": random_saturation,
        "contrast": random_contrast,
        "translation": lambda x, seed: random_translation(
            x, translation_ratio, fill_value, seed
        ),
        "cutout": lambda x, seed: random_cutout(
            x, cutout_ratio, fill_value, seed
        ),
    }
    probability = check_probability(probability)
    _image_size(images)
    seeds = _seeds(seed)
    for name in parse_policy(policy):
        for transform in POLICIES[name]:
            chosen = _per_image(images, 1, next(seeds)) < probability
            augmented = transforms[transform](images, seed=next(seeds))
            images = ops.where(chosen[:, :, None, None], augmented, images)
    return images


class DiffAugment:
    """A DiffAugment policy as a callable, with its own ``SeedGenerator``.

    可调用的 DiffAugment 增强对象（自带 ``SeedGenerator``）。

    Pass it as ``augment=`` to ``GAN``, ``ConditionalGAN`` or ``WGANGP``:
    they call it on real and fake images before the discriminator, with
    the model's own seed generator (saved in checkpoints). Called alone,
    it uses its own.

    Args:
        policy, translation_ratio, cutout_ratio, fill_value: as
            ``diff_augment``.
        probability: float in [0, 1] (1 for DiffAugment).
        seed: int seed of its ``keras.random.SeedGenerator``.

    Example::

        gan = GAN(generator, discriminator,
                  augment=DiffAugment("color,translation,cutout"))
    """

    def __init__(
        self,
        policy=DEFAULT_POLICY,
        probability=1.0,
        translation_ratio=0.125,
        cutout_ratio=0.5,
        fill_value=0.0,
        seed=None,
    ):
        self.policy = parse_policy(policy)
        self.probability = check_probability(probability)
        self.translation_ratio = float(translation_ratio)
        self.cutout_ratio = float(cutout_ratio)
        self.fill_value = float(fill_value)
        self.seed_generator = keras.random.SeedGenerator(seed)

    def __call__(self, images, seed=None):
        """Augment ``images``; ``seed`` overrides the own seed generator."""
        return diff_augment(
            images,
            self.policy,
            probability=self.probability,
            seed=self.seed_generator if seed is None else seed,
            translation_ratio=self.translation_ratio,
            cutout_ratio=self.cutout_ratio,
            fill_value=self.fill_value,
        )

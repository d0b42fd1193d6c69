"""Image-to-image translation with paired data: pix2pix.

成对数据的图像到图像翻译：pix2pix。

Models: a U-Net generator and a PatchGAN discriminator (Isola et al., 2017,
https://arxiv.org/abs/1611.07004). Training: ``Pix2Pix``, a ``keras.Model``
subclass trained with ``fit()`` like ``gancourse.gans.GAN``. Data: inpainting
and super-resolution pairs, all offline. Unpaired translation (CycleGAN) is in
``gancourse.cyclegan``; custom layers in ``gancourse.layers``.
"""

import keras
import numpy as np
from keras import layers
from keras import ops

from gancourse import data
from gancourse import layers as course_layers
from gancourse import losses
from gancourse import runtime
from gancourse.gans import CappedFitMixin
from gancourse.gans import _replica_scale
from gancourse.gans import loss_scaled
from gancourse.models import check_image_shape

SR_TRAIN_IMAGES = ("astronaut", "coffee", "rocket", "china", "flower")

SR_TEST_IMAGES = ("chelsea",)


def _check_downsamples(image_shape, num_downsamples, name="image_shape"):
    num_downsamples = runtime._positive_int("num_downsamples", num_downsamples)
    shape = check_image_shape(image_shape, 2**num_downsamples, name=name)
    return shape, num_downsamples


def make_unet_generator(
    image_shape=(32, 32, 1),
    output_channels=None,
    base_filters=32,
    num_downsamples=3,
    norm="batch",
    residual=False,
    name="unet_generator",
):
    """The pix2pix U-Net generator: encoder-decoder with skip connections.

    pix2pix 的 U-Net 生成器：带跳跃连接的编码器-解码器。

    Isola et al., 2017, https://arxiv.org/abs/1611.07004;
    Ronneberger et al., 2015, https://arxiv.org/abs/1505.04597.
    down_i = LeakyReLU(norm(Conv2D(f_i, 4, stride 2)(down_{i-1}))),
    f_i = min(base_filters * 2**i, 8 * base_filters), no norm on down_1;
    up_i = concat(ReLU(norm(Conv2DTranspose(f, 4, stride 2)(up_{i+1}))),
    down_i); output = tanh(Conv2DTranspose(channels, 4, stride 2)(up_1)).
    The skips carry fine detail straight to the decoder, so the bottleneck
    only has to encode what changes. With ``residual=True`` the network
    predicts a correction instead (VDSR, Kim et al., 2016,
    https://arxiv.org/abs/1511.04587): output = clip(source + tanh(...),
    -1, 1), still in [-1, 1]; the last kernel starts at zero, so training
    starts from the identity, which suits super-resolution where the input
    is already almost right.

    Args:
        image_shape: (height, width, channels) of the source image; height
            and width divisible by 2**num_downsamples.
        output_channels: channels of the output (default: the input's).
        base_filters: filters of the first block.
        num_downsamples: number of stride-2 blocks (bottleneck size is
            height / 2**num_downsamples).
        norm: "batch" (pix2pix), "instance" or None.
        residual: add the source to the output (needs ``output_channels``
            equal to the input channels).
        name: model name.

    Returns:
        keras.Model mapping (batch, h, w, c) to (batch, h, w,
        output_channels) in [-1, 1].

    Raises:
        ValueError: for a bad ``image_shape``, ``norm`` or sizes.
    """
    shape, num_downsamples = _check_downsamples(image_shape, num_downsamples)
    base_filters = runtime._positive_int("base_filters", base_filters)
    channels = shape[-1] if output_channels is None else output_channels
    channels = runtime._positive_int("output_channels", channels)
    course_layers.check_norm(norm)
    if residual and channels != shape[-1]:
        raise ValueError(
            "`residual=True` needs as many output channels as input channels "
            f"({shape[-1]}). Received: output_channels={output_channels}"
        )
    inputs = keras.Input(shape=shape, name="source")
    x = inputs
    skips = []
    for index in range(num_downsamples):
        filters = min(base_filters * 2**index, 8 * base_filters)
        x = layers.Conv2D(filters, 4, strides=2, padding="same")(x)
        if index > 0 and norm:
            x = course_layers.normalization(norm)(x)
        x = layers.LeakyReLU(0.2)(x)
        skips.append(x)
    # 瓶颈之后逐级上采样并拼接对应的编码器特征 / Decode, joining each skip.
    for index in reversed(range(num_downsamples - 1)):
        filters = min(base_filters * 2**index, 8 * base_filters)
        x = layers.Conv2DTranspose(filters, 4, strides=2, padding="same")(x)
        if norm:
            x = course_layers.normalization(norm)(x)
        x = layers.ReLU()(x)
        x = layers.Concatenate()([x, skips[index]])
    outputs = layers.Conv2DTranspose(
        channels,
        4,
        strides=2,
        padding="same",
        activation="tanh",
        # 残差模式从零修正开始，即从输入本身出发 / A zero start: the
        # residual model begins as the identity (the bicubic input).
        kernel_initializer="zeros" if residual else "glorot_uniform",
        dtype="float32",
        name="translated" if not residual else "correction",
    )(x)
    if residual:
        outputs = course_layers.AddAndClip(name="residual")([inputs, outputs])
    return keras.Model(inputs, outputs, name=name)


def patchgan_receptive_field(num_downsamples=3, kernel_size=4):
    """Side of the input patch that one PatchGAN logit sees.

    PatchGAN 每个 logit 对应的输入区域（感受野）边长。

    Walk back from one output pixel: r = 1, then r = (r - 1) * stride + k for
    the two stride-1 layers and the ``num_downsamples`` stride-2 layers.
    ``num_downsamples=3`` gives pix2pix's 70x70 PatchGAN.
    """
    num_downsamples = runtime._positive_int("num_downsamples", num_downsamples)
    field = 1
    for stride in (1, 1) + (2,) * num_downsamples:
        field = (field - 1) * stride + kernel_size
    return field


def make_patchgan_discriminator(
    input_shape=(32, 32, 1),
    target_shape=None,
    base_filters=32,
    num_downsamples=2,
    norm="instance",
    name="patchgan_discriminator",
):
    """A PatchGAN discriminator: one real/fake logit per image patch.

    PatchGAN 判别器：对每个图像块输出一个真/假 logit。

    Isola et al., 2017, https://arxiv.org/abs/1611.07004 (section 3.2.2).
    x = concat(source, target) if conditional else image;
    x = LeakyReLU(norm(Conv2D(f * 2**i, 4, stride 2)(x))) for i < n (no norm
    at i = 0); x = LeakyReLU(norm(Conv2D(f * 2**n, 4, stride 1)(x)));
    logits = Conv2D(1, 4, stride 1)(x). Each logit sees a
    ``patchgan_receptive_field(n)`` square of the input, so D judges local
    texture and leaves global structure to the L1/cycle loss.

    Args:
        input_shape: (height, width, channels) of the (source) image; height
            and width divisible by 2**num_downsamples.
        target_shape: None for an unconditional D (CycleGAN), or the target
            image shape for a conditional D (pix2pix) with inputs
            [source, target]; same height and width as ``input_shape``.
        base_filters: filters of the first layer.
        num_downsamples: number of stride-2 layers.
        norm: "instance", "batch" or None.
        name: model name.

    Returns:
        keras.Model mapping images (or [source, target]) to logits of shape
        (batch, h / 2**n, w / 2**n, 1).

    Raises:
        ValueError: for bad shapes, sizes or ``norm``.
    """
    shape, num_downsamples = _check_downsamples(
        input_shape, num_downsamples, name="input_shape"
    )
    base_filters = runtime._positive_int("base_filters", base_filters)
    course_layers.check_norm(norm)
    inputs = [keras.Input(shape=shape, name="source")]
    x = inputs[0]
    if target_shape is not None:
        target = check_image_shape(target_shape, name="target_shape")
        if target[:2] != shape[:2]:
            raise ValueError(
                "`target_shape` must have the height and width of "
                f"`input_shape` {shape[:2]}. Received: "
                f"target_shape={target_shape!r}"
            )
        inputs.append(keras.Input(shape=target, name="target"))
        x = layers.Concatenate()(inputs)
    for index in range(num_downsamples + 1):
        strides = 2 if index < num_downsamples else 1
        x = layers.Conv2D(
            base_filters * 2**index, 4, strides=strides, padding="same"
        )(x)
        if index > 0 and norm:
            x = course_layers.normalization(norm)(x)
        x = layers.LeakyReLU(0.2)(x)
    outputs = layers.Conv2D(1, 4, padding="same", dtype="float32")(x)
    return keras.Model(
        inputs if target_shape else inputs[0], outputs, name=name
    )


def _check_optimizers(**optimizers):
    seen = []
    for name, optimizer in optimizers.items():
        if not isinstance(optimizer, keras.optimizers.Optimizer):
            raise ValueError(
                f"`{name}` must be a keras.optimizers.Optimizer instance. "
                f"Received: {name}={optimizer!r}"
            )
        if any(optimizer is other for other in seen):
            raise ValueError(
                "Each network needs its own optimizer object. Received: "
                f"`{name}` is used twice"
            )
        seen.append(optimizer)


def _build_optimizers(model, pairs):
    """Create optimizer slots now, so checkpoints restore into a new model.

    ``BackupAndRestore`` and ``load_weights`` skip optimizers without
    variables; the sub-networks are functional and already built.
    """
    for optimizer, network in pairs:
        if not optimizer.built:
            optimizer.build(network.trainable_variables)
    model.built = True


def _tape(persistent=False):
    import tensorflow as tf

    return tf.GradientTape(persistent=persistent)


def _apply(tape, loss, optimizer, model):
    weights = model.trainable_weights
    optimizer.apply(tape.gradient(loss, weights), weights)


def _unpack_pair(data):
    """Return (source, target) from a (source, target) batch."""
    source, target = data, None
    if isinstance(data, (tuple, list)):
        source, target, _ = keras.utils.unpack_x_y_sample_weight(tuple(data))
    if target is None and isinstance(source, (tuple, list)):
        if len(source) == 2:
            source, target = source
    if target is not None:
        return ops.convert_to_tensor(source), ops.convert_to_tensor(target)
    raise ValueError(
        "Each batch must be a (source, target) pair of image batches. "
        f"Received: {type(data)}"
    )


class Pix2Pix(CappedFitMixin, keras.Model):
    """pix2pix: a conditional GAN with an L1 term, on paired images.

    pix2pix：带 L1 项的条件 GAN，用于成对图像。

    Isola et al., 2017, https://arxiv.org/abs/1611.07004.
    d_loss = BCE(D(s, t), 1) + BCE(D(s, G(s)), 0);
    g_loss = BCE(D(s, G(s)), 1) + lambda_l1 * mean|t - G(s)|.
    The L1 term gets the low frequencies right; the PatchGAN term makes the
    local texture sharp instead of the blurry average L1 alone prefers.

    Args:
        generator: keras.Model mapping sources to targets (e.g. U-Net).
        discriminator: conditional keras.Model taking [source, target] and
            returning logits (e.g. a PatchGAN with ``target_shape``).
        lambda_l1: weight of the L1 term (100 in the paper).

    Example:
        >>> model = Pix2Pix(make_unet_generator((32, 32, 1)),
        ...                 make_patchgan_discriminator((32, 32, 1),
        ...                                             (32, 32, 1)))
        >>> model.compile(keras.optimizers.Adam(2e-4, beta_1=0.5),
        ...               keras.optimizers.Adam(2e-4, beta_1=0.5))
        >>> history = model.fit(pairs, epochs=5)  # doctest: +SKIP
    """

    def __init__(self, generator, discriminator, lambda_l1=100.0, **kwargs):
        super().__init__(**kwargs)
        if len(discriminator.inputs) != 2:
            raise ValueError(
                "`discriminator` must be conditional: inputs [source, "
                f"target]. Received: {len(discriminator.inputs)} input(s)"
            )
        g_out = tuple(generator.outputs[0].shape[1:])
        d_target = tuple(discriminator.inputs[1].shape[1:])
        if g_out != d_target:
            raise ValueError(
                "The generator's output shape must equal the discriminator's "
                f"target input shape {d_target}. Received: {g_out}"
            )
        if float(lambda_l1) < 0:
            raise ValueError(
                f"`lambda_l1` must be >= 0. Received: lambda_l1={lambda_l1}"
            )
        self.generator = generator
        self.discriminator = discriminator
        self.lambda_l1 = float(lambda_l1)
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.l1_tracker = keras.metrics.Mean(name="l1")

    def compile(self, g_optimizer, d_optimizer, **kwargs):
        """Set the two optimizers; ``kwargs`` go to ``keras.Model.compile``.

        设置两个优化器；其余参数传给 ``keras.Model.compile``。
        """
        _check_optimizers(g_optimizer=g_optimizer, d_optimizer=d_optimizer)
        # 不要 Keras 默认的 rmsprop：它不训练任何网络，却会进入检查点 /
        # No default rmsprop: it trains nothing but would enter checkpoints.
        kwargs.setdefault("optimizer", None)
        super().compile(**kwargs)
        # mixed_float16 需要损失缩放 / mixed_float16 needs loss scaling.
        self.g_optimizer = loss_scaled(g_optimizer, self, self.generator)
        self.d_optimizer = loss_scaled(d_optimizer, self, self.discriminator)
        _build_optimizers(
            self,
            (
                (self.g_optimizer, self.generator),
                (self.d_optimizer, self.discriminator),
            ),
        )

    @property
    def metrics(self):
        return [self.g_loss_tracker, self.d_loss_tracker, self.l1_tracker]

    def call(self, source, training=False):
        return self.generator(source, training=training)

    def train_step(self, data):
        source, target = _unpack_pair(data)

        # 1. 更新判别器：真实对 vs 生成对 / Update D: real pairs vs fakes.
        fake = self.generator(source, training=True)
        with _tape() as tape:
            real_logits = self.discriminator([source, target], training=True)
            fake_logits = self.discriminator([source, fake], training=True)
            d_loss = losses.non_saturating_discriminator_loss(
                real_logits, fake_logits
            )
            scaled = self.d_optimizer.scale_loss(_replica_scale(d_loss))
        _apply(tape, scaled, self.d_optimizer, self.discriminator)

        # 2. 更新生成器：对抗项 + L1 / Update G: adversarial + L1.
        with _tape() as tape:
            fake = self.generator(source, training=True)
            fake_logits = self.discriminator([source, fake], training=True)
            l1 = ops.mean(
                ops.abs(ops.cast(target, "float32") - ops.cast(fake, "float32"))
            )
            g_loss = (
                losses.non_saturating_generator_loss(fake_logits)
                + self.lambda_l1 * l1
            )
            scaled = self.g_optimizer.scale_loss(_replica_scale(g_loss))
        _apply(tape, scaled, self.g_optimizer, self.generator)

        # 3. 记录指标 / Report metrics.
        self.g_loss_tracker.update_state(g_loss)
        self.d_loss_tracker.update_state(d_loss)
        self.l1_tracker.update_state(l1)
        return {m.name: m.result() for m in self.metrics}


def _rng(seed):
    return np.random.default_rng(seed)


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
    hole_size = runtime._positive_int("hole_size", hole_size)
    height, width = images.shape[1:3]
    if hole_size > min(height, width):
        raise ValueError(
            f"`hole_size` must be at most {min(height, width)}. "
            f"Received: hole_size={hole_size}"
        )
    rng = _rng(seed)
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
):
    """Fashion-MNIST inpainting pairs: (masked, original) in [-1, 1].

    Fashion-MNIST 图像修复数据对：（被遮挡图像, 原图），范围 [-1, 1]。

    The hole is cut from the 28x28 garment, then both images are padded to
    ``pad_to`` (32 = divisible by 2**3 for a 3-level U-Net); ``pad_to=None``
    keeps 28x28 (use ``num_downsamples=2``).

    Args:
        split: "train" or "test".
        num_images: keep the first ``num_images`` images (default all).
        hole_size: side of the square hole.
        pad_to: final size, or None.
        seed: int seed of the hole positions.
        return_mask: also return the (N, s, s, 1) hole mask (1 = hole).

    Returns:
        (masked, original) two (N, s, s, 1) float32 arrays, or
        (masked, original, mask) with ``return_mask=True``.
    """
    images, _ = data.load_fashion_mnist(split)
    if num_images is not None:
        images = images[: runtime._positive_int("num_images", num_images)]
    masked, mask = mask_random_squares(images, hole_size, seed=seed)
    if pad_to is not None:
        masked, images = pad_images(masked, pad_to), pad_images(images, pad_to)
        mask = pad_images(mask, pad_to, value=0.0)
    if return_mask:
        return masked, images.astype("float32"), mask
    return masked, images.astype("float32")


def load_sr_images(names=SR_TRAIN_IMAGES + SR_TEST_IMAGES):
    """The offline natural images used for super-resolution, in [-1, 1].

    用于超分辨率的离线自然图像，范围 [-1, 1]。

    "astronaut", "coffee", "chelsea", "rocket" come with scikit-image
    (``skimage.data``); "china" and "flower" with scikit-learn
    (``load_sample_image``).

    Returns:
        dict name -> (h, w, 3) float32 array.
    """
    images = {}
    for name in names:
        if name in ("china", "flower"):
            from sklearn.datasets import load_sample_image

            image = load_sample_image(f"{name}.jpg")
        elif name in ("astronaut", "coffee", "chelsea", "rocket"):
            import skimage.data

            image = getattr(skimage.data, name)()
        else:
            raise ValueError(
                "Unknown image name: expected one of "
                f"{list(SR_TRAIN_IMAGES + SR_TEST_IMAGES)}. Received: {name!r}"
            )
        images[name] = np.asarray(image[..., :3], "float32") / 127.5 - 1.0
    return images


def degrade(images, scale=4):
    """Downscale by ``scale`` (area average), then bicubic-upscale back.

    先按 ``scale`` 面积平均缩小，再用双三次插值放大回原尺寸。

    Returns (N, h, w, c) float32 clipped to [-1, 1]: the network input and
    the bicubic baseline at once.
    """
    import tensorflow as tf

    images = np.asarray(images, "float32")
    scale = runtime._positive_int("scale", scale)
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
    num_crops = runtime._positive_int("num_crops", num_crops)
    crop_size = runtime._positive_int("crop_size", crop_size)
    names = SR_TRAIN_IMAGES if split == "train" else SR_TEST_IMAGES
    sources = list(load_sr_images(names).values())
    if crop_size > min(min(image.shape[:2]) for image in sources):
        raise ValueError(
            "`crop_size` must fit in every source image. "
            f"Received: crop_size={crop_size}"
        )
    rng = _rng(seed)
    crops = np.empty((num_crops, crop_size, crop_size, 3), "float32")
    index = 0
    while index < num_crops:
        image = sources[rng.integers(len(sources))]
        top = rng.integers(0, image.shape[0] - crop_size + 1)
        left = rng.integers(0, image.shape[1] - crop_size + 1)
        crop = image[top : top + crop_size, left : left + crop_size]
        # 跳过几乎纯色的块（无可恢复细节）/ Skip flat crops: nothing to
        # recover there, and their PSNR is infinite.
        if crop.std() >= min_std:
            crops[index] = crop
            index += 1
    return degrade(crops, scale), crops


def image_quality(predicted, target):
    """Mean PSNR (dB) and SSIM of images in [-1, 1] (``max_val=2``).

    计算 [-1, 1] 范围图像的平均 PSNR（dB）与 SSIM。

    Uses ``tf.image.psnr`` and ``tf.image.ssim`` (11x11 Gaussian window, so
    images must be at least 11x11).

    Returns:
        dict with float "psnr" and "ssim".
    """
    import tensorflow as tf

    predicted = tf.convert_to_tensor(predicted, "float32")
    target = tf.convert_to_tensor(target, "float32")
    if predicted.shape != target.shape:
        raise ValueError(
            "`predicted` and `target` must have one shape. Received: "
            f"{tuple(predicted.shape)} and {tuple(target.shape)}"
        )
    return {
        "psnr": float(tf.reduce_mean(tf.image.psnr(predicted, target, 2.0))),
        "ssim": float(tf.reduce_mean(tf.image.ssim(predicted, target, 2.0))),
    }

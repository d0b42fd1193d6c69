"""Unpaired image-to-image translation: CycleGAN.

非成对的图像到图像翻译：CycleGAN。

Zhu et al., 2017, https://arxiv.org/abs/1703.10593: two generators G: X -> Y
and F: Y -> X with reflection padding and instance normalisation, two
PatchGAN discriminators (``gancourse.image_to_image``), least-squares
adversarial losses plus cycle-consistency and identity losses. Data: two
unpaired Fashion-MNIST domains offline; ``load_horse2zebra`` needs
tensorflow_datasets and the network.
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
from gancourse.image_to_image import _apply
from gancourse.image_to_image import _build_optimizers
from gancourse.image_to_image import _check_downsamples
from gancourse.image_to_image import _check_optimizers
from gancourse.image_to_image import _tape
from gancourse.image_to_image import _unpack_pair


def _residual_block(x, filters, norm):
    shortcut = x
    for index in range(2):
        x = course_layers.ReflectionPadding2D(1)(x)
        x = layers.Conv2D(filters, 3, use_bias=norm is None)(x)
        if norm:
            x = course_layers.normalization(norm)(x)
        if index == 0:
            x = layers.ReLU()(x)
    return layers.Add()([shortcut, x])


def make_resnet_generator(
    image_shape=(32, 32, 1),
    base_filters=32,
    num_downsamples=2,
    num_residual_blocks=6,
    norm="instance",
    name="resnet_generator",
):
    """The CycleGAN ResNet generator (Johnson et al. style transfer network).

    CycleGAN 的 ResNet 生成器（Johnson 等人的风格迁移网络结构）。

    Zhu et al., 2017, https://arxiv.org/abs/1703.10593; Johnson et al., 2016,
    https://arxiv.org/abs/1603.08155.
    c7s1-f -> d(2f) -> d(4f) -> R(4f) x num_residual_blocks -> u(2f) -> u(f)
    -> c7s1-channels -> tanh, where c7s1 is a 7x7 convolution after
    reflection padding, d a stride-2 3x3 convolution, u a stride-2 transposed
    convolution, R(x) = x + conv(relu(conv(x))); every convolution is followed
    by instance norm and ReLU.

    Args:
        image_shape: (height, width, channels), height and width divisible
            by 2**num_downsamples.
        base_filters: f above.
        num_downsamples: number of stride-2 blocks (and upsampling blocks).
        num_residual_blocks: residual blocks at the lowest resolution.
        norm: "instance" (CycleGAN), "batch" or None.
        name: model name.

    Returns:
        keras.Model mapping images to images of the same shape in [-1, 1].

    Raises:
        ValueError: for a bad ``image_shape``, ``norm`` or sizes.
    """
    shape, num_downsamples = _check_downsamples(image_shape, num_downsamples)
    base_filters = runtime._positive_int("base_filters", base_filters)
    num_residual_blocks = runtime._positive_int(
        "num_residual_blocks", num_residual_blocks
    )
    course_layers.check_norm(norm)
    if min(shape[:2]) < 4:
        raise ValueError(
            "`image_shape` must be at least 4x4 for the 7x7 reflection "
            f"padding. Received: image_shape={image_shape!r}"
        )

    def norm_relu(x):
        if norm:
            x = course_layers.normalization(norm)(x)
        return layers.ReLU()(x)

    inputs = keras.Input(shape=shape, name="source")
    x = course_layers.ReflectionPadding2D(3)(inputs)
    x = norm_relu(layers.Conv2D(base_filters, 7)(x))
    filters = base_filters
    for _ in range(num_downsamples):
        filters *= 2
        x = layers.Conv2D(filters, 3, strides=2, padding="same")(x)
        x = norm_relu(x)
    for _ in range(num_residual_blocks):
        x = _residual_block(x, filters, norm)
    for _ in range(num_downsamples):
        filters //= 2
        x = layers.Conv2DTranspose(filters, 3, strides=2, padding="same")(x)
        x = norm_relu(x)
    x = course_layers.ReflectionPadding2D(3)(x)
    outputs = layers.Conv2D(
        shape[-1], 7, activation="tanh", dtype="float32", name="translated"
    )(x)
    return keras.Model(inputs, outputs, name=name)


class CycleGAN(CappedFitMixin, keras.Model):
    """CycleGAN: two generators and two discriminators on unpaired domains.

    CycleGAN：在两个非成对域上训练的两个生成器与两个判别器。

    Zhu et al., 2017, https://arxiv.org/abs/1703.10593.
    G: X -> Y, F: Y -> X, D_Y judges G(x), D_X judges F(y).
    gen_loss = LS_G(D_Y(G(x))) + LS_G(D_X(F(y)))
        + lambda_cycle * (|F(G(x)) - x| + |G(F(y)) - y|)
        + lambda_cycle * lambda_identity * (|G(y) - y| + |F(x) - x|);
    d_x_loss = LS_D(D_X(x), D_X(pool(F(y)))), likewise d_y_loss.
    The generator phase (one tape, gradients applied to G and F separately)
    runs first; the discriminator phase then uses its fakes.

    Args:
        generator_g: keras.Model X -> Y.
        generator_f: keras.Model Y -> X.
        discriminator_x: keras.Model on X images returning logits.
        discriminator_y: keras.Model on Y images returning logits.
        lambda_cycle: weight of the cycle-consistency loss (10).
        lambda_identity: identity weight relative to lambda_cycle (0.5);
            0 disables the identity term.
        pool_size: size of the image history buffer of each discriminator
            (Shrivastava et al., 2017; 50 in the paper); 0 disables it.
        seed: int seed of the pool's ``keras.random.SeedGenerator``.
    """

    def __init__(
        self,
        generator_g,
        generator_f,
        discriminator_x,
        discriminator_y,
        lambda_cycle=10.0,
        lambda_identity=0.5,
        pool_size=0,
        seed=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        shape_x = tuple(generator_g.inputs[0].shape[1:])
        shape_y = tuple(generator_g.outputs[0].shape[1:])
        checks = (
            ("generator_f output", generator_f.outputs[0], shape_x),
            ("generator_f input", generator_f.inputs[0], shape_y),
            ("discriminator_x input", discriminator_x.inputs[0], shape_x),
            ("discriminator_y input", discriminator_y.inputs[0], shape_y),
        )
        for label, tensor, expected in checks:
            if tuple(tensor.shape[1:]) != expected:
                raise ValueError(
                    f"The {label} shape must be {expected}. Received: "
                    f"{tuple(tensor.shape[1:])}"
                )
        if float(lambda_cycle) < 0 or float(lambda_identity) < 0:
            raise ValueError(
                "`lambda_cycle` and `lambda_identity` must be >= 0. "
                f"Received: lambda_cycle={lambda_cycle}, "
                f"lambda_identity={lambda_identity}"
            )
        if float(lambda_identity) and shape_x != shape_y:
            raise ValueError(
                "The identity loss needs domains of one shape. Received: "
                f"{shape_x} and {shape_y}; use lambda_identity=0"
            )
        if isinstance(pool_size, bool) or int(pool_size) < 0:
            raise ValueError(
                f"`pool_size` must be >= 0. Received: pool_size={pool_size!r}"
            )
        self.generator_g = generator_g
        self.generator_f = generator_f
        self.discriminator_x = discriminator_x
        self.discriminator_y = discriminator_y
        self.lambda_cycle = float(lambda_cycle)
        self.lambda_identity = float(lambda_identity)
        self.pool_size = int(pool_size)
        self.seed_generator = keras.random.SeedGenerator(seed)
        if self.pool_size:
            self.pool_x = _ImagePool(self.pool_size, shape_x, "pool_x")
            self.pool_y = _ImagePool(self.pool_size, shape_y, "pool_y")
        names = ("g_loss", "d_x_loss", "d_y_loss", "cycle", "identity")
        self.trackers = {n: keras.metrics.Mean(name=n) for n in names}

    def compile(
        self, g_optimizer, f_optimizer, d_x_optimizer, d_y_optimizer, **kwargs
    ):
        """Set one optimizer per network; ``kwargs`` go to ``compile``.

        为每个网络设置各自的优化器；其余参数传给 ``keras.Model.compile``。
        """
        _check_optimizers(
            g_optimizer=g_optimizer,
            f_optimizer=f_optimizer,
            d_x_optimizer=d_x_optimizer,
            d_y_optimizer=d_y_optimizer,
        )
        # 不要 Keras 默认的 rmsprop：它不训练任何网络，却会进入检查点 /
        # No default rmsprop: it trains nothing but would enter checkpoints.
        kwargs.setdefault("optimizer", None)
        super().compile(**kwargs)
        # mixed_float16 需要损失缩放 / mixed_float16 needs loss scaling.
        self.g_optimizer = loss_scaled(g_optimizer, self, self.generator_g)
        self.f_optimizer = loss_scaled(f_optimizer, self, self.generator_f)
        self.d_x_optimizer = loss_scaled(
            d_x_optimizer, self, self.discriminator_x
        )
        self.d_y_optimizer = loss_scaled(
            d_y_optimizer, self, self.discriminator_y
        )
        _build_optimizers(
            self,
            (
                (self.g_optimizer, self.generator_g),
                (self.f_optimizer, self.generator_f),
                (self.d_x_optimizer, self.discriminator_x),
                (self.d_y_optimizer, self.discriminator_y),
            ),
        )

    @property
    def metrics(self):
        return list(self.trackers.values())

    def call(self, real_x, training=False):
        return self.generator_g(real_x, training=training)

    def generator_step(self, real_x, real_y):
        """Update G and F once; return (fake_x, fake_y, losses dict).

        更新一次 G 和 F；返回生成图像与各项损失。
        """
        with _tape(persistent=True) as tape:
            fake_y = self.generator_g(real_x, training=True)
            fake_x = self.generator_f(real_y, training=True)
            cycled_x = self.generator_f(fake_y, training=True)
            cycled_y = self.generator_g(fake_x, training=True)
            adversarial = losses.least_squares_generator_loss(
                self.discriminator_y(fake_y, training=True)
            ) + losses.least_squares_generator_loss(
                self.discriminator_x(fake_x, training=True)
            )
            cycle = losses.cycle_consistency_loss(
                real_x, cycled_x
            ) + losses.cycle_consistency_loss(real_y, cycled_y)
            g_loss = adversarial + self.lambda_cycle * cycle
            identity = ops.zeros((), "float32")
            if self.lambda_identity:
                # 恒等项：G 作用在 Y 上应近似不变 / G should leave Y alone.
                identity = losses.identity_loss(
                    real_y, self.generator_g(real_y, training=True)
                ) + losses.identity_loss(
                    real_x, self.generator_f(real_x, training=True)
                )
                g_loss += self.lambda_cycle * self.lambda_identity * identity
            scaled_g = self.g_optimizer.scale_loss(_replica_scale(g_loss))
            scaled_f = self.f_optimizer.scale_loss(_replica_scale(g_loss))
        # 同一个总损失，梯度分别只作用于各自网络 / One joint objective, each
        # optimizer applies its gradients to its own network only.
        _apply(tape, scaled_g, self.g_optimizer, self.generator_g)
        _apply(tape, scaled_f, self.f_optimizer, self.generator_f)
        del tape
        return (
            fake_x,
            fake_y,
            {"g_loss": g_loss, "cycle": cycle, "identity": identity},
        )

    def discriminator_step(self, real_x, real_y, fake_x, fake_y):
        """Update D_X and D_Y once on given fakes; return their losses.

        用给定的生成图像更新一次 D_X 和 D_Y；返回两者的损失。
        """
        fake_x = ops.stop_gradient(fake_x)
        fake_y = ops.stop_gradient(fake_y)
        if self.pool_size:
            fake_x = self.pool_x.query(fake_x, self.seed_generator)
            fake_y = self.pool_y.query(fake_y, self.seed_generator)
        result = {}
        for key, model, optimizer, real, fake in (
            (
                "d_x_loss",
                self.discriminator_x,
                self.d_x_optimizer,
                real_x,
                fake_x,
            ),
            (
                "d_y_loss",
                self.discriminator_y,
                self.d_y_optimizer,
                real_y,
                fake_y,
            ),
        ):
            with _tape() as tape:
                d_loss = losses.least_squares_discriminator_loss(
                    model(real, training=True), model(fake, training=True)
                )
                scaled = optimizer.scale_loss(_replica_scale(d_loss))
            _apply(tape, scaled, optimizer, model)
            result[key] = d_loss
        return result

    def train_step(self, data):
        real_x, real_y = _unpack_pair(data)
        # 1. 生成器阶段 / Generator phase (G and F).
        fake_x, fake_y, results = self.generator_step(real_x, real_y)
        # 2. 判别器阶段 / Discriminator phase (D_X and D_Y).
        results.update(self.discriminator_step(real_x, real_y, fake_x, fake_y))
        # 3. 记录指标 / Report metrics.
        for name, value in results.items():
            self.trackers[name].update_state(value)
        return {m.name: m.result() for m in self.metrics}


class _ImagePool:
    """History of generated images (Shrivastava et al., 2017)."""

    def __init__(self, size, shape, name):
        self.size = size
        self.images = keras.Variable(
            np.zeros((size, *shape), "float32"), trainable=False, name=name
        )
        self.count = keras.Variable(
            0, dtype="int32", trainable=False, name=name + "_count"
        )

    def query(self, fake, seed_generator):
        """Return a batch where about half the images come from history."""
        fake = ops.cast(fake, "float32")
        batch = ops.shape(fake)[0]
        position = self.count + ops.arange(batch, dtype="int32")
        filling = position < self.size
        # 池未满时直接存入；满后以 1/2 概率与旧图交换 / Fill first, then swap
        # with an old image with probability 1/2.
        old_index = keras.random.randint(
            (batch,), 0, self.size, seed=seed_generator, dtype="int32"
        ) % ops.maximum(self.count, 1)
        swap = ops.logical_and(
            keras.random.uniform((batch,), seed=seed_generator) < 0.5,
            ops.logical_not(filling),
        )
        index = ops.where(filling, position % self.size, old_index)
        old = ops.take(self.images, index, axis=0)
        mask = ops.reshape(swap, (-1, 1, 1, 1))
        returned = ops.where(mask, old, fake)
        write = ops.reshape(ops.logical_or(filling, swap), (-1, 1, 1, 1))
        stored = ops.where(write, fake, old)
        self.images.assign(
            ops.scatter_update(self.images, ops.expand_dims(index, 1), stored)
        )
        self.count.assign(ops.minimum(self.count + batch, self.size))
        return returned


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
    images, labels = data.load_fashion_mnist(split)
    domains = []
    for label in (class_a, class_b):
        chosen = images[labels == label]
        if num_images is not None:
            chosen = chosen[: runtime._positive_int("num_images", num_images)]
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
            data.make_dataset(images_a, batch_size=batch_size, seed=seed),
            data.make_dataset(images_b, batch_size=batch_size, seed=seed_b),
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

    image_size = runtime._positive_int("image_size", image_size)
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

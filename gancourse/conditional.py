"""Class-conditional GANs: two-input models and a ``GAN`` subclass.

类别条件 GAN：双输入模型与 ``GAN`` 子类。

Mirza & Osindero, 2014, https://arxiv.org/abs/1411.1784 (conditional GAN).
Miyato & Koyama, 2018, https://arxiv.org/abs/1802.05637 (projection
discriminator).

Both networks see the class label y (an int class id, shape (batch,)):

- G(z, y): the label is looked up in a learned ``Embedding`` table and the
  embedding is concatenated with z, so the first Dense layer mixes "what"
  (class) with "which one" (noise). An embedding is a learned one-hot
  projection: cheaper than a one-hot vector for many classes and it lets
  similar classes share directions.
- D(x, y) has two options:
  * ``mode="projection"`` (default): D(x, y) = psi(phi(x)) + <embed(y),
    phi(x)>. The class enters only through an inner product with the image
    features, which is the form the optimal D of a conditional model takes
    when p(y | x) is log-linear in phi(x) (Miyato & Koyama, 2018, eq. 3).
    It is the choice of SNGAN/BigGAN and trains well on small data.
  * ``mode="concat"``: the label is turned into num_classes one-hot planes
    of size (h, w) and concatenated with the image channels (Mirza &
    Osindero; the keras-io conditional_gan example). Simple, but the label
    channels make every first-layer filter class-specific.
"""

import keras
import numpy as np
from keras import layers
from keras import ops

from gancourse import gans
from gancourse import models
from gancourse import runtime

GENERATOR_EMBEDDING = "label_embedding"
PROJECTION_EMBEDDING = "class_projection"
LABEL_PLANES = "label_one_hot"
PROJECTION_ONE_HOT = "projection_one_hot"
MODES = ("projection", "concat")


def _num_classes(num_classes):
    if (
        isinstance(num_classes, bool)
        or not isinstance(num_classes, (int, np.integer))
        or num_classes < 2
    ):
        raise ValueError(
            "`num_classes` must be an int >= 2. "
            f"Received: num_classes={num_classes!r}"
        )
    return int(num_classes)


def check_labels(labels, num_classes, num_images=None):
    """Validate int class labels given as Python/NumPy data; return them.

    检查以 Python/NumPy 数据给出的整数类别标签，并返回 int32 数组。

    Only concrete (non-symbolic) labels can be checked; tensors inside a
    traced ``train_step`` are passed through unchanged.

    Args:
        labels: int or array-like of ints, shape (batch,).
        num_classes: number of classes; labels must be in [0, num_classes).
        num_images: optional expected batch size.

    Returns:
        int32 NumPy array of shape (batch,) (or the tensor, if symbolic).

    Raises:
        ValueError: for a wrong rank, a wrong length or an out-of-range id.
    """
    if not isinstance(labels, (int, np.integer, list, tuple, np.ndarray)):
        return labels
    array = np.asarray(labels)
    if array.ndim == 0 and num_images is not None:
        array = np.full((num_images,), array)
    if array.ndim != 1:
        raise ValueError(
            "`labels` must be a 1-D array of class ids, shape (batch,). "
            f"Received: labels.shape={array.shape}"
        )
    if not np.issubdtype(array.dtype, np.integer):
        raise ValueError(
            "`labels` must hold integer class ids. "
            f"Received: labels.dtype={array.dtype}"
        )
    if num_images is not None and len(array) != num_images:
        raise ValueError(
            f"`labels` must have one entry per image ({num_images}). "
            f"Received: {len(array)} labels"
        )
    if len(array) and (array.min() < 0 or array.max() >= num_classes):
        raise ValueError(
            f"`labels` must be class ids in [0, {num_classes}). "
            f"Received: labels in [{array.min()}, {array.max()}]"
        )
    return array.astype("int32")


def make_conditional_generator(
    latent_dim=100,
    num_classes=10,
    image_shape=(28, 28, 1),
    base_filters=64,
    embedding_dim=50,
    kernel_size=5,
    name="conditional_generator",
):
    """A DCGAN generator conditioned on a class label by embedding concat.

    通过标签嵌入拼接实现类别条件的 DCGAN 生成器。

    Mirza & Osindero, 2014, https://arxiv.org/abs/1411.1784.
    h = concat(z, Embedding(y)) -> Dense(h/4 * w/4 * 4f) -> BN -> LeakyReLU
    -> reshape -> Conv2DTranspose(2f, 1) -> Conv2DTranspose(f, 2) ->
    Conv2DTranspose(channels, 2, tanh), as ``models.make_dcgan_generator``.

    Args:
        latent_dim: size of z.
        num_classes: number of classes (>= 2).
        image_shape: (height, width, channels), height and width divisible
            by 4.
        base_filters: f above.
        embedding_dim: size of the learned label embedding.
        kernel_size: transposed-convolution kernel size.
        name: model name.

    Returns:
        keras.Model mapping [z (batch, latent_dim), labels (batch,) int] to
        images (batch, *image_shape) in [-1, 1].

    Raises:
        ValueError: for bad sizes or ``num_classes``.

    Example:
        >>> generator = make_conditional_generator(latent_dim=8)
        >>> generator([np.zeros((2, 8)), np.array([0, 9])]).shape
        TensorShape([2, 28, 28, 1])
    """
    latent_dim = runtime._positive_int("latent_dim", latent_dim)
    num_classes = _num_classes(num_classes)
    height, width, channels = models.check_image_shape(image_shape, divisor=4)
    base_filters = runtime._positive_int("base_filters", base_filters)
    embedding_dim = runtime._positive_int("embedding_dim", embedding_dim)
    z = keras.Input(shape=(latent_dim,), name="z")
    labels = keras.Input(shape=(), dtype="int32", name="label")
    embedded = layers.Embedding(
        num_classes, embedding_dim, name=GENERATOR_EMBEDDING
    )(labels)
    # 标签嵌入与噪声拼接 / The class embedding joins the noise vector.
    x = layers.Concatenate()([z, embedded])
    outputs = models.dcgan_upsampling(
        x, (height, width, channels), base_filters, kernel_size
    )
    return keras.Model([z, labels], outputs, name=name)


def make_conditional_discriminator(
    num_classes=10,
    image_shape=(28, 28, 1),
    base_filters=64,
    kernel_size=5,
    dropout_rate=0.3,
    spectral_norm=False,
    mode="projection",
    name="conditional_discriminator",
):
    """A DCGAN discriminator conditioned on a class label.

    以类别标签为条件的 DCGAN 判别器。

    Projection: Miyato & Koyama, 2018, https://arxiv.org/abs/1802.05637.
    phi = Flatten(conv stack(x))
    mode="projection": logit = Dense(1)(phi) + sum(Embedding(y) * phi)
    mode="concat":     logit = Dense(1)(Flatten(conv stack(concat(x,
                               one_hot(y) broadcast to (h, w, classes)))))

    Args:
        num_classes: number of classes (>= 2).
        image_shape: (height, width, channels), divisible by 4.
        base_filters: filters of the first convolution (doubled next).
        kernel_size: convolution kernel size.
        dropout_rate: dropout after each convolution (0 disables it).
        spectral_norm: wrap the Conv2D/Dense/projection layers in
            ``keras.layers.SpectralNormalization``.
        mode: "projection" or "concat" (see the module docstring).
        name: model name.

    Returns:
        keras.Model mapping [images, labels (batch,) int] to (batch, 1)
        logits.

    Raises:
        ValueError: for bad sizes, ``num_classes`` or ``mode``.
    """
    num_classes = _num_classes(num_classes)
    shape = models.check_image_shape(image_shape, divisor=4)
    base_filters = runtime._positive_int("base_filters", base_filters)
    if mode not in MODES:
        raise ValueError(
            f"`mode` must be one of {list(MODES)}. Received: mode={mode!r}"
        )
    images = keras.Input(shape=shape, name="image")
    labels = keras.Input(shape=(), dtype="int32", name="label")
    x = images
    if mode == "concat":
        # 标签变成 num_classes 个常数平面 / Labels become one-hot planes.
        planes = layers.CategoryEncoding(
            num_classes, output_mode="one_hot", name=LABEL_PLANES
        )(labels)
        planes = layers.Reshape((1, 1, num_classes))(planes)
        planes = layers.UpSampling2D(size=shape[:2])(planes)
        x = layers.Concatenate()([x, planes])
    features = models.dcgan_downsampling(
        x, base_filters, kernel_size, dropout_rate, spectral_norm
    )
    dense = layers.Dense(1, dtype="float32", name="logit")
    outputs = models._maybe_spectral(dense, spectral_norm)(features)
    if mode == "projection":
        # 嵌入写成 one-hot 上的无偏置 Dense（数学上相同）：Keras 的
        # SpectralNormalization 会把输出转换成输入的 int 类型，不能直接包
        # Embedding。/ The embedding is a bias-free Dense on one-hot labels
        # (the same maths): Keras' SpectralNormalization casts its output to
        # the input dtype, which breaks a wrapped Embedding on int labels.
        one_hot = layers.CategoryEncoding(
            num_classes, output_mode="one_hot", name=PROJECTION_ONE_HOT
        )(labels)
        embedding = layers.Dense(
            features.shape[-1], use_bias=False, name=PROJECTION_EMBEDDING
        )
        embedded = models._maybe_spectral(embedding, spectral_norm)(one_hot)
        # 投影项 <embed(y), phi(x)> / The projection term.
        projection = layers.Dot(axes=1, dtype="float32")([embedded, features])
        outputs = layers.Add(dtype="float32")([outputs, projection])
    return keras.Model([images, labels], outputs, name=name)


def _as_tensors(inputs, labels):
    return ops.convert_to_tensor(inputs), ops.convert_to_tensor(labels)


def num_classes_of(model):
    """The number of classes a conditional G or D was built for (or None).

    返回条件生成器/判别器对应的类别数（找不到则为 None）。
    """
    for layer in model.layers:
        inner = getattr(layer, "layer", layer)
        if inner.name == GENERATOR_EMBEDDING:
            return int(inner.input_dim)
        if inner.name in (LABEL_PLANES, PROJECTION_ONE_HOT):
            return int(inner.num_tokens)
    return None


class ConditionalGAN(gans.GAN):
    """A class-conditional GAN trained with ``fit()`` on (images, labels).

    在 (图像, 标签) 批次上用 ``fit()`` 训练的类别条件 GAN。

    Only the hooks of ``gans.GAN`` change: ``unpack_batch`` returns the
    labels as the condition, and G and D are called with [input, labels].
    The fake batch of a step uses the real batch's labels, so G learns
    p(x | y) for the labels the data actually has.

    Args:
        generator: keras.Model [z, labels] -> images.
        discriminator: keras.Model [images, labels] -> logits.
        num_classes: optional; read from the models' embedding layers when
            None.
        latent_dim, d_steps, seed: as ``gans.GAN``.

    Raises:
        ValueError: if a model does not take two inputs or the class
            counts disagree.

    Example:
        >>> cgan = ConditionalGAN(make_conditional_generator(),
        ...                       make_conditional_discriminator())
        >>> cgan.compile(keras.optimizers.Adam(2e-4),
        ...              keras.optimizers.Adam(2e-4))
        >>> cgan.fit(make_dataset(images, labels), epochs=5)  # doctest: +SKIP
    """

    def __init__(
        self,
        generator,
        discriminator,
        num_classes=None,
        latent_dim=None,
        d_steps=1,
        seed=None,
        **kwargs,
    ):
        for name, model in (
            ("generator", generator),
            ("discriminator", discriminator),
        ):
            if isinstance(model, keras.Model) and len(model.inputs) != 2:
                raise ValueError(
                    f"`{name}` must take two inputs ([input, labels]). "
                    f"Received: a model with {len(model.inputs)} input(s)"
                )
        found = {
            num_classes_of(generator),
            num_classes_of(discriminator),
            None if num_classes is None else _num_classes(num_classes),
        } - {None}
        if len(found) > 1:
            raise ValueError(
                "`num_classes`, the generator and the discriminator must "
                f"agree on the number of classes. Received: {sorted(found)}"
            )
        if not found:
            raise ValueError(
                "`num_classes` could not be read from the models; pass it. "
                "Received: num_classes=None"
            )
        super().__init__(
            generator,
            discriminator,
            latent_dim=latent_dim,
            d_steps=d_steps,
            seed=seed,
            **kwargs,
        )
        self.num_classes = found.pop()

    def call(self, inputs, training=False):
        return self.generator(inputs, training=training)

    def unpack_batch(self, data):
        if not isinstance(data, (tuple, list)) or len(data) < 2:
            raise ValueError(
                "A conditional GAN trains on (images, labels) batches; build "
                "the data set with make_dataset(images, labels). Received: "
                f"a batch of type {type(data).__name__}"
            )
        return data[0], data[1]

    def generate_fake(self, z, condition, training=True):
        if condition is None:
            raise ValueError(
                "A conditional generator needs class labels. "
                "Received: condition=None"
            )
        num_images = z.shape[0] if hasattr(z, "shape") else None
        condition = check_labels(condition, self.num_classes, num_images)
        # Keras 不接受张量与数组混合的输入 / Keras rejects mixed inputs.
        z, condition = _as_tensors(z, condition)
        return self.generator([z, condition], training=training)

    def discriminate(self, images, condition, training=True):
        images, condition = _as_tensors(images, condition)
        return self.discriminator([images, condition], training=training)

    def generate(self, num_images=16, labels=None, seed=None):
        """Generate images of the given classes as a NumPy array.

        生成指定类别的图像（NumPy 数组，推理模式）。

        Args:
            num_images: number of images.
            labels: int (one class for all), array (num_images,) of class
                ids, or None to cycle 0, 1, ..., num_classes - 1.
            seed: optional NumPy seed of the noise (reproducible grids).

        Returns:
            float32 array (num_images, height, width, channels) in [-1, 1].

        Raises:
            ValueError: for out-of-range labels or a length mismatch.
        """
        num_images = runtime._positive_int("num_images", num_images)
        if labels is None:
            labels = np.arange(num_images) % self.num_classes
        labels = check_labels(labels, self.num_classes, num_images)
        z = self.latent_batch(num_images, seed)
        images = self.generate_fake(z, labels, training=False)
        return ops.convert_to_numpy(images)

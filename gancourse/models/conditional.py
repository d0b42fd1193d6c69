"""Class-conditional generator and discriminator (two-input models).

类别条件生成器与判别器（双输入模型）。

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

from gancourse import runtime
from gancourse.models.blocks import check_image_shape
from gancourse.models.blocks import dcgan_downsampling
from gancourse.models.blocks import dcgan_upsampling
from gancourse.models.blocks import maybe_spectral

GENERATOR_EMBEDDING = "label_embedding"
PROJECTION_EMBEDDING = "class_projection"
LABEL_PLANES = "label_one_hot"
PROJECTION_ONE_HOT = "projection_one_hot"
MODES = ("projection", "concat")


def check_num_classes(num_classes):
    """Return ``num_classes`` as an int >= 2.

    检查类别数：不是整数抛出 ``TypeError``，小于 2 抛出 ``ValueError``。
    """
    return runtime.check_int(
        "num_classes",
        num_classes,
        minimum=2,
        reason="(a class-conditional model needs at least two classes)",
    )


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
    latent_dim = runtime.check_int("latent_dim", latent_dim, minimum=1)
    num_classes = check_num_classes(num_classes)
    height, width, channels = check_image_shape(image_shape, divisor=4)
    base_filters = runtime.check_int("base_filters", base_filters, minimum=1)
    embedding_dim = runtime.check_int("embedding_dim", embedding_dim, minimum=1)
    z = keras.Input(shape=(latent_dim,), name="z")
    labels = keras.Input(shape=(), dtype="int32", name="label")
    embedded = layers.Embedding(
        num_classes, embedding_dim, name=GENERATOR_EMBEDDING
    )(labels)
    # 标签嵌入与噪声拼接 / The class embedding joins the noise vector.
    x = layers.Concatenate()([z, embedded])
    outputs = dcgan_upsampling(
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
    num_classes = check_num_classes(num_classes)
    shape = check_image_shape(image_shape, divisor=4)
    base_filters = runtime.check_int("base_filters", base_filters, minimum=1)
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
    features = dcgan_downsampling(
        x, base_filters, kernel_size, dropout_rate, spectral_norm
    )
    dense = layers.Dense(1, dtype="float32", name="logit")
    outputs = maybe_spectral(dense, spectral_norm)(features)
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
        embedded = maybe_spectral(embedding, spectral_norm)(one_hot)
        # 投影项 <embed(y), phi(x)> / The projection term.
        projection = layers.Dot(axes=1, dtype="float32")([embedded, features])
        outputs = layers.Add(dtype="float32")([outputs, projection])
    return keras.Model([images, labels], outputs, name=name)


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

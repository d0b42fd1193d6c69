"""Tiny course models for the tests: one builder per family.

测试用的小模型：每个模型族只有一个构建函数。

``networks(family)`` builds the uncompiled networks, ``model(family)`` the
compiled course model around them and ``dataset(family, images)`` a data
set it trains on. Families:

- ``"gan"``, ``"conditional"``, ``"wgangp"``, ``"pix2pix"``, ``"cyclegan"``:
  the course's conv factories with 4 base filters on ``image_shape``
  images, or, with ``points=True``, one-hidden-layer tanh MLPs of ``units``
  units on 2-D points (they compile fast: XLA, ``tf.distribute``);
- ``"mlp"``: lesson 01's ``make_mlp_generator`` / ``make_mlp_discriminator``
  on 2-D points, trained as a ``GAN``.

Every builder first calls ``keras.utils.set_random_seed(seed)``, so two
builds with the same arguments start from the same weights (the resume
tests compare them bit for bit). Options not listed for a family raise
``TypeError``.
"""

import keras
import numpy as np

from gancourse import data
from gancourse import models
from gancourse import training

FAMILIES = ("gan", "conditional", "wgangp", "pix2pix", "cyclegan")
NUM_CLASSES = 3

# 各族网络选项及其默认值 / Network options per family and their defaults.
# Discriminators have no dropout unless a test asks for it (the resume
# tests do: the dropout RNG state must be saved too).
NETWORK_OPTIONS = {
    "gan": dict(latent_dim=8, base_filters=4, dropout_rate=0.0),
    "wgangp": dict(latent_dim=8, base_filters=4, dropout_rate=0.0),
    "conditional": dict(
        latent_dim=8,
        base_filters=4,
        embedding_dim=4,
        dropout_rate=0.0,
        mode="projection",
    ),
    # num_downsamples: generator (U-Net / ResNet); d_downsamples: PatchGAN.
    "pix2pix": dict(base_filters=4, num_downsamples=2, d_downsamples=2),
    "cyclegan": dict(base_filters=4, num_downsamples=2, d_downsamples=2),
    "mlp": dict(latent_dim=2, hidden_units=(16,)),
}
POINTS_OPTIONS = dict(units=8)

# 传给模型构造函数的选项 / Options passed on to the model's constructor.
MODEL_OPTIONS = {
    "gan": ("d_steps", "ema_decay"),
    "mlp": ("d_steps", "ema_decay"),
    "conditional": ("d_steps", "ema_decay", "fake_labels"),
    "wgangp": ("d_steps", "gp_weight", "ema_decay"),
    "pix2pix": ("lambda_l1",),
    "cyclegan": ("lambda_cycle", "lambda_identity", "pool_size"),
}
MODEL_DEFAULTS = {"wgangp": dict(d_steps=2)}
# 传给 compile 的选项 / Options passed on to ``compile``.
COMPILE_OPTIONS = ("loss", "label_smoothing", "jit_compile", "run_eagerly")

CLASSES = {
    "gan": training.GAN,
    "mlp": training.GAN,
    "conditional": training.ConditionalGAN,
    "wgangp": training.WGANGP,
    "pix2pix": training.Pix2Pix,
    "cyclegan": training.CycleGAN,
}


def _options(family, given, defaults):
    """``defaults`` updated with ``given``; unknown names raise."""
    if family not in NETWORK_OPTIONS:
        raise ValueError(
            f"`family` must be one of {sorted(NETWORK_OPTIONS)}. "
            f"Received: family={family!r}"
        )
    unknown = sorted(set(given) - set(defaults))
    if unknown:
        raise TypeError(f"Unknown options for {family!r}: {unknown}")
    return {**defaults, **given}


def networks(family, seed=0, image_shape=(16, 16, 1), points=False, **options):
    """The uncompiled networks of a tiny ``family`` model.

    Returns:
        ``(generator, discriminator)``, or ``(generator_g, generator_f,
        discriminator_x, discriminator_y)`` for ``"cyclegan"``.
    """
    keras.utils.set_random_seed(seed)
    if points and family != "mlp":
        return _point_networks(family, **options)
    o = _options(family, options, NETWORK_OPTIONS.get(family, {}))
    if family == "mlp":
        return (
            models.make_mlp_generator(
                latent_dim=o["latent_dim"], hidden_units=o["hidden_units"]
            ),
            models.make_mlp_discriminator(hidden_units=o["hidden_units"]),
        )
    if family in ("gan", "wgangp"):
        return (
            models.make_dcgan_generator(
                latent_dim=o["latent_dim"],
                image_shape=image_shape,
                base_filters=o["base_filters"],
            ),
            models.make_dcgan_discriminator(
                image_shape=image_shape,
                base_filters=o["base_filters"],
                dropout_rate=o["dropout_rate"],
            ),
        )
    if family == "conditional":
        return (
            models.make_conditional_generator(
                latent_dim=o["latent_dim"],
                num_classes=NUM_CLASSES,
                image_shape=image_shape,
                base_filters=o["base_filters"],
                embedding_dim=o["embedding_dim"],
            ),
            models.make_conditional_discriminator(
                num_classes=NUM_CLASSES,
                image_shape=image_shape,
                base_filters=o["base_filters"],
                dropout_rate=o["dropout_rate"],
                mode=o["mode"],
            ),
        )
    if family == "pix2pix":
        return (
            models.make_unet_generator(
                image_shape,
                base_filters=o["base_filters"],
                num_downsamples=o["num_downsamples"],
            ),
            models.make_patchgan_discriminator(
                image_shape,
                image_shape,
                base_filters=o["base_filters"],
                num_downsamples=o["d_downsamples"],
            ),
        )
    generators = [
        models.make_resnet_generator(
            image_shape,
            base_filters=o["base_filters"],
            num_downsamples=o["num_downsamples"],
            num_residual_blocks=1,
        )
        for _ in range(2)
    ]
    discriminators = [
        models.make_patchgan_discriminator(
            image_shape,
            base_filters=o["base_filters"],
            num_downsamples=o["d_downsamples"],
        )
        for _ in range(2)
    ]
    return (*generators, *discriminators)


def _mlp(inputs, outputs, units):
    return keras.Sequential(
        [
            keras.Input((inputs,)),
            keras.layers.Dense(units, activation="tanh"),
            keras.layers.Dense(outputs, dtype="float32"),
        ]
    )


def _point_networks(family, **options):
    """tanh MLPs on 2-D points; conditional ones embed / one-hot the label."""
    units = _options(family, options, POINTS_OPTIONS)["units"]
    layers = keras.layers
    if family in ("gan", "wgangp"):
        return _mlp(2, 2, units), _mlp(2, 1, units)
    if family == "cyclegan":
        return (
            _mlp(2, 2, units),
            _mlp(2, 2, units),
            _mlp(2, 1, units),
            _mlp(2, 1, units),
        )
    if family == "pix2pix":
        source, target = keras.Input((2,)), keras.Input((2,))
        hidden = layers.Concatenate()([source, target])
        discriminator = keras.Model([source, target], _mlp(4, 1, units)(hidden))
        return _mlp(2, 2, units), discriminator
    z = keras.Input((2,))
    labels = keras.Input((), dtype="int32")
    hidden = layers.Concatenate()([z, layers.Embedding(NUM_CLASSES, 2)(labels)])
    generator = keras.Model([z, labels], _mlp(4, 2, units)(hidden))
    x = keras.Input((2,))
    labels = keras.Input((), dtype="int32")
    one_hot = layers.CategoryEncoding(NUM_CLASSES, output_mode="one_hot")
    hidden = layers.Concatenate()([x, one_hot(labels)])
    discriminator = keras.Model(
        [x, labels], _mlp(NUM_CLASSES + 2, 1, units)(hidden)
    )
    return generator, discriminator


def model(
    family,
    seed=0,
    compile=True,
    optimizer="adam",
    learning_rate=1e-3,
    beta_1=0.9,
    **options,
):
    """A tiny course model of ``family``, compiled unless ``compile=False``.

    ``options`` are network options (see ``networks``: ``image_shape``,
    ``points``, ``dropout_rate``, ...), model options (``d_steps``,
    ``pool_size``, ``lambda_l1``, ...) or compile options (``loss``,
    ``jit_compile``, ``run_eagerly``, ...). Each network gets its own
    ``optimizer`` (``"adam"`` with ``beta_1``, or ``"sgd"``).
    """
    given = {
        name: options.pop(name)
        for name in MODEL_OPTIONS.get(family, ())
        if name in options
    }
    model_options = {**MODEL_DEFAULTS.get(family, {}), **given}
    compile_options = {
        name: options.pop(name) for name in COMPILE_OPTIONS if name in options
    }
    nets = networks(family, seed=seed, **options)
    if family != "pix2pix":
        model_options["seed"] = seed
    if family == "conditional" and options.get("points"):
        # MLPs do not reveal their number of classes / MLP 看不出类别数。
        model_options["num_classes"] = NUM_CLASSES
    course_model = CLASSES[family](*nets, **model_options)
    if compile:
        optimizers = {
            "adam": lambda: keras.optimizers.Adam(learning_rate, beta_1=beta_1),
            "sgd": lambda: keras.optimizers.SGD(learning_rate),
        }
        course_model.compile(
            *[optimizers[optimizer]() for _ in nets], **compile_options
        )
    return course_model


def dataset(family, images, seed=3, batch_size=8, shuffle=True):
    """A ``tf.data`` set of ``images`` in the form ``family`` trains on.

    "conditional" adds labels ``arange(N) % NUM_CLASSES``; "pix2pix" pairs
    each image with its negative, "cyclegan" takes the negatives as the
    second (unpaired) domain.
    """
    images = np.asarray(images, "float32")
    if family == "conditional":
        labels = np.arange(len(images)) % NUM_CLASSES
        return data.make_dataset(
            images, labels, batch_size=batch_size, shuffle=shuffle, seed=seed
        )
    if family == "pix2pix":
        return data.make_dataset(
            images, -images, batch_size=batch_size, shuffle=shuffle, seed=seed
        )
    if family == "cyclegan":
        if shuffle:
            return data.make_unpaired_dataset(
                images, -images, batch_size=batch_size, seed=seed
            )
        import tensorflow as tf

        # make_unpaired_dataset 总是打乱 / make_unpaired_dataset shuffles.
        return tf.data.Dataset.zip(
            tuple(
                data.make_dataset(domain, batch_size=batch_size, shuffle=False)
                for domain in (images, -images)
            )
        )
    return data.make_dataset(
        images, batch_size=batch_size, shuffle=shuffle, seed=seed
    )

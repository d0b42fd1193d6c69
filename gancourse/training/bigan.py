"""BiGAN / ALI: a GAN that also learns an encoder, trained with ``fit()``.

BiGAN / ALI：同时学习编码器的 GAN，用 ``fit()`` 训练（第 09 课）。

Donahue et al., 2017 (BiGAN, https://arxiv.org/abs/1605.09782) and Dumoulin
et al., 2017 (ALI, https://arxiv.org/abs/1606.00704). Three networks: the
generator G: z -> x, the encoder E: x -> z and a discriminator D on
(x, z) pairs. D learns to label (x, E(x)) real and (G(z), z) fake; G and E
learn together to fool it, with the labels flipped (non-saturating). At the
optimum the two joint distributions match, so E inverts G: G(E(x)) ~ x.

``BiGAN.train_step`` has two named phases, ``discriminator_step`` and
``generator_encoder_step``, so each can be run and tested alone.
"""

import keras
import numpy as np
import tensorflow as tf
from keras import ops

from gancourse import images as course_images
from gancourse import losses
from gancourse import runtime
from gancourse.latent import fixed_noise
from gancourse.training.base import AdversarialModel
from gancourse.training.base import check_network
from gancourse.training.base import check_shape
from gancourse.training.gan import latent_dim_of


def check_bigan_networks(generator, encoder, discriminator, latent_dim=None):
    """Check that G, E and D fit together; return the latent size.

    检查生成器、编码器与 (x, z) 判别器的接口形状一致，并返回潜在维度。

    Raises:
        TypeError: if a network is not a ``keras.Model``.
        ValueError: if ``latent_dim`` differs from G's input width, E's
            input is not G's output shape, E's output is not (latent_dim,),
            or D does not take ``[images, codes]`` of those shapes.
    """
    check_network("generator", generator)
    check_network("encoder", encoder)
    check_network("discriminator", discriminator)
    expected = latent_dim_of(generator)
    if latent_dim is not None and int(latent_dim) != expected:
        raise ValueError(
            "`latent_dim` must match the generator's input width "
            f"({expected}). Received: latent_dim={latent_dim}"
        )
    image_shape = tuple(generator.outputs[0].shape[1:])
    if len(discriminator.inputs) != 2:
        raise ValueError(
            "`discriminator` must take two inputs, [images, codes] (see "
            "make_bigan_discriminator). Received: "
            f"{len(discriminator.inputs)} input(s)"
        )
    check_shape(
        "encoder input", encoder.inputs[0], image_shape, "generator output"
    )
    check_shape("encoder output", encoder.outputs[0], (expected,), "latent")
    check_shape(
        "discriminator image input",
        discriminator.inputs[0],
        image_shape,
        against="generator output",
    )
    check_shape(
        "discriminator code input",
        discriminator.inputs[1],
        (expected,),
        against="latent",
    )
    return expected


@keras.saving.register_keras_serializable(package="gancourse")
class BiGAN(AdversarialModel):
    """A bidirectional GAN (BiGAN / ALI) that also learns an encoder E.

    带编码器的双向 GAN（BiGAN / ALI），用 ``fit()`` 训练。

    D step: ``loss.discriminator(D(x, E(x)), D(G(z), z))``. G/E step: the
    same loss with the two pairs' roles swapped (flipped labels), applied
    to G and E only; for the BCE losses this is the non-saturating loss.
    Metrics: ``d_loss``, ``ge_loss`` and ``recon_mse``, the mean squared
    error of G(E(x)) against the batch (inference mode; it is watched, not
    trained).

    ``bigan.save("bigan.keras")`` writes the three networks; with
    ``gancourse.training`` imported, ``keras.saving.load_model(path,
    safe_mode=True, compile=False)`` gives a ``BiGAN`` back for
    ``encode``/``reconstruct``/``generate``. To resume training (optimizer
    slots, noise state) use ``TrainingCheckpoint`` instead.

    Args:
        generator: keras.Model mapping (batch, latent_dim) to images.
        encoder: keras.Model mapping images to (batch, latent_dim) codes
            (see ``make_encoder``).
        discriminator: keras.Model on ``[images, codes]`` returning logits
            (see ``make_bigan_discriminator``).
        latent_dim: optional, checked against the generator's input.
        seed: int seed of the model's ``keras.random.SeedGenerator``.

    Example::

        bigan = BiGAN(make_dcgan_generator(), make_encoder(),
                      make_bigan_discriminator())
        bigan.compile(keras.optimizers.Adam(2e-4, beta_1=0.5),
                      keras.optimizers.Adam(2e-4, beta_1=0.5),
                      keras.optimizers.Adam(2e-4, beta_1=0.5))
        bigan.fit(make_dataset(images), epochs=10)
        rebuilt = bigan.reconstruct(test_images[:8])
    """

    # 损失名 -> 它训练的网络，用于 NaN 报错 / Loss -> the networks it
    # trains, named by NaN errors.
    LOSS_NETWORKS = {
        "d_loss": "discriminator",
        "ge_loss": "generator and encoder",
    }

    def __init__(
        self,
        generator,
        encoder,
        discriminator,
        latent_dim=None,
        seed=None,
        **kwargs,
    ):
        kwargs.setdefault("name", "bigan")
        super().__init__(**kwargs)
        self.latent_dim = check_bigan_networks(
            generator, encoder, discriminator, latent_dim
        )
        self.generator = generator
        self.encoder = encoder
        self.discriminator = discriminator
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.ge_loss_tracker = keras.metrics.Mean(name="ge_loss")
        self.recon_tracker = keras.metrics.Mean(name="recon_mse")

    def compile(
        self,
        g_optimizer,
        e_optimizer,
        d_optimizer,
        loss="non_saturating",
        label_smoothing=0.0,
        **kwargs,
    ):
        """Set one optimizer per network and the loss pair.

        为三个网络各设一个优化器，并设置损失函数对。

        Args:
            g_optimizer: keras optimizer of the generator.
            e_optimizer: keras optimizer of the encoder.
            d_optimizer: keras optimizer of the discriminator (three
                different objects: each keeps its own slots).
            loss: a name from ``gancourse.losses.LOSS_NAMES`` or a
                ``LossPair``; only its discriminator loss is used.
            label_smoothing: one-sided label smoothing of the real pairs'
                targets in the D step.
            **kwargs: forwarded to ``keras.Model.compile``.
        """
        self.compile_optimizers(
            {
                "g_optimizer": self.generator,
                "e_optimizer": self.encoder,
                "d_optimizer": self.discriminator,
            },
            {
                "g_optimizer": g_optimizer,
                "e_optimizer": e_optimizer,
                "d_optimizer": d_optimizer,
            },
            **kwargs,
        )
        self.loss_pair = losses.get_loss_pair(loss)
        self.label_smoothing = losses.check_label_smoothing(
            self.loss_pair, label_smoothing
        )

    @property
    def metrics(self):
        return [self.d_loss_tracker, self.ge_loss_tracker, self.recon_tracker]

    def call(self, z, training=False):
        return self.generator(z, training=training)

    # -- sampling, encoding, reconstruction -------------------------------
    def sample_latent(self, batch_size):
        """Draw standard normal noise of shape (batch_size, latent_dim).

        采样标准正态噪声。
        """
        return self.draw_for_replica(
            lambda num: keras.random.normal(
                (num, self.latent_dim), seed=self.seed_generator
            ),
            batch_size,
        )

    def generate_fake(self, z, condition=None, training=True):
        """G(z); ``condition`` is ignored (the hook ``SampleGrid`` calls)."""
        return self.generator(z, training=training)

    def generate(self, num_images=16, seed=None):
        """Generate ``num_images`` samples as a NumPy array (inference mode).

        生成 ``num_images`` 个样本（推理模式），返回 NumPy 数组。

        Args:
            num_images: number of samples.
            seed: optional int: seeded NumPy noise (the same on every
                call); None draws from the model's seed generator.
        """
        num_images = runtime.check_int("num_images", num_images, minimum=1)
        if seed is None:
            z = self.sample_latent(num_images)
        else:
            z = fixed_noise(num_images, self.latent_dim, seed)
        return ops.convert_to_numpy(self.generator(z, training=False))

    def _checked_images(self, images):
        images = course_images.check_images(images, "images", channels=None)
        expected = tuple(self.encoder.inputs[0].shape[1:])
        if images.shape[1:] != expected:
            raise ValueError(
                f"`images` must have the sample shape {expected} of the "
                f"encoder's input. Received: images.shape={images.shape}"
            )
        return images

    def _batched(self, network, inputs, batch_size):
        batch_size = runtime.check_int("batch_size", batch_size, minimum=1)
        parts = [
            ops.convert_to_numpy(
                network(inputs[start : start + batch_size], training=False)
            )
            for start in range(0, len(inputs), batch_size)
        ]
        return np.concatenate(parts, axis=0)

    def encode(self, images, batch_size=256):
        """E(x): the codes of ``images`` as a NumPy array (inference mode).

        编码：返回图像的潜在向量 E(x)（推理模式，NumPy 数组）。

        Args:
            images: array (N, *image_shape) in [-1, 1].
            batch_size: images per encoder call.

        Returns:
            float32 array (N, latent_dim).
        """
        return self._batched(
            self.encoder, self._checked_images(images), batch_size
        )

    def reconstruct(self, images, batch_size=256):
        """G(E(x)): the images rebuilt from their codes (inference mode).

        重建：先编码再生成，返回 G(E(x))（推理模式，NumPy 数组）。

        Returns:
            float32 array of the shape of ``images``, in [-1, 1].
        """
        codes = self.encode(images, batch_size)
        return self._batched(self.generator, codes, batch_size)

    # -- the algorithm ----------------------------------------------------
    def check_batch(self, real):
        dtype = keras.backend.standardize_dtype(real.dtype)
        expected = tuple(self.encoder.inputs[0].shape[1:])
        if "float" not in dtype or tuple(real.shape[1:]) != expected:
            raise ValueError(
                f"Each training batch must hold float images of shape "
                f"{expected} in [-1, 1]. Received: batch dtype {dtype}, "
                f"shape {tuple(real.shape)}"
            )

    def make_pairs(self, real, z, training=True):
        """The data pairs' codes E(x) and the generator pairs' images G(z).

        构造两种 (x, z) 对所需的 E(x) 与 G(z)。

        Returns:
            (real, codes, fake, z) as tensors.
        """
        real = ops.convert_to_tensor(real)
        codes = self.encoder(real, training=training)
        fake = self.generator(z, training=training)
        return real, codes, fake, z

    def pair_logits(self, real, codes, fake, z, training=True):
        """D's logits on the data pairs (x, E(x)) and the pairs (G(z), z).

        判别器在数据对 (x, E(x)) 与生成对 (G(z), z) 上的 logit。

        Returns:
            (real_logits, fake_logits).
        """
        real_logits = self.discriminator([real, codes], training=training)
        fake_logits = self.discriminator([fake, z], training=training)
        return real_logits, fake_logits

    def discriminator_step(self, real):
        """Update D on one batch with G and E fixed; return D's loss.

        更新判别器一步（生成器与编码器固定），返回判别器损失。
        """
        z = self.sample_latent(ops.shape(real)[0])
        # E 与 G 在带子外运行：这一步不求它们的梯度 / E and G run outside
        # the tape: this step needs no gradient through them.
        pairs = self.make_pairs(real, z)
        with tf.GradientTape() as tape:
            real_logits, fake_logits = self.pair_logits(*pairs)
            d_loss = self.loss_pair.discriminator(
                real_logits, fake_logits, label_smoothing=self.label_smoothing
            )
        self.update(self.d_optimizer, self.discriminator, tape, d_loss)
        return d_loss

    def generator_encoder_step(self, real):
        """Update G and E together with D fixed; return their loss.

        同时更新生成器与编码器一步（判别器固定），返回它们的损失。

        Flipped labels: G wants (G(z), z) called real and E wants
        (x, E(x)) called fake, i.e. D's loss with the pairs swapped.
        """
        z = self.sample_latent(ops.shape(real)[0])
        # 一条带子、两个网络 / One tape, two networks to update.
        with tf.GradientTape(persistent=True) as tape:
            pairs = self.make_pairs(real, z)
            real_logits, fake_logits = self.pair_logits(*pairs)
            ge_loss = self.loss_pair.discriminator(fake_logits, real_logits)
        self.update(self.g_optimizer, self.generator, tape, ge_loss)
        self.update(self.e_optimizer, self.encoder, tape, ge_loss)
        del tape
        return ge_loss

    def train_step(self, data):
        real = data[0] if isinstance(data, (tuple, list)) else data
        self.check_batch(real)
        # 1. 更新判别器 / Update D.
        d_loss = self.discriminator_step(real)
        # 2. 更新生成器与编码器 / Update G and E.
        ge_loss = self.generator_encoder_step(real)
        # 3. 记录指标（重建误差只观察、不训练）/ Report metrics; the
        # reconstruction error is watched, not trained.
        rebuilt = self.generator(
            self.encoder(real, training=False), training=False
        )
        recon = ops.mean(ops.square(ops.cast(rebuilt, real.dtype) - real))
        self.d_loss_tracker.update_state(d_loss)
        self.ge_loss_tracker.update_state(ge_loss)
        self.recon_tracker.update_state(recon)
        return self.metric_logs()

    # -- saving as a .keras file -------------------------------------------
    def get_config(self):
        config = super().get_config()
        for name in ("generator", "encoder", "discriminator"):
            config[name] = keras.saving.serialize_keras_object(
                getattr(self, name)
            )
        config.update(latent_dim=self.latent_dim, seed=self.seed)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        networks = [
            keras.saving.deserialize_keras_object(
                config.pop(name), custom_objects=custom_objects
            )
            for name in ("generator", "encoder", "discriminator")
        ]
        return cls(*networks, **config)

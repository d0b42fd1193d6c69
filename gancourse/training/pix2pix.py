"""pix2pix: a conditional GAN with an L1 term, trained on paired images.

pix2pix：带 L1 项的条件 GAN，在成对图像上训练。

Isola et al., 2017, https://arxiv.org/abs/1611.07004. Networks:
``gancourse.models.unet`` and ``gancourse.models.patchgan``; data:
``gancourse.data.paired``; PSNR/SSIM: ``gancourse.metrics.quality``.
"""

import keras
import tensorflow as tf

from gancourse import losses
from gancourse import runtime
from gancourse.training.base import AdversarialModel
from gancourse.training.base import check_network
from gancourse.training.base import check_shape
from gancourse.training.base import unpack_pair


class Pix2Pix(AdversarialModel):
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

    Example::

        model = Pix2Pix(make_unet_generator((32, 32, 1)),
                        make_patchgan_discriminator((32, 32, 1), (32, 32, 1)))
        model.compile(keras.optimizers.Adam(2e-4, beta_1=0.5),
                      keras.optimizers.Adam(2e-4, beta_1=0.5))
        history = model.fit(make_dataset(masked, originals), epochs=5)
    """

    LOSS_NETWORKS = {
        "g_loss": "generator",
        "d_loss": "discriminator",
        "l1": "generator (L1 loss)",
    }

    def __init__(self, generator, discriminator, lambda_l1=100.0, **kwargs):
        super().__init__(**kwargs)
        check_network("generator", generator)
        check_network("discriminator", discriminator)
        if len(discriminator.inputs) != 2:
            raise ValueError(
                "`discriminator` must be conditional: inputs [source, "
                f"target]. Received: {len(discriminator.inputs)} input(s)"
            )
        check_shape(
            "generator output",
            generator.outputs[0],
            discriminator.inputs[1].shape[1:],
            against="discriminator target input",
        )
        self.generator = generator
        self.discriminator = discriminator
        self.lambda_l1 = runtime.check_non_negative("lambda_l1", lambda_l1)
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.l1_tracker = keras.metrics.Mean(name="l1")

    def compile(self, g_optimizer, d_optimizer, **kwargs):
        """Set the two optimizers; ``kwargs`` go to ``keras.Model.compile``.

        设置两个优化器；其余参数传给 ``keras.Model.compile``。
        """
        self.compile_optimizers(
            {"g_optimizer": self.generator, "d_optimizer": self.discriminator},
            {"g_optimizer": g_optimizer, "d_optimizer": d_optimizer},
            **kwargs,
        )

    @property
    def metrics(self):
        return [self.g_loss_tracker, self.d_loss_tracker, self.l1_tracker]

    def call(self, source, training=False):
        return self.generator(source, training=training)

    def train_step(self, data):
        source, target = unpack_pair(data)

        # 1. 更新判别器：真实对 vs 生成对 / Update D: real pairs vs fakes.
        fake = self.generator(source, training=True)
        with tf.GradientTape() as tape:
            real_logits = self.discriminator([source, target], training=True)
            fake_logits = self.discriminator([source, fake], training=True)
            d_loss = losses.non_saturating_discriminator_loss(
                real_logits, fake_logits
            )
        self.update(self.d_optimizer, self.discriminator, tape, d_loss)

        # 2. 更新生成器：对抗项 + L1 / Update G: adversarial + L1.
        with tf.GradientTape() as tape:
            fake = self.generator(source, training=True)
            fake_logits = self.discriminator([source, fake], training=True)
            l1 = losses.l1_loss(target, fake)
            g_loss = (
                losses.non_saturating_generator_loss(fake_logits)
                + self.lambda_l1 * l1
            )
        self.update(self.g_optimizer, self.generator, tape, g_loss)

        # 3. 记录指标 / Report metrics.
        self.g_loss_tracker.update_state(g_loss)
        self.d_loss_tracker.update_state(d_loss)
        self.l1_tracker.update_state(l1)
        return self.metric_logs()

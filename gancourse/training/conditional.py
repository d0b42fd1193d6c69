"""The class-conditional GAN: ``GAN`` with labels as the condition.

类别条件 GAN：以标签为条件的 ``GAN``。

Mirza & Osindero, 2014, https://arxiv.org/abs/1411.1784. The two-input
networks are built by ``gancourse.models.conditional``.
"""

import keras
import numpy as np
from keras import ops

from gancourse import runtime
from gancourse.models.conditional import check_labels
from gancourse.models.conditional import check_num_classes
from gancourse.models.conditional import num_classes_of
from gancourse.training.gan import GAN

# 生成样本标签的两种取法 / How the fakes' labels are chosen.
FAKE_LABELS = ("data", "uniform")


def _as_tensors(inputs, labels):
    return ops.convert_to_tensor(inputs), ops.convert_to_tensor(labels)


class ConditionalGAN(GAN):
    """A class-conditional GAN trained with ``fit()`` on (images, labels).

    在 (图像, 标签) 批次上用 ``fit()`` 训练的类别条件 GAN。

    Only the hooks of ``GAN`` change: ``unpack_batch`` returns the
    labels as the condition, and G and D are called with [input, labels].
    By default the fake batch of a step uses the real batch's labels, so
    G practises each class as often as the data holds it; with
    ``fake_labels="uniform"`` the fakes' labels are drawn uniformly over
    the classes instead (rare classes get as many G updates as common
    ones; D then sees far more fakes than reals of a rare class).

    Args:
        generator: keras.Model [z, labels] -> images.
        discriminator: keras.Model [images, labels] -> logits.
        num_classes: optional; read from the models' embedding layers when
            None.
        latent_dim, d_steps, seed: as ``GAN``.
        fake_labels: ``"data"`` (the real batch's labels, the default) or
            ``"uniform"`` (drawn uniformly from the model's seed
            generator, new for every D and G step).
        ema_decay, augment, r1_weight: as ``GAN`` (keywords); ``augment``
            transforms the images only, the labels stay as they are.

    Raises:
        ValueError: if a model does not take two inputs, the class
            counts disagree or ``fake_labels`` is unknown.

    Example::

        cgan = ConditionalGAN(make_conditional_generator(),
                              make_conditional_discriminator())
        cgan.compile(keras.optimizers.Adam(2e-4, beta_1=0.5),
                     keras.optimizers.Adam(2e-4, beta_1=0.5))
        cgan.fit(make_dataset(images, labels), epochs=5)
    """

    def __init__(
        self,
        generator,
        discriminator,
        num_classes=None,
        latent_dim=None,
        d_steps=1,
        seed=None,
        fake_labels="data",
        **kwargs,
    ):
        if fake_labels not in FAKE_LABELS:
            raise ValueError(
                f"`fake_labels` must be one of {FAKE_LABELS}. "
                f"Received: {fake_labels!r}"
            )
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
            None if num_classes is None else check_num_classes(num_classes),
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
        self.fake_labels = fake_labels

    def call(self, inputs, training=False):
        return self.generator_for(training)(inputs, training=training)

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
        return self.generator_for(training)([z, condition], training=training)

    def discriminate(self, images, condition, training=True):
        images, condition = _as_tensors(images, condition)
        return self.discriminator([images, condition], training=training)

    def fake_condition(self, condition, batch_size):
        """The fakes' labels: the real batch's, or uniform draws.

        生成样本的标签：沿用真实批次的标签，或在各类别间均匀抽取。
        """
        if self.fake_labels == "data":
            return condition
        labels = self.draw_for_replica(
            lambda n: keras.random.randint(
                (n,), 0, self.num_classes, seed=self.seed_generator
            ),
            batch_size,
        )
        return ops.cast(labels, ops.convert_to_tensor(condition).dtype)

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
        num_images = runtime.check_int("num_images", num_images, minimum=1)
        if labels is None:
            labels = np.arange(num_images) % self.num_classes
        labels = check_labels(labels, self.num_classes, num_images)
        z = self.latent_batch(num_images, seed)
        images = self.generate_fake(z, labels, training=False)
        return ops.convert_to_numpy(images)

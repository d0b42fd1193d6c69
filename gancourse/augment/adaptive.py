"""Adaptive discriminator augmentation (ADA): the probability controller.

自适应增强（ADA）：根据判别器的过拟合程度调节增强概率 p。
"""

import keras
from keras import ops

from gancourse import runtime
from gancourse.augment.transforms import DEFAULT_POLICY
from gancourse.augment.transforms import DiffAugment
from gancourse.augment.transforms import check_probability


class AdaptiveAugment(DiffAugment):
    """ADA: DiffAugment whose probability p follows D's overfitting.

    自适应增强（ADA）：增强概率 p 随判别器的过拟合程度自动调节。

    Karras et al., 2020, https://arxiv.org/abs/2006.06676, section 3. The
    model calls ``update(real_logits)`` after each discriminator loss;
    every ``interval`` calls::

        r_t = mean(sign(D(x_real)))      over the interval's logits
        p  <- clip(p + sign(r_t - target) * images / speed_images, 0, 1)

    where ``images`` is the number of real images of the interval
    (batch_size * interval). r_t = 0 means D does not separate the reals
    from the fakes; r_t -> 1 means it has memorised them (overfitting).
    ``speed_images``: p can go from 0 to 1 in that many real images.
    ``probability``, the accumulators and ``overfitting`` (the last r_t)
    are ``keras.Variable`` attributes, so ``TrainingCheckpoint`` saves
    them with the model.

    Differences from the paper: the transforms are DiffAugment's three
    groups, not ADA's 18 (flips, rotations, filters...); under a
    ``tf.distribute`` strategy each replica would update p from its own
    logits (not synchronised). The heuristic assumes logits, where 0 means
    undecided; a Wasserstein critic's scores have an arbitrary offset, so
    r_t means little for ``WGANGP``.

    Args:
        policy, translation_ratio, cutout_ratio, fill_value, seed: as
            ``DiffAugment``.
        target: the r_t to hold (paper: 0.6).
        interval: discriminator steps between two adjustments (paper: 4).
        speed_images: images for p to go 0 -> 1 (paper: 500,000).
        initial_probability: p at the start (paper: 0).

    Example::

        ada = AdaptiveAugment(speed_images=100_000)
        gan = GAN(generator, discriminator, augment=ada)
        ...
        history = gan.fit(dataset, epochs=20)   # logs augment_p and r_t
    """

    def __init__(
        self,
        policy=DEFAULT_POLICY,
        target=0.6,
        interval=4,
        speed_images=500_000,
        initial_probability=0.0,
        translation_ratio=0.125,
        cutout_ratio=0.5,
        fill_value=0.0,
        seed=None,
    ):
        super().__init__(
            policy, 1.0, translation_ratio, cutout_ratio, fill_value, seed
        )
        self.target = float(check_probability(target, "target"))
        self.interval = runtime.check_int("interval", interval, minimum=1)
        self.speed_images = float(
            runtime.check_int("speed_images", speed_images, minimum=1)
        )
        initial = check_probability(initial_probability, "initial_probability")

        def state(value, name, dtype="float32"):
            return keras.Variable(value, dtype, trainable=False, name=name)

        self.probability = state(float(initial), "augment_probability")
        self.overfitting = state(0.0, "augment_overfitting")
        self.sign_sum = state(0.0, "augment_sign_sum")
        self.logit_count = state(0.0, "augment_logit_count")
        self.image_count = state(0.0, "augment_image_count")
        self.step_count = state(0, "augment_step_count", "int32")

    def update(self, real_logits):
        """Add a batch of real logits to r_t; adjust p every ``interval``.

        累计一批真实样本的 logits；每 ``interval`` 步调整一次 p。

        Works eagerly and inside ``tf.function``. Returns the new p.
        """
        logits = ops.cast(real_logits, "float32")
        self.sign_sum.assign_add(ops.sum(ops.sign(logits)))
        self.logit_count.assign_add(ops.cast(ops.size(logits), "float32"))
        self.image_count.assign_add(ops.cast(ops.shape(logits)[0], "float32"))
        self.step_count.assign_add(1)
        due = self.step_count >= self.interval
        r_t = self.sign_sum / ops.maximum(self.logit_count, 1.0)
        step = ops.sign(r_t - self.target) * self.image_count
        adjusted = ops.clip(self.probability + step / self.speed_images, 0, 1)
        self.probability.assign(ops.where(due, adjusted, self.probability))
        self.overfitting.assign(ops.where(due, r_t, self.overfitting))
        for variable in (self.sign_sum, self.logit_count, self.image_count):
            variable.assign(ops.where(due, 0.0, variable))
        self.step_count.assign(ops.where(due, 0, self.step_count))
        return ops.convert_to_tensor(self.probability)

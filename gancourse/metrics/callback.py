"""FIDCallback: the FID of a GAN's generator, logged during ``fit``.

训练时的 FID 监控回调：每隔若干轮计算生成器的 FID 并写入日志。
"""

import keras
import numpy as np

from gancourse import images as course_images
from gancourse import runtime
from gancourse.metrics import distances
from gancourse.metrics import encoders


class FIDCallback(keras.callbacks.Callback):
    """Log the FID of the model's generator every ``every_n_epochs`` epochs.

    每隔 ``every_n_epochs`` 轮计算一次生成器的 FID，写入日志（名称 ``fid``）。

    Real features are computed once (first use) from a fixed sample, and the
    fakes always come from the same fixed noise, so the values of different
    epochs are comparable (same N, same extractor). The value is written
    into ``logs["fid"]``, so it appears in ``fit``'s printed line and in
    ``history.history["fid"]`` (epochs without an evaluation have no entry
    there; see ``self.epochs`` and ``self.values``). In fast mode both
    sample sizes are capped by ``gancourse.runtime.BUDGET.images``.

    Args:
        real_images: array (N, H, W, C) in [-1, 1].
        num_images: number of real and fake images used (at most N).
        every_n_epochs: positive int.
        encoder: optional keras.Model from ``make_feature_encoder``.
        batch_size: generator/encoder batch size.
        condition: optional condition passed to ``model.generate_fake``.
        seed: NumPy seed of the real subset and the fixed noise.

    Attributes:
        epochs: list of the (1-based) epochs evaluated.
        values: list of FID values, one per entry of ``epochs``.
    """

    def __init__(
        self,
        real_images,
        num_images=2000,
        every_n_epochs=1,
        encoder=None,
        batch_size=500,
        condition=None,
        seed=0,
    ):
        super().__init__()
        real_images = course_images.check_images(
            real_images, "real_images", channels=None, value_range=False
        )
        num_images = runtime.check_int("num_images", num_images, minimum=1)
        num_images = runtime.BUDGET.images(num_images)
        self.num_images = max(2, min(num_images, len(real_images)))
        self.every_n_epochs = runtime.check_int(
            "every_n_epochs", every_n_epochs, minimum=1
        )
        self.batch_size = runtime.check_int("batch_size", batch_size, minimum=1)
        rng = np.random.default_rng(seed)
        index = rng.choice(len(real_images), self.num_images, replace=False)
        self.real_images = real_images[index]
        self.encoder = encoder
        self.condition = condition
        self.seed = seed
        self.noise = None
        self.real_features = None
        self.epochs = []
        self.values = []

    def _generate(self):
        generator = self.model.generator
        if self.noise is None:
            latent_dim = int(generator.inputs[0].shape[-1])
            rng = np.random.default_rng(self.seed + 1)
            self.noise = rng.standard_normal(
                (self.num_images, latent_dim)
            ).astype("float32")
        batches = []
        for start in range(0, self.num_images, self.batch_size):
            z = self.noise[start : start + self.batch_size]
            if hasattr(self.model, "generate_fake"):
                condition = self.condition
                if condition is not None:
                    condition = condition[start : start + self.batch_size]
                images = self.model.generate_fake(z, condition, training=False)
            else:
                images = generator(z, training=False)
            batches.append(keras.ops.convert_to_numpy(images))
        return np.concatenate(batches).astype("float32")

    def compute(self):
        """FID of the current generator against the fixed real sample."""
        if self.real_features is None:
            self.real_features = encoders.extract_features(
                self.real_images, self.encoder, self.batch_size
            )
        fake = encoders.extract_features(
            self._generate(), self.encoder, self.batch_size
        )
        return distances.frechet_distance(self.real_features, fake)

    def on_epoch_end(self, epoch, logs=None):
        if (epoch + 1) % self.every_n_epochs:
            return
        value = self.compute()
        self.epochs.append(epoch + 1)
        self.values.append(value)
        if logs is not None:
            logs["fid"] = value

"""FIDCallback: the FID of a GAN's generator, logged during ``fit``.

训练时的 FID 监控回调：每隔若干轮计算生成器的 FID 并写入日志。
"""

import keras
import numpy as np

from gancourse import images as course_images
from gancourse import runtime
from gancourse.metrics import distances
from gancourse.metrics import encoders


def fixed_noise(generator, num_images, seed):
    """The callbacks' fixed noise: N(0, I) draws of NumPy seed ``seed + 1``.

    回调使用的固定噪声（NumPy 种子为 ``seed + 1``）。
    """
    latent_dim = int(generator.inputs[0].shape[-1])
    rng = np.random.default_rng(seed + 1)
    return rng.standard_normal((num_images, latent_dim)).astype("float32")


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
            self.noise = fixed_noise(generator, self.num_images, self.seed)
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


class DiscriminatorMonitor(keras.callbacks.Callback):
    """Track how the discriminator judges training reals, held-out reals, fakes.

    监控判别器的过拟合：记录它对训练集真实图像、未见过的真实图像和生成图像的准确率。

    Every ``every_n_steps`` training batches the discriminator (inference
    mode, no augmentation) scores three fixed sets and the accuracies are
    appended to ``self.values``:

    - ``"train"``: share of the training reals it calls real (logit > 0);
    - ``"held_out"``: the same for real images it never trained on;
    - ``"fake"``: share of fresh fakes (fixed noise, the raw generator in
      inference mode) it calls fake (logit < 0).

    A healthy discriminator treats both real sets alike. When it memorises
    a small training set, ``train`` stays high while ``held_out`` falls
    towards ``1 - fake``: the held-out reals are judged like fakes (Karras
    et al., 2020, https://arxiv.org/abs/2006.06676, figure 1). ``sign``
    holds E[sign(D(x))] on the training reals, ADA's r_t, and
    ``train_logit`` / ``held_out_logit`` / ``fake_logit`` the mean logits.

    Args:
        train_images: array (N, H, W, C) of images D trains on.
        held_out_images: array (M, H, W, C) of real images it never sees.
        every_n_steps: positive int.
        num_images: images per set (at most N and M).
        seed: NumPy seed of the subsets and the fixed noise.

    Attributes:
        steps: list of the (1-based) training steps evaluated (counted
            from the callback's first ``fit``).
        values: dict of ``KEYS`` (``"train"``, ``"held_out"``, ``"fake"``,
            ``"sign"`` and the three mean logits) -> list of floats, one
            per entry of ``steps``.

    Example::

        monitor = DiscriminatorMonitor(train_images, test_images, 100)
        gan.fit(dataset, epochs=20, callbacks=[monitor])
        plt.plot(monitor.steps, monitor.values["held_out"])
    """

    KEYS = (
        "train",
        "held_out",
        "fake",
        "sign",
        "train_logit",
        "held_out_logit",
        "fake_logit",
    )

    def __init__(
        self,
        train_images,
        held_out_images,
        every_n_steps=100,
        num_images=500,
        seed=0,
    ):
        super().__init__()
        train_images = course_images.check_images(
            train_images, "train_images", channels=None, value_range=False
        )
        held_out_images = course_images.check_images(
            held_out_images,
            "held_out_images",
            channels=None,
            value_range=False,
        )
        if train_images.shape[1:] != held_out_images.shape[1:]:
            raise ValueError(
                "`train_images` and `held_out_images` must have one image "
                f"shape. Received: {train_images.shape[1:]} and "
                f"{held_out_images.shape[1:]}"
            )
        self.every_n_steps = runtime.check_int(
            "every_n_steps", every_n_steps, minimum=1
        )
        num_images = runtime.check_int("num_images", num_images, minimum=1)
        num_images = min(num_images, len(train_images), len(held_out_images))
        rng = np.random.default_rng(seed)
        self.train_images = train_images[
            rng.choice(len(train_images), num_images, replace=False)
        ]
        self.held_out_images = held_out_images[
            rng.choice(len(held_out_images), num_images, replace=False)
        ]
        self.num_images = num_images
        self.seed = seed
        self.noise = None
        self.count = 0
        self.steps = []
        self.values = {key: [] for key in self.KEYS}

    def _logits(self, images):
        # 每张图像一个 logit（PatchGAN 取平均）/ One logit per image (a
        # PatchGAN's are averaged).
        logits = encoders.extract_features(images, self.model.discriminator)
        return logits.reshape(len(images), -1).mean(axis=1)

    def _fakes(self):
        generator = self.model.generator
        if self.noise is None:
            self.noise = fixed_noise(generator, self.num_images, self.seed)
        return keras.ops.convert_to_numpy(generator(self.noise, training=False))

    def compute(self):
        """The ``KEYS`` values for the current networks, as a dict."""
        train = self._logits(self.train_images)
        held_out = self._logits(self.held_out_images)
        fake = self._logits(self._fakes())
        return {
            "train": float(np.mean(train > 0)),
            "held_out": float(np.mean(held_out > 0)),
            "fake": float(np.mean(fake < 0)),
            "sign": float(np.mean(np.sign(train))),
            "train_logit": float(np.mean(train)),
            "held_out_logit": float(np.mean(held_out)),
            "fake_logit": float(np.mean(fake)),
        }

    def on_train_batch_end(self, batch, logs=None):
        self.count += 1
        if self.count % self.every_n_steps:
            return
        self.steps.append(self.count)
        for key, value in self.compute().items():
            self.values[key].append(value)

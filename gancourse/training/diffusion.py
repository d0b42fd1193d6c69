"""A denoising diffusion model (DDPM) as a ``keras.Model`` (lesson 11).

去噪扩散概率模型（DDPM）：以 ``keras.Model`` 子类实现（第 11 课）。

The forward process adds Gaussian noise in ``T`` small steps; in closed
form ``x_t = sqrt(abar_t) * x_0 + sqrt(1 - abar_t) * eps`` (Ho et al.
2020). A network learns to predict ``eps`` from ``(x_t, t)`` with a plain
mean squared error, so training is one ``fit`` with no adversary. Sampling
runs the process backwards: ``ancestral`` (the DDPM sampler, ``T`` network
calls per image, or fewer on a respaced schedule) or ``ddim`` (Song et al.
2021, deterministic, any number of steps).

- ``NoiseSchedule``: betas and their cumulative products, ``q_sample``;
- ``epsilon_loss``: the training loss, a pure function;
- ``DDPM``: ``compile(optimizer)`` / ``fit`` / ``sample``, with an optional
  EMA copy of the network (used for sampling, as in every DDPM).
"""

import keras
import numpy as np
import tensorflow as tf
from keras import ops

from gancourse import runtime
from gancourse.training import ema
from gancourse.training.base import apply_update
from gancourse.training.base import draw_for_replica
from gancourse.training.base import loss_scaled

SAMPLERS = ("ancestral", "ddim")


class NoiseSchedule:
    """The betas of the forward process and the products they give.

    前向加噪过程的噪声表：beta_t、alpha_t 及其累积乘积 abar_t。

    Args:
        num_steps: T, the number of noising steps.
        beta_start, beta_end: the linear schedule of Ho et al. (2020).

    Example:
        >>> s = NoiseSchedule(1000)
        >>> round(float(s.alpha_bars[0]), 4), float(s.alpha_bars[-1]) < 1e-4
        (0.9999, True)
    """

    def __init__(self, num_steps=1000, beta_start=1e-4, beta_end=0.02):
        self.num_steps = runtime.check_int("num_steps", num_steps, minimum=2)
        if not 0.0 < beta_start <= beta_end < 1.0:
            raise ValueError(
                "The betas must satisfy 0 < beta_start <= beta_end < 1. "
                f"Received: beta_start={beta_start}, beta_end={beta_end}"
            )
        self.beta_start, self.beta_end = float(beta_start), float(beta_end)
        self.betas = np.linspace(beta_start, beta_end, self.num_steps)
        self.alphas = 1.0 - self.betas
        self.alpha_bars = np.cumprod(self.alphas)

    def q_sample(self, x0, t, noise):
        """``x_t`` from ``x_0`` in one jump (the closed form).

        由 x_0 一步得到 x_t：sqrt(abar_t) x_0 + sqrt(1 - abar_t) eps。

        Args:
            x0: clean images (batch, H, W, C).
            t: integer steps (batch,), in [0, T).
            noise: standard normal, the shape of ``x0``.
        """
        abar = ops.take(ops.convert_to_tensor(self.alpha_bars, "float32"), t)
        abar = ops.reshape(abar, (-1, 1, 1, 1))
        return ops.sqrt(abar) * x0 + ops.sqrt(1.0 - abar) * noise


def epsilon_loss(noise, predicted):
    """Mean squared error between the true and the predicted noise.

    噪声预测损失：真实噪声与预测噪声的均方误差。

    >>> import numpy as np
    >>> eps = np.ones((2, 4, 4, 1), "float32")
    >>> float(epsilon_loss(eps, eps)), float(epsilon_loss(eps, 0 * eps))
    (0.0, 1.0)
    """
    predicted = ops.cast(predicted, "float32")
    return ops.mean(ops.square(ops.cast(noise, "float32") - predicted))


class DDPM(keras.Model):
    """A diffusion model that learns to predict the noise (DDPM).

    扩散模型（DDPM）：训练网络从 x_t 预测噪声，再从纯噪声逐步去噪生成图像。

    Args:
        network: a ``keras.Model`` mapping ``[x_t, t]`` to the predicted
            noise (``gancourse.models.make_diffusion_unet``).
        schedule: a ``NoiseSchedule`` (default: T = 1000, linear).
        ema_decay: if a float in [0, 1), also keep an exponential moving
            average of the network (``ema_network``), used for sampling.
        sample_steps: DDIM steps used by ``generate_fake`` (sample grids).
        seed: seed of the noise and time-step draws.

    Example:
        >>> from gancourse.models import make_diffusion_unet
        >>> ddpm = DDPM(make_diffusion_unet(base_filters=8))
        >>> ddpm.noise_shape
        (28, 28, 1)
    """

    def __init__(
        self,
        network,
        schedule=None,
        ema_decay=None,
        sample_steps=50,
        seed=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if not isinstance(network, keras.Model):
            raise TypeError(
                "`network` must be a keras.Model. Received: "
                f"{type(network).__name__}"
            )
        self.network = network
        self.schedule = schedule or NoiseSchedule()
        if not isinstance(self.schedule, NoiseSchedule):
            raise TypeError(
                "`schedule` must be a NoiseSchedule. Received: "
                f"{type(schedule).__name__}"
            )
        self.noise_shape = tuple(int(d) for d in network.inputs[0].shape[1:])
        self.sample_steps = runtime.check_int(
            "sample_steps", sample_steps, minimum=1
        )
        self.ema_decay = None
        self.ema_network = None
        if ema_decay is not None:
            self.ema_decay = ema.check_decay(ema_decay)
            self.ema_network = ema.make_average(network)
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.loss_tracker = keras.metrics.Mean(name="loss")

    def fit(self, *args, epochs=1, **kwargs):
        """``keras.Model.fit``, with ``epochs`` capped in fast mode.

        与 ``keras.Model.fit`` 相同；快速模式下限制轮数。
        """
        kwargs.setdefault("shuffle", False)
        return super().fit(
            *args, epochs=runtime.BUDGET.epochs(epochs), **kwargs
        )

    def compile(self, optimizer, **kwargs):
        """Set the optimizer (``keras.Model.compile`` options pass through).

        设置优化器；其余参数（如 ``jit_compile``）交给 ``keras.Model.compile``。
        """
        if not isinstance(optimizer, keras.optimizers.Optimizer):
            raise TypeError(
                "`optimizer` must be a keras.optimizers.Optimizer instance. "
                f"Received: optimizer={optimizer!r}"
            )
        super().compile(
            optimizer=loss_scaled(optimizer, self.network), **kwargs
        )
        self.optimizer.build(self.network.trainable_weights)

    @property
    def metrics(self):
        return [self.loss_tracker]

    def network_for(self, training):
        """The network to run: itself while training, else the EMA copy."""
        if training or self.ema_network is None:
            return self.network
        return self.ema_network

    def call(self, inputs, training=False):
        x_t, t = inputs
        return self.network_for(training)([x_t, t], training=training)

    def train_step(self, data):
        x0 = data[0] if isinstance(data, tuple) else data
        x0 = ops.cast(x0, "float32")
        batch_size = ops.shape(x0)[0]
        t = draw_for_replica(
            lambda n: keras.random.randint(
                (n,), 0, self.schedule.num_steps, seed=self.seed_generator
            ),
            batch_size,
        )
        noise = draw_for_replica(
            lambda n: keras.random.normal(
                (n,) + self.noise_shape, seed=self.seed_generator
            ),
            batch_size,
        )
        x_t = self.schedule.q_sample(x0, t, noise)
        with tf.GradientTape() as tape:
            predicted = self.network([x_t, t], training=True)
            loss = epsilon_loss(noise, predicted)
        apply_update(self.optimizer, self.network, tape, loss)
        if self.ema_network is not None:
            step = self.optimizer.iterations
            decay = ema.decay_at(step, self.ema_decay)
            ema.update_average(self.ema_network, self.network, decay)
        self.loss_tracker.update_state(loss)
        return {"loss": self.loss_tracker.result()}

    def generate_fake(self, noise, condition=None, training=False):
        """Denoise ``noise`` (x_T) with ``sample_steps`` DDIM steps.

        用 ``sample_steps`` 步 DDIM 把噪声 x_T 去噪成图像（供样本网格使用）。
        """
        del condition, training
        return self.denoise(noise, steps=self.sample_steps, sampler="ddim")

    def sample(self, num_images=16, steps=None, sampler="ddim", seed=None):
        """Generate ``num_images`` images (NumPy, clipped to [-1, 1]).

        生成 ``num_images`` 张图像（NumPy 数组，裁剪到 [-1, 1]）。

        Args:
            num_images: how many.
            steps: network calls per image (default: T for ``ancestral``,
                ``sample_steps`` for ``ddim``). Fewer than T ancestral
                steps use the respaced schedule of Nichol & Dhariwal
                (2021); both samplers are capped in fast mode.
            sampler: "ancestral" (DDPM) or "ddim".
            seed: NumPy seed of x_T and of the ancestral noise.
        """
        num_images = runtime.check_int("num_images", num_images, minimum=1)
        rng = np.random.default_rng(seed)
        noise = rng.standard_normal((num_images,) + self.noise_shape)
        return self.denoise(noise.astype("float32"), steps, sampler, rng)

    def timesteps(self, steps, sampler):
        """The steps a sampler visits, from T - 1 down to 0 (evenly spaced).

        采样器访问的时间步：从 T - 1 递减到 0，均匀间隔。
        """
        if sampler not in SAMPLERS:
            raise ValueError(
                f"`sampler` must be one of {SAMPLERS}. Received: {sampler!r}"
            )
        total = self.schedule.num_steps
        if steps is None:
            steps = total if sampler == "ancestral" else self.sample_steps
        steps = runtime.check_int("steps", steps, minimum=1, maximum=total)
        # 快速模式下只走几步 / A few steps in fast mode.
        steps = runtime.BUDGET.iterations(steps)
        return np.unique(np.linspace(0, total - 1, steps).round())[::-1]

    def denoise(self, x_t, steps=None, sampler="ddim", rng=None):
        """Run the reverse process from ``x_t`` = x_T; return NumPy images.

        从 x_T 开始运行反向过程，返回 [-1, 1] 内的 NumPy 图像。
        """
        times = self.timesteps(steps, sampler)
        x = tf.convert_to_tensor(np.asarray(x_t, "float32"))
        rng = rng or np.random.default_rng()
        for i, t in enumerate(times):
            t = int(t)
            previous = int(times[i + 1]) if i + 1 < len(times) else -1
            eps = self._predict(x, tf.fill((tf.shape(x)[0],), t))
            x = self._reverse_step(x, eps, t, previous, sampler, rng)
        return np.clip(ops.convert_to_numpy(x), -1.0, 1.0)

    @tf.function(reduce_retracing=True)
    def _predict(self, x, t):
        network = self.network_for(False)
        return ops.cast(network([x, t], training=False), x.dtype)

    def _reverse_step(self, x, eps, t, previous, sampler, rng):
        abar_t = float(self.schedule.alpha_bars[t])
        abar_prev = 1.0
        if previous >= 0:
            abar_prev = float(self.schedule.alpha_bars[previous])
        # x_0 的估计（裁剪到数据范围）/ The estimate of x_0, clipped.
        x0 = (x - (1.0 - abar_t) ** 0.5 * eps) / abar_t**0.5
        x0 = tf.clip_by_value(x0, -1.0, 1.0)
        if sampler == "ddim":
            eps = (x - abar_t**0.5 * x0) / (1.0 - abar_t) ** 0.5
            return abar_prev**0.5 * x0 + (1.0 - abar_prev) ** 0.5 * eps
        # DDPM 后验 q(x_prev | x_t, x_0)。跳步时 beta 取两步之间的等效值
        # (Nichol & Dhariwal 2021)；相邻两步时就是 beta_t / The DDPM
        # posterior; with skipped steps beta is the effective beta between
        # the two steps, which is beta_t itself for consecutive steps.
        alpha = abar_t / abar_prev
        beta = 1.0 - alpha
        mean = (abar_prev**0.5 * beta / (1.0 - abar_t)) * x0 + (
            alpha**0.5 * (1.0 - abar_prev) / (1.0 - abar_t)
        ) * x
        if previous < 0:
            return mean
        variance = beta * (1.0 - abar_prev) / (1.0 - abar_t)
        z = rng.standard_normal(tuple(x.shape)).astype("float32")
        return mean + variance**0.5 * z

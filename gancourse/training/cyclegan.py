"""CycleGAN: unpaired image-to-image translation, trained with ``fit()``.

CycleGAN：非成对的图像到图像翻译，用 ``fit()`` 训练。

Zhu et al., 2017, https://arxiv.org/abs/1703.10593: two generators G: X -> Y
and F: Y -> X (``gancourse.models.resnet``), two PatchGAN discriminators
(``gancourse.models.patchgan``), least-squares adversarial losses plus
cycle-consistency and identity losses (``gancourse.losses``). Data: two
unpaired Fashion-MNIST domains offline (``gancourse.data.paired``).
"""

import keras
import numpy as np
import tensorflow as tf
from keras import ops

from gancourse import losses
from gancourse import runtime
from gancourse.training.base import AdversarialModel
from gancourse.training.base import check_network
from gancourse.training.base import check_shape
from gancourse.training.base import unpack_pair


class CycleGAN(AdversarialModel):
    """CycleGAN: two generators and two discriminators on unpaired domains.

    CycleGAN：在两个非成对域上训练的两个生成器与两个判别器。

    Zhu et al., 2017, https://arxiv.org/abs/1703.10593.
    G: X -> Y, F: Y -> X, D_Y judges G(x), D_X judges F(y).
    gen_loss = LS_G(D_Y(G(x))) + LS_G(D_X(F(y)))
        + lambda_cycle * (|F(G(x)) - x| + |G(F(y)) - y|)
        + lambda_cycle * lambda_identity * (|G(y) - y| + |F(x) - x|);
    d_x_loss = LS_D(D_X(x), D_X(pool(F(y)))), likewise d_y_loss.
    The generator phase (one tape, gradients applied to G and F separately)
    runs first; the discriminator phase then uses its fakes.

    Args:
        generator_g: keras.Model X -> Y.
        generator_f: keras.Model Y -> X.
        discriminator_x: keras.Model on X images returning logits.
        discriminator_y: keras.Model on Y images returning logits.
        lambda_cycle: weight of the cycle-consistency loss (10).
        lambda_identity: identity weight relative to lambda_cycle (0.5);
            0 disables the identity term.
        pool_size: size of the image history buffer of each discriminator
            (Shrivastava et al., 2017; 50 in the paper); 0 disables it.
        seed: int seed of the pool's ``keras.random.SeedGenerator``.
    """

    LOSS_NETWORKS = {
        "g_loss": "generators",
        "d_x_loss": "discriminator_x",
        "d_y_loss": "discriminator_y",
        "cycle": "generators (cycle loss)",
        "identity": "generators (identity loss)",
    }

    def __init__(
        self,
        generator_g,
        generator_f,
        discriminator_x,
        discriminator_y,
        lambda_cycle=10.0,
        lambda_identity=0.5,
        pool_size=0,
        seed=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        for name, network in (
            ("generator_g", generator_g),
            ("generator_f", generator_f),
            ("discriminator_x", discriminator_x),
            ("discriminator_y", discriminator_y),
        ):
            check_network(name, network)
        shape_x = tuple(generator_g.inputs[0].shape[1:])
        shape_y = tuple(generator_g.outputs[0].shape[1:])
        x, y = "generator_g input (domain X)", "generator_g output (domain Y)"
        check_shape("generator_f output", generator_f.outputs[0], shape_x, x)
        check_shape("generator_f input", generator_f.inputs[0], shape_y, y)
        check_shape(
            "discriminator_x input", discriminator_x.inputs[0], shape_x, x
        )
        check_shape(
            "discriminator_y input", discriminator_y.inputs[0], shape_y, y
        )
        lambda_cycle = runtime.check_non_negative("lambda_cycle", lambda_cycle)
        lambda_identity = runtime.check_non_negative(
            "lambda_identity", lambda_identity
        )
        if float(lambda_identity) and shape_x != shape_y:
            raise ValueError(
                "The identity loss needs domains of one shape. Received: "
                f"{shape_x} and {shape_y}; use lambda_identity=0"
            )
        pool_size = runtime.check_int("pool_size", pool_size, minimum=0)
        self.generator_g = generator_g
        self.generator_f = generator_f
        self.discriminator_x = discriminator_x
        self.discriminator_y = discriminator_y
        self.lambda_cycle = lambda_cycle
        self.lambda_identity = lambda_identity
        self.pool_size = pool_size
        self.seed_generator = keras.random.SeedGenerator(seed)
        if self.pool_size:
            self.pool_x = ImagePool(self.pool_size, shape_x, "pool_x")
            self.pool_y = ImagePool(self.pool_size, shape_y, "pool_y")
        names = ("g_loss", "d_x_loss", "d_y_loss", "cycle", "identity")
        self.trackers = {n: keras.metrics.Mean(name=n) for n in names}

    def compile(
        self, g_optimizer, f_optimizer, d_x_optimizer, d_y_optimizer, **kwargs
    ):
        """Set one optimizer per network; ``kwargs`` go to ``compile``.

        为每个网络设置各自的优化器；其余参数传给 ``keras.Model.compile``。
        """
        self.compile_optimizers(
            {
                "g_optimizer": self.generator_g,
                "f_optimizer": self.generator_f,
                "d_x_optimizer": self.discriminator_x,
                "d_y_optimizer": self.discriminator_y,
            },
            {
                "g_optimizer": g_optimizer,
                "f_optimizer": f_optimizer,
                "d_x_optimizer": d_x_optimizer,
                "d_y_optimizer": d_y_optimizer,
            },
            **kwargs,
        )

    @property
    def metrics(self):
        return list(self.trackers.values())

    def call(self, real_x, training=False):
        return self.generator_g(real_x, training=training)

    def generator_step(self, real_x, real_y):
        """Update G and F once; return (fake_x, fake_y, losses dict).

        更新一次 G 和 F；返回生成图像与各项损失。
        """
        with tf.GradientTape(persistent=True) as tape:
            fake_y = self.generator_g(real_x, training=True)
            fake_x = self.generator_f(real_y, training=True)
            cycled_x = self.generator_f(fake_y, training=True)
            cycled_y = self.generator_g(fake_x, training=True)
            adversarial = losses.least_squares_generator_loss(
                self.discriminator_y(fake_y, training=True)
            ) + losses.least_squares_generator_loss(
                self.discriminator_x(fake_x, training=True)
            )
            cycle = losses.cycle_consistency_loss(
                real_x, cycled_x
            ) + losses.cycle_consistency_loss(real_y, cycled_y)
            g_loss = adversarial + self.lambda_cycle * cycle
            identity = ops.zeros((), "float32")
            if self.lambda_identity:
                # 恒等项：G 作用在 Y 上应近似不变 / G should leave Y alone.
                identity = losses.identity_loss(
                    real_y, self.generator_g(real_y, training=True)
                ) + losses.identity_loss(
                    real_x, self.generator_f(real_x, training=True)
                )
                g_loss += self.lambda_cycle * self.lambda_identity * identity
        # 同一个总损失，梯度分别只作用于各自网络 / One joint objective, each
        # optimizer applies its gradients to its own network only.
        self.update(self.g_optimizer, self.generator_g, tape, g_loss)
        self.update(self.f_optimizer, self.generator_f, tape, g_loss)
        del tape
        return (
            fake_x,
            fake_y,
            {"g_loss": g_loss, "cycle": cycle, "identity": identity},
        )

    def discriminator_step(self, real_x, real_y, fake_x, fake_y):
        """Update D_X and D_Y once on given fakes; return their losses.

        用给定的生成图像更新一次 D_X 和 D_Y；返回两者的损失。
        """
        fake_x = ops.stop_gradient(fake_x)
        fake_y = ops.stop_gradient(fake_y)
        if self.pool_size:
            fake_x = self.pool_x.query(fake_x, self.seed_generator)
            fake_y = self.pool_y.query(fake_y, self.seed_generator)
        result = {}
        for key, model, optimizer, real, fake in (
            (
                "d_x_loss",
                self.discriminator_x,
                self.d_x_optimizer,
                real_x,
                fake_x,
            ),
            (
                "d_y_loss",
                self.discriminator_y,
                self.d_y_optimizer,
                real_y,
                fake_y,
            ),
        ):
            with tf.GradientTape() as tape:
                d_loss = losses.least_squares_discriminator_loss(
                    model(real, training=True), model(fake, training=True)
                )
            self.update(optimizer, model, tape, d_loss)
            result[key] = d_loss
        return result

    def train_step(self, data):
        real_x, real_y = unpack_pair(data)
        # 1. 生成器阶段 / Generator phase (G and F).
        fake_x, fake_y, results = self.generator_step(real_x, real_y)
        # 2. 判别器阶段 / Discriminator phase (D_X and D_Y).
        results.update(self.discriminator_step(real_x, real_y, fake_x, fake_y))
        # 3. 记录指标 / Report metrics.
        for name, value in results.items():
            self.trackers[name].update_state(value)
        return self.metric_logs()


class ImagePool:
    """History of generated images (Shrivastava et al., 2017).

    生成图像的历史缓冲区：判别器看到的假图像约一半来自过去的生成器。
    """

    def __init__(self, size, shape, name):
        self.size = size
        self.images = keras.Variable(
            np.zeros((size, *shape), "float32"), trainable=False, name=name
        )
        self.count = keras.Variable(
            0, dtype="int32", trainable=False, name=name + "_count"
        )

    def query(self, fake, seed_generator):
        """Return a batch where about half the images come from history."""
        fake = ops.cast(fake, "float32")
        batch = ops.shape(fake)[0]
        position = self.count + ops.arange(batch, dtype="int32")
        filling = position < self.size
        # 池未满时直接存入；满后以 1/2 概率与旧图交换 / Fill first, then swap
        # with an old image with probability 1/2.
        old_index = keras.random.randint(
            (batch,), 0, self.size, seed=seed_generator, dtype="int32"
        ) % ops.maximum(self.count, 1)
        swap = ops.logical_and(
            keras.random.uniform((batch,), seed=seed_generator) < 0.5,
            ops.logical_not(filling),
        )
        index = ops.where(filling, position % self.size, old_index)
        old = ops.take(self.images, index, axis=0)
        mask = ops.reshape(swap, (-1, 1, 1, 1))
        returned = ops.where(mask, old, fake)
        write = ops.reshape(ops.logical_or(filling, swap), (-1, 1, 1, 1))
        stored = ops.where(write, fake, old)
        self.images.assign(
            ops.scatter_update(self.images, ops.expand_dims(index, 1), stored)
        )
        self.count.assign(ops.minimum(self.count + batch, self.size))
        return returned

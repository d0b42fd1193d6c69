"""Images/second of DCGAN training: gancourse against the TF tutorial step.

DCGAN 训练吞吐量（图像/秒）：gancourse 与 TensorFlow 教程写法的对比。

    python benchmarks/train_step.py                     # 310 s here
    python benchmarks/train_step.py --quick             # about 1 min
    python benchmarks/train_step.py --batch-sizes 256 --repeats 5

Every variant trains the lesson-02 DCGAN (``make_dcgan_generator`` and
``make_dcgan_discriminator`` with their defaults = the TF DCGAN tutorial's
model) on 28x28x1 images:

- ``tutorial``: the classic TensorFlow DCGAN tutorial step, as published:
  ``BinaryCrossentropy(from_logits=True)``, two tapes open at once, one G
  forward pass shared by both updates (simultaneous update), ``@tf.function``,
  a Python loop over a ``tf.data`` pipeline.
- ``tutorial-alt``: the same tutorial-style code, but the alternating update
  of gancourse (D step, then a G step with new noise against the updated D).
- ``step``: ``gancourse.training.make_train_step`` in a Python loop.
- ``fit``: ``gancourse.GAN.fit``.

Modes: ``tf.function`` (float32), ``eager`` (no ``tf.function``), ``xla``
(``jit_compile=True``), ``bf16`` (the ``mixed_bfloat16`` policy) and, only
when a GPU is present, ``fp16`` (``mixed_float16`` with loss scaling).
Input: ``tf.data`` with cache + prefetch (``data.make_dataset``), the
tutorial's pipeline (shuffle + batch only) or NumPy batches.

Method: every variant is built and warmed up once (tracing, XLA compile),
then the measurements are interleaved: repeat r runs every variant once
before repeat r + 1 starts, so a load change on this shared machine hits all
variants alike. One measurement = a fresh pass over the input, one untimed
step, then ``--steps`` timed steps; the table shows the median images/s
over ``--repeats`` measurements (and the min-max range). The ratio column
is the median over repeats of the ratio to the tutorial row timed in the
same repeat, which is far less sensitive to other jobs on the machine than
the absolute numbers. "310 s here" is this 2-core CPU at load average 2.6.

FLOPs are counted analytically from the layers (multiply-adds of Dense,
Conv2D and Conv2DTranspose, 1 MAC = 2 FLOPs; BatchNorm, activations,
dropout and the optimizer update are left out). A network call that is
differentiated counts 3x its forward FLOPs (backward ~ 2x forward), an
undifferentiated call 1x. Per image that is 3 G + 6 D for the tutorial step
(G(z), D(real), D(fake), all differentiated) and 4 G + 9 D for the
alternating step (G(z) without tape, D(real), D(fake); then G(z'), D(fake')).
"""

import argparse
import os
import platform
import statistics
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
# 基准测试要完整数据 / The benchmark needs full data sets, not fast mode.
os.environ.pop("GANCOURSE_FAST", None)

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

import gancourse  # noqa: E402
from gancourse import data  # noqa: E402
from gancourse import models  # noqa: E402
from gancourse import training  # noqa: E402

LATENT_DIM = 100
IMAGE_SHAPE = (28, 28, 1)
LEARNING_RATE = 1e-4


# -- FLOPs ---------------------------------------------------------------
def forward_macs(model):
    """Multiply-adds of one forward pass per sample (Dense and convs)."""
    total = 0
    for layer in model.layers:
        if isinstance(layer, keras.layers.Dense):
            inputs = layer.input.shape
            total += int(np.prod(inputs[1:])) * layer.units
        elif isinstance(layer, keras.layers.Conv2DTranspose):
            height, width, channels = layer.input.shape[1:]
            kernel = int(np.prod(layer.kernel_size))
            total += height * width * channels * kernel * layer.filters
        elif isinstance(layer, keras.layers.Conv2D):
            height, width, _ = layer.output.shape[1:]
            channels = layer.input.shape[-1]
            kernel = int(np.prod(layer.kernel_size))
            total += height * width * layer.filters * kernel * channels
    return total


def step_flops(generator, discriminator, kind):
    """Estimated training FLOPs per image of one step of ``kind``."""
    g_flops = 2 * forward_macs(generator)
    d_flops = 2 * forward_macs(discriminator)
    if kind == "tutorial":
        return 3 * g_flops + 6 * d_flops
    return 4 * g_flops + 9 * d_flops


# -- the classic tutorial step -------------------------------------------
def make_tutorial_step(generator, discriminator, batch_size, mode, alternate):
    """The TF DCGAN tutorial's train_step (or its alternating variant)."""
    cross_entropy = keras.losses.BinaryCrossentropy(from_logits=True)
    generator_optimizer = keras.optimizers.Adam(LEARNING_RATE)
    discriminator_optimizer = keras.optimizers.Adam(LEARNING_RATE)
    if mode == "fp16":
        generator_optimizer = keras.optimizers.LossScaleOptimizer(
            generator_optimizer
        )
        discriminator_optimizer = keras.optimizers.LossScaleOptimizer(
            discriminator_optimizer
        )

    def discriminator_loss(real_output, fake_output):
        real_loss = cross_entropy(tf.ones_like(real_output), real_output)
        fake_loss = cross_entropy(tf.zeros_like(fake_output), fake_output)
        return real_loss + fake_loss

    def generator_loss(fake_output):
        return cross_entropy(tf.ones_like(fake_output), fake_output)

    def apply(optimizer, tape, loss, network):
        variables = network.trainable_variables
        gradients = tape.gradient(optimizer.scale_loss(loss), variables)
        optimizer.apply(gradients, variables)

    def train_step(images):
        noise = tf.random.normal([batch_size, LATENT_DIM])
        with tf.GradientTape() as gen_tape, tf.GradientTape() as disc_tape:
            generated_images = generator(noise, training=True)
            real_output = discriminator(images, training=True)
            fake_output = discriminator(generated_images, training=True)
            gen_loss = generator_loss(fake_output)
            disc_loss = discriminator_loss(real_output, fake_output)
        apply(generator_optimizer, gen_tape, gen_loss, generator)
        apply(discriminator_optimizer, disc_tape, disc_loss, discriminator)
        return {"d_loss": disc_loss, "g_loss": gen_loss}

    def alternating_step(images):
        noise = tf.random.normal([batch_size, LATENT_DIM])
        generated_images = generator(noise, training=True)
        with tf.GradientTape() as disc_tape:
            real_output = discriminator(images, training=True)
            fake_output = discriminator(generated_images, training=True)
            disc_loss = discriminator_loss(real_output, fake_output)
        apply(discriminator_optimizer, disc_tape, disc_loss, discriminator)
        noise = tf.random.normal([batch_size, LATENT_DIM])
        with tf.GradientTape() as gen_tape:
            fake_output = discriminator(
                generator(noise, training=True), training=True
            )
            gen_loss = generator_loss(fake_output)
        apply(generator_optimizer, gen_tape, gen_loss, generator)
        return {"d_loss": disc_loss, "g_loss": gen_loss}

    function = alternating_step if alternate else train_step
    if mode == "eager":
        return function
    return tf.function(function, jit_compile=mode == "xla")


# -- variants --------------------------------------------------------------
class Variant:
    """One configuration: builds its models once, then times N steps."""

    def __init__(self, kind, mode, batch_size, pipeline, images):
        self.kind = kind
        self.mode = mode
        self.batch_size = batch_size
        self.pipeline = pipeline
        self.images = images
        policy = {"bf16": "mixed_bfloat16", "fp16": "mixed_float16"}
        keras.mixed_precision.set_global_policy(policy.get(mode, "float32"))
        try:
            self.build()
        finally:
            keras.mixed_precision.set_global_policy("float32")
        self.flops_per_image = step_flops(
            self.generator,
            self.discriminator,
            "tutorial" if kind == "tutorial" else "alternating",
        )

    @property
    def name(self):
        return f"{self.kind}/{self.mode}/{self.pipeline}"

    def build(self):
        keras.utils.set_random_seed(0)
        self.generator = models.make_dcgan_generator(latent_dim=LATENT_DIM)
        self.discriminator = models.make_dcgan_discriminator()
        if self.kind in ("tutorial", "tutorial-alt"):
            self.step = make_tutorial_step(
                self.generator,
                self.discriminator,
                self.batch_size,
                self.mode,
                alternate=self.kind == "tutorial-alt",
            )
        elif self.kind == "step":
            step = training.make_train_step(
                self.generator,
                self.discriminator,
                keras.optimizers.Adam(LEARNING_RATE),
                keras.optimizers.Adam(LEARNING_RATE),
                seed=0,
                jit_compile=self.mode == "xla",
            )
            self.step = step.python_function if self.mode == "eager" else step
        else:
            self.gan = training.GAN(self.generator, self.discriminator, seed=0)
            self.gan.compile(
                keras.optimizers.Adam(LEARNING_RATE),
                keras.optimizers.Adam(LEARNING_RATE),
                jit_compile=self.mode == "xla",
                run_eagerly=self.mode == "eager",
            )

    def batches(self, num_steps):
        images = self.images[: self.batch_size * num_steps]
        if self.pipeline == "numpy":
            return images
        if self.pipeline == "tutorial":
            # 教程的管道：只打乱和分批 / The tutorial's: shuffle + batch.
            return (
                tf.data.Dataset.from_tensor_slices(images)
                .shuffle(len(images), seed=0)
                .batch(self.batch_size, drop_remainder=True)
            )
        return data.make_dataset(images, batch_size=self.batch_size, seed=0)

    def measure(self, num_steps):
        """Seconds for ``num_steps`` steps after one untimed step."""
        batches = self.batches(num_steps + 1)
        if self.kind == "fit":
            return self._measure_fit(batches, num_steps)
        if self.pipeline == "numpy":
            iterator = (
                batches[i : i + self.batch_size]
                for i in range(0, len(batches), self.batch_size)
            )
        else:
            iterator = iter(batches)
        float(self.step(next(iterator))["g_loss"])
        start = time.perf_counter()
        for batch in iterator:
            logs = self.step(batch)
        float(logs["g_loss"])
        return time.perf_counter() - start

    def _measure_fit(self, batches, num_steps):
        clock = {}

        class Clock(keras.callbacks.Callback):
            def on_train_batch_end(self, batch, logs=None):
                # 从第一个（未计时）步结束开始计时 / Time from the end of
                # the first, untimed step to the end of the last one.
                clock[batch] = time.perf_counter()

        kwargs = {"epochs": 1, "verbose": 0, "callbacks": [Clock()]}
        if self.pipeline == "numpy":
            kwargs.update(batch_size=self.batch_size, shuffle=True)
        self.gan.fit(batches, **kwargs)
        return clock[num_steps] - clock[0]


def hardware():
    model = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0))
    gpus = tf.config.list_physical_devices("GPU")
    return model, cores, gpus


def load_text():
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def plan(batch_sizes, has_gpu, quick):
    """The (kind, mode, batch, pipeline) list to measure, in timing order.

    float32 ``tf.function`` and mixed_bfloat16 (and mixed_float16 on a
    GPU) run at every batch size; XLA and eager run at the smallest batch
    and the input-pipeline rows at the middle one, to keep the default run
    under 10 minutes on a 2-core CPU. Rows compared with each other are
    timed next to each other.
    """
    smallest = min(batch_sizes)
    middle = sorted(batch_sizes)[len(batch_sizes) // 2]
    alternating = [] if quick else ["tutorial-alt"]
    variants = []
    for batch_size in sorted(batch_sizes):
        for kind in ["tutorial"] + alternating + ["step", "fit"]:
            variants.append((kind, "graph", batch_size, "tf.data"))
            if batch_size == middle and kind in ("step", "fit"):
                for pipeline in ("tutorial", "numpy")[kind == "fit" :]:
                    variants.append((kind, "graph", batch_size, pipeline))
        if batch_size == smallest:
            if not quick:
                for kind in ("tutorial", "step"):
                    variants.append((kind, "eager", batch_size, "tf.data"))
            for kind in ["tutorial"] + alternating + ["step", "fit"]:
                variants.append((kind, "xla", batch_size, "tf.data"))
        for mode in ["bf16"] + (["fp16"] if has_gpu else []):
            for kind in ("tutorial", "step", "fit"):
                variants.append((kind, mode, batch_size, "tf.data"))
    return variants


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--batch-sizes", default="64,128,256", help="comma separated"
    )
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--steps", type=int, default=2, help="timed steps")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="batch 64 only, 2 repeats, no eager or tutorial-alt rows",
    )
    args = parser.parse_args()
    batch_sizes = [int(size) for size in args.batch_sizes.split(",")]
    if args.quick:
        batch_sizes, args.repeats = [64], min(args.repeats, 2)
    for name, value in (("repeats", args.repeats), ("steps", args.steps)):
        if value < 1:
            raise ValueError(f"`--{name}` must be >= 1. Received: {value}")
    if min(batch_sizes) < 1:
        raise ValueError(f"Batch sizes must be >= 1. Received: {batch_sizes}")

    started = time.perf_counter()
    cpu, cores, gpus = hardware()
    print(f"CPU: {cpu}, {cores} cores usable; GPUs: {len(gpus)}")
    print(
        f"Python {platform.python_version()}, TensorFlow {tf.__version__}, "
        f"Keras {keras.__version__}, NumPy {np.__version__}, "
        f"gancourse {gancourse.__version__}"
    )
    print(f"Load average at start (1/5/15 min): {load_text()}")
    rng = np.random.default_rng(0)
    images = rng.uniform(
        -1, 1, (max(batch_sizes) * (args.steps + 1),) + IMAGE_SHAPE
    ).astype("float32")

    variants = []
    for kind, mode, batch_size, pipeline in plan(
        batch_sizes, bool(gpus), args.quick
    ):
        variant = Variant(kind, mode, batch_size, pipeline, images)
        # 预热：追踪与 XLA 编译不计入 / Warm-up: tracing and compiling.
        variant.measure(1)
        variants.append(variant)
    print(
        f"Built and warmed up {len(variants)} variants in "
        f"{time.perf_counter() - started:.0f} s"
    )

    times = {id(variant): [] for variant in variants}
    for repeat in range(args.repeats):
        # 交替正反顺序，抵消负载漂移 / Alternate the order so a load drift
        # does not always favour the same rows.
        order = variants if repeat % 2 == 0 else variants[::-1]
        for variant in order:
            times[id(variant)].append(variant.measure(args.steps))

    baselines = {}
    for variant in variants:
        if variant.kind == "tutorial" and variant.pipeline == "tf.data":
            baselines[(variant.mode, variant.batch_size)] = variant
    header = (
        f"{'batch':>5}  {'mode':<6} {'input':<8} {'variant':<12} "
        f"{'img/s':>7} {'(min-max)':>11} {'ms/step':>8} {'GFLOP/s':>8} "
        f"{'vs tutorial':>11} {'FLOP/s ratio':>12}"
    )
    print()
    print(header)
    print("-" * len(header))
    for variant in variants:
        rates = [
            variant.batch_size * args.steps / seconds
            for seconds in times[id(variant)]
        ]
        rate = statistics.median(rates)
        gflops = rate * variant.flops_per_image / 1e9
        base = baselines[(variant.mode, variant.batch_size)]
        # 每轮与相邻计时的基线成对相比，取中位数 / Median of per-repeat
        # ratios against the baseline timed next to it.
        ratio = statistics.median(
            base_seconds / seconds
            for seconds, base_seconds in zip(
                times[id(variant)], times[id(base)]
            )
        )
        flops_ratio = ratio * variant.flops_per_image / base.flops_per_image
        print(
            f"{variant.batch_size:>5}  {variant.mode:<6} "
            f"{variant.pipeline:<8} {variant.kind:<12} {rate:>7.0f} "
            f"{f'({min(rates):.0f}-{max(rates):.0f})':>11} "
            f"{1000 * variant.batch_size / rate:>8.0f} {gflops:>8.1f} "
            f"{ratio:>11.2f} {flops_ratio:>12.2f}"
        )
    print()
    generator, discriminator = variants[0].generator, variants[0].discriminator
    print(
        "FLOPs: counted analytically from the Dense/Conv2D/Conv2DTranspose "
        "layers (see the module docstring); per image "
        f"{step_flops(generator, discriminator, 'tutorial') / 1e6:.0f} MFLOP "
        "(tutorial step) and "
        f"{step_flops(generator, discriminator, 'alternating') / 1e6:.0f} "
        "MFLOP (alternating steps: tutorial-alt, step, fit)."
    )
    print(
        "'vs tutorial' = median over repeats of (tutorial step time / this "
        "row's step time), the tutorial step in the same mode and batch "
        "(input rows: the float32 tf.function tutorial on tf.data); "
        "'FLOP/s ratio' = the same ratio weighted by the FLOPs per image. "
        "At equal FLOP/s an alternating step reaches "
        f"{step_flops(generator, discriminator, 'tutorial') / step_flops(generator, discriminator, 'alternating'):.2f}"  # noqa: E501
        " of the tutorial's images/s."
    )
    print(
        f"{args.repeats} interleaved repeats x {args.steps} timed steps; "
        f"load average at end: {load_text()}; "
        f"total {time.perf_counter() - started:.0f} s"
    )


if __name__ == "__main__":
    main()

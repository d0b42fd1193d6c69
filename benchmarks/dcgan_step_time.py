"""Time one DCGAN training step (the lesson-02 model) on this machine.

测量第 02 课 DCGAN 每个训练步的耗时。

    python benchmarks/dcgan_step_time.py                 # defaults
    python benchmarks/dcgan_step_time.py --jit --batch-size 128
    python benchmarks/dcgan_step_time.py --mixed-precision

Prints the steady-state seconds per step (after a warm-up epoch) and the
implied seconds per Fashion-MNIST epoch. Run it on an otherwise idle machine.
"""

import argparse
import time

import keras
import numpy as np

import gancourse  # noqa: F401  (quiets TF logs before TensorFlow loads)
from gancourse import data
from gancourse import gans
from gancourse import models


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--base-filters", type=int, default=64)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--jit", action="store_true")
    parser.add_argument("--mixed-precision", action="store_true")
    args = parser.parse_args()
    if args.mixed_precision:
        keras.mixed_precision.set_global_policy("mixed_bfloat16")
    gancourse.setup(0)
    rng = np.random.default_rng(0)
    images = rng.uniform(-1, 1, (args.batch_size * args.steps, 28, 28, 1))
    dataset = data.make_dataset(
        images.astype("float32"), batch_size=args.batch_size
    )
    gan = gans.GAN(
        models.make_dcgan_generator(base_filters=args.base_filters),
        models.make_dcgan_discriminator(base_filters=args.base_filters),
        seed=0,
    )
    gan.compile(
        keras.optimizers.Adam(2e-4, beta_1=0.5),
        keras.optimizers.Adam(2e-4, beta_1=0.5),
        jit_compile=args.jit,
    )
    gan.fit(dataset, epochs=1, verbose=0)  # Warm-up: tracing and compilation.
    start = time.perf_counter()
    gan.fit(dataset, epochs=1, verbose=0)
    per_step = (time.perf_counter() - start) / args.steps
    epoch = per_step * (60_000 // args.batch_size)
    print(
        f"batch={args.batch_size} base_filters={args.base_filters} "
        f"jit={args.jit} mixed_bfloat16={args.mixed_precision}: "
        f"{per_step:.3f} s/step, {epoch:.0f} s per Fashion-MNIST epoch"
    )


if __name__ == "__main__":
    main()

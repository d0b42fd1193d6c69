"""Sample quality per minute of training: FID/KID/precision/recall over time.

每分钟训练换来的样本质量：随训练时间变化的 FID/KID/精确率/召回率。

    python benchmarks/quality_per_time.py --recipes tutorial course --budget 615
    python benchmarks/quality_per_time.py --recipes fast --budget 1845
    python benchmarks/quality_per_time.py --report          # table from the log

Each recipe trains a DCGAN on the 60,000 Fashion-MNIST training images for
``--budget`` seconds of training and is evaluated at fixed training times
(``--eval-at``). The clock covers what a user waits for once training has
started: ``fit`` with its tracing and every step; it stops during the
evaluations. Process CPU seconds are logged too (they are less sensitive
to other jobs on a shared machine).

An evaluation draws N = ``--num-images`` samples from fixed noise and
compares them with N test images in the feature space of the shipped
Fashion-MNIST classifier (the course's offline FID; NOT comparable with
Inception FIDs): FID, KID x 1000, precision and recall (k = 3, 5,000 per
side). Recipes with an EMA generator are evaluated twice per point: the
average (what they sample from) and the raw generator. An EMA does not
change training (``tests/test_ema.py``), so the raw rows are the same
recipe without the EMA, measured on the same run.

Recipes (all: the lesson-02 DCGAN architecture = the TF tutorial's model):

- ``tutorial``: the TensorFlow DCGAN tutorial's step (simultaneous
  updates, two tapes), Adam(1e-4) with default betas, batch 256.
- ``course``: ``gancourse.GAN`` (alternating updates), Adam(2e-4,
  beta_1=0.5), batch 256: the recipe of ``make train`` before this
  benchmark existed. Evaluated with and without an EMA (0.999).
- ``b64``: as ``course`` with batch 64 (4x the updates per image).
- ``b64-w32``: batch 64 and half the channels (``base_filters=32``,
  about 1/4 of the multiply-adds).
Results are appended to ``--log`` (JSON lines); ``--report`` prints the
table and the training time each recipe needed to reach each FID
threshold (``--thresholds``).
"""

import argparse
import json
import os
import platform
import resource
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
# 基准需要完整数据 / The benchmark needs full data sets, not fast mode.
os.environ.pop("GANCOURSE_FAST", None)

RECIPES = {
    "tutorial": dict(
        step="tutorial",
        batch_size=256,
        base_filters=64,
        learning_rate=1e-4,
        beta_1=0.9,
        ema_decay=None,
    ),
    "course": dict(
        step="course",
        batch_size=256,
        base_filters=64,
        learning_rate=2e-4,
        beta_1=0.5,
        ema_decay=0.999,
    ),
    "b64": dict(
        step="course",
        batch_size=64,
        base_filters=64,
        learning_rate=2e-4,
        beta_1=0.5,
        ema_decay=0.999,
    ),
    "b64-w32": dict(
        step="course",
        batch_size=64,
        base_filters=32,
        learning_rate=2e-4,
        beta_1=0.5,
        ema_decay=0.999,
    ),
    "b128-w32": dict(
        step="course",
        batch_size=128,
        base_filters=32,
        learning_rate=2e-4,
        beta_1=0.5,
        ema_decay=0.999,
    ),
}
DEFAULT_EVAL_AT = (150, 300, 450, 615, 900, 1230, 1845)
DEFAULT_LOG = Path("benchmarks/results/quality_per_time.jsonl")


def cpu_flags():
    """CPU model name and its AVX-512/AMX/bf16 flags (for the report)."""
    model, flags = platform.processor() or "unknown CPU", set()
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                elif line.startswith("flags"):
                    flags = set(line.split(":", 1)[1].split())
                    break
    except OSError:
        pass
    wanted = ("avx2", "avx512f", "avx512_bf16", "amx_bf16", "fma")
    shown = [flag for flag in wanted if flag in flags]
    return f"{model}, {os.cpu_count()} cores, flags: {' '.join(shown)}"


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Evaluator:
    """FID/KID/P/R of a generator against N test images (fixed noise)."""

    def __init__(self, num_images, latent_dim, seed=0):
        import numpy as np

        from gancourse import data
        from gancourse import metrics

        self.metrics = metrics
        test_images, _ = data.load_fashion_mnist("test")
        rng = np.random.default_rng(seed)
        self.num_images = min(num_images, len(test_images))
        real = test_images[rng.choice(len(test_images), self.num_images, False)]
        self.real_features = metrics.extract_features(real)
        self.noise = rng.standard_normal((self.num_images, latent_dim)).astype(
            "float32"
        )

    def __call__(self, generator):
        fake = generator.predict(self.noise, batch_size=500, verbose=0)
        features = self.metrics.extract_features(fake)
        kid_mean, _ = self.metrics.kid(self.real_features, features, 50, 1000)
        precision, recall = self.metrics.precision_recall(
            self.real_features[:5000], features[:5000]
        )
        return dict(
            fid=float(
                self.metrics.frechet_distance(self.real_features, features)
            ),
            kid_x1000=1000 * float(kid_mean),
            precision=float(precision),
            recall=float(recall),
        )


def build(recipe, seed):
    """The GAN model of a recipe, compiled (the tutorial's step inside)."""
    import keras
    import tensorflow as tf

    from gancourse import losses
    from gancourse import models
    from gancourse import training

    generator = models.make_dcgan_generator(base_filters=recipe["base_filters"])
    discriminator = models.make_dcgan_discriminator(
        base_filters=recipe["base_filters"]
    )

    class TutorialGAN(training.GAN):
        """The TF tutorial's simultaneous step, as published."""

        def train_step(self, data):
            real, _ = self.unpack_batch(data)
            z = self.sample_latent(keras.ops.shape(real)[0])
            with tf.GradientTape() as g_tape, tf.GradientTape() as d_tape:
                fake = self.generator(z, training=True)
                real_logits = self.discriminator(real, training=True)
                fake_logits = self.discriminator(fake, training=True)
                g_loss = self.loss_pair.generator(fake_logits)
                d_loss = self.loss_pair.discriminator(real_logits, fake_logits)
            self.update(self.g_optimizer, self.generator, g_tape, g_loss)
            self.update(self.d_optimizer, self.discriminator, d_tape, d_loss)
            self.d_loss_tracker.update_state(d_loss)
            self.g_loss_tracker.update_state(g_loss)
            return self.metric_logs()

    kind = TutorialGAN if recipe["step"] == "tutorial" else training.GAN
    gan = kind(
        generator, discriminator, seed=seed, ema_decay=recipe["ema_decay"]
    )

    def adam():
        return keras.optimizers.Adam(
            recipe["learning_rate"], beta_1=recipe["beta_1"]
        )

    gan.compile(adam(), adam(), loss=losses.get_loss_pair("non_saturating"))
    return gan


def run(name, recipe, budget, eval_at, num_images, seed, log):
    import keras

    from gancourse import data
    from gancourse import runtime

    runtime.setup(seed)
    images, _ = data.load_fashion_mnist("train")
    dataset = data.make_dataset(
        images, batch_size=recipe["batch_size"], seed=seed
    )
    gan = build(recipe, seed)
    evaluate = Evaluator(num_images, gan.latent_dim)
    points = sorted(t for t in eval_at if t < budget) + [budget]
    header = dict(recipe=name, **recipe, budget=budget, cpu=cpu_flags())
    print(json.dumps(header))

    class Clock(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            self.start = time.perf_counter()
            self.cpu_start = cpu_seconds()
            self.paused = self.cpu_paused = 0.0
            self.steps = 0
            self.next = 0

        def train_seconds(self):
            return time.perf_counter() - self.start - self.paused

        def on_train_batch_end(self, batch, logs=None):
            self.steps += 1
            seconds = self.train_seconds()
            if seconds < points[self.next]:
                return
            cpu = cpu_seconds() - self.cpu_start - self.cpu_paused
            pause, cpu_pause = time.perf_counter(), cpu_seconds()
            row = dict(
                header,
                seconds=round(seconds, 1),
                cpu_seconds=round(cpu, 1),
                steps=self.steps,
                images_seen=self.steps * recipe["batch_size"],
                d_loss=float(logs["d_loss"]),
                g_loss=float(logs["g_loss"]),
            )
            samplers = {"": gan.generator}
            if gan.ema_generator is not None:
                samplers = {"ema": gan.ema_generator, "raw": gan.generator}
            for kind, generator in samplers.items():
                scores = evaluate(generator)
                line = dict(row, sampler=kind or "raw", **scores)
                print(json.dumps(line), flush=True)
                with open(log, "a") as handle:
                    handle.write(json.dumps(line) + "\n")
            self.paused += time.perf_counter() - pause
            self.cpu_paused += cpu_seconds() - cpu_pause
            self.next += 1
            if self.next == len(points):
                self.model.stop_training = True

    gan.fit(dataset, epochs=10_000, verbose=0, callbacks=[Clock()])


def report(log, thresholds):
    """Print the table of the logged runs and the times to each FID."""
    rows = [json.loads(line) for line in Path(log).read_text().splitlines()]
    runs = {}
    for row in rows:
        runs.setdefault(
            (row["recipe"], row["sampler"], row["budget"]), []
        ).append(row)
    print(rows[0]["cpu"] if rows else "no results")
    print(
        f"{'recipe':>10} {'sampler':>7} {'train s':>8} {'CPU s':>7} "
        f"{'steps':>6} {'FID':>7} {'KIDx1e3':>8} {'P':>6} {'R':>6}"
    )
    for (recipe, sampler, _), points in runs.items():
        for row in points:
            print(
                f"{recipe:>10} {sampler:>7} {row['seconds']:8.0f} "
                f"{row['cpu_seconds']:7.0f} {row['steps']:6d} "
                f"{row['fid']:7.1f} {row['kid_x1000']:8.1f} "
                f"{row['precision']:6.3f} {row['recall']:6.3f}"
            )
    print()
    names = " ".join(f"{'FID<=' + format(t, 'g'):>9}" for t in thresholds)
    print(f"{'recipe':>10} {'sampler':>7} {names}   (training seconds)")
    for (recipe, sampler, _), points in runs.items():
        cells = []
        for threshold in thresholds:
            hit = next((r for r in points if r["fid"] <= threshold), None)
            cells.append(f"{hit['seconds']:9.0f}" if hit else f"{'-':>9}")
        print(f"{recipe:>10} {sampler:>7} {' '.join(cells)}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipes", nargs="+", choices=sorted(RECIPES))
    parser.add_argument("--budget", type=float, default=615.0)
    parser.add_argument(
        "--eval-at", type=float, nargs="+", default=list(DEFAULT_EVAL_AT)
    )
    parser.add_argument("--num-images", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--log", type=Path, default=DEFAULT_LOG)
    parser.add_argument("--report", action="store_true")
    parser.add_argument(
        "--thresholds", type=float, nargs="+", default=[60, 40, 27.6]
    )
    args = parser.parse_args(argv)
    if args.report:
        report(args.log, args.thresholds)
        return
    if not args.recipes:
        parser.error("--recipes is required unless --report is given")
    args.log.parent.mkdir(parents=True, exist_ok=True)
    for name in args.recipes:
        run(
            name,
            RECIPES[name],
            args.budget,
            args.eval_at,
            args.num_images,
            args.seed,
            args.log,
        )
    report(args.log, args.thresholds)


if __name__ == "__main__":
    main()

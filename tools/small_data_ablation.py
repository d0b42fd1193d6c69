"""Lesson 10's small-data ablation: a DCGAN on 1,000 Fashion-MNIST images.

小数据消融实验（第 10 课）：在 1,000 张 Fashion-MNIST 图像上训练 DCGAN。

Runs every variant (baseline, DiffAugment, ADA, R1; and the baseline on
5,000 images) for the same number of steps with each seed, records the
discriminator's accuracy on training reals / held-out reals / fakes
(``gancourse.metrics.DiscriminatorMonitor``) and ADA's p along the way,
and at the end the FID and KID (shipped classifier features, 2,000 fakes
against 2,000 test images) of the raw and of the EMA generator. Writes one
JSON file that lesson 10 reads, and (with ``--save-dir``) every generator.

Usage (the shipped results; about an hour on 2 idle AVX2 cores, ``--jobs 2``)::

    python tools/small_data_ablation.py --steps 3000 --seeds 0 1 --jobs 2 \
        --out gancourse/assets/small_data_ablation.json --save-dir runs/ablation

One run only (what ``--jobs`` starts in a subprocess)::

    python tools/small_data_ablation.py --run diffaugment:1000:0 --steps 3000 \
        --out /tmp/diffaugment_1000_0.json
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

VARIANTS = ("baseline", "diffaugment", "ada", "r1")
# 变体、训练图像数 / variant, number of training images.
RUNS = tuple((variant, 1000) for variant in VARIANTS) + (("baseline", 5000),)
# 所有运行共用的设置 / The settings every run shares.
CONFIG = {
    "latent_dim": 100,
    "generator_filters": 16,
    "discriminator_filters": 32,
    "dropout_rate": 0.0,
    "batch_size": 64,
    "generator_lr": 2e-4,
    "discriminator_lr": 8e-4,
    "beta_1": 0.5,
    "ema_decay": 0.995,
    "ada_target": 0.6,
    "ada_speed_images": 100_000,
    "r1_weight": 1.0,
    "monitor_every": 250,
    "monitor_images": 500,
    "eval_images": 2000,
    "sample_images": 16,
}


def cpu_flags():
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor()
    flags = next(line for line in text.splitlines() if line.startswith("flags"))
    wanted = ("avx2", "fma", "avx512f", "avx512_bf16", "amx_bf16")
    have = [flag for flag in wanted if f" {flag}" in flags]
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in text.splitlines()
            if line.startswith("model name")
        ),
        "",
    )
    return f"{model}, {os.cpu_count()} cores, flags: {' '.join(have)}"


def sample_images(generator, seed=0):
    """16 samples of the fixed noise as uint8 pixels, base64 text (JSON)."""
    import base64

    import numpy as np

    noise = np.random.default_rng(seed).standard_normal(
        (CONFIG["sample_images"], CONFIG["latent_dim"])
    )
    images = generator.predict(noise.astype("float32"), verbose=0)
    pixels = np.round((np.clip(images, -1, 1) + 1) * 127.5).astype("uint8")
    return base64.b64encode(pixels.tobytes()).decode("ascii")


def add_samples(parts, save_dir):
    """Add the EMA generators' samples to finished runs (from --save-dir)."""
    import keras

    for path in sorted(Path(parts).glob("*.json")):
        record = json.loads(path.read_text())
        if "samples" in record:
            continue
        stem = f"{record['variant']}_{record['images']}_{record['seed']}_ema"
        generator = keras.saving.load_model(
            Path(save_dir) / f"{stem}.keras", safe_mode=True, compile=False
        )
        record["samples"] = sample_images(generator)
        path.write_text(json.dumps(record) + "\n")
        print("samples added to", path, flush=True)


def run_one(spec, steps, save_dir=None):
    """Train one variant ("variant:images:seed") and return its record."""
    import keras
    import numpy as np
    import tensorflow as tf

    import gancourse
    from gancourse import augment
    from gancourse import data
    from gancourse import metrics
    from gancourse import models
    from gancourse import training

    tf.config.threading.set_intra_op_parallelism_threads(1)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    gancourse.setup(0)
    variant, num_images, seed = spec.split(":")
    num_images, seed = int(num_images), int(seed)
    if variant not in VARIANTS:
        raise ValueError(f"variant must be one of {VARIANTS}; got {variant!r}")
    c = CONFIG
    x, _ = data.load_fashion_mnist("train")
    x_test, _ = data.load_fashion_mnist("test")
    train = x[:num_images]
    keras.utils.set_random_seed(seed)
    generator = models.make_dcgan_generator(
        c["latent_dim"], base_filters=c["generator_filters"]
    )
    discriminator = models.make_dcgan_discriminator(
        base_filters=c["discriminator_filters"], dropout_rate=c["dropout_rate"]
    )
    options = {}
    if variant == "diffaugment":
        options["augment"] = augment.DiffAugment(seed=seed)
    if variant == "ada":
        options["augment"] = augment.AdaptiveAugment(
            target=c["ada_target"],
            speed_images=c["ada_speed_images"],
            seed=seed,
        )
    if variant == "r1":
        options["r1_weight"] = c["r1_weight"]
    gan = training.GAN(
        generator, discriminator, seed=seed, ema_decay=c["ema_decay"], **options
    )
    gan.compile(
        keras.optimizers.Adam(c["generator_lr"], beta_1=c["beta_1"]),
        keras.optimizers.Adam(c["discriminator_lr"], beta_1=c["beta_1"]),
    )
    # 第 5000 张以后的测试图像：判别器从未见过 / Test images D never sees
    # (FID uses the first 2,000).
    monitor = metrics.DiscriminatorMonitor(
        train, x_test[5000:], c["monitor_every"], c["monitor_images"], seed=seed
    )
    # ADA：每 monitor_every 步记下 p，以及这段时间训练批次上的平均 r_t
    # （logs["r_t"] 是本轮的累计平均）/ ADA: p every monitor_every steps,
    # and the mean r_t of the training batches since the last record
    # (logs["r_t"] is the running mean of the epoch).
    probability, r_t = [], []
    last = {"step": 0, "mean": 0.0}

    class RecordP(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            step = batch + 1
            if variant != "ada" or step % c["monitor_every"]:
                return
            probability.append(float(options["augment"].probability.numpy()))
            mean = float(logs["r_t"])
            window = step - last["step"]
            r_t.append((mean * step - last["mean"] * last["step"]) / window)
            last.update(step=step, mean=mean)

    dataset = data.make_dataset(train, batch_size=c["batch_size"], seed=seed)
    start = time.perf_counter()
    gan.fit(
        dataset.repeat(),
        epochs=1,
        steps_per_epoch=steps,
        verbose=0,
        callbacks=[monitor, RecordP()],
    )
    seconds = time.perf_counter() - start
    real = metrics.extract_features(x_test[: c["eval_images"]])
    noise = (
        np.random.default_rng(10_000 + seed)
        .standard_normal((c["eval_images"], c["latent_dim"]))
        .astype("float32")
    )
    scores = {}
    for name, network in (("raw", gan.generator), ("ema", gan.ema_generator)):
        fakes = network.predict(noise, batch_size=500, verbose=0)
        features = metrics.extract_features(fakes)
        kid_mean, kid_std = metrics.kid(real, features)
        scores[name] = {
            "fid": float(metrics.frechet_distance(real, features)),
            "kid_x1000": 1000 * float(kid_mean),
            "kid_std_x1000": 1000 * float(kid_std),
        }
        if save_dir is not None:
            Path(save_dir).mkdir(parents=True, exist_ok=True)
            network.save(
                Path(save_dir) / f"{variant}_{num_images}_{seed}_{name}.keras"
            )
    return {
        "samples": sample_images(gan.ema_generator),
        "variant": variant,
        "images": num_images,
        "seed": seed,
        "steps": steps,
        "train_seconds": round(seconds, 1),
        "monitor_steps": list(monitor.steps),
        "monitor": {
            key: list(map(float, v)) for key, v in monitor.values.items()
        },
        "augment_p": probability,
        "augment_r_t": r_t,
        "scores": scores,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1])
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--run", help="one run, 'variant:images:seed'")
    parser.add_argument("--save-dir", default=None)
    parser.add_argument(
        "--add-samples",
        action="store_true",
        help="add samples from --save-dir to the finished runs of --out",
    )
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    if args.add_samples:
        add_samples(Path(args.out).with_suffix(".parts"), args.save_dir)
        return
    if args.run:
        record = run_one(args.run, args.steps, args.save_dir)
        Path(args.out).write_text(json.dumps(record) + "\n")
        print(
            args.run, record["train_seconds"], "s", record["scores"], flush=True
        )
        return
    specs = [f"{v}:{n}:{s}" for s in args.seeds for v, n in RUNS]
    parts = Path(args.out).with_suffix(".parts")
    parts.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    pending, running = list(specs), []
    while pending or running:
        while pending and len(running) < args.jobs:
            spec = pending.pop(0)
            command = [
                sys.executable,
                __file__,
                "--run",
                spec,
                "--steps",
                str(args.steps),
                "--out",
                str(parts / (spec.replace(":", "_") + ".json")),
            ]
            if args.save_dir:
                command += ["--save-dir", args.save_dir]
            running.append(subprocess.Popen(command))
        time.sleep(5)
        for process in [p for p in running if p.poll() is not None]:
            if process.returncode:
                raise SystemExit(
                    f"{process.args} failed ({process.returncode})"
                )
            running.remove(process)
    records = [
        json.loads((parts / (spec.replace(":", "_") + ".json")).read_text())
        for spec in specs
    ]
    result = {
        "command": (
            f"python tools/small_data_ablation.py --steps {args.steps} --seeds "
            + " ".join(map(str, args.seeds))
            + f" --jobs {args.jobs} --out {args.out}"
        ),
        "config": CONFIG,
        "cpu": cpu_flags(),
        "jobs": args.jobs,
        "wall_seconds": round(time.perf_counter() - start, 1),
        "runs": records,
    }
    Path(args.out).write_text(json.dumps(result, indent=1) + "\n")
    print("wrote", args.out, flush=True)


if __name__ == "__main__":
    main()

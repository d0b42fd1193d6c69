"""Copy a trained generator into gancourse/assets/ with its measured record.

把训练好的生成器连同实测记录复制到 gancourse/assets/。

    python -m gancourse train dcgan --out runs/dcgan        # the recipe
    python tools/ship_pretrained.py dcgan-fashion-mnist runs/dcgan
    python -m gancourse train ddpm --epochs 3 --out runs/ddpm
    python tools/ship_pretrained.py ddpm-fashion-mnist runs/ddpm \
        --network ema_network --num-images 2000
    python -m gancourse train cgan --epochs 5 --out runs/cgan
    python tools/ship_pretrained.py cgan-fashion-mnist runs/cgan \
        --network generator
    python -m gancourse train bigan --epochs 8 --out runs/bigan
    python tools/ship_pretrained.py bigan-generator-fashion-mnist runs/bigan \
        --network generator
    python tools/ship_pretrained.py bigan-encoder-fashion-mnist runs/bigan \
        --network encoder
    python -m gancourse train wgan-gp --epochs 6 --ema-decay 0.999 \
        --out runs/wgan-gp
    python tools/ship_pretrained.py wgan-gp-fashion-mnist runs/wgan-gp
    python -m gancourse train dcgan --epochs 3 --spectral-norm --loss hinge \
        --learning-rate 1e-4 --d-learning-rate 4e-4 --beta-2 0.9 \
        --out runs/sngan
    python tools/ship_pretrained.py sngan-fashion-mnist runs/sngan
    python -m gancourse train cyclegan --epochs 60 --time-limit 2400 \
        --out runs/cyclegan
    python tools/ship_pretrained.py cyclegan-sneaker-ankle-boot \
        runs/cyclegan --network generators --num-images 500 \
        --snapshots SNAPSHOT_DIR

The record (``gancourse/assets/<stem>.json``) holds the SHA-256 that
``gancourse.pretrained.load`` checks, the run's ``config.json`` and
``summary.json`` (training time, last epoch's losses), the reproducing
command (every non-default option), the CPU, the
parameter count and the FID, KID x 1000, precision and recall of N = 10,000
samples against the Fashion-MNIST test set in the shipped classifier's
feature space (as ``benchmarks/fid_dcgan.py`` computes them; a diffusion
model's samples come from ``--ddim-steps`` DDIM steps; a class-conditional
generator draws every class equally often). An encoder is
scored by what its run's generator rebuilds from its codes of the N test
images: the pixel MSE of G(E(x)) and the share of images whose predicted
class the shipped classifier keeps. A CycleGAN ships both generators in
one file (a two-input model whose layers ``G_x_to_y`` and ``F_y_to_x`` are
G and F) and is scored per direction on held-out test images: the share of
translations the shipped classifier assigns to the target class, the FID to
real target images (N per side), the same two numbers for the untranslated
sources and for other real target images (the baselines), and the cycle L1
error. ``--snapshots DIR`` also scores the generators of earlier epochs:
``DIR`` holds ``ckpt-N`` files copied from the run's ``checkpoints/`` while
it trained (the CLI keeps only the last three). The CLI trains
deterministically on a CPU, so the command reproduces the weights; the
file's bytes (and hash) differ, because a ``.keras`` file records its save
date. A run stopped by ``--time-limit`` is the exception: where it stops
depends on the machine's speed, so its record holds the epochs it started
and the steps it trained.
"""

import argparse
import json
import os
import shutil
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.pop("GANCOURSE_FAST", None)

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from quality_per_time import Evaluator  # noqa: E402
from quality_per_time import cpu_flags  # noqa: E402

FEATURES = {
    "encoder": "shipped Fashion-MNIST classifier, on the test set",
    "generators": "shipped Fashion-MNIST classifier, held-out test images "
    "of each domain (see translation_scores)",
}


class DDIMSampler:
    """``predict`` of a diffusion network: one DDIM sample per noise row."""

    def __init__(self, network, config, steps):
        from gancourse import training

        schedule = training.NoiseSchedule(config["diffusion_steps"])
        self.ddpm = training.DDPM(network, schedule)
        self.steps = steps

    def predict(self, noise, batch_size=500, verbose=0):
        import numpy as np

        return np.concatenate(
            [
                self.ddpm.sample(
                    min(batch_size, len(noise) - start),
                    steps=self.steps,
                    seed=start,
                )
                for start in range(0, len(noise), batch_size)
            ]
        )


class ConditionalSampler:
    """``predict`` of a class-conditional generator: class ``i % 10`` per row.

    Every class gets the same share of the samples (the test set's mix).
    """

    def __init__(self, generator, num_classes=10):
        self.generator = generator
        self.num_classes = num_classes

    def predict(self, noise, batch_size=500, verbose=0):
        import numpy as np

        labels = np.arange(len(noise), dtype="int32") % self.num_classes
        return self.generator.predict(
            [noise, labels], batch_size=batch_size, verbose=verbose
        )


def encoder_scores(encoder, generator, num_images):
    """Pixel MSE of G(E(x)) and the share of classes kept, on test images."""
    import numpy as np

    from gancourse import data
    from gancourse import metrics

    images, _ = data.load_fashion_mnist("test")
    images = images[:num_images]
    codes = encoder.predict(images, batch_size=500, verbose=0)
    rebuilt = generator.predict(codes, batch_size=500, verbose=0)
    before = metrics.classifier_probabilities(images).argmax(-1)
    after = metrics.classifier_probabilities(rebuilt).argmax(-1)
    return {
        "reconstruction_mse": float(np.mean((rebuilt - images) ** 2)),
        "class_kept": float(np.mean(before == after)),
        "generator": "generator.keras of the same run",
    }


def translation_scores(generator_g, generator_f, class_x, class_y, num_images):
    """``metrics.translation_scores`` on the Fashion-MNIST test images.

    Lesson 07's protocol: each domain's test images split in halves (see
    ``gancourse.metrics.translation``); at most half a domain per group.
    """
    from gancourse import data
    from gancourse import metrics

    test_x, test_y = data.make_unpaired_domains(class_x, class_y, split="test")
    half = min(len(test_x), len(test_y)) // 2
    return metrics.translation_scores(
        generator_g,
        generator_f,
        test_x,
        test_y,
        class_x,
        class_y,
        num_images=min(num_images, half),
    )


def snapshot_scores(pair, config, directory, num_images):
    """``translation_scores`` of the generators saved at earlier epochs.

    ``directory`` holds ``ckpt-N.index``/``.data`` files of the run's
    ``TrainingCheckpoint``; only the generators are read from them.
    """
    import keras
    import tensorflow as tf

    scores = {}
    for index in sorted(directory.glob("ckpt-*.index")):
        epoch = int(index.stem.split("-")[1])
        generator_g, generator_f = (
            keras.models.clone_model(pair.get_layer(name))
            for name in ("G_x_to_y", "F_y_to_x")
        )
        status = tf.train.Checkpoint(
            generator_g=generator_g, generator_f=generator_f
        ).read(str(index.with_suffix("")))
        status.expect_partial().assert_existing_objects_matched()
        scores[str(epoch)] = translation_scores(
            generator_g,
            generator_f,
            config["class_x"],
            config["class_y"],
            num_images,
        )
    return scores


def cyclegan_pair(run):
    """G and F of a CycleGAN run as one two-input model (one file)."""
    import keras

    generators = [
        keras.saving.load_model(
            run / f"{name}.keras", safe_mode=True, compile=False
        )
        for name in ("generator_g", "generator_f")
    ]
    inputs = [
        keras.Input(network.input_shape[1:], name=name)
        for network, name in zip(generators, ("x", "y"))
    ]
    outputs = [network(x) for network, x in zip(generators, inputs)]
    return keras.Model(inputs, outputs, name="cyclegan_generators")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name", help="a key of pretrained.CHECKPOINTS")
    parser.add_argument("run", type=Path, help="the CLI run folder")
    parser.add_argument("--network", default="ema_generator")
    parser.add_argument("--num-images", type=int, default=10_000)
    parser.add_argument("--ddim-steps", type=int, default=50)
    parser.add_argument(
        "--note", default=None, help="e.g. what else ran on the machine"
    )
    parser.add_argument(
        "--snapshots",
        type=Path,
        default=None,
        help="CycleGAN: folder of ckpt-N files copied during training",
    )
    args = parser.parse_args(argv)

    import keras

    import gancourse.models  # noqa: F401 - registers the course's layers.
    from gancourse import pretrained
    from gancourse import runs
    from gancourse import runtime
    from gancourse.metrics.encoders import file_sha256

    stem = pretrained.CHECKPOINTS[args.name]
    target = pretrained.ASSETS / f"{stem}.keras"
    config = json.loads((args.run / "config.json").read_text())
    if config["model"] == "cyclegan":
        cyclegan_pair(args.run).save(target)
    else:
        shutil.copyfile(args.run / f"{args.network}.keras", target)
    runtime.setup(0)
    generator = keras.saving.load_model(target, safe_mode=True, compile=False)
    if config["model"] == "cyclegan":
        scores = translation_scores(
            generator.get_layer("G_x_to_y"),
            generator.get_layer("F_y_to_x"),
            config["class_x"],
            config["class_y"],
            args.num_images,
        )
        if args.snapshots is not None:
            scores["by_epoch"] = snapshot_scores(
                generator, config, args.snapshots, args.num_images
            )
    elif config["model"] == "ddpm":
        scores = Evaluator(args.num_images, 1)(
            DDIMSampler(generator, config, args.ddim_steps)
        )
        scores["ddim_steps"] = args.ddim_steps
    elif args.network == "encoder":
        partner = keras.saving.load_model(
            args.run / "generator.keras", safe_mode=True, compile=False
        )
        scores = encoder_scores(generator, partner, args.num_images)
    elif config["model"] == "cgan":
        latent_dim = int(generator.inputs[0].shape[-1])
        scores = Evaluator(args.num_images, latent_dim)(
            ConditionalSampler(generator)
        )
        scores["labels"] = "class i % 10 for sample i (uniform)"
    else:
        latent_dim = int(generator.inputs[0].shape[-1])
        scores = Evaluator(args.num_images, latent_dim)(generator)
    summary = json.loads((args.run / "summary.json").read_text())
    command = runs.reproducing_command(config, summary["epochs"])
    epochs = summary["epochs"]
    if config.get("time_limit") is not None:
        # 按时间停止：记录实际开始的轮数和步数 / Stopped by time: record
        # the epochs started and the steps trained.
        epochs = summary["time_limit"]["epochs_started"]
    record = {
        "name": args.name,
        "file": target.name,
        "sha256": file_sha256(target),
        "bytes": target.stat().st_size,
        "parameters": int(generator.count_params()),
        "command": f"{command} --out runs/{args.run.name}",
        "network": args.network,
        "config": config,
        "epochs": epochs,
        **(
            {"time_limit": summary["time_limit"]}
            if "time_limit" in summary
            else {}
        ),
        "train_seconds": summary["seconds"],
        # 最后一轮的平均损失 / The last epoch's mean losses.
        "final_losses": summary["final"],
        "cpu": cpu_flags(),
        **({"note": args.note} if args.note else {}),
        "evaluation": dict(
            scores,
            num_images=scores.get("num_images", args.num_images),
            features=FEATURES.get(
                args.network,
                "shipped Fashion-MNIST classifier, vs the test set",
            ),
        ),
    }
    record_path = target.with_suffix(".json")
    record_path.write_text(json.dumps(record, indent=2) + "\n")
    print(json.dumps(record, indent=2))


if __name__ == "__main__":
    main()

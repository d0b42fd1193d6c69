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

The record (``gancourse/assets/<stem>.json``) holds the SHA-256 that
``gancourse.pretrained.load`` checks, the run's ``config.json`` and
``summary.json`` (training time), the reproducing command, the CPU, the
parameter count and the FID, KID x 1000, precision and recall of N = 10,000
samples against the Fashion-MNIST test set in the shipped classifier's
feature space (as ``benchmarks/fid_dcgan.py`` computes them; a diffusion
model's samples come from ``--ddim-steps`` DDIM steps; a class-conditional
generator draws every class equally often). An encoder is
scored by what its run's generator rebuilds from its codes of the N test
images: the pixel MSE of G(E(x)) and the share of images whose predicted
class the shipped classifier keeps. The CLI
trains deterministically on a CPU, so the command reproduces the weights;
the file's bytes (and hash) differ, because a ``.keras`` file records its
save date.
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
    args = parser.parse_args(argv)

    import keras

    import gancourse.models  # noqa: F401 - registers the course's layers.
    from gancourse import pretrained
    from gancourse import runtime
    from gancourse.metrics.encoders import file_sha256

    stem = pretrained.CHECKPOINTS[args.name]
    source = args.run / f"{args.network}.keras"
    target = pretrained.ASSETS / f"{stem}.keras"
    shutil.copyfile(source, target)
    runtime.setup(0)
    generator = keras.saving.load_model(target, safe_mode=True, compile=False)
    config = json.loads((args.run / "config.json").read_text())
    if config["model"] == "ddpm":
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
    record = {
        "name": args.name,
        "file": target.name,
        "sha256": file_sha256(target),
        "bytes": target.stat().st_size,
        "parameters": int(generator.count_params()),
        "command": f"python -m gancourse train {config['model']} "
        f"--epochs {summary['epochs']} --out runs/{config['model']}",
        "network": args.network,
        "config": config,
        "epochs": summary["epochs"],
        "train_seconds": summary["seconds"],
        "cpu": cpu_flags(),
        **({"note": args.note} if args.note else {}),
        "evaluation": dict(
            scores,
            num_images=args.num_images,
            features="shipped Fashion-MNIST classifier, vs the test set"
            if args.network != "encoder"
            else "shipped Fashion-MNIST classifier, on the test set",
        ),
    }
    record_path = target.with_suffix(".json")
    record_path.write_text(json.dumps(record, indent=2) + "\n")
    print(json.dumps(record, indent=2))


if __name__ == "__main__":
    main()

"""Command line: ``python -m gancourse train dcgan --epochs N --out DIR``.

命令行入口：训练课程中的 DCGAN，输出样本网格、GIF、损失曲线与模型。

It uses exactly the package code the lessons use (``make_dcgan_*``, ``GAN``,
``SampleGrid``), with the hyper-parameters of lesson 02.
"""

import argparse
import json
import sys
import time
from pathlib import Path


def _parser():
    parser = argparse.ArgumentParser(
        prog="python -m gancourse",
        description="gancourse command line (English output).",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    train = commands.add_parser(
        "train", help="Train a course model and write its results."
    )
    train.add_argument("model", choices=["dcgan"], help="model to train")
    train.add_argument("--epochs", type=int, default=5)
    train.add_argument("--out", type=Path, default=Path("runs/dcgan"))
    train.add_argument(
        "--dataset", choices=["fashion_mnist", "mnist"], default="fashion_mnist"
    )
    train.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="folder with the IDX files (optional)",
    )
    train.add_argument("--batch-size", type=int, default=256)
    train.add_argument("--latent-dim", type=int, default=100)
    train.add_argument("--base-filters", type=int, default=64)
    train.add_argument("--learning-rate", type=float, default=2e-4)
    train.add_argument(
        "--loss",
        default="non_saturating",
        help="minimax, non_saturating, least_squares, hinge or wasserstein",
    )
    train.add_argument("--seed", type=int, default=42)
    train.add_argument(
        "--max-images",
        type=int,
        default=None,
        help="train on the first N images only (quick runs)",
    )
    train.add_argument("--jit", action="store_true", help="XLA-compile steps")
    train.add_argument(
        "--mixed-precision",
        action="store_true",
        help="mixed_float16 on GPU, mixed_bfloat16 on CPU",
    )
    return parser


def train_dcgan(args):
    """Train the lesson-02 DCGAN and write PNG/GIF/plot/models to args.out."""
    import keras
    import tensorflow as tf

    import gancourse
    from gancourse import callbacks
    from gancourse import data
    from gancourse import gans
    from gancourse import models
    from gancourse import plotting

    if args.mixed_precision:
        on_gpu = bool(tf.config.list_physical_devices("GPU"))
        keras.mixed_precision.set_global_policy(
            "mixed_float16" if on_gpu else "mixed_bfloat16"
        )
    gancourse.setup(args.seed)
    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    images, _ = data.load_dataset(args.dataset, "train", path=args.data_dir)
    if args.max_images:
        images = images[: args.max_images]
    dataset = data.make_dataset(
        images, batch_size=args.batch_size, seed=args.seed
    )
    generator = models.make_dcgan_generator(
        latent_dim=args.latent_dim,
        image_shape=images.shape[1:],
        base_filters=args.base_filters,
    )
    discriminator = models.make_dcgan_discriminator(
        image_shape=images.shape[1:], base_filters=args.base_filters
    )
    gan = gans.GAN(generator, discriminator, seed=args.seed)

    def adam():
        # mixed_float16 时 compile 自动加损失缩放 / Under mixed_float16,
        # compile wraps the optimizers in LossScaleOptimizer itself.
        return keras.optimizers.Adam(args.learning_rate, beta_1=0.5)

    gan.compile(adam(), adam(), loss=args.loss, jit_compile=args.jit)
    grid = callbacks.SampleGrid(num_images=64, seed=0, out_dir=out / "samples")
    print(
        f"Training DCGAN on {args.dataset}: {len(images)} images, "
        f"{args.epochs} epochs, batch {args.batch_size}, out={out}"
    )
    start = time.perf_counter()
    history = gan.fit(dataset, epochs=args.epochs, callbacks=[grid], verbose=2)
    seconds = time.perf_counter() - start

    import matplotlib

    matplotlib.use("Agg")
    plotting.save_image(grid.grids[-1], out / "samples.png")
    grid.save_gif(out / "training.gif")
    figure = plotting.plot_history(history, title="DCGAN losses")
    figure.savefig(out / "losses.png", dpi=100)
    generator.save(out / "generator.keras")
    discriminator.save(out / "discriminator.keras")
    summary = {
        "epochs": len(history.history["d_loss"]),
        "images": int(len(images)),
        "seconds": round(seconds, 1),
        "final_d_loss": float(history.history["d_loss"][-1]),
        "final_g_loss": float(history.history["g_loss"][-1]),
        "fast_mode": gancourse.fast_mode(),
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    print(f"Trained in {seconds:.0f} s. Wrote:")
    for name in (
        "samples.png",
        "training.gif",
        "losses.png",
        "generator.keras",
        "discriminator.keras",
        "summary.json",
    ):
        print(f"  {out / name}")
    return summary


def main(argv=None):
    args = _parser().parse_args(argv)
    if args.command == "train" and args.model == "dcgan":
        if args.epochs < 1 or args.batch_size < 1:
            print(
                "error: --epochs and --batch-size must be positive",
                file=sys.stderr,
            )
            return 2
        train_dcgan(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())

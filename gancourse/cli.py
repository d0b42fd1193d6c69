"""Command line: ``python -m gancourse train dcgan --epochs N --out DIR``.

命令行入口：训练课程中的 DCGAN，输出样本网格、GIF、损失曲线与模型。

It uses exactly the package code the lessons use (``make_dcgan_*``, ``GAN``,
``SampleGrid``), with the hyper-parameters of lesson 02.

Every epoch is checkpointed in ``OUT/checkpoints``; ``--resume`` continues
there (``--epochs`` is the total, passed to ``fit`` with ``initial_epoch``)
bit-identically to an uninterrupted run. ``--help`` does not import
TensorFlow.
An existing run folder is never overwritten unless ``--overwrite`` is given.
A NaN/Inf loss stops training with exit code 1 and names the network.
Bad options exit with code 2 and a one-line message.
"""

import argparse
import json
import math
import os
import shutil
import sys
import time
from pathlib import Path

# 已有训练的标志文件 / Files that mark an existing run folder.
RUN_MARKERS = ("checkpoints", "config.json", "summary.json")
# 续训时必须一致的选项 / Options a resumed run must share.
CONFIG_KEYS = (
    "dataset",
    "batch_size",
    "latent_dim",
    "base_filters",
    "learning_rate",
    "loss",
    "seed",
    "max_images",
    "mixed_precision",
)


def _positive_int(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a positive integer, received {text!r}"
        ) from None
    if value < 1:
        raise argparse.ArgumentTypeError(
            f"expected a positive integer, received {text!r}"
        )
    return value


def _positive_float(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a positive number, received {text!r}"
        ) from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(
            f"expected a positive finite number, received {text!r}"
        )
    return value


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
    train.add_argument(
        "--epochs",
        type=_positive_int,
        default=5,
        help="total epochs (also with --resume)",
    )
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
    train.add_argument("--batch-size", type=_positive_int, default=256)
    train.add_argument("--latent-dim", type=_positive_int, default=100)
    train.add_argument("--base-filters", type=_positive_int, default=64)
    train.add_argument("--learning-rate", type=_positive_float, default=2e-4)
    train.add_argument(
        "--loss",
        default="non_saturating",
        choices=[
            "minimax",
            "non_saturating",
            "least_squares",
            "hinge",
            "wasserstein",
        ],
    )
    train.add_argument("--seed", type=int, default=42)
    train.add_argument(
        "--max-images",
        type=_positive_int,
        default=None,
        help="train on the first N images only (quick runs)",
    )
    train.add_argument("--jit", action="store_true", help="XLA-compile steps")
    train.add_argument(
        "--mixed-precision",
        action="store_true",
        help="mixed_float16 on GPU, mixed_bfloat16 on CPU",
    )
    existing = train.add_mutually_exclusive_group()
    existing.add_argument(
        "--resume",
        action="store_true",
        help="continue the run in --out from its last checkpoint",
    )
    existing.add_argument(
        "--overwrite",
        action="store_true",
        help="delete the previous run in --out and start again",
    )
    return parser


class CommandError(Exception):
    """A user error the command line reports in one line (exit code 1)."""


def _prepare_out(args):
    """Check and create the output folder; return the run config dict."""
    out = args.out
    if out.exists() and not out.is_dir():
        raise CommandError(f"--out must be a folder. Received: the file {out}")
    config = {key: getattr(args, key) for key in CONFIG_KEYS}
    has_run = out.is_dir() and any((out / m).exists() for m in RUN_MARKERS)
    if args.resume:
        if not (out / "checkpoints").is_dir():
            raise CommandError(
                f"--resume expected a run with checkpoints in {out}. "
                "Received: no checkpoints folder (start without --resume)"
            )
        saved = out / "config.json"
        if saved.is_file():
            previous = json.loads(saved.read_text())
            changed = {
                k: (previous.get(k), config[k])
                for k in CONFIG_KEYS
                if previous.get(k) != config[k]
            }
            if changed:
                text = ", ".join(
                    f"{k}: expected {a!r}, received {b!r}"
                    for k, (a, b) in changed.items()
                )
                raise CommandError(
                    f"--resume must use the options of the run in {out}: {text}"
                )
    elif has_run and not args.overwrite:
        raise CommandError(
            f"--out {out} already holds a run (checkpoints/summary). "
            "Expected --resume to continue it or --overwrite to start again"
        )
    elif has_run and args.overwrite:
        for name in ("checkpoints", "samples"):
            shutil.rmtree(out / name, ignore_errors=True)
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".write_test"
        probe.write_text("")
        probe.unlink()
    except OSError as error:
        raise CommandError(
            f"--out must be a writable folder. Received: {out} "
            f"({error.strerror or error})"
        ) from None
    return config


def _write_atomic(path, text):
    """Write ``text`` to ``path`` via a temporary file and a rename."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text)
    os.replace(temporary, path)


def _save_model_atomic(model, path):
    """Save a .keras file without ever leaving a half-written ``path``."""
    temporary = path.with_name(f".tmp_{path.name}")
    model.save(temporary)
    os.replace(temporary, path)


def train_dcgan(args):
    """Train the lesson-02 DCGAN and write PNG/GIF/plot/models to args.out.

    训练第 02 课的 DCGAN，把样本、GIF、损失曲线与模型写入 ``args.out``。
    """
    import keras
    import tensorflow as tf

    from gancourse import callbacks
    from gancourse import data
    from gancourse import models
    from gancourse import plotting
    from gancourse import runtime
    from gancourse import training

    out = args.out
    config = _prepare_out(args)
    if args.mixed_precision:
        on_gpu = bool(tf.config.list_physical_devices("GPU"))
        keras.mixed_precision.set_global_policy(
            "mixed_float16" if on_gpu else "mixed_bfloat16"
        )
    runtime.setup(args.seed)
    images, _ = data.load_dataset(args.dataset, "train", path=args.data_dir)
    if args.max_images:
        images = images[: args.max_images]
    if args.batch_size > len(images):
        raise CommandError(
            f"--batch-size must be at most the number of images "
            f"({len(images)}). Received: --batch-size {args.batch_size}"
        )
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
    gan = training.GAN(generator, discriminator, seed=args.seed)

    def adam():
        # mixed_float16 时 compile 自动加损失缩放 / Under mixed_float16,
        # compile wraps the optimizers in LossScaleOptimizer itself.
        return keras.optimizers.Adam(args.learning_rate, beta_1=0.5)

    gan.compile(adam(), adam(), loss=args.loss, jit_compile=args.jit)
    grid = callbacks.SampleGrid(num_images=64, seed=0, out_dir=out / "samples")
    saver = callbacks.TrainingCheckpoint(out / "checkpoints", grid)
    # 总轮数只计算一次（快速模式下被截断）/ The total, computed once
    # (capped in fast mode).
    total = runtime.BUDGET.epochs(args.epochs)
    done = 0
    if args.resume:
        done = saver.restore(gan, dataset)
        if done == 0:
            raise CommandError(
                f"--resume expected a checkpoint in {out / 'checkpoints'}. "
                "Received: none (start without --resume)"
            )
        if done >= total:
            capped = " (fast mode)" if total < args.epochs else ""
            print(
                f"Nothing to do: {out} already has {done} epochs "
                f"(--epochs {args.epochs}{capped}). Pass a larger --epochs."
            )
            return None
        print(f"Resuming from epoch {done} in {out / 'checkpoints'}")
    print(
        f"Training DCGAN on {args.dataset}: {len(images)} images, "
        f"{total} epochs, batch {args.batch_size}, out={out}"
    )
    # 数据与模型都准备好后才标记为训练目录 / Mark the folder as a run only
    # once data and models are ready, so a failed start can be retried.
    _write_atomic(out / "config.json", json.dumps(config, indent=2) + "\n")
    start = time.perf_counter()
    history = gan.fit(
        dataset,
        epochs=total,
        initial_epoch=done,
        callbacks=[
            saver,
            callbacks.NonFiniteGuard(),
            grid,
            callbacks.TensorBoardLogger(out / "tensorboard", grid),
        ],
        verbose=2,
    )
    seconds = time.perf_counter() - start

    import matplotlib

    matplotlib.use("Agg")
    plotting.save_image(grid.grids[-1], out / "samples.png")
    grid.save_gif(out / "training.gif")
    figure = plotting.plot_history(history, title="DCGAN losses")
    figure.savefig(out / "losses.png", dpi=100)
    _save_model_atomic(generator, out / "generator.keras")
    _save_model_atomic(discriminator, out / "discriminator.keras")
    summary = {
        "epochs": total,
        "resumed_from_epoch": done,
        "images": int(len(images)),
        "seconds": round(seconds, 1),
        "final_d_loss": float(history.history["d_loss"][-1]),
        "final_g_loss": float(history.history["g_loss"][-1]),
        "fast_mode": runtime.fast_mode(),
    }
    _write_atomic(out / "summary.json", json.dumps(summary, indent=2) + "\n")
    print(f"Trained in {seconds:.0f} s. Wrote:")
    for name in (
        "samples.png",
        "training.gif",
        "losses.png",
        "generator.keras",
        "discriminator.keras",
        "summary.json",
        "checkpoints",
        "tensorboard",
    ):
        print(f"  {out / name}")
    return summary


def main(argv=None):
    """Run the command line; return the exit code (0 ok, 1 error).

    运行命令行；返回退出码（0 成功，1 出错；参数错误由 argparse 以 2 退出）。
    """
    args = _parser().parse_args(argv)
    if args.command == "train" and args.model == "dcgan":
        from gancourse.checkpoint import NonFiniteLossError

        try:
            train_dcgan(args)
        except (
            CommandError,
            ValueError,
            OSError,
            NonFiniteLossError,
        ) as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

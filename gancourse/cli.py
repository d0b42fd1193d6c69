"""Command line: ``python -m gancourse train MODEL --epochs N --out DIR``.

命令行入口：训练课程中的任一模型族，输出样本网格、GIF、损失曲线、模型与
TensorBoard 日志。

``MODEL`` is one of ``gancourse.recipes.RECIPES`` (dcgan, cgan, wgan-gp,
bigan, pix2pix-inpainting, pix2pix-sr, cyclegan, ddpm); each uses exactly
the package code and hyper-parameters of its lesson; ``python -m gancourse
train MODEL --help`` shows its options and defaults. Every family shares
the same rules:

- every epoch is checkpointed in ``OUT/checkpoints``; ``--resume``
  continues there (``--epochs`` is the total, passed to ``fit`` with
  ``initial_epoch``) bit-identically to an uninterrupted run, and refuses
  options that differ from the run's ``config.json``;
- an existing run folder is never overwritten unless ``--overwrite``;
- a NaN/Inf loss stops training with exit code 1 and names the network;
- bad options exit with code 2 (argparse) or 1, with a one-line message;
- outputs: ``samples.png``, ``training.gif``, ``losses.png``, one
  ``.keras`` file per network, ``summary.json``, ``tensorboard/``.

``--help`` does not import TensorFlow.
"""

import argparse
import json
import math
import sys
import time
from pathlib import Path

from gancourse import distribute
from gancourse import runs
from gancourse.runs import RUN_MARKERS  # noqa: F401
from gancourse.runs import CommandError


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


def _decay_or_none(text):
    if text.lower() in ("none", "off", "0"):
        return None
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0.0 < value < 1.0:
        raise argparse.ArgumentTypeError(
            f"expected a number in (0, 1) or 'none', received {text!r}"
        )
    return value


# 选项 -> (类型, 帮助) / Option -> (type, help); defaults come from recipes.
OPTIONS = {
    "epochs": (_positive_int, "total epochs (also with --resume)"),
    "batch_size": (_positive_int, "images per batch"),
    "learning_rate": (_positive_float, "Adam learning rate (all networks)"),
    "d_learning_rate": (
        _positive_float,
        "Adam learning rate of the discriminator (None: --learning-rate; "
        "TTUR uses a larger one)",
    ),
    "beta_1": (float, "Adam beta_1"),
    "beta_2": (float, "Adam beta_2"),
    "max_images": (_positive_int, "train on the first N images only"),
    "seed": (int, "seed of weights, noise and shuffling"),
    "latent_dim": (_positive_int, "size of the noise vector z"),
    "base_filters": (_positive_int, "width of the networks"),
    "ema_decay": (
        _decay_or_none,
        "decay of the EMA generator that samples are drawn from "
        "('none': no EMA)",
    ),
    "n_critic": (_positive_int, "critic updates per generator update"),
    "gp_weight": (_positive_float, "gradient-penalty weight"),
    "lambda_l1": (_positive_float, "weight of the L1 term"),
    "hole_size": (_positive_int, "side of the square hole"),
    "scale": (_positive_int, "down-scaling factor"),
    "lambda_cycle": (_positive_float, "weight of cycle consistency"),
    "lambda_identity": (float, "identity weight (x lambda_cycle)"),
    "pool_size": (int, "image-pool size (0: none)"),
    "class_x": (int, "Fashion-MNIST class of domain X"),
    "class_y": (int, "Fashion-MNIST class of domain Y"),
    "diffusion_steps": (_positive_int, "T, the steps of the noising process"),
    "sample_steps": (_positive_int, "DDIM steps of the sample grids"),
}
LOSSES = ["minimax", "non_saturating", "least_squares", "hinge", "wasserstein"]


def _add_model_parser(models, recipe):
    parser = models.add_parser(
        recipe.name,
        help=recipe.help,
        description=f"{recipe.help} (lesson {recipe.lesson}).",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--out", type=Path, default=Path("runs") / recipe.name)
    if "dataset" in recipe.defaults:
        parser.add_argument("--dataset", choices=["fashion_mnist", "mnist"])
        parser.add_argument(
            "--data-dir", type=Path, help="folder with the IDX files"
        )
    if "loss" in recipe.defaults:
        parser.add_argument("--loss", choices=LOSSES)
    for name in recipe.defaults:
        if name in OPTIONS:
            kind, text = OPTIONS[name]
            flag = "--" + name.replace("_", "-")
            parser.add_argument(flag, type=kind, help=text)
    if "spectral_norm" in recipe.defaults:
        parser.add_argument(
            "--spectral-norm",
            action="store_true",
            help="spectrally normalise the discriminator (no dropout)",
        )
    parser.set_defaults(data_dir=None, **recipe.defaults, model=recipe.name)
    parser.add_argument(
        "--strategy",
        choices=distribute.STRATEGIES,
        default="one",
        help="tf.distribute strategy: one device, mirrored (this machine's "
        "GPUs), multi-worker (the processes in TF_CONFIG)",
    )
    parser.add_argument("--jit", action="store_true", help="XLA-compile steps")
    parser.add_argument(
        "--time-limit",
        type=_positive_float,
        metavar="SECONDS",
        help="stop after SECONDS of training (batch time only, as "
        "callbacks.TimeLimit; the capstone's budget); not with --resume",
    )
    parser.add_argument(
        "--mixed-precision",
        action="store_true",
        help="mixed_float16 on GPU, mixed_bfloat16 on CPU",
    )
    existing = parser.add_mutually_exclusive_group()
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


def _parser():
    from gancourse.recipes import RECIPES

    parser = argparse.ArgumentParser(
        prog="python -m gancourse",
        description="gancourse command line (English output).",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    train = commands.add_parser(
        "train",
        help="Train a course model and write its results.",
        description="Train a course model and write its results. "
        "`python -m gancourse train MODEL --help` lists MODEL's options.",
    )
    models = train.add_subparsers(
        dest="model", required=True, metavar="MODEL", title="models"
    )
    for recipe in RECIPES.values():
        _add_model_parser(models, recipe)
    return parser


def train(args):
    """Train ``args.model`` and write PNG/GIF/plot/models to ``args.out``.

    训练 ``args.model`` 并把样本、GIF、损失曲线、模型写入 ``args.out``。

    Returns:
        the summary dict, or None when the run already has ``--epochs``.
    """
    import keras
    import tensorflow as tf

    from gancourse import callbacks
    from gancourse import plotting
    from gancourse import recipes
    from gancourse import runtime

    if args.time_limit is not None and args.resume:
        raise CommandError(
            "--time-limit expected a fresh run: a time-limited run stops "
            "inside an epoch, so it cannot be resumed. Received: "
            "--time-limit with --resume"
        )
    chief = args.strategy != "multi-worker" or distribute.is_chief()
    out = args.out
    config = runs.prepare_out(args, chief)
    strategy = distribute.make_strategy(args.strategy)
    # 非主节点把样本、模型和日志写到自己的目录 / Workers other than the
    # chief write samples, models and logs into their own folder.
    artifacts = out
    if not chief:
        task = strategy.cluster_resolver.task_id
        artifacts = out / f".worker-{task}"
        artifacts.mkdir(parents=True, exist_ok=True)
    if args.mixed_precision:
        on_gpu = bool(tf.config.list_physical_devices("GPU"))
        keras.mixed_precision.set_global_policy(
            "mixed_float16" if on_gpu else "mixed_bfloat16"
        )
    runtime.setup(args.seed)
    try:
        with strategy.scope():
            run = recipes.RECIPES[args.model].build(args, artifacts)
    except recipes.RecipeError as error:
        raise CommandError(str(error)) from None
    model, grid, dataset = run.model, run.grid, run.dataset
    if args.strategy == "multi-worker":
        # 每个全局批次按样本切给各 worker / Each global batch is split
        # between the workers by element (the in-memory data has no files).
        options = tf.data.Options()
        policy = tf.data.experimental.AutoShardPolicy.DATA
        options.experimental_distribute.auto_shard_policy = policy
        dataset = dataset.with_options(options)
    saver = callbacks.TrainingCheckpoint(out / "checkpoints", grid)
    timer = None
    if args.time_limit is not None:
        timer = callbacks.TimeLimit(args.time_limit)
    # 总轮数只计算一次（快速模式下被截断）/ The total, computed once
    # (capped in fast mode).
    total = runtime.BUDGET.epochs(args.epochs)
    done = 0
    if args.resume:
        done = saver.restore(model, dataset)
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
        f"Training {run.description}; {total} epochs, batch "
        f"{args.batch_size}, out={out}"
    )
    # 数据与模型都准备好后才标记为训练目录 / Mark the folder as a run only
    # once data and models are ready, so a failed start can be retried.
    if chief:
        runs.write_atomic(
            out / "config.json", json.dumps(config, indent=2) + "\n"
        )
    start = time.perf_counter()
    history = model.fit(
        dataset,
        epochs=total,
        initial_epoch=done,
        callbacks=[
            saver,
            callbacks.NonFiniteGuard(),
            grid,
            callbacks.TensorBoardLogger(artifacts / "tensorboard", grid),
        ]
        + ([timer] if timer else []),
        verbose=2,
    )
    seconds = time.perf_counter() - start

    import matplotlib

    matplotlib.use("Agg")
    plotting.save_image(
        plotting.image_grid(grid.sample(), num_cols=grid.num_cols),
        artifacts / "samples.png",
    )
    grid.save_gif(artifacts / "training.gif")
    figure = plotting.plot_history(history, title=f"{args.model} losses")
    figure.savefig(artifacts / "losses.png", dpi=100)
    import matplotlib.pyplot as plt

    plt.close(figure)
    written = ["samples.png", "training.gif", "losses.png"]
    # 模型的每个网络各存一个文件 / One file per network of the model.
    for name, network in sorted(vars(model).items()):
        if isinstance(network, keras.Model) and not name.startswith("_"):
            runs.save_model_atomic(network, artifacts / f"{name}.keras")
            written.append(f"{name}.keras")
    summary = {
        "model": args.model,
        "epochs": total,
        "resumed_from_epoch": done,
        "seconds": round(seconds, 1),
        "final": {k: float(v[-1]) for k, v in history.history.items()},
        "fast_mode": runtime.fast_mode(),
    }
    if timer is not None:
        summary["time_limit"] = {
            "seconds": args.time_limit,
            "train_seconds": round(timer.elapsed, 1),
            "steps": timer.steps,
            "stopped": timer.elapsed >= args.time_limit,
            "epochs_started": len(history.epoch),
        }
    runs.write_atomic(
        artifacts / "summary.json", json.dumps(summary, indent=2) + "\n"
    )
    print(f"Trained in {seconds:.0f} s. Wrote:")
    for name in written + ["summary.json", "tensorboard"]:
        print(f"  {artifacts / name}")
    print(f"  {out / 'checkpoints'}")
    return summary


def main(argv=None):
    """Run the command line; return the exit code (0 ok, 1 error).

    运行命令行；返回退出码（0 成功，1 出错；参数错误由 argparse 以 2 退出）。
    """
    args = _parser().parse_args(argv)
    if args.command == "train":
        from gancourse.checkpoint import NonFiniteLossError

        try:
            train(args)
        except (
            CommandError,
            ValueError,
            OSError,
            NonFiniteLossError,
        ) as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        except Exception as error:
            if not distribute.lost_a_worker(error):
                raise
            first = str(error).strip().splitlines()[0][:300]
            print(
                "error: a worker of the multi-worker run stopped, so every "
                "worker stops. Restart all of them with --resume to continue "
                f"from the last checkpoint in {args.out / 'checkpoints'}. "
                f"(TensorFlow: {type(error).__name__}: {first})",
                file=sys.stderr,
            )
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

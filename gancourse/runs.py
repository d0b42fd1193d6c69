"""A training run's folder: when it may be written, its config, safe writes.

训练目录：何时可以写入、训练配置的记录与检查、原子写入。

``python -m gancourse train`` writes every run into one folder (``--out``).
A folder that holds a run (checkpoints, ``config.json`` or
``summary.json``) is never overwritten silently: ``--resume`` continues it
with the same options, ``--overwrite`` starts it again.
"""

import json
import os
import shutil

# 已有训练的标志文件 / Files that mark an existing run folder.
RUN_MARKERS = ("checkpoints", "config.json", "summary.json")
# 不属于训练配置的选项（续训时可以改变）/ Options that are not part of
# the run's configuration (they may change on --resume).
NOT_CONFIG = (
    "strategy",
    "command",
    "model",
    "epochs",
    "out",
    "data_dir",
    "jit",
    "resume",
    "overwrite",
)


class CommandError(Exception):
    """A user error the command line reports in one line (exit code 1)."""


def prepare_out(args, chief=True):
    """Check and create the output folder; return the run config dict.

    Only the chief of a multi-worker run decides whether ``--out`` may be
    (over)written; the other workers follow it.
    """
    out = args.out
    if out.exists() and not out.is_dir():
        raise CommandError(f"--out must be a folder. Received: the file {out}")
    config = {
        key: value
        for key, value in sorted(vars(args).items())
        if key not in NOT_CONFIG
    }
    config["model"] = args.model
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
                for k in config
                # 旧版本没有记录的选项不比较 / Options an older version
                # did not record are not compared.
                if k in previous and previous[k] != config[k]
            }
            if changed:
                text = ", ".join(
                    f"{k}: expected {a!r}, received {b!r}"
                    for k, (a, b) in changed.items()
                )
                raise CommandError(
                    f"--resume must use the options of the run in {out}: {text}"
                )
    elif not chief:
        pass
    elif has_run and not args.overwrite:
        raise CommandError(
            f"--out {out} already holds a run (checkpoints/summary). "
            "Expected --resume to continue it or --overwrite to start again"
        )
    elif has_run and args.overwrite:
        for name in ("checkpoints", "samples", "tensorboard"):
            shutil.rmtree(out / name, ignore_errors=True)
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / f".write_test-{os.getpid()}"
        probe.write_text("")
        probe.unlink()
    except OSError as error:
        raise CommandError(
            f"--out must be a writable folder. Received: {out} "
            f"({error.strerror or error})"
        ) from None
    return config


def write_atomic(path, text):
    """Write ``text`` to ``path`` via a temporary file and a rename."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text)
    os.replace(temporary, path)


def save_model_atomic(model, path):
    """Save a .keras file without ever leaving a half-written ``path``."""
    temporary = path.with_name(f".tmp_{path.name}")
    model.save(temporary)
    os.replace(temporary, path)


def reproducing_command(config, epochs):
    """The CLI command of a run: ``--epochs`` and every non-default option.

    复现一次训练的命令：轮数加上所有非默认选项。

    ``config`` is the run's ``config.json`` (``prepare_out``); options equal
    to the recipe's defaults are left out, so the command reads as a user
    would type it. ``tools/ship_pretrained.py`` records it with each shipped
    checkpoint; parsing it gives ``config`` back.

    >>> reproducing_command({"model": "dcgan", "loss": "hinge"}, 7)
    'python -m gancourse train dcgan --epochs 7 --loss hinge'
    """
    from gancourse.recipes import RECIPES

    defaults = RECIPES[config["model"]].defaults
    parts = ["python -m gancourse train", config["model"], f"--epochs {epochs}"]
    for key, value in config.items():
        # 不在配方默认值中的选项（如 time_limit）默认为 None / Options
        # outside the recipe's defaults (e.g. time_limit) default to None.
        if key in ("model", "epochs") or value == defaults.get(key):
            continue
        flag = "--" + key.replace("_", "-")
        if isinstance(value, bool):  # store_true 选项 / A store_true flag.
            parts += [flag] if value else []
        elif value is None:
            parts.append(f"{flag} none")
        elif isinstance(value, float):
            parts.append(f"{flag} {value:g}")
        else:
            parts.append(f"{flag} {value}")
    return " ".join(parts)

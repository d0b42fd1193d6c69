"""Generators trained longer than a lesson can afford, shipped with the package.

随包提供的预训练生成器：用课程自己的代码训练得比一节课更久。

A lesson trains live so students watch the process; a shipped checkpoint
shows what longer training gives. Each one is a ``.keras`` file in
``gancourse/assets/`` with a JSON record beside it: the command that
reproduces it (the course's own CLI), its training time and CPU, and its
FID/KID/precision/recall with the shipped classifier (written by
``tools/ship_pretrained.py``). ``load`` checks the file's SHA-256 against
the record before Keras reads it, and loads with ``safe_mode=True``.

Stored results of longer experiments (no weights) come from ``results``.

>>> sorted(available())  # doctest: +NORMALIZE_WHITESPACE
['bigan-encoder-fashion-mnist', 'bigan-generator-fashion-mnist',
 'cgan-fashion-mnist', 'cyclegan-sneaker-ankle-boot', 'dcgan-fashion-mnist',
 'ddpm-fashion-mnist', 'sngan-fashion-mnist', 'wgan-gp-fashion-mnist']
"""

import json
from pathlib import Path

ASSETS = Path(__file__).resolve().parent / "assets"
# 名字 -> 资产文件名（不含扩展名）/ Name -> asset file stem.
CHECKPOINTS = {
    "dcgan-fashion-mnist": "dcgan_fashion_mnist",
    "ddpm-fashion-mnist": "ddpm_fashion_mnist",
    "bigan-generator-fashion-mnist": "bigan_generator_fashion_mnist",
    "bigan-encoder-fashion-mnist": "bigan_encoder_fashion_mnist",
    "cgan-fashion-mnist": "cgan_fashion_mnist",
    "cyclegan-sneaker-ankle-boot": "cyclegan_sneaker_ankle_boot",
    "wgan-gp-fashion-mnist": "wgan_gp_fashion_mnist",
    "sngan-fashion-mnist": "sngan_fashion_mnist",
}
# 实验结果（不是权重）：名字 -> 资产文件名 / Stored results of experiments
# too long for a lesson (no weights): name -> asset file stem.
RESULTS = {
    "small-data-ablation": "small_data_ablation",
}


def _check_name(name):
    if name not in CHECKPOINTS:
        raise ValueError(
            f"`name` must be one of {sorted(CHECKPOINTS)}. Received: {name!r}"
        )
    return ASSETS / CHECKPOINTS[name]


def info(name):
    """The JSON record of a shipped checkpoint (a dict).

    预训练检查点的记录：复现命令、训练时间、CPU、FID 等。
    """
    record = _check_name(name).with_suffix(".json")
    return json.loads(record.read_text(encoding="utf-8"))


def available():
    """Every shipped checkpoint's record, by name.

    所有随包检查点的记录（按名字）。
    """
    return {name: info(name) for name in CHECKPOINTS}


def results(name):
    """The stored results of an experiment a lesson cannot run live (a dict).

    课堂上来不及现场运行的实验的结果（由 ``tools/`` 中的脚本写出）。

    Each record holds the command that reproduces it (a ``tools/`` script),
    the CPU it ran on, its settings and its measurements; lesson 10 reads
    ``"small-data-ablation"`` (``tools/small_data_ablation.py``).

    Raises:
        ValueError: for an unknown name.
    """
    if name not in RESULTS:
        raise ValueError(
            f"`name` must be one of {sorted(RESULTS)}. Received: {name!r}"
        )
    record = (ASSETS / RESULTS[name]).with_suffix(".json")
    return json.loads(record.read_text(encoding="utf-8"))


def load(name, path=None):
    """Load a shipped generator after checking its SHA-256 (safe mode).

    校验 SHA-256 后以安全模式加载随包提供的生成器。

    Args:
        name: a key of ``CHECKPOINTS`` (see ``available()``).
        path: optional file to load instead of the package asset (it must
            still match the recorded SHA-256).

    Returns:
        keras.Model: a GAN generator maps (batch, latent_dim) noise to
        images in [-1, 1]; the BiGAN encoder maps images to codes; a
        diffusion network maps ``[x_t, t]`` to the
        predicted noise (wrap it in ``gancourse.training.DDPM`` to sample);
        the CycleGAN is one model holding both generators:
        ``get_layer("G_x_to_y")`` is G (sneaker to ankle boot) and
        ``get_layer("F_y_to_x")`` is F.

    Raises:
        ValueError: for an unknown name, or a file whose SHA-256 differs
            from the record (a corrupted or replaced file).
    """
    from gancourse.metrics.encoders import file_sha256

    expected = info(name)["sha256"]
    path = _check_name(name).with_suffix(".keras") if path is None else path
    received = file_sha256(path)
    if received != expected:
        raise ValueError(
            f"The checkpoint file {path} failed its integrity check: "
            f"expected SHA-256 {expected}. Received: {received}. Re-install "
            "the package or rebuild it with the command in "
            f"gancourse.pretrained.info({name!r}). / 检查点文件校验失败。"
        )
    import keras

    import gancourse.models  # noqa: F401 - registers the course's layers.

    return keras.saving.load_model(path, safe_mode=True, compile=False)

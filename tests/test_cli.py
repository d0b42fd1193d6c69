import json

import keras
import numpy as np
import pytest

from gancourse import cli
from tests.test_data import write_idx


@pytest.fixture
def data_dir(tmp_path):
    folder = tmp_path / "data"
    write_idx(folder, count=64)
    return folder


def run(data_dir, out, *extra):
    return cli.main(
        [
            "train",
            "dcgan",
            "--out",
            str(out),
            "--data-dir",
            str(data_dir),
            "--batch-size",
            "32",
            "--base-filters",
            "4",
            "--latent-dim",
            "8",
            *extra,
        ]
    )


def generator_weights(out):
    model = keras.saving.load_model(out / "generator.keras", safe_mode=True)
    return [np.asarray(w) for w in model.weights]


def test_resume_continues_bit_exactly(data_dir, tmp_path, capsys):
    assert run(data_dir, tmp_path / "straight", "--epochs", "3") == 0
    out = tmp_path / "resumed"
    assert run(data_dir, out, "--epochs", "1") == 0
    first_png = (out / "samples" / "epoch_000.png").read_bytes()
    assert run(data_dir, out, "--epochs", "3", "--resume") == 0
    assert "Resuming from epoch 1" in capsys.readouterr().out
    for a, b in zip(
        generator_weights(tmp_path / "straight"), generator_weights(out)
    ):
        np.testing.assert_array_equal(a, b)
    # 初始网格没有被覆盖，GIF 含全部 4 帧 / The epoch-0 grid was not
    # overwritten and the GIF holds all 4 frames.
    assert (out / "samples" / "epoch_000.png").read_bytes() == first_png
    from PIL import Image

    assert Image.open(out / "training.gif").n_frames == 4
    summary = json.loads((out / "summary.json").read_text())
    assert summary["epochs"] == 3 and summary["model"] == "dcgan"
    assert sorted(summary["final"]) == ["d_loss", "g_loss"]
    # TensorBoard：两次运行的每轮损失都写在同一个目录 / Both runs append
    # their epoch losses to one TensorBoard folder.
    from tests.test_tensorboard import read_events

    events = read_events(out / "tensorboard")
    assert [step for step, _ in events["epoch/d_loss"]] == [1, 2, 3]
    assert [step for step, _ in events["samples"]] == [1, 2, 3]
    # 已经训练够了：什么也不做 / Already done: nothing to do, exit 0.
    assert run(data_dir, out, "--epochs", "2", "--resume") == 0
    assert "Nothing to do" in capsys.readouterr().out


def test_existing_run_is_never_overwritten_silently(data_dir, tmp_path, capsys):
    out = tmp_path / "run"
    assert run(data_dir, out, "--epochs", "1") == 0
    before = (out / "generator.keras").read_bytes()
    assert run(data_dir, out, "--epochs", "1") == 1
    error = capsys.readouterr().err
    assert "already holds a run" in error and "--resume" in error
    assert (out / "generator.keras").read_bytes() == before
    # 续训时改了选项：拒绝 / Changed options on resume: refused.
    assert run(data_dir, out, "--epochs", "2", "--resume", "--seed", "7") == 1
    assert "seed: expected 42, received 7" in capsys.readouterr().err
    assert run(data_dir, out, "--epochs", "1", "--overwrite") == 0
    assert sorted(p.name for p in (out / "checkpoints").glob("*.index")) == [
        "ckpt-1.index"
    ]


def test_diverging_run_stops_with_the_network_and_step(
    data_dir, tmp_path, capsys
):
    out = tmp_path / "run"
    code = run(data_dir, out, "--epochs", "3", "--learning-rate", "1e35")
    assert code == 1
    error = capsys.readouterr().err.strip()
    assert error.startswith("error: Training stopped: the ")
    assert "loss `" in error and "at step " in error
    assert any(name in error for name in ("discriminator", "generator")), error
    # 发散之后不会写出模型 / No model is written after the divergence.
    assert not (out / "generator.keras").exists()


def test_resume_in_fast_mode_is_complete_after_one_epoch(
    data_dir, tmp_path, capsys, monkeypatch
):
    # 快速模式把总轮数限制为 1：续训时无事可做，而不是训练 0 轮后出错 /
    # Fast mode caps the total at 1 epoch: a resume has nothing to do
    # (instead of fitting 0 epochs and failing on an empty history).
    monkeypatch.setenv("GANCOURSE_FAST", "1")
    out = tmp_path / "fast"
    assert run(data_dir, out, "--epochs", "2") == 0
    before = (out / "generator.keras").read_bytes()
    assert run(data_dir, out, "--epochs", "3", "--resume") == 0
    assert "Nothing to do" in capsys.readouterr().out
    assert (out / "generator.keras").read_bytes() == before


def test_time_limit_stops_inside_the_first_epoch(data_dir, tmp_path, capsys):
    # 64 张图、批次 32：每轮 2 步；预算极小，第一步之后就停 / 64 images at
    # batch 32 are 2 steps per epoch; a tiny budget stops after the first.
    out = tmp_path / "run"
    assert run(data_dir, out, "--epochs", "5", "--time-limit", "1e-6") == 0
    limit = json.loads((out / "summary.json").read_text())["time_limit"]
    assert limit["steps"] == 1 and limit["epochs_started"] == 1
    assert limit["stopped"] and limit["seconds"] == 1e-6
    assert (out / "generator.keras").is_file()
    # 被时间截断的训练不能续训 / A time-limited run cannot be resumed.
    code = run(data_dir, out, "--epochs", "5", "--time-limit", "1", "--resume")
    assert code == 1
    assert "--time-limit expected a fresh run" in capsys.readouterr().err


# 每个模型族：很小的网络，16 张图（或 16 个裁剪块），每轮 2 步 / Every
# family with tiny networks on 16 images (or crops): 2 steps per epoch.
FAMILY_OPTIONS = {
    "dcgan": ["--latent-dim", "8", "--ema-decay", "0.9"],
    "cgan": ["--latent-dim", "8"],
    "wgan-gp": ["--latent-dim", "8", "--n-critic", "2"],
    "bigan": ["--latent-dim", "8"],
    "pix2pix-inpainting": [],
    "pix2pix-sr": [],
    "cyclegan": ["--pool-size", "4"],
    "ddpm": ["--diffusion-steps", "20", "--sample-steps", "3"],
}


def test_help_lists_every_family(capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["train", "--help"])
    assert info.value.code == 0
    text = capsys.readouterr().out
    for family in FAMILY_OPTIONS:
        assert family in text
    from gancourse.recipes import RECIPES

    assert sorted(RECIPES) == sorted(FAMILY_OPTIONS)


def family_run(family, data_dir, out, *extra):
    argv = ["train", family, "--out", str(out), "--batch-size", "8"]
    argv += ["--base-filters", "4", "--max-images", "16"]
    if family in ("dcgan", "cgan", "wgan-gp", "bigan", "ddpm"):
        argv += ["--data-dir", str(data_dir)]
    return cli.main(argv + FAMILY_OPTIONS[family] + list(extra))


def saved_weights(out):
    weights = {}
    for path in sorted(out.glob("*.keras")):
        model = keras.saving.load_model(path, safe_mode=True, compile=False)
        weights[path.stem] = [np.asarray(w) for w in model.weights]
    return weights


@pytest.mark.parametrize("family", sorted(FAMILY_OPTIONS))
def test_every_family_trains_and_resumes_bit_exactly(
    family, data_dir, tmp_path, capsys
):
    straight, resumed = tmp_path / "straight", tmp_path / "resumed"
    assert family_run(family, data_dir, straight, "--epochs", "2") == 0
    assert family_run(family, data_dir, resumed, "--epochs", "1") == 0
    assert (
        family_run(family, data_dir, resumed, "--epochs", "2", "--resume") == 0
    )
    assert "Resuming from epoch 1" in capsys.readouterr().out
    expected = saved_weights(straight)
    got = saved_weights(resumed)
    assert sorted(got) == sorted(expected) and len(got) >= 2, sorted(got)
    for name in expected:
        for a, b in zip(expected[name], got[name]):
            np.testing.assert_array_equal(a, b, err_msg=f"{family} {name}")
    summary = json.loads((resumed / "summary.json").read_text())
    assert summary["model"] == family and summary["epochs"] == 2
    assert summary["resumed_from_epoch"] == 1
    assert all(np.isfinite(v) for v in summary["final"].values())
    config = json.loads((resumed / "config.json").read_text())
    assert config["model"] == family and config["batch_size"] == 8
    for name in ("samples.png", "training.gif", "losses.png"):
        assert (resumed / name).stat().st_size > 0
    from PIL import Image

    assert Image.open(resumed / "training.gif").n_frames == 3
    if family == "dcgan":
        # EMA 生成器也被保存并续训 / The EMA generator is saved and resumed.
        assert "ema_generator" in got
    if family == "ddpm":
        assert sorted(got) == ["ema_network", "network"]
    if family == "bigan":
        assert sorted(got) == ["discriminator", "encoder", "generator"]
    # 续训时改变族特有的选项：拒绝 / A changed family option is refused.
    option = {"cyclegan": "--lambda-cycle", "pix2pix-sr": "--lambda-l1"}.get(
        family, "--learning-rate"
    )
    assert (
        family_run(
            family, data_dir, resumed, "--epochs", "3", "--resume", option, "3"
        )
        == 1
    )
    assert "--resume must use the options" in capsys.readouterr().err


def test_dcgan_options_build_lesson_04_sn_d_with_ttur(data_dir, tmp_path):
    from gancourse.recipes import RECIPES

    argv = ["train", "dcgan", "--data-dir", str(data_dir), "--batch-size", "8"]
    argv += ["--base-filters", "4", "--latent-dim", "8", "--loss", "hinge"]
    args = cli._parser().parse_args(
        argv
        + ["--spectral-norm", "--learning-rate", "1e-4"]
        + ["--d-learning-rate", "4e-4"]
    )
    run = RECIPES["dcgan"].build(args, tmp_path)
    layers = [type(layer).__name__ for layer in run.model.discriminator.layers]
    assert "SpectralNormalization" in layers and "Dropout" not in layers
    assert float(run.model.d_optimizer.learning_rate) == pytest.approx(4e-4)
    assert float(run.model.g_optimizer.learning_rate) == pytest.approx(1e-4)
    # 默认：普通 D（带 dropout），两个网络学习率相同 / Defaults: the plain
    # D with dropout and one learning rate for both networks.
    run = RECIPES["dcgan"].build(cli._parser().parse_args(argv), tmp_path)
    layers = [type(layer).__name__ for layer in run.model.discriminator.layers]
    assert "SpectralNormalization" not in layers and "Dropout" in layers
    assert float(run.model.d_optimizer.learning_rate) == pytest.approx(2e-4)

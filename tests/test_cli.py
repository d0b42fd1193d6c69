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
    assert json.loads((out / "summary.json").read_text())["epochs"] == 3
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

import os

import numpy as np
import pytest

from gancourse import runtime


@pytest.mark.parametrize(
    "value,expected", [("1", True), ("0", False), ("", False), ("true", True)]
)
def test_fast_mode_reads_env(monkeypatch, value, expected):
    monkeypatch.setenv("GANCOURSE_FAST", value)
    assert runtime.fast_mode() is expected


def test_caps_only_in_fast_mode(monkeypatch):
    monkeypatch.delenv("GANCOURSE_FAST", raising=False)
    assert runtime.cap_epochs(50) == 50
    assert runtime.cap_steps(500) == 500
    monkeypatch.setenv("GANCOURSE_FAST", "1")
    assert runtime.cap_epochs(50) == runtime.BUDGET.limits["epochs"]
    assert runtime.cap_steps(500) == runtime.BUDGET.limits["steps"]
    assert runtime.cap_iterations(2) == 2


def test_budget_announces_the_first_cap_once(monkeypatch):
    import io

    stream = io.StringIO()
    budget = runtime.FastBudget(epochs=2, steps=3, stream=stream)
    monkeypatch.delenv("GANCOURSE_FAST", raising=False)
    assert budget.epochs(10) == 10
    assert stream.getvalue() == ""
    monkeypatch.setenv("GANCOURSE_FAST", "1")
    assert budget.steps(3) == 3  # Not capped: nothing to say.
    assert stream.getvalue() == ""
    assert budget.epochs(10) == 2
    assert budget.steps(100) == 3
    assert budget.images(10_000) == 256
    lines = stream.getvalue().splitlines()
    assert lines == [
        "[gancourse] fast mode (GANCOURSE_FAST=1): epochs 10 -> 2; other "
        "loops are capped the same way. Unset GANCOURSE_FAST for the real "
        "run."
    ]
    with pytest.raises(ValueError, match="kind"):
        budget.cap("minutes", 3)


def test_budget_is_the_only_reader_of_the_variable():
    from pathlib import Path

    package = Path(runtime.__file__).parent
    readers = sorted(
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if "GANCOURSE_FAST" in path.read_text(encoding="utf-8")
        and "environ" in path.read_text(encoding="utf-8")
    )
    assert readers == ["runtime.py"]


def test_importing_the_package_changes_no_environment_variable():
    import subprocess
    import sys

    code = (
        "import os, json; before = dict(os.environ); import gancourse; "
        "import gancourse.models, gancourse.training; "
        "print(json.dumps(sorted(set(os.environ.items()) ^ "
        "set(before.items()))))"
    )
    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert result.stdout.strip() == "[]"


def test_caps_reject_bad_values():
    with pytest.raises(ValueError, match="Received: epochs=0"):
        runtime.cap_epochs(0)
    with pytest.raises(TypeError):
        runtime.cap_epochs(2.5)


def test_setup_seeds_numpy_and_keras():
    import keras

    # 返回 None：以它结尾的单元格不打印 / A cell ending in it prints nothing.
    assert runtime.setup(3) is None
    first = (np.random.rand(), float(keras.random.normal(())))
    runtime.setup(3)
    second = (np.random.rand(), float(keras.random.normal(())))
    assert first == second


FIRST_LOSSES = """
import json
import sys

import keras
import numpy as np

import gancourse
from gancourse import data
from gancourse import gans
from gancourse import models


def first_losses(seed, num_steps=4):
    gancourse.setup(seed)
    images = np.random.uniform(-1, 1, (32, 16, 16, 1)).astype("float32")
    generator = models.make_dcgan_generator(
        latent_dim=8, image_shape=(16, 16, 1), base_filters=4
    )
    discriminator = models.make_dcgan_discriminator(
        image_shape=(16, 16, 1), base_filters=4
    )
    gan = gans.GAN(generator, discriminator, seed=seed)
    gan.compile(keras.optimizers.Adam(1e-3), keras.optimizers.Adam(1e-3))
    losses = []
    callback = keras.callbacks.LambdaCallback(
        on_train_batch_end=lambda batch, logs: losses.append(
            [float(logs["d_loss"]), float(logs["g_loss"])]
        )
    )
    dataset = data.make_dataset(images, batch_size=8, seed=seed)
    gan.fit(dataset, epochs=1, callbacks=[callback], verbose=0)
    return losses[:num_steps]


if __name__ == "__main__":
    print(json.dumps(first_losses(int(sys.argv[1]))))
"""


def test_setup_gives_the_same_first_losses(tmp_path):
    import json
    import subprocess
    import sys
    from pathlib import Path

    script = tmp_path / "first_losses.py"
    script.write_text(FIRST_LOSSES)
    root = Path(__file__).resolve().parents[1]
    env = dict(os.environ, PYTHONPATH=str(root), TF_CPP_MIN_LOG_LEVEL="3")

    def in_subprocess(seed):
        result = subprocess.run(
            [sys.executable, str(script), str(seed)],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        return json.loads(result.stdout.strip().splitlines()[-1])

    namespace = {}
    exec(compile(FIRST_LOSSES, str(script), "exec"), namespace)
    first = namespace["first_losses"](0)
    assert len(first) == 4 and np.all(np.isfinite(first))
    # 同一进程内重复，以及一个新进程：逐位相同 / Repeated in this process and
    # in a fresh process: bit-identical.
    assert namespace["first_losses"](0) == first
    assert in_subprocess(0) == first
    # 种子确实起作用 / The seed matters.
    assert namespace["first_losses"](1) != first

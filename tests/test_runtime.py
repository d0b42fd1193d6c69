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
    assert runtime.cap_epochs(50) == runtime.FAST_EPOCHS
    assert runtime.cap_steps(500) == runtime.FAST_STEPS
    assert runtime.cap_iterations(2) == 2


def test_caps_reject_bad_values():
    with pytest.raises(ValueError, match="Received: epochs=0"):
        runtime.cap_epochs(0)
    with pytest.raises(TypeError):
        runtime.cap_epochs(2.5)


def test_setup_seeds_numpy_and_keras():
    import keras

    runtime.setup(3)
    first = (np.random.rand(), float(keras.random.normal(())))
    runtime.setup(3)
    second = (np.random.rand(), float(keras.random.normal(())))
    assert first == second

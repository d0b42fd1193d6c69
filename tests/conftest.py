import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ["MPLBACKEND"] = "Agg"

import numpy as np  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def full_mode(monkeypatch):
    """Unit tests run in full mode unless a test turns fast mode on.

    ``lessons/conftest.py`` sets GANCOURSE_FAST=1 for the notebook kernels;
    when both folders run in one pytest session it must not leak here.
    """
    monkeypatch.delenv("GANCOURSE_FAST", raising=False)


@pytest.fixture
def rng():
    return np.random.default_rng(0)


@pytest.fixture
def small_images(rng):
    """32 random 16x16x1 images in [-1, 1]."""
    return rng.uniform(-1, 1, size=(32, 16, 16, 1)).astype("float32")

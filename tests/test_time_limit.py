"""TimeLimit: stop fit after a training-time budget (clock faked).

TimeLimit：训练时间达到预算后停止 fit（用假时钟精确检验）。
"""

import itertools

import keras
import numpy as np
import pytest

from gancourse import callbacks


def fit_with_clock(monkeypatch, seconds, epochs=3):
    ticks = itertools.count()
    # 每次读时钟前进 1 秒：每个批次正好 1 秒 / Each read of the clock
    # moves 1 s, so every batch lasts exactly 1 s.
    monkeypatch.setattr(callbacks.time, "perf_counter", lambda: next(ticks))
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    limit = callbacks.TimeLimit(seconds)
    x = np.zeros((8, 2), "float32")
    history = model.fit(
        x, x[:, :1], batch_size=2, epochs=epochs, callbacks=[limit], verbose=0
    )
    return limit, history


def test_stops_at_the_first_batch_past_the_budget(monkeypatch):
    limit, history = fit_with_clock(monkeypatch, 5.5)
    assert limit.steps == 6 and limit.elapsed == 6.0
    # 4 个批次一轮：第 2 轮中途停止 / 4 batches per epoch: stops in epoch 2.
    assert len(history.history["loss"]) == 2


def test_a_large_budget_changes_nothing(monkeypatch):
    limit, history = fit_with_clock(monkeypatch, 1000)
    assert limit.steps == 12 and len(history.history["loss"]) == 3


@pytest.mark.parametrize(
    "value, error", [(0, ValueError), (-1.0, ValueError), ("60", TypeError)]
)
def test_bad_budget_raises(value, error):
    with pytest.raises(error, match="seconds"):
        callbacks.TimeLimit(value)

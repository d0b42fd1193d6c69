"""Runtime settings: seeding and the fast mode used by CI.

运行时设置：随机种子与 CI 使用的快速模式。

Fast mode (environment variable ``GANCOURSE_FAST=1``) is how the notebooks stay
honest: a lesson declares ``EPOCHS = 20`` and the package caps it inside
``fit``/``make_dataset`` when the lessons run under ``pytest --nbval``.
"""

import os
import random

import numpy as np

FAST_EPOCHS = 1
FAST_STEPS = 3
FAST_ITERATIONS = 5


def fast_mode():
    """Whether fast mode is on (read from ``GANCOURSE_FAST`` on every call).

    是否处于快速模式（每次调用时读取 ``GANCOURSE_FAST``）。

    Returns:
        bool: True when ``GANCOURSE_FAST`` is set to a true value.
    """
    value = os.environ.get("GANCOURSE_FAST", "0").strip().lower()
    return value not in ("", "0", "false", "no", "off")


def check_int(name, value, minimum, maximum=None, reason=""):
    """Return ``value`` as an int in ``[minimum, maximum]``.

    检查整数参数：不是整数抛出 ``TypeError``，超出范围抛出 ``ValueError``。

    Args:
        name: the argument's name, for the message.
        value: what the caller passed (bools are refused).
        minimum: smallest allowed value.
        maximum: optional largest allowed value.
        reason: optional text explaining the bound, e.g. "(both end
            points)".
    """
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"`{name}` must be an int. Received: {name}={value!r}")
    if value < minimum or (maximum is not None and value > maximum):
        if maximum is not None:
            expected = f"in [{minimum}, {maximum}]"
        elif minimum == 1:
            expected = "a positive integer"
        else:
            expected = f"an int >= {minimum}"
        if reason:
            expected += f" {reason}"
        raise ValueError(
            f"`{name}` must be {expected}. Received: {name}={value}"
        )
    return int(value)


def _positive_int(name, value):
    return check_int(name, value, minimum=1)


def cap_epochs(epochs):
    """Return ``epochs``, or at most ``FAST_EPOCHS`` in fast mode.

    返回训练轮数；快速模式下最多 ``FAST_EPOCHS`` 轮。
    """
    epochs = _positive_int("epochs", epochs)
    return min(epochs, FAST_EPOCHS) if fast_mode() else epochs


def cap_steps(steps):
    """Return ``steps``, or at most ``FAST_STEPS`` in fast mode.

    返回训练步数；快速模式下最多 ``FAST_STEPS`` 步。
    """
    steps = _positive_int("steps", steps)
    return min(steps, FAST_STEPS) if fast_mode() else steps


def cap_iterations(iterations):
    """Return ``iterations``, or at most ``FAST_ITERATIONS`` in fast mode.

    返回优化迭代次数；快速模式下最多 ``FAST_ITERATIONS`` 次。

    Used by loops that are not epochs over a data set (toy GANs, style
    transfer).
    """
    iterations = _positive_int("iterations", iterations)
    if fast_mode():
        return min(iterations, FAST_ITERATIONS)
    return iterations


def setup(seed=42):
    """Seed Python, NumPy, TensorFlow and Keras in one call.

    一次性设置 Python、NumPy、TensorFlow 与 Keras 的随机种子。

    Args:
        seed: int, the global seed.

    Returns:
        int: the seed, so a lesson can print it.

    Raises:
        TypeError: if ``seed`` is not an int.
        ValueError: if ``seed`` is negative.

    Example:
        >>> import gancourse
        >>> gancourse.setup(0)
        0
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"`seed` must be an int. Received: seed={seed!r}")
    if seed < 0:
        raise ValueError(
            f"`seed` must be a non-negative int. Received: seed={seed}"
        )
    seed = int(seed)
    import keras

    random.seed(seed)
    np.random.seed(seed)
    keras.utils.set_random_seed(seed)
    return seed

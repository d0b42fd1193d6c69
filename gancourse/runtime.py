"""Runtime settings: seeding, the fast-mode budget and argument checks.

运行时设置：随机种子、快速模式预算与参数检查。

Errors follow one policy in the whole package (as Keras): an argument of
the wrong type (a str for an int, a list for a model) raises ``TypeError``;
a value of the right type that is not allowed (a negative size, the same
optimizer twice, an image outside [-1, 1]) raises ``ValueError``. Both say
what was expected, then ``Received: name=value``.

Fast mode is how the notebooks stay honest and still run in seconds under
``pytest --nbval``: a lesson declares ``EPOCHS = 20`` and the package caps
it. ``BUDGET`` (a ``FastBudget``) is the only reader of the environment
variable ``GANCOURSE_FAST``; every cap in the package goes through it, and
the first cap of a process prints one line to stderr saying what was
capped, so a short run never passes for a real one. Importing the package
changes no environment variable.
"""

import os
import sys

import numpy as np

ENV_VAR = "GANCOURSE_FAST"
_FALSE = ("", "0", "false", "no", "off")


class FastBudget:
    """The caps of fast mode, and the one reader of ``GANCOURSE_FAST``.

    快速模式的上限；唯一读取 ``GANCOURSE_FAST`` 的对象。

    Args:
        epochs: epochs per ``fit`` / training loop in fast mode.
        steps: batches per epoch (data sets) or optimisation steps.
        iterations: iterations of loops that are not epochs (style
            transfer, toy GANs).
        images: images generated for a metric during training.
        stream: where the one-line notice goes (default ``sys.stderr``).

    Example:
        >>> budget = FastBudget(epochs=2)
        >>> budget.limits["epochs"], budget.limits["steps"]
        (2, 3)
    """

    def __init__(
        self, epochs=1, steps=3, iterations=5, images=256, stream=None
    ):
        self.limits = {
            "epochs": check_int("epochs", epochs, minimum=1),
            "steps": check_int("steps", steps, minimum=1),
            "iterations": check_int("iterations", iterations, minimum=1),
            "images": check_int("images", images, minimum=1),
        }
        self.stream = stream
        self.announced = False

    @property
    def active(self):
        """Whether fast mode is on (``GANCOURSE_FAST``, read on every call)."""
        value = os.environ.get(ENV_VAR, "0").strip().lower()
        return value not in _FALSE

    def cap(self, kind, value):
        """Return ``value`` (a positive int), capped in fast mode.

        返回 ``value``；快速模式下不超过该类上限，并在第一次截断时提示一次。

        Args:
            kind: "epochs", "steps", "iterations" or "images".
            value: the number the caller asked for.
        """
        if kind not in self.limits:
            raise ValueError(
                f"`kind` must be one of {sorted(self.limits)}. "
                f"Received: kind={kind!r}"
            )
        value = check_int(kind, value, minimum=1)
        limit = self.limits[kind]
        if not self.active or value <= limit:
            return value
        if not self.announced:
            self.announced = True
            stream = self.stream or sys.stderr
            print(
                f"[gancourse] fast mode ({ENV_VAR}=1): {kind} {value} -> "
                f"{limit}; other loops are capped the same way. Unset "
                f"{ENV_VAR} for the real run.",
                file=stream,
            )
        return limit

    def epochs(self, value):
        """``cap("epochs", value)``."""
        return self.cap("epochs", value)

    def steps(self, value):
        """``cap("steps", value)``."""
        return self.cap("steps", value)

    def iterations(self, value):
        """``cap("iterations", value)``."""
        return self.cap("iterations", value)

    def images(self, value):
        """``cap("images", value)``."""
        return self.cap("images", value)


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


def check_non_negative(name, value):
    """Return ``value`` as a finite float >= 0 (weights such as lambda_l1).

    检查非负有限实数参数（如损失权重）。
    """
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(
            f"`{name}` must be a number >= 0. Received: {name}={value!r}"
        ) from None
    if isinstance(value, bool) or not np.isfinite(number) or number < 0:
        raise ValueError(
            f"`{name}` must be a finite number >= 0. Received: {name}={value!r}"
        )
    return number


BUDGET = FastBudget()


def fast_mode():
    """Whether fast mode is on (``BUDGET.active``).

    是否处于快速模式。
    """
    return BUDGET.active


def cap_epochs(epochs):
    """``BUDGET.epochs(epochs)``: epochs, capped in fast mode.

    返回训练轮数；快速模式下被截断。
    """
    return BUDGET.epochs(epochs)


def cap_steps(steps):
    """``BUDGET.steps(steps)``: steps, capped in fast mode.

    返回训练步数；快速模式下被截断。
    """
    return BUDGET.steps(steps)


def cap_iterations(iterations):
    """``BUDGET.iterations(iterations)``: iterations, capped in fast mode.

    返回优化迭代次数；快速模式下被截断。
    """
    return BUDGET.iterations(iterations)


def setup(seed=42):
    """Seed Python, NumPy and TensorFlow/Keras in one call.

    一次性设置 Python、NumPy、TensorFlow 与 Keras 的随机种子。

    ``keras.utils.set_random_seed`` seeds Python's ``random``, NumPy and
    the backend together.

    Args:
        seed: int >= 0, the global seed.

    Returns None, so a notebook cell that ends with ``setup(42)`` prints
    nothing.

    Raises:
        TypeError: if ``seed`` is not an int.
        ValueError: if ``seed`` is negative.
    """
    seed = check_int("seed", seed, minimum=0)
    import keras

    keras.utils.set_random_seed(seed)

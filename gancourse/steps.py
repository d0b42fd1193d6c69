"""Old import path: explicit training steps.

旧的导入路径（保留以兼容旧代码）：explicit training steps。

The code lives in ``gancourse.training.loop``; this module re-exports its names
so ``from gancourse import steps`` keeps working.
"""

from gancourse.training.loop import make_train_step  # noqa: F401
from gancourse.training.loop import train  # noqa: F401

"""Old import path: WGAN-GP.

旧的导入路径（保留以兼容旧代码）：WGAN-GP。

The code lives in ``gancourse.training.wgan``; this module re-exports its names
so ``from gancourse import wgan`` keeps working.
"""

from gancourse.training.wgan import WGANGP  # noqa: F401
from gancourse.training.wgan import gradient_penalty  # noqa: F401
from gancourse.training.wgan import random_interpolates  # noqa: F401

"""Old import path: StyleGAN blocks.

旧的导入路径（保留以兼容旧代码）：StyleGAN blocks。

The code lives in ``gancourse.layers`` (``AdaIN``, ``PixelNormalization``) and
``gancourse.models.stylegan``; this module re-exports its names so ``from
gancourse import stylegan`` keeps working.
"""

from gancourse.layers import AdaIN  # noqa: F401
from gancourse.layers import PixelNormalization  # noqa: F401
from gancourse.layers import adain  # noqa: F401
from gancourse.models.stylegan import make_mapping_network  # noqa: F401

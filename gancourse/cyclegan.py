"""Old import path: CycleGAN.

旧的导入路径（保留以兼容旧代码）：CycleGAN。

The code lives in ``gancourse.models.resnet``, ``gancourse.training.cyclegan``
and ``gancourse.data.paired``; this module re-exports its names so ``from
gancourse import cyclegan`` keeps working.
"""

from gancourse.data.paired import load_horse2zebra  # noqa: F401
from gancourse.data.paired import make_unpaired_dataset  # noqa: F401
from gancourse.data.paired import make_unpaired_domains  # noqa: F401
from gancourse.models.resnet import make_resnet_generator  # noqa: F401
from gancourse.training.cyclegan import CycleGAN  # noqa: F401
from gancourse.training.cyclegan import ImagePool  # noqa: F401

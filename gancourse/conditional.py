"""Old import path: conditional GAN.

旧的导入路径（保留以兼容旧代码）：conditional GAN。

The code lives in ``gancourse.models.conditional`` (networks) and
``gancourse.training.conditional`` (``ConditionalGAN``); this module re-exports
its names so ``from gancourse import conditional`` keeps working.
"""

from gancourse.models.conditional import GENERATOR_EMBEDDING  # noqa: F401
from gancourse.models.conditional import LABEL_PLANES  # noqa: F401
from gancourse.models.conditional import MODES  # noqa: F401
from gancourse.models.conditional import PROJECTION_EMBEDDING  # noqa: F401
from gancourse.models.conditional import PROJECTION_ONE_HOT  # noqa: F401
from gancourse.models.conditional import check_labels  # noqa: F401
from gancourse.models.conditional import check_num_classes  # noqa: F401
from gancourse.models.conditional import make_conditional_discriminator  # noqa: F401
from gancourse.models.conditional import make_conditional_generator  # noqa: F401
from gancourse.models.conditional import num_classes_of  # noqa: F401
from gancourse.training.conditional import ConditionalGAN  # noqa: F401

"""Old import path: GAN.

旧的导入路径（保留以兼容旧代码）：GAN。

The code lives in ``gancourse.training.gan`` and ``gancourse.training.base``;
this module re-exports its names so ``from gancourse import gans`` keeps
working.
"""

from gancourse.training.base import AdversarialModel  # noqa: F401
from gancourse.training.base import loss_scaled  # noqa: F401
from gancourse.training.base import needs_loss_scaling  # noqa: F401
from gancourse.training.gan import GAN  # noqa: F401
from gancourse.training.gan import check_models  # noqa: F401
from gancourse.training.gan import latent_dim_of  # noqa: F401

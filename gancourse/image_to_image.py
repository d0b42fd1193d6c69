"""Old import path: pix2pix.

旧的导入路径（保留以兼容旧代码）：pix2pix。

The code lives in ``gancourse.models`` (``unet``, ``patchgan``),
``gancourse.training.pix2pix``, ``gancourse.data.paired`` and
``gancourse.metrics.quality``; this module re-exports its names so ``from
gancourse import image_to_image`` keeps working.
"""

from gancourse.data.paired import SR_TEST_IMAGES  # noqa: F401
from gancourse.data.paired import SR_TRAIN_IMAGES  # noqa: F401
from gancourse.data.paired import degrade  # noqa: F401
from gancourse.data.paired import load_sr_images  # noqa: F401
from gancourse.data.paired import make_inpainting_data  # noqa: F401
from gancourse.data.paired import make_super_resolution_data  # noqa: F401
from gancourse.data.paired import mask_random_squares  # noqa: F401
from gancourse.images import pad_images  # noqa: F401
from gancourse.metrics.quality import image_quality  # noqa: F401
from gancourse.models.patchgan import make_patchgan_discriminator  # noqa: F401
from gancourse.models.patchgan import patchgan_receptive_field  # noqa: F401
from gancourse.models.unet import make_unet_generator  # noqa: F401
from gancourse.training.pix2pix import Pix2Pix  # noqa: F401

"""gancourse: helper package of a bilingual Keras 3 course on GANs.

gancourse：双语 Keras 3 生成对抗网络课程的辅助包。

Import it before TensorFlow/Keras so TensorFlow's C++ start-up messages stay
quiet. Submodules hold one concept each: ``runtime``, ``data``, ``models``,
``losses``, ``steps``, ``gans``, ``callbacks``, ``checkpoint``, ``plotting``.
"""

import os

# 在导入 TensorFlow 之前降低其 C++ 日志级别 / Quiet TF's C++ logs before import.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from gancourse import callbacks  # noqa: E402
from gancourse import checkpoint  # noqa: E402
from gancourse import conditional  # noqa: E402
from gancourse import cyclegan  # noqa: E402
from gancourse import data  # noqa: E402
from gancourse import gans  # noqa: E402
from gancourse import image_to_image  # noqa: E402
from gancourse import layers  # noqa: E402
from gancourse import losses  # noqa: E402
from gancourse import metrics  # noqa: E402
from gancourse import models  # noqa: E402
from gancourse import plotting  # noqa: E402
from gancourse import runtime  # noqa: E402
from gancourse import steps  # noqa: E402
from gancourse import style_transfer  # noqa: E402
from gancourse import stylegan  # noqa: E402
from gancourse import wgan  # noqa: E402
from gancourse.callbacks import SampleGrid  # noqa: E402
from gancourse.checkpoint import Checkpointer  # noqa: E402
from gancourse.checkpoint import NonFiniteGuard  # noqa: E402
from gancourse.checkpoint import NonFiniteLossError  # noqa: E402
from gancourse.checkpoint import TrainingCheckpoint  # noqa: E402
from gancourse.conditional import ConditionalGAN  # noqa: E402
from gancourse.conditional import make_conditional_discriminator  # noqa: E402
from gancourse.conditional import make_conditional_generator  # noqa: E402
from gancourse.cyclegan import CycleGAN  # noqa: E402
from gancourse.cyclegan import make_resnet_generator  # noqa: E402
from gancourse.data import load_fashion_mnist  # noqa: E402
from gancourse.data import load_mnist  # noqa: E402
from gancourse.data import make_dataset  # noqa: E402
from gancourse.data import make_ring_data  # noqa: E402
from gancourse.gans import GAN  # noqa: E402
from gancourse.image_to_image import Pix2Pix  # noqa: E402
from gancourse.image_to_image import make_patchgan_discriminator  # noqa: E402
from gancourse.image_to_image import make_unet_generator  # noqa: E402
from gancourse.losses import get_loss_pair  # noqa: E402
from gancourse.metrics import FIDCallback  # noqa: E402
from gancourse.metrics import fid  # noqa: E402
from gancourse.metrics import frechet_distance  # noqa: E402
from gancourse.metrics import make_feature_encoder  # noqa: E402
from gancourse.models import make_dcgan_discriminator  # noqa: E402
from gancourse.models import make_dcgan_generator  # noqa: E402
from gancourse.models import make_mlp_discriminator  # noqa: E402
from gancourse.models import make_mlp_generator  # noqa: E402
from gancourse.plotting import plot_history  # noqa: E402
from gancourse.plotting import show_images  # noqa: E402
from gancourse.runtime import fast_mode  # noqa: E402
from gancourse.runtime import setup  # noqa: E402
from gancourse.steps import make_train_step  # noqa: E402
from gancourse.style_transfer import gram_matrix  # noqa: E402
from gancourse.style_transfer import make_vgg_feature_extractor  # noqa: E402
from gancourse.style_transfer import run_style_transfer  # noqa: E402
from gancourse.wgan import WGANGP  # noqa: E402
from gancourse.wgan import gradient_penalty  # noqa: E402

__version__ = "0.1.0"

__all__ = [
    "Checkpointer",
    "ConditionalGAN",
    "CycleGAN",
    "FIDCallback",
    "GAN",
    "NonFiniteGuard",
    "NonFiniteLossError",
    "Pix2Pix",
    "SampleGrid",
    "TrainingCheckpoint",
    "WGANGP",
    "callbacks",
    "checkpoint",
    "conditional",
    "cyclegan",
    "data",
    "fast_mode",
    "fid",
    "frechet_distance",
    "gans",
    "get_loss_pair",
    "gradient_penalty",
    "gram_matrix",
    "image_to_image",
    "layers",
    "load_fashion_mnist",
    "load_mnist",
    "losses",
    "make_conditional_discriminator",
    "make_conditional_generator",
    "make_dataset",
    "make_dcgan_discriminator",
    "make_dcgan_generator",
    "make_feature_encoder",
    "make_mlp_discriminator",
    "make_mlp_generator",
    "make_patchgan_discriminator",
    "make_resnet_generator",
    "make_ring_data",
    "make_train_step",
    "make_unet_generator",
    "make_vgg_feature_extractor",
    "metrics",
    "models",
    "plot_history",
    "plotting",
    "run_style_transfer",
    "runtime",
    "setup",
    "show_images",
    "steps",
    "style_transfer",
    "stylegan",
    "wgan",
]

"""Training: the adversarial models (``keras.Model`` subclasses) and loops.

训练：对抗模型（``keras.Model`` 子类）与训练循环。

``base.AdversarialModel`` holds what every GAN shares (one optimizer per
network, the gradient update, replica-aware noise, the fast-mode cap).
One module per family: ``gan``, ``conditional``, ``wgan``, ``pix2pix``,
``cyclegan``, ``bigan``, ``diffusion`` (lesson 11's DDPM, not
adversarial); ``loop`` is the explicit ``tf.function`` step of lesson 01,
``style_transfer`` the optimisation loops of lesson 08,
``progress`` the history/progress display of hand-written loops.
"""

from gancourse.training.base import AdversarialModel
from gancourse.training.base import apply_update
from gancourse.training.base import draw_for_replica
from gancourse.training.base import loss_scaled
from gancourse.training.base import needs_loss_scaling
from gancourse.training.bigan import BiGAN
from gancourse.training.conditional import ConditionalGAN
from gancourse.training.cyclegan import CycleGAN
from gancourse.training.cyclegan import ImagePool
from gancourse.training.diffusion import DDPM
from gancourse.training.diffusion import NoiseSchedule
from gancourse.training.diffusion import epsilon_loss
from gancourse.training.gan import GAN
from gancourse.training.gan import check_models
from gancourse.training.gan import latent_dim_of
from gancourse.training.loop import make_train_step
from gancourse.training.loop import train
from gancourse.training.pix2pix import Pix2Pix
from gancourse.training.progress import LossHistory
from gancourse.training.style_transfer import make_style_transfer_step
from gancourse.training.style_transfer import run_style_transfer
from gancourse.training.style_transfer import train_feed_forward_stylizer
from gancourse.training.wgan import WGANGP
from gancourse.training.wgan import gradient_penalty
from gancourse.training.wgan import random_interpolates

__all__ = [
    "AdversarialModel",
    "BiGAN",
    "ConditionalGAN",
    "CycleGAN",
    "DDPM",
    "GAN",
    "ImagePool",
    "LossHistory",
    "NoiseSchedule",
    "Pix2Pix",
    "WGANGP",
    "apply_update",
    "check_models",
    "draw_for_replica",
    "epsilon_loss",
    "gradient_penalty",
    "latent_dim_of",
    "loss_scaled",
    "make_style_transfer_step",
    "make_train_step",
    "needs_loss_scaling",
    "random_interpolates",
    "run_style_transfer",
    "train",
    "train_feed_forward_stylizer",
]

"""Losses as pure functions: adversarial pairs, reconstruction, perceptual.

损失函数（纯函数）：对抗损失对、重建损失、感知损失。

- ``adversarial``: TF-GAN-style ``<family>_discriminator_loss`` /
  ``<family>_generator_loss`` on logits, and ``get_loss_pair(name)``;
- ``reconstruction``: ``l1_loss`` (= ``cycle_consistency_loss`` =
  ``identity_loss``);
- ``perceptual``: Gram matrices, style, content and total-variation losses
  of neural style transfer;
- ``regularizers``: the R1 penalty of the discriminator.
"""

from gancourse.losses.adversarial import LOSS_NAMES
from gancourse.losses.adversarial import LossPair
from gancourse.losses.adversarial import check_label_smoothing
from gancourse.losses.adversarial import get_loss_pair
from gancourse.losses.adversarial import hinge_discriminator_loss
from gancourse.losses.adversarial import hinge_generator_loss
from gancourse.losses.adversarial import least_squares_discriminator_loss
from gancourse.losses.adversarial import least_squares_generator_loss
from gancourse.losses.adversarial import minimax_discriminator_loss
from gancourse.losses.adversarial import minimax_generator_loss
from gancourse.losses.adversarial import non_saturating_discriminator_loss
from gancourse.losses.adversarial import non_saturating_generator_loss
from gancourse.losses.adversarial import wasserstein_discriminator_loss
from gancourse.losses.adversarial import wasserstein_generator_loss
from gancourse.losses.perceptual import content_loss
from gancourse.losses.perceptual import gram_matrix
from gancourse.losses.perceptual import perceptual_losses
from gancourse.losses.perceptual import style_loss
from gancourse.losses.perceptual import total_variation_loss
from gancourse.losses.reconstruction import cycle_consistency_loss
from gancourse.losses.reconstruction import identity_loss
from gancourse.losses.reconstruction import l1_loss
from gancourse.losses.regularizers import r1_penalty

__all__ = [
    "LOSS_NAMES",
    "LossPair",
    "check_label_smoothing",
    "content_loss",
    "cycle_consistency_loss",
    "get_loss_pair",
    "gram_matrix",
    "hinge_discriminator_loss",
    "hinge_generator_loss",
    "identity_loss",
    "l1_loss",
    "least_squares_discriminator_loss",
    "least_squares_generator_loss",
    "minimax_discriminator_loss",
    "minimax_generator_loss",
    "non_saturating_discriminator_loss",
    "non_saturating_generator_loss",
    "perceptual_losses",
    "r1_penalty",
    "style_loss",
    "total_variation_loss",
    "wasserstein_discriminator_loss",
    "wasserstein_generator_loss",
]

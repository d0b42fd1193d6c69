"""Differentiable augmentation (DiffAugment) and adaptive augmentation (ADA).

可微数据增强（DiffAugment）与自适应增强（ADA）。

With little data the discriminator memorises the real images and its
feedback to the generator becomes useless. Augmenting only the real images
does not help: the generator then learns to produce augmented images.
DiffAugment (Zhao et al., 2020, https://arxiv.org/abs/2006.10738) applies
the same random, differentiable transforms T to real AND fake images before
the discriminator, in both the D and the G step, so D sees D(T(x)) and
D(T(G(z))) and G learns through T. ADA (Karras et al., 2020,
https://arxiv.org/abs/2006.06676) applies each transform with a probability
p and tunes p while training from the overfitting heuristic
r_t = E[sign(D(x_real))].

- ``transforms``: ``translate`` / ``cutout`` (explicit parameters), the
  ``random_*`` transforms, ``diff_augment`` and the ``DiffAugment``
  callable that the course GANs take as ``augment=``;
- ``adaptive``: ``AdaptiveAugment``, DiffAugment with ADA's p.
"""

from gancourse.augment.adaptive import AdaptiveAugment
from gancourse.augment.transforms import DEFAULT_POLICY
from gancourse.augment.transforms import POLICIES
from gancourse.augment.transforms import DiffAugment
from gancourse.augment.transforms import check_probability
from gancourse.augment.transforms import cutout
from gancourse.augment.transforms import cutout_size
from gancourse.augment.transforms import diff_augment
from gancourse.augment.transforms import max_shift
from gancourse.augment.transforms import parse_policy
from gancourse.augment.transforms import random_brightness
from gancourse.augment.transforms import random_contrast
from gancourse.augment.transforms import random_cutout
from gancourse.augment.transforms import random_saturation
from gancourse.augment.transforms import random_translation
from gancourse.augment.transforms import translate

__all__ = [
    "AdaptiveAugment",
    "DEFAULT_POLICY",
    "DiffAugment",
    "POLICIES",
    "check_probability",
    "cutout",
    "cutout_size",
    "diff_augment",
    "max_shift",
    "parse_policy",
    "random_brightness",
    "random_contrast",
    "random_cutout",
    "random_saturation",
    "random_translation",
    "translate",
]

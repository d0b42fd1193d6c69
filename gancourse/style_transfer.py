"""Old import path; the code lives in losses, models, training and data.

神经风格迁移的旧导入路径；代码已移到 losses、models、training 与 data 子包。

Neural style transfer lives in ``gancourse.losses.perceptual`` (Gram,
style, content and total-variation losses), ``gancourse.models.vgg`` (the
VGG19 feature extractor), ``gancourse.models.transformer`` (the
feed-forward network), ``gancourse.training.style_transfer`` (the
optimisation loop and the feed-forward trainer), ``gancourse.data.style``
(content and style images) and ``gancourse.images`` (``load_image``).
``from gancourse import style_transfer as st`` keeps working: every name
below is the same object as in its new module.
"""

from gancourse.data.style import load_content_image
from gancourse.data.style import load_style_image
from gancourse.data.style import make_style_pattern
from gancourse.images import load_image
from gancourse.losses.perceptual import content_loss
from gancourse.losses.perceptual import gram_matrix
from gancourse.losses.perceptual import style_loss
from gancourse.losses.perceptual import total_variation_loss
from gancourse.models.transformer import make_transformer_network
from gancourse.models.vgg import DEFAULT_CONTENT_LAYERS
from gancourse.models.vgg import DEFAULT_STYLE_LAYERS
from gancourse.models.vgg import VGG19_BGR_MEAN
from gancourse.models.vgg import VGG19_LAYERS
from gancourse.models.vgg import make_vgg_feature_extractor
from gancourse.models.vgg import vgg19_preprocess
from gancourse.training.style_transfer import make_style_transfer_step
from gancourse.training.style_transfer import run_style_transfer
from gancourse.training.style_transfer import train_feed_forward_stylizer

__all__ = [
    "DEFAULT_CONTENT_LAYERS",
    "DEFAULT_STYLE_LAYERS",
    "VGG19_BGR_MEAN",
    "VGG19_LAYERS",
    "content_loss",
    "gram_matrix",
    "load_content_image",
    "load_image",
    "load_style_image",
    "make_style_pattern",
    "make_style_transfer_step",
    "make_transformer_network",
    "make_vgg_feature_extractor",
    "run_style_transfer",
    "style_loss",
    "total_variation_loss",
    "train_feed_forward_stylizer",
    "vgg19_preprocess",
]

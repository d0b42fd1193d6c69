"""Evaluation metrics of generative models: FID, KID, IS, precision/recall.

生成模型的评估指标：FID、KID、IS、精确率/召回率、多样性与图像质量。

- ``distances``: the metric math on feature arrays (``frechet_distance``,
  ``kid``, ``inception_score``, ``precision_recall``,
  ``mean_pairwise_distance``), NumPy only;
- ``encoders``: the networks that give the features (the shipped
  Fashion-MNIST classifier, InceptionV3) and the image-level ``fid`` and
  ``image_kid``;
- ``callback``: ``FIDCallback``, the FID logged during ``fit``, and
  ``DiscriminatorMonitor``, D's accuracy on training reals, held-out reals
  and fakes during ``fit``;
- ``quality``: ``image_quality`` (PSNR and SSIM of paired outputs) and
  ``high_frequency_ratio`` (how much fine detail outputs hold);
- ``modes``: mode coverage on the 2-D ring of lessons 01 and 04;
- ``translation``: ``translation_scores``, an unpaired translator (lesson
  07's CycleGAN) measured in both directions on held-out images.

Numbers computed with different extractors, image sizes or sample sizes are
not comparable.
"""

from gancourse.metrics.callback import DiscriminatorMonitor
from gancourse.metrics.callback import FIDCallback
from gancourse.metrics.distances import frechet_distance
from gancourse.metrics.distances import frechet_distance_from_statistics
from gancourse.metrics.distances import gaussian_statistics
from gancourse.metrics.distances import inception_score
from gancourse.metrics.distances import kid
from gancourse.metrics.distances import mean_pairwise_distance
from gancourse.metrics.distances import polynomial_kernel
from gancourse.metrics.distances import precision_recall
from gancourse.metrics.encoders import ASSETS_DIR
from gancourse.metrics.encoders import CLASSIFIER_INFO_PATH
from gancourse.metrics.encoders import CLASSIFIER_PATH
from gancourse.metrics.encoders import ENCODER_KINDS
from gancourse.metrics.encoders import FEATURE_LAYER
from gancourse.metrics.encoders import PROBABILITY_LAYER
from gancourse.metrics.encoders import classifier_info
from gancourse.metrics.encoders import classifier_probabilities
from gancourse.metrics.encoders import default_encoder
from gancourse.metrics.encoders import extract_features
from gancourse.metrics.encoders import fid
from gancourse.metrics.encoders import file_sha256
from gancourse.metrics.encoders import image_kid
from gancourse.metrics.encoders import load_feature_classifier
from gancourse.metrics.encoders import make_fashion_mnist_classifier
from gancourse.metrics.encoders import make_feature_encoder
from gancourse.metrics.modes import ring_mode_coverage
from gancourse.metrics.modes import ring_mode_shares
from gancourse.metrics.quality import high_frequency_ratio
from gancourse.metrics.quality import image_quality
from gancourse.metrics.translation import translation_scores

__all__ = [
    "ASSETS_DIR",
    "CLASSIFIER_INFO_PATH",
    "CLASSIFIER_PATH",
    "ENCODER_KINDS",
    "FEATURE_LAYER",
    "DiscriminatorMonitor",
    "FIDCallback",
    "PROBABILITY_LAYER",
    "classifier_info",
    "classifier_probabilities",
    "default_encoder",
    "extract_features",
    "fid",
    "file_sha256",
    "frechet_distance",
    "frechet_distance_from_statistics",
    "gaussian_statistics",
    "high_frequency_ratio",
    "image_kid",
    "image_quality",
    "inception_score",
    "kid",
    "load_feature_classifier",
    "make_fashion_mnist_classifier",
    "make_feature_encoder",
    "mean_pairwise_distance",
    "polynomial_kernel",
    "ring_mode_coverage",
    "ring_mode_shares",
    "translation_scores",
    "precision_recall",
]

"""Data: offline loaders, ``tf.data`` pipelines, toy and paired data sets.

数据：离线可用的加载函数、``tf.data`` 输入管道、玩具数据与成对数据。

Every image loader returns NHWC float32 images in [-1, 1] and integer
labels. Modules: ``mnist`` (Fashion-MNIST / MNIST, looked up offline first),
``pipelines`` (``make_dataset``, resume helpers), ``toy`` (the 2-D ring),
``paired`` (inpainting, super-resolution, unpaired domains), ``style``
(content and style images of lesson 08).
"""

from gancourse.data.mnist import DEBIAN_DIRS
from gancourse.data.mnist import FASHION_MNIST_CLASSES
from gancourse.data.mnist import MNIST_CLASSES
from gancourse.data.mnist import class_names
from gancourse.data.mnist import load_dataset
from gancourse.data.mnist import load_fashion_mnist
from gancourse.data.mnist import load_mnist
from gancourse.data.paired import SR_TEST_IMAGES
from gancourse.data.paired import SR_TRAIN_IMAGES
from gancourse.data.paired import degrade
from gancourse.data.paired import load_horse2zebra
from gancourse.data.paired import load_sr_images
from gancourse.data.paired import make_inpainting_data
from gancourse.data.paired import make_super_resolution_data
from gancourse.data.paired import make_unpaired_dataset
from gancourse.data.paired import make_unpaired_domains
from gancourse.data.paired import mask_random_squares
from gancourse.data.pipelines import fit_iterators_per_epoch
from gancourse.data.pipelines import make_dataset
from gancourse.data.pipelines import skip_epochs
from gancourse.data.style import load_content_image
from gancourse.data.style import load_style_image
from gancourse.data.style import make_style_pattern
from gancourse.data.toy import make_ring_data
from gancourse.data.toy import ring_centers

__all__ = [
    "DEBIAN_DIRS",
    "FASHION_MNIST_CLASSES",
    "MNIST_CLASSES",
    "SR_TEST_IMAGES",
    "SR_TRAIN_IMAGES",
    "class_names",
    "degrade",
    "fit_iterators_per_epoch",
    "load_content_image",
    "load_dataset",
    "load_fashion_mnist",
    "load_horse2zebra",
    "load_mnist",
    "load_sr_images",
    "load_style_image",
    "make_dataset",
    "make_inpainting_data",
    "make_ring_data",
    "make_style_pattern",
    "make_super_resolution_data",
    "make_unpaired_dataset",
    "make_unpaired_domains",
    "mask_random_squares",
    "ring_centers",
    "skip_epochs",
]


def __getattr__(name):
    # 旧路径：模式覆盖率是指标，现在在 metrics.modes / Old path: mode
    # coverage is a metric and lives in gancourse.metrics.modes now.
    if name in ("ring_mode_shares", "ring_mode_coverage"):
        from gancourse.metrics import modes

        return getattr(modes, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

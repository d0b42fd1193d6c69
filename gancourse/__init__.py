"""gancourse: helper package of a bilingual Keras 3 course on GANs.

gancourse：双语 Keras 3 生成对抗网络课程的辅助包。

Subpackages by role: ``data`` (loaders and pipelines), ``models`` (``make_*``
factories), ``losses`` (pure functions), ``augment`` (DiffAugment, ADA),
``training`` (the GANs as ``keras.Model`` subclasses and explicit loops),
``metrics`` (FID, KID, precision/recall...), ``course`` (exercise
checkers, student copies). Beside them: ``runtime`` (seeding, fast mode),
``images``, ``layers``, ``latent``, ``inversion``, ``grids``, ``callbacks``,
``checkpoint``, ``plotting``, ``distribute`` (strategies, multi-worker),
and the command line: ``recipes`` (what each family trains), ``runs`` (the
run folder) and ``cli``.

Importing ``gancourse`` is cheap: submodules and the names below load on
first use, so ``python -m gancourse --help`` does not start TensorFlow.
"""

import importlib

__version__ = "0.1.0"

_SUBMODULES = (
    "augment",
    "callbacks",
    "checkpoint",
    "cli",
    "course",
    "data",
    "distribute",
    "grids",
    "images",
    "inversion",
    "latent",
    "layers",
    "losses",
    "metrics",
    "models",
    "plotting",
    "pretrained",
    "recipes",
    "runs",
    "runtime",
    "training",
    # 旧路径（兼容）/ Old paths, kept working.
    "assign",
    "conditional",
    "cyclegan",
    "exercises",
    "gans",
    "image_to_image",
    "steps",
    "style_transfer",
    "stylegan",
    "wgan",
)

# 顶层名称 -> 所在模块 / Top-level name -> the module that defines it.
_NAMES = {
    "AdaptiveAugment": "gancourse.augment",
    "BiGAN": "gancourse.training.bigan",
    "Checkpointer": "gancourse.checkpoint",
    "ConditionalGAN": "gancourse.training.conditional",
    "CycleGAN": "gancourse.training.cyclegan",
    "DiffAugment": "gancourse.augment",
    "EMAGenerator": "gancourse.callbacks",
    "FIDCallback": "gancourse.metrics",
    "GAN": "gancourse.training.gan",
    "NonFiniteGuard": "gancourse.callbacks",
    "NonFiniteLossError": "gancourse.checkpoint",
    "Pix2Pix": "gancourse.training.pix2pix",
    "SampleGrid": "gancourse.callbacks",
    "TranslationGrid": "gancourse.callbacks",
    "TrainingCheckpoint": "gancourse.callbacks",
    "WGANGP": "gancourse.training.wgan",
    "fast_mode": "gancourse.runtime",
    "fid": "gancourse.metrics",
    "frechet_distance": "gancourse.metrics",
    "get_loss_pair": "gancourse.losses",
    "gradient_penalty": "gancourse.training.wgan",
    "gram_matrix": "gancourse.losses",
    "invert": "gancourse.inversion",
    "latent_direction": "gancourse.inversion",
    "load_fashion_mnist": "gancourse.data",
    "load_mnist": "gancourse.data",
    "make_conditional_discriminator": "gancourse.models",
    "make_conditional_generator": "gancourse.models",
    "make_dataset": "gancourse.data",
    "make_bigan_discriminator": "gancourse.models",
    "make_dcgan_discriminator": "gancourse.models",
    "make_dcgan_generator": "gancourse.models",
    "make_encoder": "gancourse.models",
    "make_feature_encoder": "gancourse.metrics",
    "make_mlp_discriminator": "gancourse.models",
    "make_mlp_generator": "gancourse.models",
    "make_patchgan_discriminator": "gancourse.models",
    "make_resnet_generator": "gancourse.models",
    "make_ring_data": "gancourse.data",
    "make_train_step": "gancourse.training",
    "make_unet_generator": "gancourse.models",
    "make_vgg_feature_extractor": "gancourse.models",
    "plot_history": "gancourse.plotting",
    "r1_penalty": "gancourse.losses",
    "run_style_transfer": "gancourse.training.style_transfer",
    "setup": "gancourse.runtime",
    "show_images": "gancourse.plotting",
}

__all__ = sorted(_NAMES) + sorted(_SUBMODULES)


def __getattr__(name):
    if name in _SUBMODULES:
        return importlib.import_module(f"gancourse.{name}")
    if name in _NAMES:
        value = getattr(importlib.import_module(_NAMES[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'gancourse' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))

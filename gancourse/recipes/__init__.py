"""What ``python -m gancourse train MODEL`` builds for each model family.

命令行 ``train`` 为每个模型族构建的内容：数据、网络、超参数与样本网格。

One recipe per family, with the data, networks and hyper-parameters of its
lesson, so a command-line run and the lesson train the same thing:

=====================  ======  ==============================================
model                  lesson  data -> networks
=====================  ======  ==============================================
``dcgan``              02      Fashion-MNIST -> DCGAN G and D
``cgan``               03      images + labels -> conditional G, projection D
``wgan-gp``            04      Fashion-MNIST -> DCGAN G, critic without dropout
``bigan``              09      Fashion-MNIST -> DCGAN G, encoder E, (x, z) D
``pix2pix-inpainting`` 06      masked -> original (32x32), U-Net + PatchGAN
``pix2pix-sr``         06      bicubic -> sharp photo crops, residual U-Net
``cyclegan``           07      Sneaker <-> Ankle boot, ResNet G + PatchGAN
``ddpm``               11      Fashion-MNIST -> noise-prediction U-Net
=====================  ======  ==============================================

A ``Recipe`` says which options its family takes and their defaults (no
TensorFlow needed, so ``--help`` stays fast); ``build(args, out)`` imports
TensorFlow and returns a ``Run``: the compiled course model, its ``tf.data``
set and its sample grid.
"""

import dataclasses

from gancourse.recipes.common import RecipeError  # noqa: F401
from gancourse.recipes.common import Run  # noqa: F401
from gancourse.recipes.diffusion import build_ddpm
from gancourse.recipes.gans import build_bigan
from gancourse.recipes.gans import build_cgan
from gancourse.recipes.gans import build_dcgan
from gancourse.recipes.gans import build_wgan_gp
from gancourse.recipes.translation import build_cyclegan
from gancourse.recipes.translation import build_inpainting
from gancourse.recipes.translation import build_super_resolution

# 各族共用的选项及默认值 / Options every family takes, with defaults.
COMMON_DEFAULTS = dict(
    epochs=5,
    batch_size=64,
    learning_rate=2e-4,
    beta_1=0.5,
    beta_2=0.999,
    max_images=None,
    seed=42,
)
GAN_DEFAULTS = dict(
    dataset="fashion_mnist", latent_dim=100, base_filters=64, ema_decay=None
)


@dataclasses.dataclass
class Recipe:
    """One trainable family: its options, their defaults and its builder."""

    name: str
    help: str
    lesson: str
    defaults: dict
    build: object


def _defaults(*bases, **overrides):
    """Merge default dicts; later ones win."""
    merged = {}
    for base in bases + (overrides,):
        merged.update(base)
    return merged


RECIPES = {
    recipe.name: recipe
    for recipe in (
        Recipe(
            "dcgan",
            "lesson-02 DCGAN on Fashion-MNIST (or MNIST)",
            "02",
            # 比第 02 课更快的配方（见 benchmarks/quality_per_time.py）：
            # 批次 64、一半宽度、EMA 生成器 / Faster than lesson 02's own
            # settings (measured by benchmarks/quality_per_time.py): batch
            # 64, half the channels, an EMA generator.
            _defaults(
                COMMON_DEFAULTS,
                GAN_DEFAULTS,
                epochs=3,
                batch_size=64,
                base_filters=32,
                ema_decay=0.999,
                loss="non_saturating",
                # 第 04 课的 SN-D + hinge + TTUR 配方用这两个选项 / Lesson
                # 04's SN-D + hinge + TTUR recipe sets these two.
                spectral_norm=False,
                d_learning_rate=None,
            ),
            build_dcgan,
        ),
        Recipe(
            "cgan",
            "lesson-03 class-conditional GAN (projection D)",
            "03",
            _defaults(
                COMMON_DEFAULTS,
                GAN_DEFAULTS,
                batch_size=128,
                latent_dim=64,
                base_filters=32,
                loss="non_saturating",
            ),
            build_cgan,
        ),
        Recipe(
            "wgan-gp",
            "lesson-04 WGAN-GP (critic, gradient penalty)",
            "04",
            _defaults(
                COMMON_DEFAULTS,
                GAN_DEFAULTS,
                beta_2=0.9,
                base_filters=32,
                n_critic=5,
                gp_weight=10.0,
            ),
            build_wgan_gp,
        ),
        Recipe(
            "bigan",
            "lesson-09 BiGAN: generator, encoder, (image, code) D",
            "09",
            _defaults(
                COMMON_DEFAULTS,
                GAN_DEFAULTS,
                base_filters=32,
                loss="non_saturating",
            ),
            build_bigan,
        ),
        Recipe(
            "pix2pix-inpainting",
            "lesson-06 pix2pix inpainting (U-Net)",
            "06",
            _defaults(
                COMMON_DEFAULTS,
                base_filters=32,
                lambda_l1=100.0,
                max_images=12_000,
                hole_size=12,
            ),
            build_inpainting,
        ),
        Recipe(
            "pix2pix-sr",
            "lesson-06 pix2pix super-resolution (x4)",
            "06",
            _defaults(
                COMMON_DEFAULTS,
                batch_size=32,
                base_filters=32,
                lambda_l1=100.0,
                max_images=2_048,
                scale=4,
            ),
            build_super_resolution,
        ),
        Recipe(
            "cyclegan",
            "lesson-07 CycleGAN, Sneaker <-> Ankle boot",
            "07",
            _defaults(
                COMMON_DEFAULTS,
                epochs=6,
                batch_size=32,
                base_filters=16,
                lambda_cycle=10.0,
                lambda_identity=0.5,
                pool_size=50,
                max_images=3_000,
                class_x=7,
                class_y=9,
            ),
            build_cyclegan,
        ),
        Recipe(
            "ddpm",
            "lesson-11 diffusion model (DDPM, noise prediction)",
            "11",
            # 扩散模型用 Adam 的常规 beta_1 = 0.9 / Diffusion models use
            # Adam's usual beta_1 = 0.9 (no adversary to keep up with).
            _defaults(
                COMMON_DEFAULTS,
                dataset="fashion_mnist",
                base_filters=16,
                learning_rate=5e-4,
                beta_1=0.9,
                ema_decay=0.999,
                diffusion_steps=1000,
                sample_steps=50,
            ),
            build_ddpm,
        ),
    )
}

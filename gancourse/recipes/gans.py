"""Recipes of the GAN families: DCGAN, conditional GAN, WGAN-GP.

GAN 族的训练配方：DCGAN、条件 GAN、WGAN-GP（第 02、03、04 课）。
"""

from gancourse.recipes.common import Run
from gancourse.recipes.common import adam
from gancourse.recipes.common import gan_images


def _dcgan_networks(args, shape, **discriminator_options):
    """Lesson 02's generator and discriminator for images of ``shape``."""
    from gancourse import models

    generator = models.make_dcgan_generator(
        latent_dim=args.latent_dim,
        image_shape=shape,
        base_filters=args.base_filters,
    )
    discriminator = models.make_dcgan_discriminator(
        image_shape=shape,
        base_filters=args.base_filters,
        **discriminator_options,
    )
    return generator, discriminator


def build_dcgan(args, out):
    from gancourse import grids
    from gancourse import training

    images, dataset = gan_images(args)
    # 谱归一化的 D 不用 dropout（第 04 课的 SN-D）/ A spectrally normalised
    # D goes without dropout (lesson 04's SN-D).
    options = (
        dict(spectral_norm=True, dropout_rate=0.0) if args.spectral_norm else {}
    )
    generator, discriminator = _dcgan_networks(
        args, images.shape[1:], **options
    )
    gan = training.GAN(
        generator, discriminator, seed=args.seed, ema_decay=args.ema_decay
    )
    gan.compile(
        adam(args),
        adam(args, discriminator=True),
        loss=args.loss,
        jit_compile=args.jit,
    )
    grid = grids.SampleGrid(num_images=64, seed=0, out_dir=out / "samples")
    kind = "DCGAN, spectrally normalised D" if args.spectral_norm else "DCGAN"
    return Run(
        gan, dataset, grid, f"{kind} on {args.dataset}: {len(images)} images"
    )


def build_cgan(args, out):
    import numpy as np

    from gancourse import grids
    from gancourse import models
    from gancourse import training

    images, dataset = gan_images(args, labels=True)
    generator = models.make_conditional_generator(
        latent_dim=args.latent_dim,
        num_classes=10,
        base_filters=args.base_filters,
        embedding_dim=16,
    )
    discriminator = models.make_conditional_discriminator(
        num_classes=10, base_filters=args.base_filters, mode="projection"
    )
    gan = training.ConditionalGAN(
        generator, discriminator, seed=args.seed, ema_decay=args.ema_decay
    )
    gan.compile(adam(args), adam(args), loss=args.loss, jit_compile=args.jit)
    # 每行一个类别 / One row per class.
    labels = np.repeat(np.arange(10), 8)
    grid = grids.SampleGrid(
        num_images=len(labels),
        seed=0,
        out_dir=out / "samples",
        condition=labels,
        num_cols=8,
    )
    return Run(
        gan,
        dataset,
        grid,
        f"conditional GAN on {args.dataset}: {len(images)} images, 10 classes",
    )


def build_wgan_gp(args, out):
    from gancourse import grids
    from gancourse import training

    images, dataset = gan_images(args)
    # 梯度惩罚按样本计算：critic 不用 dropout / The per-sample gradient
    # penalty wants a critic without dropout.
    generator, critic = _dcgan_networks(
        args, images.shape[1:], dropout_rate=0.0
    )
    gan = training.WGANGP(
        generator,
        critic,
        d_steps=args.n_critic,
        gp_weight=args.gp_weight,
        seed=args.seed,
        ema_decay=args.ema_decay,
    )
    gan.compile(adam(args), adam(args), jit_compile=args.jit)
    grid = grids.SampleGrid(num_images=64, seed=0, out_dir=out / "samples")
    return Run(
        gan, dataset, grid, f"WGAN-GP on {args.dataset}: {len(images)} images"
    )


def build_bigan(args, out):
    from gancourse import grids
    from gancourse import models
    from gancourse import training

    images, dataset = gan_images(args)
    shape = images.shape[1:]
    generator = models.make_dcgan_generator(
        latent_dim=args.latent_dim,
        image_shape=shape,
        base_filters=args.base_filters,
    )
    encoder = models.make_encoder(
        latent_dim=args.latent_dim,
        image_shape=shape,
        base_filters=args.base_filters,
    )
    discriminator = models.make_bigan_discriminator(
        latent_dim=args.latent_dim,
        image_shape=shape,
        base_filters=args.base_filters,
    )
    bigan = training.BiGAN(generator, encoder, discriminator, seed=args.seed)
    bigan.compile(
        adam(args), adam(args), adam(args), loss=args.loss, jit_compile=args.jit
    )
    grid = grids.SampleGrid(num_images=64, seed=0, out_dir=out / "samples")
    return Run(
        bigan,
        dataset,
        grid,
        f"BiGAN on {args.dataset}: {len(images)} images, generator + encoder",
    )

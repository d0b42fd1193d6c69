"""Recipes of the image-to-image families: pix2pix and CycleGAN.

图像到图像的训练配方：pix2pix（修复、超分辨率）与 CycleGAN（第 06、07 课）。
"""

from gancourse.recipes.common import Run
from gancourse.recipes.common import adam
from gancourse.recipes.common import check_batch


def _pix2pix(args, out, sources, targets, test, residual, what):
    from gancourse import data
    from gancourse import grids
    from gancourse import models
    from gancourse import training

    check_batch(args, len(sources))
    generator = models.make_unet_generator(
        sources.shape[1:],
        output_channels=targets.shape[-1],
        base_filters=args.base_filters,
        num_downsamples=3,
        residual=residual,
    )
    # 一次下采样：每个 logit 看 16x16，是真正的局部判别器（第 06 课）。
    # One downsampling: each logit sees 16x16, a truly local D (lesson 06).
    discriminator = models.make_patchgan_discriminator(
        sources.shape[1:],
        target_shape=targets.shape[1:],
        base_filters=args.base_filters,
        num_downsamples=1,
    )
    model = training.Pix2Pix(generator, discriminator, lambda_l1=args.lambda_l1)
    model.compile(adam(args), adam(args), jit_compile=args.jit)
    dataset = data.make_dataset(
        sources, targets, batch_size=args.batch_size, seed=args.seed
    )
    grid = grids.TranslationGrid(*test, out_dir=out / "samples")
    return Run(model, dataset, grid, f"pix2pix {what}: {len(sources)} pairs")


def build_inpainting(args, out):
    from gancourse import data

    masked, original = data.make_inpainting_data(
        "train",
        num_images=args.max_images,
        hole_size=args.hole_size,
        seed=args.seed,
        mask_channel=True,
    )
    test = data.make_inpainting_data(
        "test",
        num_images=8,
        hole_size=args.hole_size,
        seed=1,
        mask_channel=True,
    )
    return _pix2pix(
        args,
        out,
        masked,
        original,
        test,
        False,
        "inpainting (Fashion-MNIST)",
    )


def build_super_resolution(args, out):
    from gancourse import data

    low, high = data.make_super_resolution_data(
        "train", num_crops=args.max_images, scale=args.scale, seed=args.seed
    )
    test = data.make_super_resolution_data(
        "test", num_crops=8, scale=args.scale, seed=1
    )
    return _pix2pix(
        args,
        out,
        low,
        high,
        test,
        True,
        f"super-resolution x{args.scale} (photo crops)",
    )


def build_cyclegan(args, out):
    from gancourse import data
    from gancourse import grids
    from gancourse import models
    from gancourse import training

    domain_x, domain_y = data.make_unpaired_domains(
        args.class_x, args.class_y, num_images=args.max_images
    )
    check_batch(args, min(len(domain_x), len(domain_y)))
    test_x, _ = data.make_unpaired_domains(
        args.class_x, args.class_y, split="test", num_images=8
    )
    shape = domain_x.shape[1:]

    def generator(name):
        return models.make_resnet_generator(
            shape,
            base_filters=args.base_filters,
            num_downsamples=2,
            num_residual_blocks=4,
            name=name,
        )

    def discriminator(name):
        return models.make_patchgan_discriminator(
            shape,
            base_filters=2 * args.base_filters,
            num_downsamples=2,
            name=name,
        )

    model = training.CycleGAN(
        generator("G_x_to_y"),
        generator("F_y_to_x"),
        discriminator("D_x"),
        discriminator("D_y"),
        lambda_cycle=args.lambda_cycle,
        lambda_identity=args.lambda_identity,
        pool_size=args.pool_size,
        seed=args.seed,
    )
    model.compile(*(adam(args) for _ in range(4)), jit_compile=args.jit)
    dataset = data.make_unpaired_dataset(
        domain_x, domain_y, batch_size=args.batch_size, seed=args.seed
    )
    grid = grids.TranslationGrid(test_x, out_dir=out / "samples")
    return Run(
        model,
        dataset,
        grid,
        f"CycleGAN class {args.class_x} <-> class {args.class_y}: "
        f"{len(domain_x)} + {len(domain_y)} unpaired images",
    )

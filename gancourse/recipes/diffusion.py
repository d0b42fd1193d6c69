"""Recipe of the diffusion model of lesson 11 (DDPM).

第 11 课扩散模型（DDPM）的训练配方。
"""

from gancourse.recipes.common import Run
from gancourse.recipes.common import adam
from gancourse.recipes.common import gan_images


def build_ddpm(args, out):
    from gancourse import grids
    from gancourse import models
    from gancourse import training

    images, dataset = gan_images(args)
    network = models.make_diffusion_unet(
        image_shape=images.shape[1:],
        base_filters=args.base_filters,
        channel_multipliers=(1, 2, 4),
    )
    ddpm = training.DDPM(
        network,
        schedule=training.NoiseSchedule(args.diffusion_steps),
        ema_decay=args.ema_decay,
        sample_steps=args.sample_steps,
        seed=args.seed,
    )
    ddpm.compile(adam(args), jit_compile=args.jit)
    grid = grids.SampleGrid(num_images=64, seed=0, out_dir=out / "samples")
    return Run(
        ddpm,
        dataset,
        grid,
        f"DDPM on {args.dataset}: {len(images)} images, "
        f"T={args.diffusion_steps}",
    )

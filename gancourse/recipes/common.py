"""What every recipe shares: the ``Run`` it returns, its errors, Adam.

所有训练配方共用的部分：返回的 ``Run``、错误类型、Adam 优化器、批次检查。
"""

import dataclasses


@dataclasses.dataclass
class Run:
    """What a recipe built: compiled model, data set, grid, description."""

    model: object
    dataset: object
    grid: object
    description: str


class RecipeError(ValueError):
    """An option value the data does not allow (reported in one line)."""


def adam(args, beta_2=None, discriminator=False):
    """Adam with the run's options; ``discriminator=True`` for D's.

    D's learning rate is ``--d-learning-rate`` where the family has it and
    it is set (TTUR), else ``--learning-rate``.
    """
    import keras

    learning_rate = args.learning_rate
    if discriminator and getattr(args, "d_learning_rate", None) is not None:
        learning_rate = args.d_learning_rate
    return keras.optimizers.Adam(
        learning_rate,
        beta_1=args.beta_1,
        beta_2=args.beta_2 if beta_2 is None else beta_2,
    )


def check_batch(args, count):
    if args.batch_size > count:
        raise RecipeError(
            f"--batch-size must be at most the number of images "
            f"({count}). Received: --batch-size {args.batch_size}"
        )


def gan_images(args, labels=False):
    from gancourse import data

    images, classes = data.load_dataset(
        args.dataset, "train", path=args.data_dir
    )
    if args.max_images:
        images, classes = images[: args.max_images], classes[: args.max_images]
    check_batch(args, len(images))
    dataset = data.make_dataset(
        images,
        classes if labels else None,
        batch_size=args.batch_size,
        seed=args.seed,
    )
    return images, dataset

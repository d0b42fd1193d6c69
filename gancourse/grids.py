"""Sample grids recorded during training (and their GIF).

训练过程中记录的样本网格（及其 GIF 动画）。

- ``SampleGrid``: the same fixed noise after every epoch, so changes come
  from training, not from sampling;
- ``TranslationGrid``: the same source images for an image-to-image model
  (pix2pix, CycleGAN): a row of sources, a row of translations and,
  optionally, a row of targets.
"""

from pathlib import Path

import keras
import numpy as np

from gancourse import plotting
from gancourse import runtime
from gancourse.images import check_images
from gancourse.latent import fixed_noise


class SampleGrid(keras.callbacks.Callback):
    """Generate a grid from the same fixed noise after every epoch.

    每轮结束后用同一组固定噪声生成一张样本网格。

    Fixed noise makes progress visible: each frame shows the same z's, so
    changes come from training, not from sampling.

    Args:
        num_images: images per grid.
        seed: NumPy seed of the fixed noise.
        out_dir: optional folder; each grid is saved as ``epoch_NNN.png``.
        condition: optional condition passed to ``model.generate_fake``
            (class labels for a conditional GAN).
        generator: optional generator to use instead of ``self.model``'s
            (for the explicit loop, call ``on_epoch_end`` yourself).
        num_cols: images per row.

    Attributes:
        grids: list of uint8 grids, one per epoch (plus epoch 0 before
            training when ``include_initial`` is True).
    """

    def __init__(
        self,
        num_images=16,
        seed=0,
        out_dir=None,
        condition=None,
        generator=None,
        num_cols=None,
        include_initial=True,
    ):
        super().__init__()
        self.num_images = runtime.check_int("num_images", num_images, minimum=1)
        self.seed = seed
        self.out_dir = Path(out_dir) if out_dir is not None else None
        self.condition = condition
        self.explicit_generator = generator
        self.num_cols = num_cols
        self.include_initial = include_initial
        self.noise = None
        self.grids = []

    def _generator(self):
        return self.explicit_generator or self.model.generator

    def ensure_noise(self):
        if self.noise is not None:
            return
        model = None if self.explicit_generator else self.model
        # 扩散模型的"噪声"是一张图 / A diffusion model's noise is an image.
        shape = getattr(model, "noise_shape", None)
        if shape is None:
            shape = (int(self._generator().inputs[0].shape[-1]),)
        noise = fixed_noise(self.num_images, int(np.prod(shape)), self.seed)
        self.noise = noise.reshape((self.num_images,) + tuple(shape))

    def sample(self):
        """Generate the fixed-noise images now (NumPy, in [-1, 1])."""
        self.ensure_noise()
        model = None if self.explicit_generator else self.model
        if model is not None and hasattr(model, "generate_fake"):
            images = model.generate_fake(
                self.noise, self.condition, training=False
            )
        else:
            images = self._generator()(self.noise, training=False)
        return keras.ops.convert_to_numpy(images)

    def _record(self, label):
        grid = plotting.image_grid(self.sample(), num_cols=self.num_cols)
        self.grids.append(grid)
        if self.out_dir is not None:
            plotting.save_image(grid, self.out_dir / f"epoch_{label:03d}.png")

    def on_train_begin(self, logs=None):
        if self.include_initial and not self.grids:
            self._record(0)

    def on_epoch_end(self, epoch, logs=None):
        self._record(epoch + 1)

    def reload(self, epochs_done):
        """Read back the PNG grids of epochs 0..``epochs_done`` (on resume).

        续训时从 ``out_dir`` 读回第 0..``epochs_done`` 轮的网格图片。

        Returns:
            int: the number of grids read (0 without ``out_dir``).
        """
        from PIL import Image

        if self.out_dir is None:
            return 0
        self.grids = []
        for epoch in range(int(epochs_done) + 1):
            path = self.out_dir / f"epoch_{epoch:03d}.png"
            if path.is_file():
                with Image.open(path) as image:
                    array = np.asarray(image)
                if array.ndim == 2:
                    array = array[..., np.newaxis]
                self.grids.append(array)
        return len(self.grids)

    def save_gif(self, path, duration=0.4):
        """Write the grids recorded so far as an animated GIF."""
        return plotting.save_gif(self.grids, path, duration=duration)


class TranslationGrid(SampleGrid):
    """Translate the same source images after every epoch.

    每轮结束后翻译同一组源图像（图像到图像模型：pix2pix、CycleGAN）。

    Each grid has one column per source image and rows: sources, the
    model's translations (``model(sources, training=False)``) and, if
    given, the targets. ``TrainingCheckpoint`` and ``TensorBoardLogger``
    accept it wherever they accept a ``SampleGrid``.

    Args:
        sources: (N, H, W, C) images in [-1, 1]. Sources with more
            channels than the translations (e.g. an inpainting image plus
            its mask channel) are drawn with their first channels only.
        targets: optional (N, H', W', C') images in [-1, 1] (same size as
            the translations).
        out_dir: optional folder; each grid is saved as ``epoch_NNN.png``.
    """

    def __init__(self, sources, targets=None, out_dir=None, **kwargs):
        sources = check_images(sources, "sources", channels=None)
        sources = np.asarray(sources, "float32")
        super().__init__(
            num_images=len(sources),
            out_dir=out_dir,
            num_cols=len(sources),
            **kwargs,
        )
        if targets is not None:
            targets = np.asarray(check_images(targets, "targets"), "float32")
            if len(targets) != len(sources):
                raise ValueError(
                    "`targets` must hold one image per source "
                    f"({len(sources)}). Received: {len(targets)} targets"
                )
        self.noise = sources
        self.targets = targets

    def ensure_noise(self):
        """The sources are the fixed input; nothing to draw."""

    def sample(self):
        """Sources, translations (and targets) stacked row by row."""
        network = self.explicit_generator or self.model
        outputs = network(self.noise, training=False)
        outputs = keras.ops.convert_to_numpy(outputs)
        shown = self.noise
        if shown.shape[1:3] == outputs.shape[1:3]:
            # 额外的输入通道（如掩码）不画 / Extra input channels (a mask)
            # are not drawn.
            shown = shown[..., : outputs.shape[-1]]
        rows = [shown, outputs]
        if self.targets is not None:
            rows.append(self.targets)
        if any(row.shape[1:] != outputs.shape[1:] for row in rows):
            # 源图与输出尺寸不同时只画输出 / Sources of another size
            # (e.g. low-resolution inputs) are left out.
            rows = [row for row in rows if row.shape[1:] == outputs.shape[1:]]
        return np.concatenate(rows, axis=0)

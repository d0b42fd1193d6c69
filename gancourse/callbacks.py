"""Keras callbacks: fixed-noise sample grids per epoch and their GIF.

Keras 回调：每轮用固定噪声生成样本网格，并可导出 GIF。
"""

from pathlib import Path

import keras
import numpy as np

from gancourse import plotting
from gancourse import runtime


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
        self.num_images = runtime._positive_int("num_images", num_images)
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

    def _ensure_noise(self):
        if self.noise is None:
            latent_dim = int(self._generator().inputs[0].shape[-1])
            rng = np.random.default_rng(self.seed)
            self.noise = rng.standard_normal(
                (self.num_images, latent_dim)
            ).astype("float32")

    def sample(self):
        """Generate the fixed-noise images now (NumPy, in [-1, 1])."""
        self._ensure_noise()
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

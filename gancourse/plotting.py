"""Plotting helpers: image grids, loss curves, 2-D points, GIFs and PNGs.

绘图工具：图像网格、损失曲线、二维散点、GIF 动画与 PNG 图片。

Every figure uses English labels only (CI and Colab have no CJK fonts) and is
returned, so lessons end the cell with ``plt.show()``.
"""

import math
from pathlib import Path

import numpy as np

from gancourse.images import check_images
from gancourse.images import to_uint8
from gancourse.latent import interpolate_latent  # noqa: F401 (old path)


def _plt():
    import matplotlib.pyplot as plt

    return plt


def _ticker():
    import matplotlib.ticker as ticker

    return ticker


def image_grid(images, num_cols=None, padding=1):
    """Tile a batch of images in [-1, 1] into one uint8 (H, W, C) array.

    把一批图像拼成一张 uint8 网格图。

    Args:
        images: (N, h, w, c) in [-1, 1].
        num_cols: images per row (default: ceil(sqrt(N))).
        padding: pixels of background between images.

    Returns:
        uint8 array of shape (rows * (h + p) + p, cols * (w + p) + p, c).
    """
    images = to_uint8(check_images(images))
    count, height, width, channels = images.shape
    num_cols = num_cols or math.ceil(math.sqrt(count))
    num_rows = math.ceil(count / num_cols)
    grid = np.zeros(
        (
            num_rows * (height + padding) + padding,
            num_cols * (width + padding) + padding,
            channels,
        ),
        dtype="uint8",
    )
    for index, image in enumerate(images):
        row, col = divmod(index, num_cols)
        top = padding + row * (height + padding)
        left = padding + col * (width + padding)
        grid[top : top + height, left : left + width] = image
    return grid


def show_images(
    images, num_rows=None, num_cols=None, titles=None, scale=1.2, title=None
):
    """Show images in [-1, 1] in a grid of subplots; return the Figure.

    以子图网格显示 [-1, 1] 范围的图像，返回 Figure。

    Args:
        images: (N, h, w, c) array, c in {1, 3}.
        num_rows, num_cols: grid size (default: as square as possible).
        titles: optional list of N short English titles.
        scale: inches per image.
        title: optional figure title.
    """
    images = check_images(images)
    count = len(images)
    if num_cols is None:
        num_cols = (
            math.ceil(count / num_rows)
            if num_rows
            else math.ceil(math.sqrt(count))
        )
    num_rows = num_rows or math.ceil(count / num_cols)
    if num_rows * num_cols < count:
        raise ValueError(
            f"The grid must hold all {count} images. "
            f"Received: num_rows={num_rows}, num_cols={num_cols}"
        )
    if titles is not None and len(titles) != count:
        raise ValueError(
            f"`titles` must have one entry per image ({count}). "
            f"Received: {len(titles)} titles"
        )
    plt = _plt()
    fig, axes = plt.subplots(
        num_rows,
        num_cols,
        figsize=(num_cols * scale, num_rows * scale + (0.3 if title else 0)),
        squeeze=False,
    )
    for index, axis in enumerate(axes.flat):
        axis.axis("off")
        if index >= count:
            continue
        image = to_uint8(images[index])
        if image.shape[-1] == 1:
            axis.imshow(image[..., 0], cmap="gray", vmin=0, vmax=255)
        else:
            axis.imshow(image)
        if titles is not None:
            axis.set_title(titles[index], fontsize=8)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_history(history, keys=None, title="Training losses", ax=None):
    """Plot loss curves from a ``keras.callbacks.History`` or a dict.

    绘制损失曲线（接受 ``History`` 或字典）。
    """
    logs = getattr(history, "history", history)
    if not isinstance(logs, dict) or not logs:
        raise ValueError(
            "`history` must be a keras History or a non-empty dict of lists. "
            f"Received: {type(history).__name__}"
        )
    keys = keys or sorted(logs)
    plt = _plt()
    if ax is None:
        fig, ax = plt.subplots(figsize=(6, 3.5))
    else:
        fig = ax.figure
    for key in keys:
        values = np.asarray(logs[key], dtype="float64")
        ax.plot(
            np.arange(1, len(values) + 1),
            values,
            label=key,
            marker="o" if len(values) < 30 else None,
        )
    ax.set_xlabel("epoch")
    # 轮数是整数 / Epochs are whole numbers: no 2.5 on the axis.
    ax.xaxis.set_major_locator(_ticker().MaxNLocator(integer=True))
    ax.set_ylabel("loss")
    ax.set_title(title)
    ax.legend()
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def plot_points(real, fake=None, ax=None, title=None, limit=3.0):
    """Scatter 2-D real (and generated) points; return the Figure.

    绘制二维真实点（及生成点）的散点图。
    """
    plt = _plt()
    if ax is None:
        fig, ax = plt.subplots(figsize=(4, 4))
    else:
        fig = ax.figure
    real = np.asarray(real)
    ax.scatter(real[:, 0], real[:, 1], s=2, alpha=0.3, label="real")
    if fake is not None:
        fake = np.asarray(fake)
        ax.scatter(fake[:, 0], fake[:, 1], s=2, alpha=0.5, label="generated")
    ax.set_xlim(-limit, limit)
    ax.set_ylim(-limit, limit)
    ax.set_aspect("equal")
    if title:
        ax.set_title(title, fontsize=9)
    ax.legend(loc="upper right", fontsize=7, markerscale=4)
    return fig


def save_gif(frames, path, duration=0.3):
    """Write uint8 frames (H, W, C) to an animated GIF; return the path.

    把一组 uint8 帧保存为 GIF 动画。
    """
    from PIL import Image

    if not len(frames):
        raise ValueError("`frames` must not be empty. Received: 0 frames")
    pictures = []
    for frame in frames:
        frame = np.asarray(frame, dtype="uint8")
        if frame.ndim == 3 and frame.shape[-1] == 1:
            frame = frame[..., 0]
        pictures.append(Image.fromarray(frame))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    pictures[0].save(
        path,
        save_all=True,
        append_images=pictures[1:],
        duration=int(duration * 1000),
        loop=0,
    )
    return path


def save_image(image, path):
    """Save one uint8 (H, W, C) array as PNG; return the path.

    保存一张 uint8 图像为 PNG。先写临时文件再改名，进程在写入时被杀掉也
    不会留下残缺的图片（续训时 ``SampleGrid.reload`` 会读回这些图片）。

    The file is written to a temporary name and then renamed, so a process
    killed while saving never leaves a truncated image behind (on resume,
    ``SampleGrid.reload`` reads these images back).
    """
    import os

    from PIL import Image

    image = np.asarray(image, dtype="uint8")
    if image.ndim == 3 and image.shape[-1] == 1:
        image = image[..., 0]
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        Image.fromarray(image).save(temporary, format="PNG")
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return path

"""Content and style images of style transfer (lesson 08), all offline.

风格迁移（第 08 课）的内容图与风格图，全部离线可用。

Content photos ship with scikit-learn, colour photos with scikit-image
(both through ``gancourse.images.load_sample_photo``), and
``make_style_pattern`` draws a colourful painterly pattern, so the lesson
needs no download. Images are float32 (H, W, 3) in [-1, 1].
"""

import numpy as np

from gancourse import images
from gancourse import runtime


def load_content_image(max_size=192, name="china.jpg"):
    """A default content photo bundled with scikit-learn (works offline).

    默认内容图：scikit-learn 自带的照片（离线可用）。

    Args:
        max_size: long side in pixels.
        name: "china.jpg" (a pagoda, the default) or "flower.jpg".

    Returns:
        float32 array (H, W, 3) in [-1, 1], long side ``max_size``.

    Raises:
        ValueError: unknown ``name``.
    """
    if name not in ("china.jpg", "flower.jpg"):
        raise ValueError(
            '`name` must be "china.jpg" or "flower.jpg". '
            f"Received: name={name!r}"
        )
    return images.load_sample_photo(name, max_size)


def make_style_pattern(size=128, seed=0):
    """A colourful, painterly procedural image to use as a style image.

    生成一张色彩丰富、类似油画笔触的程序化图像，用作风格图。

    Short brush strokes follow a smooth random flow field (in the spirit of
    stroke-based painterly rendering); each stroke takes a colour from a
    blue/yellow/orange palette chosen by a second smooth field, plus jitter.
    Drawn at twice the size and downsampled for anti-aliasing:

        angle(p) = 1.5 * sum_k a_k * sin(f_k . p + phi_k)
        repeat: start at a random p, step 3 px along angle(p) 3-6 times,
                draw the polyline with width 2-3 px in palette[colour(p)]

    Args:
        size: int, height and width in pixels.
        seed: int seed (NumPy ``default_rng``).

    Returns:
        float32 array (size, size, 3) in [-1, 1].
    """
    from PIL import Image
    from PIL import ImageDraw

    size = runtime.check_int("size", size, minimum=1)
    rng = np.random.default_rng(int(seed))
    scale = 2
    big = size * scale
    palette = np.array(
        [
            [20, 40, 110],
            [40, 90, 180],
            [90, 160, 220],
            [240, 200, 60],
            [230, 120, 30],
            [250, 240, 200],
            [30, 120, 90],
        ],
        dtype="float64",
    )
    coords = np.linspace(0.0, 2.0 * np.pi, big)
    x, y = np.meshgrid(coords, coords)

    def smooth_field():
        field = np.zeros_like(x)
        for _ in range(4):
            freq = rng.uniform(0.5, 2.5, size=2)
            phase = rng.uniform(0.0, 2.0 * np.pi)
            field += rng.uniform(0.5, 1.0) * np.sin(
                freq[0] * x + freq[1] * y + phase
            )
        return field

    angle = 1.5 * smooth_field()
    colour_field = smooth_field()
    # 分位数切分使每种颜色面积相近 / Quantile bins give each colour a
    # similar area.
    bins = np.quantile(
        colour_field, np.linspace(0.0, 1.0, len(palette) + 1)[1:-1]
    )
    canvas = Image.new("RGB", (big, big), (30, 50, 100))
    draw = ImageDraw.Draw(canvas)
    for _ in range(int(0.12 * big * big / scale)):
        px, py = rng.uniform(0.0, big, size=2)
        row, col = int(py) % big, int(px) % big
        colour = palette[np.searchsorted(bins, colour_field[row, col])]
        colour = np.clip(colour + rng.normal(0.0, 15.0, size=3), 0, 255)
        points = [(px, py)]
        for _ in range(int(rng.integers(3, 7))):
            theta = angle[int(py) % big, int(px) % big]
            px += 3 * scale * np.cos(theta)
            py += 3 * scale * np.sin(theta)
            points.append((px, py))
        draw.line(
            points,
            fill=tuple(int(value) for value in colour),
            width=int(rng.integers(2, 4)) * scale,
            joint="curve",
        )
    image = np.asarray(canvas.resize((size, size), Image.Resampling.LANCZOS))
    return images.from_uint8(image)


def load_style_image(name="pattern", max_size=128, seed=0):
    """A default style image that works offline.

    离线可用的默认风格图。

    Args:
        name: "pattern" (``make_style_pattern``) or the name of a colour
            image bundled with scikit-image: "astronaut", "chelsea",
            "coffee", "rocket".
        max_size: long side in pixels.
        seed: seed of the pattern.

    Returns:
        float32 array (H, W, 3) in [-1, 1].

    Raises:
        ValueError: unknown ``name``.
    """
    if name == "pattern":
        return make_style_pattern(max_size, seed=seed)
    if name not in images.SKIMAGE_PHOTOS:
        raise ValueError(
            f'`name` must be "pattern" or one of {images.SKIMAGE_PHOTOS}. '
            f"Received: name={name!r}"
        )
    return images.load_sample_photo(name, max_size)

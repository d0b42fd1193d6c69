"""Checkers of the graded exercises of lesson 06: image-to-image translation.

第 06 课（图像到图像翻译）分级练习的检查器。

Every checker runs the visible cases the lesson describes and then hidden
ones (other shapes, dtypes and data ranges; other seeds and image sizes;
other layer stacks). When a wrong result is exactly what a known mistake
gives, the FAIL line names the mistake in words; no line ever prints the
formula.
"""

import numpy as np

from gancourse.course.exercises.harness import diagnosed
from gancourse.course.exercises.harness import f32
from gancourse.course.exercises.harness import run_cases

__all__ = [
    "check_psnr",
    "check_random_box_mask",
    "check_receptive_field",
]


def _describe(index, visible, text):
    if index < visible:
        return f"for {text}"
    return f"on hidden case {index - visible + 1} ({text})"


# -- PSNR ----------------------------------------------------------------
def _decibels(max_val, mse, log=np.log10, factor=10.0):
    with np.errstate(divide="ignore"):
        return factor * log(max_val**2 / mse)


def _psnr_mistakes(predicted, target, max_val):
    difference = predicted.astype("float64") - target.astype("float64")
    mse = float(np.mean(difference**2))
    axes = tuple(range(1, difference.ndim)) if difference.ndim > 2 else None
    per_image = _decibels(max_val, np.mean(difference**2, axis=axes))
    wrapped = (predicted - target).astype("float64")  # uint8 wraps around.
    data_range = float(np.ptp(target.astype("float64")))
    return [
        ("the natural logarithm", _decibels(max_val, mse, np.log)),
        ("20 in place of 10", _decibels(max_val, mse, factor=20.0)),
        ("max_val without its square", _decibels(max_val**0.5, mse)),
        ("the root of the mean squared error", _decibels(max_val, mse**0.5)),
        ("the data's range in place of max_val", _decibels(data_range, mse)),
        ("a max_val of 1.0", _decibels(1.0, mse)),
        ("one PSNR per image, then their mean", np.mean(per_image)),
        (
            "subtracting uint8 images (the difference wraps around)",
            _decibels(max_val, float(np.mean(wrapped**2))),
        ),
    ]


def _infinite(result):
    got = np.asarray(result, dtype="float64").ravel()
    if got.size == 1 and got[0] == np.inf:
        return None
    return f"expected positive infinity for identical images, got {got[:3]}"


def check_psnr(fn):
    """Check ``psnr(predicted, target, max_val=2.0)`` (lesson 06).

    检查峰值信噪比 PSNR（第 06 课）。

    Spec: ``predicted`` and ``target`` are arrays of one shape, a batch
    (N, H, W, C) or one image (H, W), float32, float64 or uint8;
    ``max_val`` is the range of the pixel values: 2.0 (the default) for
    images in [-1, 1], 1.0 for [0, 1], 255 for uint8. With the MSE the
    mean of the squared differences over every pixel of the whole batch,
    return 10 * log10(max_val**2 / MSE) in dB as one float, and positive
    infinity when the MSE is 0.
    """
    rng = np.random.default_rng(13)
    target = f32(rng.uniform(-1, 1, size=(2, 8, 8, 1)))
    noisy = f32(np.clip(target + rng.normal(0, 0.1, target.shape), -1, 1))
    small = rng.uniform(-0.6, 0.6, size=(3, 6, 6, 3))
    batch = f32(rng.uniform(-1, 1, size=(4, 8, 8, 1)))
    levels = np.array([0.0, 0.02, 0.1, 0.3]).reshape(4, 1, 1, 1)
    partly = f32(np.clip(batch + levels * rng.normal(size=batch.shape), -1, 1))
    pixels = rng.integers(10, 246, size=(2, 5, 5, 3)).astype("uint8")
    shifted = (pixels + rng.integers(-9, 10, pixels.shape)).astype("uint8")
    gray = rng.uniform(0.2, 0.8, size=(9, 7))
    settings = [  # predicted, target, max_val (None: default), text.
        (target + f32(0.1), target, 2.0, "an offset of 0.1"),
        (noisy, target, 2.0, "noisy images"),
        ((noisy + 1) / 2, (target + 1) / 2, 1.0, "images in [0, 1], max_val=1"),
        (target, target, 2.0, "identical images"),
        (small + 0.05, small, None, "default max_val, values in [-0.6, 0.6]"),
        (partly, batch, 2.0, "one image exact, the others not"),
        (shifted, pixels, 255.0, "uint8 images, max_val=255"),
        (gray + 0.1 * np.sin(gray * 40), gray, 1.0, "one 2-D image"),
        (pixels, pixels, 255.0, "identical uint8 images"),
    ]
    cases = []
    for index, (predicted, tgt, max_val, note) in enumerate(settings):
        used = 2.0 if max_val is None else max_val
        difference = predicted.astype("float64") - tgt.astype("float64")
        mse = float(np.mean(difference**2))
        expected = None if mse == 0 else 10 * np.log10(used**2 / mse)
        text = f"{note}, {predicted.dtype} {predicted.shape}"
        cases.append(
            (
                _describe(index, 4, text),
                lambda fn, p=predicted, t=tgt, m=max_val: (
                    fn(p.copy(), t.copy())
                    if m is None
                    else fn(p.copy(), t.copy(), max_val=m)
                ),
                _infinite
                if mse == 0
                else diagnosed(
                    expected,
                    _psnr_mistakes(predicted, tgt, used),
                    rtol=1e-5,
                    atol=1e-3,
                ),
            )
        )
    return run_cases(
        "psnr",
        fn,
        cases,
        "one mean squared error over all pixels of the batch, computed in "
        "floating point (uint8 differences wrap around); square the range "
        "max_val (2.0 by default for [-1, 1]); decibels use a base-10 "
        "logarithm; identical images give float('inf'); see 'Results' in "
        "lesson 06.",
    )


# -- random box mask -----------------------------------------------------
def _box_corner(mask, height, width, box):
    """(top, left) of a valid mask, or a string saying what is wrong."""
    mask = np.asarray(mask)
    if mask.shape != (height, width):
        return f"expected shape ({height}, {width}), got {mask.shape}"
    if mask.dtype != np.float32:
        return f"expected a float32 mask, got {mask.dtype}"
    if not np.isin(mask, (0, 1)).all():
        return "expected only the values 0 and 1"
    rows, cols = np.nonzero(mask)
    if len(rows) != box * box:
        return (
            f"expected {box * box} ones (the hole), got {len(rows)} (is the "
            "box cut off at the border, or inverted?)"
        )
    top, left = int(rows.min()), int(cols.min())
    if rows.max() - top + 1 != box or cols.max() - left + 1 != box:
        return "the ones do not form one box_size x box_size square"
    return top, left


def _draws(fn, size, count, start, options):
    """Masks from ``count`` seeds; "twice": each seed once more, "shared":
    one Generator for every call."""
    shared = np.random.default_rng(start)
    draws = []
    for seed in range(start, start + count):
        rng = shared if "shared" in options else np.random.default_rng(seed)
        draw = (fn(*size, rng),)
        if "twice" in options:
            draw += (fn(*size, np.random.default_rng(seed)),)
        draws.append(draw)
    return draws


def _check_masks(size, options):
    height, width, box = size
    positions = (height - box + 1) * (width - box + 1)
    last = (height - box, width - box)
    corners = {(0, 0), (0, last[1]), (last[0], 0), last}
    need_corners, counts = "corners" in options, options.get("counts")

    def check(draws):
        seen = []
        for draw in draws:
            corner = _box_corner(draw[0], height, width, box)
            if isinstance(corner, str):
                return corner
            if len(draw) == 2 and not np.array_equal(draw[0], draw[1]):
                return (
                    "two calls with the same rng state gave different masks: "
                    "draw the position with the rng you are given, not with "
                    "the global NumPy functions or a new generator"
                )
            seen.append(corner)
        found = set(seen)
        if positions > 1 and len(found) < 2:
            return f"the hole is always at the same place in {len(draws)} draws"
        if need_corners and not corners <= found:
            missing = sorted(corners - found)[0]
            return (
                f"the hole never starts at (row, col) = {missing} in "
                f"{len(draws)} draws (every position inside the image must "
                "be possible)"
            )
        if counts is not None:
            low, high = counts
            tally = {key: seen.count(key) for key in found}
            rare = [key for key in tally if not low <= tally[key] <= high]
            if len(found) < positions or rare:
                return (
                    f"the {positions} positions are not equally likely in "
                    f"{len(draws)} draws (counts from {min(tally.values())} "
                    f"to {max(tally.values())}; expected about "
                    f"{len(draws) // positions} each)"
                )
        return None

    return check


def check_random_box_mask(fn):
    """Check ``random_box_mask(height, width, box_size, rng)`` (lesson 06).

    检查随机方形遮挡掩码（第 06 课）。

    Spec: return a float32 array of shape (height, width), 1 inside one
    box_size x box_size hole and 0 elsewhere (1 = hole, as in
    ``gancourse.data``), with 1 <= box_size <= min(height, width). The hole
    lies fully inside the image, and its position is drawn with ``rng`` (a
    ``numpy.random.Generator``) only, uniformly over all (height - box_size
    + 1) * (width - box_size + 1) positions, so the same rng state gives
    the same mask.
    """
    specs = [  # (height, width, box), draws, what the draws must show.
        ((28, 28, 10), 20, {}),
        ((6, 5, 3), 200, {"corners": True}),
        ((7, 12, 4), 300, {"corners": True, "twice": "each seed twice"}),
        ((5, 5, 3), 1800, {"counts": (133, 267)}),
        ((3, 8, 3), 120, {"corners": True}),
        ((4, 4, 4), 5, {}),
        ((9, 9, 2), 60, {"shared": "one Generator for every call"}),
    ]
    cases = []
    for index, (size, count, options) in enumerate(specs):
        height, width, box = size
        text = (
            f"a {height}x{width} image with a {box}x{box} hole, {count} draws"
        )
        for note in ("twice", "shared"):
            text += f", {options[note]}" if note in options else ""
        if "counts" in options:
            text += ", every position about equally often"
        cases.append(
            (
                _describe(index, 2, text),
                lambda fn, a=(size, count, 1000 * index, options): _draws(
                    fn, *a
                ),
                _check_masks(size, options),
            )
        )
    return run_cases(
        "random_box_mask",
        fn,
        cases,
        "draw the top-left corner with the given rng, each coordinate from 0 "
        "to the image size minus box_size (both ends possible), fill the box "
        "with ones in a float32 array of zeros; see 'Data' in lesson 06.",
    )


# -- receptive field -------------------------------------------------------
def _field(layers, span=None, rule="forward"):
    """(size, jump) of a stack; the options give the known mistakes."""
    size, jump = 1, 1
    for layer in reversed(layers) if rule == "multiply" else layers:
        kernel, stride = int(layer[0]), int(layer[1])
        dilation = int(layer[2]) if len(layer) > 2 else 1
        width = span(kernel, dilation) if span else dilation * (kernel - 1) + 1
        if rule == "backward":  # The output-to-input rule, in this order.
            size = (size - 1) * stride + width
        elif rule == "multiply":
            size = size * stride + width - 1
        else:
            size += (width - 1) * (jump if rule == "forward" else 1)
        jump *= stride
    return size, jump


def _check_field(layers):
    expected, strides = _field(layers), [int(layer[1]) for layer in layers]

    def size(**options):
        return _field(layers, **options)[0]

    known = [  # (part, value, label): part 0 is the size, 1 the jump.
        (0, size(rule="backward"), "the output-to-input rule read forwards"),
        (0, size(span=lambda k, d: k), "ignoring the dilation"),
        (0, size(span=lambda k, d: k * d), "spans of kernel_size * dilation"),
        (0, size(rule=""), "adding up the kernels without the strides"),
        (0, size(rule="multiply"), "multiplying the whole size by the stride"),
        (1, sum(strides), "adding up the strides"),
        (1, int(np.prod(strides[:-1])), "leaving out the last layer's stride"),
        (1, int(np.prod(strides[1:])), "leaving out the first layer's stride"),
    ]

    def check(result):
        if np.ndim(result) == 0:
            return "expected a pair (size, jump), got a single number"
        got = np.asarray(result, dtype="float64").ravel()
        if got.shape != (2,):
            return f"expected a pair (size, jump), got {got.size} values"
        if not np.all(np.isfinite(got)) or np.any(got != np.round(got)):
            return "expected whole numbers of pixels"
        got = (int(got[0]), int(got[1]))
        if got == expected:
            return None
        problem = f"expected (size, jump) = {expected}, got {got}"
        first = 0 if got[0] != expected[0] else 1  # Name the first error.
        for part, value, label in known:
            if part == first and value == got[part] != expected[part]:
                return f"{problem}; this is what {label} gives"
        return problem

    return check


def check_receptive_field(fn):
    """Check ``receptive_field(layers)``: one output unit's view (lesson 06).

    检查卷积层堆叠的感受野与相邻输出单元的间距（第 06 课）。

    Spec: ``layers`` is a sequence of convolution or pooling layers in the
    order the data flows, from input to output; each layer is a tuple
    ``(kernel_size, stride)`` or ``(kernel_size, stride, dilation)``
    (dilation 1 when left out; Python or NumPy ints), square kernels.
    Return ``(size, jump)``: the side, in input pixels, of the square of
    input pixels one output unit depends on, and the distance, in input
    pixels, between the fields of two neighbouring output units. Padding
    changes neither. An empty stack gives (1, 1).
    """
    patchgan = [(4, 2), (4, 2), (4, 1), (4, 1)]  # Two downsamplings.
    mixed = [(7, 2), (3, 2, 1), (3, 1, 2), (5, 1)]
    numpy_ints = tuple(tuple(np.int64(v) for v in layer) for layer in mixed)
    settings = [
        (patchgan, "a PatchGAN with num_downsamples=2"),
        ([(4, 2)] * 3 + [(4, 1)] * 2, "pix2pix's PatchGAN, 3 downsamplings"),
        ([(4, 2), (4, 1), (4, 1)], "a PatchGAN with one downsampling"),
        (
            [(3, 1), (3, 1), (2, 2), (3, 1), (3, 1), (2, 2)],
            "3x3 convolutions, each pair followed by 2x2 pooling",
        ),
        ([(3, 1, 1), (3, 1, 2), (3, 1, 4), (3, 1, 8)], "dilations 1, 2, 4, 8"),
        ([(1, 2), (1, 2), (3, 1)], "1x1 layers with stride 2, then a 3x3"),
        ([], "an empty stack"),
        (numpy_ints, "strides and a dilation, NumPy ints"),
    ]
    cases = []
    for index, (layers, note) in enumerate(settings):
        cases.append(
            (
                _describe(index, 2, note),
                lambda fn, layers=layers: fn(
                    list(layers) if isinstance(layers, list) else layers
                ),
                _check_field(layers),
            )
        )
    return run_cases(
        "receptive_field",
        fn,
        cases,
        "walk the layers in one consistent direction (the lesson's rule "
        "goes from the output back to the input, so the list must be read "
        "from its end); the jump is how far one step at the output moves "
        "in the input; a dilated kernel spans more pixels than it has taps; "
        "see 'The PatchGAN receptive field' in lesson 06.",
    )

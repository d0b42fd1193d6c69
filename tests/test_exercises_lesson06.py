"""Lesson 06's graded exercises: the checkers, on right and wrong answers.

第 06 课分级练习的检查器：参考答案、其他正确写法与常见错误。

``SOLUTIONS`` are the reference solutions as the lesson's solution cells
hold them; ``CORRECT_ANSWERS`` are other correct ways to write them (each
must pass); ``WRONG_ANSWERS`` are plausible mistakes (each must fail, with
one ASCII line and a hint that never prints the formula).
"""

import math
import re

import numpy as np

from gancourse import models
from gancourse.course.exercises import lesson06
from tests import exercise_tables
from tests.exercise_tables import check

CHECKERS = ["check_psnr", "check_random_box_mask", "check_receptive_field"]
CASES = {  # Visible + hidden.
    "check_psnr": 4 + 5,
    "check_random_box_mask": 2 + 5,
    "check_receptive_field": 2 + 6,
}


# The reference solutions, copied from the lesson's `solution` cells
# (tests/test_assign.py runs the cells themselves against the checkers).


def psnr(predicted, target, max_val=2.0):
    """峰值信噪比 / Peak signal-to-noise ratio.

    predicted, target: arrays of the same shape. Returns a float (dB).
    """
    # 先转成浮点数：uint8 相减会回绕 / Floats first: uint8 differences wrap.
    difference = np.asarray(predicted, "float64") - np.asarray(
        target, "float64"
    )
    mse = np.mean(difference**2)  # 整个批次一个 MSE / one MSE for the batch
    if mse == 0:
        return float("inf")
    return float(10.0 * np.log10(max_val**2 / mse))


def random_box_mask(height, width, box_size, rng):
    """随机方形遮挡掩码 / A random box mask (1 = hole).

    rng: numpy.random.Generator. Returns a float32 (height, width) array.
    """
    mask = np.zeros((height, width), dtype="float32")
    top = rng.integers(0, height - box_size + 1)
    left = rng.integers(0, width - box_size + 1)
    mask[top : top + box_size, left : left + box_size] = 1.0
    return mask


def receptive_field(layers):
    """感受野与相邻输出的间距 / Receptive field and jump of a stack.

    layers: (kernel_size, stride) or (kernel_size, stride, dilation) tuples,
    from input to output. Returns (size, jump), both in input pixels.
    """
    size, jump = 1, 1  # 还没有层：一个像素 / no layer yet: one pixel
    for layer in layers:  # 从输入到输出 / from input to output
        kernel, stride = layer[0], layer[1]
        dilation = layer[2] if len(layer) > 2 else 1
        span = (
            dilation * (kernel - 1) + 1
        )  # 一个核覆盖的像素 / pixels one kernel covers
        size += (
            span - 1
        ) * jump  # 每个新抽头相隔 jump / new taps lie jump apart
        jump *= stride
    return int(size), int(jump)


SOLUTIONS = {
    "check_psnr": psnr,
    "check_random_box_mask": random_box_mask,
    "check_receptive_field": receptive_field,
}


# Other correct answers.


def _psnr_rmse(predicted, target, max_val=2.0):
    rmse = np.sqrt(np.mean((np.float64(predicted) - np.float64(target)) ** 2))
    return 20 * np.log10(max_val / rmse)  # inf (with a warning) at 0.


def _psnr_float32(predicted, target, max_val=2.0):
    p = np.asarray(predicted, "float32")
    t = np.asarray(target, "float32")
    mse = np.square(p - t).mean(dtype="float64")
    return math.inf if mse == 0 else 10 * math.log10(max_val * max_val / mse)


def _psnr_subtract(predicted, target, max_val=2.0):
    mse = np.mean(np.subtract(predicted, target, dtype="float64") ** 2)
    return 10 * np.log10(max_val**2) - 10 * np.log10(mse)


def _mask_one_call(height, width, box_size, rng):
    top, left = rng.integers(
        0, [height - box_size, width - box_size], None, endpoint=True
    )
    mask = np.zeros((height, width), np.float32)
    mask[top : top + box_size, left : left + box_size] = 1
    return mask


def _mask_choice(height, width, box_size, rng):
    rows, cols = height - box_size + 1, width - box_size + 1
    top, left = divmod(int(rng.choice(rows * cols)), cols)
    inside = np.zeros((height, width), bool)
    inside[top : top + box_size, left : left + box_size] = True
    return inside.astype("float32")


def _mask_uniform_float(height, width, box_size, rng):
    left = int(rng.random() * (width - box_size + 1))  # Left first: fine.
    top = int(rng.random() * (height - box_size + 1))
    box = np.ones((box_size, box_size), "float32")
    return np.pad(
        box,
        ((top, height - box_size - top), (left, width - box_size - left)),
    )


def _field_backward(layers):
    size = 1
    for kernel, stride, *rest in reversed(list(layers)):
        dilation = rest[0] if rest else 1
        size = (size - 1) * stride + dilation * (kernel - 1) + 1
    return size, math.prod(int(layer[1]) for layer in layers)


def _field_recursive(layers):
    if not len(layers):
        return [1, 1]
    *first, last = layers
    size, jump = _field_recursive(first)
    dilation = last[2] if len(last) == 3 else 1
    return [size + dilation * (last[0] - 1) * jump, jump * last[1]]


def _field_array(layers):
    table = np.array(
        [tuple(layer) + (1,) * (3 - len(layer)) for layer in layers]
    )
    table = table.reshape(-1, 3)
    jumps = np.cumprod(np.concatenate([[1], table[:, 1]]))
    spans = table[:, 2] * (table[:, 0] - 1)
    return np.array([1 + np.sum(spans * jumps[:-1]), jumps[-1]])


CORRECT_ANSWERS = {
    "check_psnr": [_psnr_rmse, _psnr_float32, _psnr_subtract],
    "check_random_box_mask": [
        _mask_one_call,
        _mask_choice,
        _mask_uniform_float,
    ],
    "check_receptive_field": [
        _field_backward,
        _field_recursive,
        _field_array,
    ],
}


# Plausible wrong answers.


def _psnr_with(log=np.log10, factor=10.0, square=True, root=False, eps=0.0):
    def value(predicted, target, max_val=2.0):
        mse = np.mean((np.float64(predicted) - np.float64(target)) ** 2)
        mse = np.sqrt(mse) if root else mse
        peak = max_val**2 if square else max_val
        return factor * log(peak / (mse + eps))

    return value


def _psnr_per_image(predicted, target, max_val=2.0):
    p, t = np.float64(predicted), np.float64(target)
    if p.ndim == 2:
        return psnr(p, t, max_val)
    return np.mean([psnr(a, b, max_val) for a, b in zip(p, t)])


def _psnr_default_one(predicted, target, max_val=1.0):
    return psnr(predicted, target, max_val)


def _psnr_data_range(predicted, target, max_val=2.0):
    return psnr(predicted, target, np.ptp(np.float64(target)))


def _psnr_uint8_wrap(predicted, target, max_val=2.0):
    mse = np.mean((predicted - target).astype("float64") ** 2)
    return np.inf if mse == 0 else 10 * np.log10(max_val**2 / mse)


def _psnr_zero_when_identical(predicted, target, max_val=2.0):
    value = psnr(predicted, target, max_val)
    return 0.0 if np.isinf(value) else value


def _mask_from(draw, dtype="float32", shape=None):
    def mask_fn(height, width, box_size, rng):
        top, left = draw(height, width, box_size, rng)
        mask = np.zeros(shape(height, width) if shape else (height, width))
        mask[top : top + box_size, left : left + box_size] = 1
        return mask.astype(dtype)

    return mask_fn


def _global_numpy(height, width, box_size, rng):
    return (
        np.random.randint(0, height - box_size + 1),
        np.random.randint(0, width - box_size + 1),
    )


def _fresh_generator(height, width, box_size, rng):
    own = np.random.default_rng()
    return own.integers(0, height - box_size + 1), own.integers(
        0, width - box_size + 1
    )


def _fixed_seed(height, width, box_size, rng):
    own = np.random.default_rng(0)
    return own.integers(0, height - box_size + 1), own.integers(
        0, width - box_size + 1
    )


def _reference_draw(height, width, box_size, rng):
    return rng.integers(0, height - box_size + 1), rng.integers(
        0, width - box_size + 1
    )


def _mask_inverted(height, width, box_size, rng):
    return 1 - random_box_mask(height, width, box_size, rng)


def _field_with(
    size_rule="forward", kernel_span=None, jump_rule="product", start=1
):
    def field(layers):
        size, jump, strides = start, 1, []
        for layer in layers:
            kernel, stride = int(layer[0]), int(layer[1])
            dilation = int(layer[2]) if len(layer) > 2 else 1
            if kernel_span == "ignore":
                span = kernel
            elif kernel_span == "times":
                span = kernel * dilation
            else:
                span = dilation * (kernel - 1) + 1
            if size_rule == "forward":
                size += (span - 1) * jump
            elif size_rule == "backward rule, forward order":
                size = (size - 1) * stride + span
            elif size_rule == "no strides":
                size += span - 1
            jump *= stride
            strides.append(stride)
        if jump_rule == "sum":
            jump = sum(strides)
        elif jump_rule == "all but last":
            jump = math.prod(strides[:-1])
        return size, jump

    return field


def _field_multiply_whole_size(layers):
    size = 1
    for layer in reversed(list(layers)):
        dilation = layer[2] if len(layer) > 2 else 1
        size = size * layer[1] + dilation * (layer[0] - 1)
    return size, math.prod(int(layer[1]) for layer in layers)


WRONG_ANSWERS = {
    "check_psnr": [
        _psnr_with(log=np.log),
        _psnr_with(factor=20.0),
        _psnr_with(square=False),
        _psnr_with(root=True),
        _psnr_per_image,
        _psnr_default_one,
        _psnr_data_range,
        _psnr_uint8_wrap,
        _psnr_with(eps=1e-10),  # No infinity for identical images.
        _psnr_zero_when_identical,
    ],
    "check_random_box_mask": [
        _mask_from(lambda h, w, b, rng: (0, 0)),  # Fixed corner.
        _mask_from(
            lambda h, w, b, rng: (
                rng.integers(0, h - b),
                rng.integers(0, w - b),
            )
        ),  # Off by one: the last row and column are never drawn.
        _mask_inverted,
        _mask_from(_global_numpy),  # Ignores the passed rng.
        _mask_from(_fresh_generator),  # Ignores the passed rng.
        _mask_from(_fixed_seed),  # Ignores the passed rng.
        _mask_from(_reference_draw, dtype="bool"),
        _mask_from(_reference_draw, dtype="float64"),
        _mask_from(_reference_draw, shape=lambda h, w: (w, h)),
        _mask_from(
            lambda h, w, b, rng: (
                rng.integers(0, w - b + 1),
                rng.integers(0, h - b + 1),
            )
        ),  # Height and width swapped.
        _mask_from(
            lambda h, w, b, rng: (
                round(rng.random() * (h - b)),
                round(rng.random() * (w - b)),
            )
        ),  # Rounding: the border positions are half as likely.
        _mask_from(
            lambda h, w, b, rng: (
                rng.integers(0, h - b + 1),
                rng.integers(0, h - b + 1),
            )
        ),  # The height's range for both coordinates.
    ],
    "check_receptive_field": [
        _field_with(size_rule="backward rule, forward order"),
        _field_with(kernel_span="ignore"),
        _field_with(kernel_span="times"),
        _field_with(size_rule="no strides"),
        _field_multiply_whole_size,
        _field_with(jump_rule="sum"),
        _field_with(jump_rule="all but last"),
        lambda layers: receptive_field(layers)[0],  # The size only.
        lambda layers: receptive_field(layers)[::-1],  # (jump, size).
        _field_with(start=0),  # Starts from no pixel at all.
    ],
}

# The mistake the FAIL line names, for a few wrong answers.
DIAGNOSES = [
    ("check_psnr", 0, "the natural logarithm"),
    ("check_psnr", 1, "20 in place of 10"),
    ("check_psnr", 2, "max_val without its square"),
    ("check_psnr", 3, "the root of the mean squared error"),
    ("check_psnr", 4, "one PSNR per image, then their mean"),
    ("check_psnr", 5, "a max_val of 1.0"),
    ("check_psnr", 6, "the data's range in place of max_val"),
    ("check_psnr", 7, "subtracting uint8 images"),
    ("check_psnr", 8, "expected positive infinity"),
    ("check_random_box_mask", 1, "never starts at"),
    ("check_random_box_mask", 2, "expected 100 ones"),
    ("check_random_box_mask", 3, "same rng state gave different masks"),
    ("check_random_box_mask", 4, "same rng state gave different masks"),
    ("check_random_box_mask", 5, "always at the same place"),
    ("check_random_box_mask", 6, "expected a float32 mask, got bool"),
    ("check_random_box_mask", 10, "not equally likely"),
    ("check_receptive_field", 0, "the output-to-input rule"),
    ("check_receptive_field", 1, "ignoring the dilation"),
    ("check_receptive_field", 2, "kernel_size * dilation"),
    ("check_receptive_field", 3, "without the strides"),
    ("check_receptive_field", 4, "multiplying the whole size"),
    ("check_receptive_field", 5, "adding up the strides"),
    ("check_receptive_field", 6, "the last layer's stride"),
    ("check_receptive_field", 7, "got a single number"),
]

# Tokens of the formulas and of the solutions: no FAIL line may hold them.
LEAKS = re.compile(
    r"np\.|\*\*|log10\(|integers\(|\[top|r <-|\(r - 1\)|\* s|\+ k|"
    r"size \+=|jump \*="
)


def _stub(layers):
    raise NotImplementedError("Exercise: implement receptive_field")


def _mutating(predicted, target, max_val=2.0):
    result = psnr(predicted, target, max_val)
    predicted[...] = 0
    target[...] = 0
    return result


exercise_tables.add_checker_tests(
    globals(),
    lesson06,
    forbidden=LEAKS,
    stub=("check_receptive_field", _stub),
    not_callable="check_psnr",
    mutating={"check_psnr": _mutating},
    deterministic=("check_random_box_mask", _mask_inverted),
    quoted_names=True,
)


def test_receptive_field_matches_the_lessons_patchgan():
    # The package's formula for the lesson's D agrees with the reference,
    # and the checker's first visible case is that discriminator.
    for n in (1, 2, 3):
        layers = [(4, 2)] * n + [(4, 1), (4, 1)]
        assert receptive_field(layers) == (
            models.patchgan_receptive_field(n),
            2**n,
        )
    seen = []

    def spy(layers):
        seen.append([tuple(int(v) for v in layer) for layer in layers])
        return receptive_field(layers)

    assert check("check_receptive_field", spy)[0] is True
    assert seen[0] == [(4, 2), (4, 2), (4, 1), (4, 1)]
    assert [] in seen and any(len(layer) == 3 for s in seen for layer in s)


def test_hidden_cases_are_labelled_and_reached():
    # Right on the visible cases only: each checker fails on a hidden case.
    def psnr_default_ignored(predicted, target, max_val=1.0):
        return psnr(predicted, target, max_val)

    calls = []

    def mask_visible_only(height, width, box_size, rng):
        calls.append(height)
        if height == 7:
            return np.asarray(
                random_box_mask(height, width, box_size, rng), bool
            )
        return random_box_mask(height, width, box_size, rng)

    def field_without_dilation(layers):
        return receptive_field([layer[:2] for layer in layers])

    for checker, function, first in [
        ("check_psnr", psnr_default_ignored, "on hidden case 1 (default"),
        (
            "check_random_box_mask",
            mask_visible_only,
            "on hidden case 1 (a 7x12",
        ),
        ("check_receptive_field", field_without_dilation, "on hidden case 3"),
    ]:
        passed, text = check(checker, function)
        assert passed is False and first in text, text

"""Lesson 11's graded exercises: the checkers, on right and wrong answers.

第 11 课分级练习的检查器：参考答案、其他正确写法与常见错误。

``SOLUTIONS`` are the reference solutions as the lesson's solution cells
hold them; ``CORRECT_ANSWERS`` are other correct ways to write them (each
must pass); ``WRONG_ANSWERS`` are plausible mistakes (each must fail, with
one ASCII line and a hint that never prints the formula).
"""

import math
import re

import numpy as np

from gancourse.course.exercises import lesson11
from tests import exercise_tables
from tests.exercise_tables import check

CHECKERS = ["check_q_sample", "check_ddim_step", "check_radial_spectrum"]
CASES = {name: 6 for name in CHECKERS}  # 2 visible + 4 hidden each.


# The reference solutions, as the lesson's `solution` cells hold them.


def q_sample(x0, t, noise, betas):
    """前向加噪过程的闭式解 / The forward process in one jump."""
    alpha_bars = np.cumprod(1.0 - np.asarray(betas, dtype="float64"))
    abar = alpha_bars[np.asarray(t)]
    abar = abar.reshape((-1,) + (1,) * (np.ndim(x0) - 1))  # One per image.
    return np.sqrt(abar) * x0 + np.sqrt(1.0 - abar) * noise


def ddim_step(x_t, eps, abar_t, abar_prev):
    """确定性的 DDIM 一步（eta = 0）/ One deterministic DDIM step."""
    x_t = np.asarray(x_t, dtype="float64")
    eps = np.asarray(eps, dtype="float64")
    x0_hat = (x_t - np.sqrt(1.0 - abar_t) * eps) / np.sqrt(abar_t)
    return np.sqrt(abar_prev) * x0_hat + np.sqrt(1.0 - abar_prev) * eps


def radial_spectrum(images):
    """径向平均功率频谱 / The radially averaged power spectrum."""
    images = np.asarray(images, dtype="float64")
    if images.ndim == 4:
        images = images[..., 0]  # (N, H, W, 1) -> (N, H, W).
    _, height, width = images.shape
    centred = images - images.mean(axis=(1, 2), keepdims=True)
    spectrum = np.fft.fftshift(np.fft.fft2(centred), axes=(1, 2))
    power = np.mean(np.abs(spectrum) ** 2, axis=0)
    y, x = np.indices((height, width))
    radius = np.floor(np.sqrt((y - height // 2) ** 2 + (x - width // 2) ** 2))
    size = min(height, width) // 2 + 1
    return np.array([power[radius == r].mean() for r in range(size)])


SOLUTIONS = {
    "check_q_sample": q_sample,
    "check_ddim_step": ddim_step,
    "check_radial_spectrum": radial_spectrum,
}


# Other correct answers.


def _q_log_space(x0, t, noise, betas):
    abar = np.exp(np.cumsum(np.log1p(-np.asarray(betas, "float64"))))[t]
    return np.sqrt(abar)[:, None, None, None] * x0 + np.sqrt(1 - abar)[
        :, None, None, None
    ] * np.asarray(noise)


def _q_loop(x0, t, noise, betas):
    out = np.empty_like(x0)
    for i, step in enumerate(t):
        abar = np.prod(1.0 - np.asarray(betas)[: step + 1])
        out[i] = math.sqrt(abar) * x0[i] + math.sqrt(1 - abar) * noise[i]
    return out


def _q_float32(x0, t, noise, betas):
    abar = np.cumprod(1 - np.asarray(betas, "float32"))[t].astype(x0.dtype)
    abar = np.expand_dims(abar, axis=(1, 2, 3))
    return abar**0.5 * x0 + (1 - abar) ** 0.5 * noise


def _ddim_clipped(x_t, eps, abar_t, abar_prev):
    x0 = np.clip((x_t - (1 - abar_t) ** 0.5 * eps) / abar_t**0.5, -1, 1)
    return abar_prev**0.5 * x0 + (1 - abar_prev) ** 0.5 * eps


def _ddim_clip_and_refit_eps(x_t, eps, abar_t, abar_prev):
    # gancourse.training.diffusion's sampler: clip, then recompute eps.
    x0 = np.clip((x_t - (1 - abar_t) ** 0.5 * eps) / abar_t**0.5, -1, 1)
    eps = (x_t - abar_t**0.5 * x0) / (1 - abar_t) ** 0.5
    return abar_prev**0.5 * x0 + (1 - abar_prev) ** 0.5 * eps


def _ddim_coefficients(x_t, eps, abar_t, abar_prev):
    a, b = float(abar_t), float(abar_prev)
    scale = math.sqrt(b / a)
    return scale * x_t + (math.sqrt(1 - b) - scale * math.sqrt(1 - a)) * eps


def _radial_bincount(images):
    images = np.asarray(images)
    images = images.reshape(images.shape[:3])
    n, h, w = images.shape
    centred = images - images.mean(axis=(1, 2), keepdims=True)
    power = np.abs(np.fft.fftshift(np.fft.fft2(centred))) ** 2  # All axes.
    y, x = np.indices((h, w))
    r = np.hypot(y - h // 2, x - w // 2).astype(int)
    size = min(h, w) // 2 + 1
    sums = np.bincount(r.ravel(), power.mean(0).ravel())[:size]
    return sums / np.bincount(r.ravel())[:size]


def _radial_per_image(images):
    profiles = []
    for image in np.asarray(images, "float32"):
        image = image[..., 0] if image.ndim == 3 else image
        h, w = image.shape
        power = np.abs(np.fft.fftshift(np.fft.fft2(image - image.mean()))) ** 2
        fy = np.round(np.fft.fftshift(np.fft.fftfreq(h)) * h)
        fx = np.round(np.fft.fftshift(np.fft.fftfreq(w)) * w)
        r = np.floor(np.hypot(fy[:, None], fx[None, :])).astype(int)
        profiles.append(
            [power[r == k].mean() for k in range(min(h, w) // 2 + 1)]
        )
    return np.mean(profiles, axis=0)


CORRECT_ANSWERS = {
    "check_q_sample": [_q_log_space, _q_loop, _q_float32],
    "check_ddim_step": [
        _ddim_clipped,
        _ddim_clip_and_refit_eps,
        _ddim_coefficients,
    ],
    "check_radial_spectrum": [_radial_bincount, _radial_per_image],
}


# Plausible wrong answers.


def _q_with(coefficient):
    def q(x0, t, noise, betas):
        c = coefficient(np.asarray(betas, "float64"), np.asarray(t))
        c = c.reshape(-1, 1, 1, 1)
        return np.sqrt(c) * x0 + np.sqrt(1 - c) * noise

    return q


def _q_variance(x0, t, noise, betas):
    abar = np.cumprod(1 - np.asarray(betas))[t].reshape(-1, 1, 1, 1)
    return abar * x0 + (1 - abar) * noise


def _q_no_reshape(x0, t, noise, betas):
    abar = np.cumprod(1 - np.asarray(betas))[t]
    return np.sqrt(abar) * x0 + np.sqrt(1 - abar) * noise


def _ddim_no_sqrt(x_t, eps, abar_t, abar_prev):
    x0 = (x_t - (1 - abar_t) * eps) / np.sqrt(abar_t)
    return np.sqrt(abar_prev) * x0 + (1 - abar_prev) * eps


def _ddim_no_sqrt_readd(x_t, eps, abar_t, abar_prev):
    x0 = (x_t - np.sqrt(1 - abar_t) * eps) / np.sqrt(abar_t)
    return np.sqrt(abar_prev) * x0 + (1 - abar_prev) * eps


def _radial_with(
    centre=True,
    shift=True,
    power=2,
    average=True,
    radius=np.floor,
    offset=0.0,
    squeeze=False,
    early_mean=False,
):
    def radial(images):
        images = np.asarray(images, "float64")
        images = np.squeeze(images) if squeeze else images
        if images.ndim == 4:
            images = images[..., 0]
        _, h, w = images.shape
        if centre == "batch":
            images = images - images.mean()  # One mean for the batch.
        elif centre:
            images = images - images.mean(axis=(1, 2), keepdims=True)
        spectrum = np.fft.fft2(images)
        if shift:
            spectrum = np.fft.fftshift(spectrum, axes=(-2, -1))
        if early_mean:
            spectrum = spectrum.mean(axis=0)
        p = np.abs(spectrum) ** power
        p = p.mean(axis=0) if p.ndim == 3 else p
        y, x = np.indices((h, w))
        r = radius(np.hypot(y - h // 2 + offset, x - w // 2 + offset))
        reduce = np.mean if average else np.sum
        size = min(h, w) // 2 + 1
        return np.array([reduce(p[r == k]) for k in range(size)])

    return radial


def _radial_every_ring(images):
    images = np.asarray(images, "float64")
    images = images[..., 0] if images.ndim == 4 else images
    _, h, w = images.shape
    centred = images - images.mean(axis=(1, 2), keepdims=True)
    p = np.mean(np.abs(np.fft.fftshift(np.fft.fft2(centred))) ** 2, axis=0)
    y, x = np.indices((h, w))
    r = np.hypot(y - h // 2, x - w // 2).astype(int).ravel()
    return np.bincount(r, p.ravel()) / np.bincount(r)


WRONG_ANSWERS = {
    "check_q_sample": [
        _q_with(lambda b, t: 1 - b[t]),  # beta_t, not abar_t.
        _q_with(lambda b, t: np.concatenate([[1], np.cumprod(1 - b)])[t]),
        _q_with(lambda b, t: np.cumprod(1 - b)[t - 1]),  # Wraps at t = 0.
        _q_with(lambda b, t: np.cumprod(1 - b)[np.full_like(t, t[0])]),
        _q_with(lambda b, t: 1 - np.cumsum(b)[t]),
        _q_variance,
        _q_no_reshape,
    ],
    "check_ddim_step": [
        lambda x, e, a, p: ddim_step(x, e, p, a),  # Swapped.
        lambda x, e, a, p: np.sqrt(p) * (x - np.sqrt(1 - a) * e) / np.sqrt(a),
        lambda x, e, a, p: (x - np.sqrt(1 - a) * e) / np.sqrt(a),  # x0_hat.
        _ddim_no_sqrt,
        _ddim_no_sqrt_readd,
    ],
    "check_radial_spectrum": [
        _radial_with(shift=False),
        _radial_with(centre=False),
        _radial_with(centre="batch"),
        _radial_with(power=1),  # The magnitude.
        _radial_with(average=False),  # Sum per ring.
        _radial_with(radius=np.round),
        _radial_with(offset=0.5),  # Centre at (H - 1) / 2 for even sizes.
        _radial_with(squeeze=True),  # Breaks on a single image.
        _radial_with(early_mean=True),  # |mean F|^2, not mean |F|^2.
        _radial_every_ring,  # Keeps the corners.
    ],
}

# The mistake the FAIL line names, for a few wrong answers.
DIAGNOSES = [
    ("check_q_sample", 0, "1 - beta_t (one step) in place of abar_t"),
    ("check_q_sample", 1, "one step short"),
    ("check_q_sample", 3, "the first image's t for every image"),
    ("check_q_sample", 5, "variances in place of standard deviations"),
    ("check_ddim_step", 0, "swapping abar_t and abar_prev"),
    ("check_ddim_step", 1, "leaving out the noise term"),
    ("check_ddim_step", 3, "without its square root"),
    ("check_radial_spectrum", 0, "leaving out fftshift"),
    ("check_radial_spectrum", 1, "not subtracting each image's mean"),
    ("check_radial_spectrum", 2, "the batch's mean"),
    ("check_radial_spectrum", 3, "the magnitude in place of the power"),
    ("check_radial_spectrum", 4, "summing the values of a ring"),
]


FORBIDDEN = re.compile(r"sqrt|np\.|\*\*|cumprod\(")


def _stub(images):
    raise NotImplementedError("Exercise: implement radial_spectrum")


def _mutating(x_t, eps, abar_t, abar_prev):
    result = ddim_step(x_t, eps, abar_t, abar_prev)
    x_t[...] = 0.0
    eps[...] = 0.0
    return result


exercise_tables.add_checker_tests(
    globals(),
    lesson11,
    forbidden=FORBIDDEN,
    stub=("check_radial_spectrum", _stub),
    not_callable="check_ddim_step",
    mutating={"check_ddim_step": _mutating},
    deterministic=("check_q_sample", _q_variance),
)


def test_hidden_cases_are_labelled_and_reached():
    # A right answer on the visible cases only fails on a hidden case.
    def visible_only(x0, t, noise, betas):
        if x0.dtype == np.float64:
            return np.zeros_like(x0)
        return q_sample(x0, t, noise, betas)

    passed, text = check("check_q_sample", visible_only)
    assert passed is False and "on hidden case 1 (float64" in text, text

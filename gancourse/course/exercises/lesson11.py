"""Checkers of the graded exercises of lesson 11: diffusion models and GANs.

第 11 课（同等算力下的扩散模型与 GAN，以及区分真实与生成图像）分级练习的检查器。

Every checker runs the visible cases the lesson describes and then hidden
ones (other seeds, shapes, dtypes and schedules, the edge steps t = 0 and
t = T - 1). When a wrong result is exactly what a known mistake gives, the
FAIL line names the mistake in words; no line ever prints the formula.
"""

import numpy as np

from gancourse.course.exercises.harness import diagnosed
from gancourse.course.exercises.harness import run_cases

__all__ = [
    "check_q_sample",
    "check_ddim_step",
    "check_radial_spectrum",
]


def _linear_betas(num_steps, start=1e-4, end=0.02):
    return np.linspace(start, end, num_steps)


def _cosine_betas(num_steps, s=0.008):
    """The cosine schedule of Nichol & Dhariwal (2021), betas clipped."""
    f = np.cos((np.arange(num_steps + 1) / num_steps + s) / (1 + s) * np.pi / 2)
    return np.clip(1.0 - f[1:] ** 2 / f[:-1] ** 2, 1e-5, 0.999)


def _alpha_bars(betas):
    return np.cumprod(1.0 - np.asarray(betas, "float64"))


def _per_image(values, ndim):
    return np.asarray(values, "float64").reshape((-1,) + (1,) * (ndim - 1))


def _mix(x0, noise, signal, spread):
    """signal * x0 + spread * noise, in float64."""
    x0, noise = np.asarray(x0, "float64"), np.asarray(noise, "float64")
    return signal * x0 + spread * noise


def _describe(index, visible, text):
    if index < visible:
        return f"for {text}"
    return f"on hidden case {index - visible + 1} ({text})"


def check_q_sample(fn):
    """Check ``q_sample(x0, t, noise, betas)``: the forward process in one jump.

    检查前向加噪过程的闭式解 q_sample（第 11 课）。

    Spec: ``x0`` and ``noise`` are float arrays (float32 or float64) of one
    shape, batch first, (N, H, W, C); ``t`` is an integer array (N,) with
    one time step per image, each in [0, T - 1]; ``betas`` is the noise
    schedule, shape (T,). With ``abar_t = prod_{s=0..t} (1 - betas[s])``
    (step t included), return, image by image,

        x_t = sqrt(abar_t) * x0 + sqrt(1 - abar_t) * noise

    with the shape of ``x0``.
    """
    rng = np.random.default_rng(110)
    linear = _linear_betas(1000)
    settings = [  # dtype, shape, betas, t; two visible cases, then hidden.
        ("float32", (4, 8, 8, 1), linear, [0, 10, 500, 999]),
        ("float32", (3, 6, 6, 3), linear, [999, 250, 1]),
        ("float64", (5, 4, 7, 2), _linear_betas(50, 1e-3, 0.2), [49, 0, 25]),
        ("float64", (1, 3, 3, 1), linear, [999]),
        ("float32", (2, 5, 5, 3), linear.astype("float32"), [0, 0]),
        ("float64", (6, 2, 2, 1), _cosine_betas(200), [199, 0, 17, 120, 1]),
    ]
    cases = []
    for index, (dtype, shape, betas, t) in enumerate(settings):
        shape = (len(t),) + shape[1:]
        x0 = rng.uniform(-1, 1, size=shape).astype(dtype)
        noise = rng.standard_normal(shape).astype(dtype)
        t = np.asarray(t, "int32" if index == 2 else "int64")
        abar = _alpha_bars(betas)
        a = _per_image(abar[t], len(shape))
        b = _per_image(1.0 - np.asarray(betas, "float64")[t], len(shape))
        a_prev = _per_image(np.concatenate([[1.0], abar])[t], len(shape))
        a_first = _per_image(abar[np.full_like(t, t[0])], len(shape))
        mistakes = [
            ("1 - beta_t (one step) in place of abar_t", b),
            ("abar_(t-1), a cumulative product one step short", a_prev),
            ("using the first image's t for every image", a_first),
        ]
        mistakes = [
            (label, _mix(x0, noise, np.sqrt(c), np.sqrt(1 - c)))
            for label, c in mistakes
        ]
        mistakes.append(
            (
                "variances in place of standard deviations",
                _mix(x0, noise, a, 1 - a),
            )
        )
        text = f"{dtype} x0 {shape}, T = {len(betas)}, t = {t.tolist()}"
        cases.append(
            (
                _describe(index, 2, text),
                lambda fn, x0=x0, t=t, n=noise, b=betas: fn(
                    x0.copy(), t.copy(), n.copy(), np.array(b)
                ),
                diagnosed(
                    _mix(x0, noise, np.sqrt(a), np.sqrt(1 - a)),
                    mistakes,
                    rtol=1e-4,
                    atol=1e-4,
                ),
            )
        )
    return run_cases(
        "q_sample",
        fn,
        cases,
        "abar_t is a cumulative product over the steps 0..t (t included), "
        "each image uses its own t (reshape it to broadcast over H, W, C), "
        "and x_t has unit variance when x0 and the noise do; see the forward "
        "process in lesson 11.",
    )


def _ddim_reference(x_t, eps, abar_t, abar_prev):
    x_t, eps = np.asarray(x_t, "float64"), np.asarray(eps, "float64")
    abar_t, abar_prev = float(abar_t), float(abar_prev)
    x0_hat = (x_t - np.sqrt(1 - abar_t) * eps) / np.sqrt(abar_t)
    return np.sqrt(abar_prev) * x0_hat + np.sqrt(1 - abar_prev) * eps


def check_ddim_step(fn):
    """Check ``ddim_step(x_t, eps, abar_t, abar_prev)``: one DDIM step.

    检查确定性的 DDIM 反向一步（eta = 0，第 11 课）。

    Spec: ``x_t`` (the current images) and ``eps`` (the network's noise
    prediction) are float arrays (float32 or float64) of one shape;
    ``abar_t`` and ``abar_prev`` are scalars in (0, 1] (Python floats or 0-d
    arrays): the cumulative products at the current step and at the step
    the sampler moves to, ``abar_prev > abar_t`` (``abar_prev = 1.0`` for
    the last step). Return, with the shape of ``x_t``,

        x0_hat = (x_t - sqrt(1 - abar_t) * eps) / sqrt(abar_t)
        x_prev = sqrt(abar_prev) * x0_hat + sqrt(1 - abar_prev) * eps

    No clipping of ``x0_hat`` (the cases keep it inside [-1, 1], so a
    clipped version gives the same numbers).
    """
    rng = np.random.default_rng(111)
    schedules = {
        "linear": _alpha_bars(_linear_betas(1000)),
        "cosine": _alpha_bars(_cosine_betas(100)),
    }
    settings = [  # dtype, shape, schedule, t, previous (None: the end), type.
        ("float32", (2, 8, 8, 1), "linear", 999, 949, float),
        ("float32", (2, 4, 4, 1), "linear", 20, None, float),
        ("float64", (3, 5, 5, 3), "linear", 500, 0, np.asarray),
        ("float32", (2, 6, 6, 1), "linear", 999, None, float),
        ("float64", (4, 3, 3, 1), "cosine", 50, 30, np.float64),
        ("float32", (2, 4, 6, 3), "linear", 100, 80, np.float32),
    ]
    cases = []
    for index, (dtype, shape, name, step, previous, kind) in enumerate(
        settings
    ):
        abar_t = kind(schedules[name][step])
        abar_prev = kind(1.0 if previous is None else schedules[name][previous])
        text = (
            f"{dtype} x_t {shape}, {name} schedule, step {step} -> "
            f"{'the end' if previous is None else previous}, abar as "
            f"{type(abar_t).__name__}"
        )
        if index == 4:
            text += "; x0_hat stays in [-1, 1], the update is unclipped"
        x0 = rng.uniform(-0.9, 0.9, size=shape)
        eps = rng.standard_normal(shape).astype(dtype)
        x_t = (
            np.sqrt(float(abar_t)) * x0 + np.sqrt(1 - float(abar_t)) * eps
        ).astype(dtype)
        expected = _ddim_reference(x_t, eps, abar_t, abar_prev)
        x0_hat = _ddim_reference(x_t, eps, abar_t, 1.0)
        t, p = float(abar_t), float(abar_prev)
        no_sqrt = (x_t - (1 - t) * eps.astype("float64")) / np.sqrt(t)
        mistakes = [
            (
                "swapping abar_t and abar_prev",
                _ddim_reference(x_t, eps, abar_prev, abar_t),
            ),
            ("leaving out the noise term of x_prev", np.sqrt(p) * x0_hat),
            (
                "1 - abar without its square root",
                np.sqrt(p) * no_sqrt + (1 - p) * eps,
            ),
        ]
        cases.append(
            (
                _describe(index, 2, text),
                lambda fn, x=x_t, e=eps, a=abar_t, b=abar_prev: fn(
                    x.copy(), e.copy(), a, b
                ),
                diagnosed(expected, mistakes, rtol=1e-4, atol=2e-4),
            )
        )
    return run_cases(
        "ddim_step",
        fn,
        cases,
        "first estimate x0 by undoing the forward process at abar_t, then "
        "noise that estimate to the level abar_prev with the same eps "
        "(deterministic, no clipping); see DDIM in lesson 11.",
    )


def _radial_reference(images):
    images = np.asarray(images, "float64")
    if images.ndim == 4:
        images = images[..., 0]
    _, height, width = images.shape
    centred = images - images.mean(axis=(1, 2), keepdims=True)
    spectrum = np.fft.fftshift(np.fft.fft2(centred), axes=(1, 2))
    power = np.mean(np.abs(spectrum) ** 2, axis=0)
    return _radial_mean(power, height, width), power


def _radii(height, width):
    y, x = np.indices((height, width))
    return np.floor(np.hypot(y - height // 2, x - width // 2)).astype(int)


def _radial_mean(power, height, width, total=False):
    radius, bins = _radii(height, width).ravel(), min(height, width) // 2 + 1
    sums = np.bincount(radius, weights=np.ravel(power), minlength=bins)
    counts = np.bincount(radius, minlength=bins)
    return sums[:bins] if total else (sums / counts)[:bins]


def _spectrum_mistakes(images, power):
    images = np.asarray(images, "float64")
    if images.ndim == 4:
        images = images[..., 0]
    _, height, width = images.shape
    centred = images - images.mean(axis=(1, 2), keepdims=True)
    unshifted = np.mean(np.abs(np.fft.fft2(centred)) ** 2, axis=0)
    raw = np.fft.fftshift(np.fft.fft2(images), axes=(1, 2))
    magnitude = np.mean(
        np.abs(np.fft.fftshift(np.fft.fft2(centred), axes=(1, 2))), axis=0
    )
    batch = images - images.mean()
    batch_power = np.abs(np.fft.fftshift(np.fft.fft2(batch), axes=(1, 2))) ** 2
    return [
        (
            "subtracting the batch's mean in place of each image's",
            _radial_mean(batch_power.mean(axis=0), height, width),
        ),
        (
            "leaving out fftshift (zero frequency in the corner)",
            _radial_mean(unshifted, height, width),
        ),
        (
            "not subtracting each image's mean",
            _radial_mean(np.mean(np.abs(raw) ** 2, axis=0), height, width),
        ),
        (
            "the magnitude in place of the power",
            _radial_mean(magnitude, height, width),
        ),
        (
            "summing the values of a ring in place of averaging them",
            _radial_mean(power, height, width, total=True),
        ),
    ]


def _checkerboard(height, width):
    y, x = np.indices((height, width))
    return np.where((y + x) % 2 == 0, 0.25, -0.25)


def check_radial_spectrum(fn):
    """Check ``radial_spectrum(images)``: the mean radial power spectrum.

    检查一批灰度图像的径向平均功率频谱（真假图像检测，第 11 课）。

    Spec: ``images`` is a float array (float32 or float64) of grayscale
    images, (N, H, W) or (N, H, W, 1). For each image subtract its own
    mean, take the 2-D FFT and ``fftshift`` it (the zero frequency moves
    to row H // 2, column W // 2), and square its magnitude (power); average
    the power over the N images. Then average over rings: pixel (y, x) has
    the integer radius

        r = floor(sqrt((y - H // 2) ** 2 + (x - W // 2) ** 2));

    return a float array of length ``min(H, W) // 2 + 1`` whose entry r is
    the mean power over the pixels of radius r (r = 0 .. min(H, W) // 2;
    larger radii, the corners, are dropped).
    """
    rng = np.random.default_rng(112)
    y, x = np.indices((16, 16))
    smooth = np.sin(2 * np.pi * (y + 2 * x) / 16)[None] * rng.uniform(
        0.5, 1.0, size=(3, 1, 1)
    )
    shapes = [(4, 16, 16), (3, 16, 16, 1), (1, 12, 12, 1), (2, 15, 15)]
    shapes += [(3, 10, 14), (5, 32, 32, 1)]
    noise = [rng.standard_normal(shape) for shape in shapes]
    offsets = np.arange(5).reshape(5, 1, 1, 1)  # Each image its own mean.
    batches = [
        noise[0] + _checkerboard(16, 16) + 0.5,  # A period-2 pattern.
        (smooth + 0.3)[..., None] + 0.1 * noise[1],
        noise[2] + 0.5,
        noise[3] + 1.0,
        noise[4] + _checkerboard(10, 14) - 0.5,
        0.3 * noise[5] + offsets,
    ]
    notes = ["checkerboard", "smooth", "one image", "odd size", "not square"]
    notes.append("different means")
    cases = []
    for index, images in enumerate(batches):
        images = images.astype("float32" if index in (0, 2, 5) else "float64")
        expected, power = _radial_reference(images)
        atol = 1e-6 * float(np.max(expected)) + 1e-8
        text = f"{images.dtype} images {images.shape}, {notes[index]}"
        cases.append(
            (
                _describe(index, 2, text),
                lambda fn, images=images: fn(images.copy()),
                diagnosed(
                    expected,
                    _spectrum_mistakes(images, power),
                    rtol=1e-3,
                    atol=atol,
                ),
            )
        )
    return run_cases(
        "radial_spectrum",
        fn,
        cases,
        "subtract each image's own mean, centre the zero frequency with "
        "fftshift over the H and W axes, use the power, average over the "
        "batch, then take the mean (not the sum) of each integer-radius ring "
        "for r = 0 .. min(H, W) // 2; see the forensics part of lesson 11.",
    )

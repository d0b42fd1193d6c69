"""Image quality of image-to-image outputs: PSNR, SSIM and fine detail.

图像到图像翻译结果的质量：PSNR、SSIM 与高频细节。

Unlike FID these need the target images, so they fit paired tasks
(inpainting, super-resolution) and not unconditional GANs. PSNR and SSIM
compare each output with its own target pixel by pixel (distortion);
``high_frequency_ratio`` only compares how much fine detail the two sets
hold, wherever it sits (a sharpness score).
"""


def image_quality(predicted, target):
    """Mean PSNR (dB) and SSIM of images in [-1, 1] (``max_val=2``).

    计算 [-1, 1] 范围图像的平均 PSNR（dB）与 SSIM。

    Uses ``tf.image.psnr`` and ``tf.image.ssim`` (11x11 Gaussian window, so
    images must be at least 11x11). Both are computed per image, then
    averaged: the PSNR is the mean of the per-image PSNRs, not the PSNR of
    the batch's pooled mean squared error.

    Returns:
        dict with float "psnr" and "ssim".
    """
    import tensorflow as tf

    predicted = tf.convert_to_tensor(predicted, "float32")
    target = tf.convert_to_tensor(target, "float32")
    if predicted.shape != target.shape:
        raise ValueError(
            "`predicted` and `target` must have one shape. Received: "
            f"{tuple(predicted.shape)} and {tuple(target.shape)}"
        )
    return {
        "psnr": float(tf.reduce_mean(tf.image.psnr(predicted, target, 2.0))),
        "ssim": float(tf.reduce_mean(tf.image.ssim(predicted, target, 2.0))),
    }


def high_frequency_ratio(predicted, target, cutoff=0.125):
    """Fine-detail power of ``predicted`` over that of ``target``.

    输出与目标图像在高频段的功率之比（1.0 = 细节与真图一样多）。

    A sharpness score that, unlike PSNR and SSIM, ignores where the detail
    sits. Each image and channel has its mean removed and is multiplied by
    a 2-D Hann window (so the crop's borders add no spurious frequencies);
    its power spectrum is ``|FFT|**2``. The function sums the power at
    frequencies with ``max(|f_x|, |f_y|) > cutoff`` (cycles per pixel, up
    to 0.5) over all images and returns predicted / target. With
    ``cutoff = 0.5 / scale`` this is the band a ``scale``-times smaller
    image cannot hold, i.e. the detail a super-resolution model must
    invent. 1.0 means as much fine detail as the target, below 1 blurrier,
    above 1 more (e.g. noise). It says nothing about whether the detail is
    the right one: noise, or the target shifted by a pixel, also score near
    or above 1.

    Args:
        predicted: (N, H, W, C) images.
        target: (N, H, W, C) images of the same shape.
        cutoff: float in (0, 0.5).

    Returns:
        float.

    Raises:
        ValueError: for different shapes, a rank other than 4, a bad
            ``cutoff`` or a target with no power above it.
    """
    import numpy as np

    predicted = np.asarray(predicted, "float64")
    target = np.asarray(target, "float64")
    if predicted.shape != target.shape or predicted.ndim != 4:
        raise ValueError(
            "`predicted` and `target` must be (N, height, width, channels) "
            f"of one shape. Received: {predicted.shape} and {target.shape}"
        )
    if not 0.0 < float(cutoff) < 0.5:
        raise ValueError(
            f"`cutoff` must be in (0, 0.5) cycles per pixel. Received: "
            f"cutoff={cutoff!r}"
        )
    height, width = predicted.shape[1:3]
    window = np.outer(np.hanning(height), np.hanning(width))[None, :, :, None]
    fy = np.abs(np.fft.fftfreq(height))[:, None]
    fx = np.abs(np.fft.fftfreq(width))[None, :]
    band = np.maximum(fy, fx) > cutoff

    def band_power(images):
        images = images - images.mean(axis=(1, 2), keepdims=True)
        spectrum = np.fft.fft2(images * window, axes=(1, 2))
        return float((np.abs(spectrum) ** 2)[:, band].sum())

    reference = band_power(target)
    if reference <= 0.0:
        raise ValueError(
            "`target` has no power above `cutoff` (flat images?). Received: "
            f"cutoff={cutoff!r}"
        )
    return band_power(predicted) / reference

"""Image quality of image-to-image outputs against targets: PSNR and SSIM.

图像到图像翻译结果相对目标图像的质量：PSNR 与 SSIM。

Unlike FID these are per-pair scores: they need the target image, so they
fit paired tasks (inpainting, super-resolution) and not unconditional GANs.
"""


def image_quality(predicted, target):
    """Mean PSNR (dB) and SSIM of images in [-1, 1] (``max_val=2``).

    计算 [-1, 1] 范围图像的平均 PSNR（dB）与 SSIM。

    Uses ``tf.image.psnr`` and ``tf.image.ssim`` (11x11 Gaussian window, so
    images must be at least 11x11).

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

"""Custom layers for image-to-image models: normalisation and padding.

图像到图像模型用到的自定义层：归一化与填充。

Instance normalisation (Ulyanov et al., 2016, https://arxiv.org/abs/1607.08022)
and reflection padding, as used by pix2pix and CycleGAN generators; Keras 3
has no tensorflow_addons, so they live here.
"""

import keras
from keras import layers
from keras import ops

NORMS = ("instance", "batch", None)


def instance_normalization(name=None):
    """Instance normalisation: per sample, per channel, over height x width.

    实例归一化：对每个样本、每个通道在空间维度上归一化。

    Ulyanov et al., 2016, https://arxiv.org/abs/1607.08022.
    y = gamma * (x - mean_hw(x)) / sqrt(var_hw(x) + eps) + beta. In Keras 3
    this is ``GroupNormalization(groups=-1)`` (one group per channel), so
    tensorflow_addons is not needed. The model factories use the equivalent
    ``InstanceNormalization`` layer below: same numbers, but a CycleGAN
    train step built from it traced about 4x faster on our CPU (10 s
    instead of 40 s), because it avoids GroupNormalization's 5-D reshapes.

    Returns:
        keras.layers.GroupNormalization.
    """
    return layers.GroupNormalization(groups=-1, epsilon=1e-5, name=name)


@keras.saving.register_keras_serializable(package="gancourse")
class InstanceNormalization(layers.Layer):
    """Instance normalisation of NHWC tensors with a learned scale and shift.

    NHWC 张量的实例归一化（带可学习的缩放与平移）。

    Equal to ``GroupNormalization(groups=-1, epsilon=1e-5)``:
    y = gamma * (x - mean_hw(x)) / sqrt(var_hw(x) + eps) + beta, with the
    statistics taken per sample and per channel over height and width.
    """

    def __init__(self, epsilon=1e-5, **kwargs):
        super().__init__(**kwargs)
        self.epsilon = float(epsilon)

    def build(self, input_shape):
        if len(input_shape) != 4 or input_shape[-1] is None:
            raise ValueError(
                "InstanceNormalization needs (batch, height, width, "
                f"channels) inputs. Received: input_shape={input_shape}"
            )
        channels = (input_shape[-1],)
        self.gamma = self.add_weight(
            shape=channels, initializer="ones", name="gamma"
        )
        self.beta = self.add_weight(
            shape=channels, initializer="zeros", name="beta"
        )

    def call(self, inputs):
        # 在 float32 中计算统计量，避免半精度溢出 / Statistics in float32.
        x = ops.cast(inputs, "float32")
        mean = ops.mean(x, axis=(1, 2), keepdims=True)
        variance = ops.mean(ops.square(x - mean), axis=(1, 2), keepdims=True)
        x = (x - mean) * ops.rsqrt(variance + self.epsilon)
        x = x * ops.cast(self.gamma, "float32") + ops.cast(self.beta, "float32")
        return ops.cast(x, self.compute_dtype)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "epsilon": self.epsilon}


def normalization(norm):
    """A normalisation layer by name ("instance", "batch") or None.

    按名称返回归一化层（"instance"、"batch"）或 None。
    """
    if norm == "instance":
        return InstanceNormalization()
    if norm == "batch":
        return layers.BatchNormalization()
    return None


def check_norm(norm):
    """Validate a ``norm`` name; return it.

    检查 ``norm`` 名称是否有效。
    """
    if norm not in NORMS:
        raise ValueError(
            f"`norm` must be one of {list(NORMS)}. Received: norm={norm!r}"
        )
    return norm


@keras.saving.register_keras_serializable(package="gancourse")
class ReflectionPadding2D(layers.Layer):
    """Pad height and width by mirroring the border (no edge repeated).

    以镜像方式填充高和宽（不重复边缘像素）。

    Same as ``np.pad(x, ((0, 0), (p, p), (p, p), (0, 0)), mode="reflect")``.
    CycleGAN uses it instead of zero padding to avoid dark border artefacts.

    Args:
        padding: int or (pad_height, pad_width); each must be smaller than
            the padded size.
    """

    def __init__(self, padding=1, **kwargs):
        super().__init__(**kwargs)
        if isinstance(padding, int):
            padding = (padding, padding)
        self.padding = tuple(int(p) for p in padding)
        if len(self.padding) != 2 or min(self.padding) < 0:
            raise ValueError(
                "`padding` must be a non-negative int or a pair of them. "
                f"Received: padding={padding!r}"
            )

    def call(self, inputs):
        pad_h, pad_w = self.padding
        return ops.pad(
            inputs,
            ((0, 0), (pad_h, pad_h), (pad_w, pad_w), (0, 0)),
            mode="reflect",
        )

    def compute_output_shape(self, input_shape):
        batch, height, width, channels = input_shape
        pad_h, pad_w = self.padding
        height = None if height is None else height + 2 * pad_h
        width = None if width is None else width + 2 * pad_w
        return (batch, height, width, channels)

    def get_config(self):
        return {**super().get_config(), "padding": self.padding}


@keras.saving.register_keras_serializable(package="gancourse")
class AddAndClip(layers.Layer):
    """Sum the inputs and clip to [-1, 1] (a residual image output).

    将输入相加并裁剪到 [-1, 1]（残差式图像输出）。
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("dtype", "float32")
        super().__init__(**kwargs)

    def call(self, inputs):
        total = ops.cast(inputs[0], "float32")
        for tensor in inputs[1:]:
            total = total + ops.cast(tensor, "float32")
        return ops.clip(total, -1.0, 1.0)

    def compute_output_shape(self, input_shape):
        return input_shape[0]

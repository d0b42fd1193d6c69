"""VGG19 feature extractor of style transfer, with an offline fallback.

风格迁移用的 VGG19 特征提取器（离线时退回随机权重）。

Gatys et al. 2016 (https://arxiv.org/abs/1508.06576) describe style by Gram
matrices of several VGG19 layers and content by one deeper layer. Images
are NHWC float32 in [-1, 1] (the course convention); the extractor converts
them to VGG19's "caffe" preprocessing inside.

Without network access the ImageNet weights of VGG19 cannot be downloaded;
``make_vgg_feature_extractor`` then falls back, visibly, to a seeded random
VGG19. Random convolutional features still capture texture statistics:
Ustyuzhaninov, Brendel, Gatys, Bethge, "Texture synthesis using shallow
convolutional networks with random filters", 2016
(https://arxiv.org/abs/1606.00021) / "What does it take to generate natural
textures?", ICLR 2017; He, Wang, Hopcroft, "A Powerful Generative Model Using
Random Weights for the Deep Image Representation", NeurIPS 2016
(https://arxiv.org/abs/1606.04801).
"""

import socket

import keras

# VGG19 的层名（按网络顺序）/ VGG19 layer names, in network order.
VGG19_LAYERS = tuple(
    name
    for block, convs in enumerate((2, 2, 4, 4, 4), start=1)
    for name in [f"block{block}_conv{i}" for i in range(1, convs + 1)]
    + [f"block{block}_pool"]
)
DEFAULT_STYLE_LAYERS = (
    "block1_conv1",
    "block2_conv1",
    "block3_conv1",
    "block4_conv1",
    "block5_conv1",
)
DEFAULT_CONTENT_LAYERS = ("block5_conv2",)
# VGG19 "caffe" 预处理的 BGR 均值 / BGR means of VGG19's "caffe" preprocessing.
VGG19_BGR_MEAN = (103.939, 116.779, 123.68)


def vgg19_preprocess(images):
    """Map RGB images in [-1, 1] to VGG19's "caffe" input (BGR, mean-free).

    把 [-1, 1] 的 RGB 图像转换为 VGG19 的 "caffe" 输入（BGR，减去均值）。

        pixels = (images + 1) * 127.5            # [0, 255]
        out = pixels[..., ::-1] - [103.939, 116.779, 123.68]

    Same result as ``keras.applications.vgg19.preprocess_input`` on
    ``pixels``.
    """
    pixels = (keras.ops.cast(images, "float32") + 1.0) * 127.5
    bgr = keras.ops.flip(pixels, axis=-1)
    return bgr - keras.ops.convert_to_tensor(VGG19_BGR_MEAN, "float32")


def _check_layers(names, argument):
    if isinstance(names, str):
        names = (names,)
    names = tuple(names)
    unknown = [name for name in names if name not in VGG19_LAYERS]
    if unknown or not names:
        raise ValueError(
            f"`{argument}` must be a non-empty list of VGG19 layer names. "
            f"Valid names: {', '.join(VGG19_LAYERS)}. "
            f"Received: {argument}={names!r}"
        )
    return names


def _load_imagenet_vgg19(input_shape, download_timeout):
    """VGG19 with ImageNet weights; a socket timeout guards the download.

    Keras downloads with ``urllib.request.urlretrieve``, which takes no
    timeout, so the default socket timeout is set for the attempt only and
    always restored (also when the download fails).
    """
    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(download_timeout)
    try:
        return keras.applications.VGG19(
            include_top=False, weights="imagenet", input_shape=input_shape
        )
    finally:
        socket.setdefaulttimeout(previous)


def _random_vgg19(input_shape, seed, deepest):
    """VGG19 (same layer names) up to ``deepest``, seeded He-normal kernels."""
    from keras import layers

    images = keras.Input(shape=input_shape)
    x = images
    index = 0
    for block, (convs, filters) in enumerate(
        zip((2, 2, 4, 4, 4), (64, 128, 256, 512, 512)), start=1
    ):
        for conv in range(1, convs + 1):
            # 方差保持的初始化让各层特征尺度相近 / Variance-preserving init
            # keeps feature scales similar in every layer (ReLU halves them).
            x = layers.Conv2D(
                filters,
                3,
                padding="same",
                activation="relu",
                kernel_initializer=keras.initializers.HeNormal(seed + index),
                name=f"block{block}_conv{conv}",
            )(x)
            index += 1
            if f"block{block}_conv{conv}" == deepest:
                return keras.Model(images, x, name="vgg19")
        x = layers.MaxPooling2D(2, name=f"block{block}_pool")(x)
        if f"block{block}_pool" == deepest:
            return keras.Model(images, x, name="vgg19")
    return keras.Model(images, x, name="vgg19")


def make_vgg_feature_extractor(
    style_layers=DEFAULT_STYLE_LAYERS,
    content_layers=DEFAULT_CONTENT_LAYERS,
    weights="imagenet",
    input_shape=None,
    seed=0,
    download_timeout=20.0,
    verbose=True,
):
    """VGG19 feature extractor: images in [-1, 1] -> style/content features.

    VGG19 特征提取器：[-1, 1] 的图像 -> 风格/内容特征。

    Gatys et al. 2016 use VGG19 activations: Gram matrices of several layers
    for style, one deeper layer for content. The model is frozen and only runs
    up to the deepest requested layer.

        x = vgg19_preprocess(images)           # [-1, 1] RGB -> caffe BGR
        {"style": [vgg_l(x) for l in style_layers],
         "content": [vgg_l(x) for l in content_layers]}

    Weights: ``weights="imagenet"`` downloads the ImageNet weights (about
    80 MB, cached in ``~/.keras/models``). If that fails (offline), the
    extractor falls back to a **seeded random VGG19** (He-normal kernels, zero
    biases), prints a one-line notice, and records it in
    ``extractor.weights_source`` ("imagenet" or "random"). ``weights=None``
    forces random weights. Random filters still capture texture statistics
    (Ustyuzhaninov, Brendel, Gatys, Bethge 2016/ICLR 2017,
    https://arxiv.org/abs/1606.00021; He, Wang, Hopcroft 2016,
    https://arxiv.org/abs/1606.04801), so style transfer still works, with
    less semantic content features.

    Args:
        style_layers: VGG19 layer names for the style (Gram) features.
        content_layers: VGG19 layer names for the content features.
        weights: "imagenet" (with fallback), None (random), or a path to a
            VGG19 ``include_top=False`` weights file.
        input_shape: optional (height, width, 3); default any size.
        seed: int seed of the random weights.
        download_timeout: seconds of socket inactivity before the download
            attempt is abandoned (guards against a hanging network). It is
            the process's default socket timeout during the attempt only;
            the previous value is restored afterwards.
        verbose: print the fallback notice.

    Returns:
        A frozen functional ``keras.Model`` mapping (batch, H, W, 3) images in
        [-1, 1] to ``{"style": [tensors], "content": [tensors]}``, with
        attributes ``weights_source``, ``style_layers``, ``content_layers``.

    Raises:
        ValueError: unknown layer names (the message lists the valid ones),
            a bad ``input_shape``, or bad ``weights``.
    """
    style_layers = _check_layers(style_layers, "style_layers")
    content_layers = _check_layers(content_layers, "content_layers")
    if input_shape is not None:
        shape = tuple(input_shape)
        if len(shape) != 3 or shape[-1] != 3:
            raise ValueError(
                "`input_shape` must be (height, width, 3). "
                f"Received: input_shape={input_shape!r}"
            )
        input_shape = shape
    vgg_shape = input_shape or (None, None, 3)
    seed = int(seed)
    names = list(dict.fromkeys(style_layers + content_layers))
    deepest = max(names, key=VGG19_LAYERS.index)
    if weights is None:
        vgg, source = _random_vgg19(vgg_shape, seed, deepest), "random"
    elif weights == "imagenet":
        try:
            vgg = _load_imagenet_vgg19(vgg_shape, download_timeout)
            source = "imagenet"
        except Exception as error:  # noqa: BLE001 - any download failure.
            vgg, source = _random_vgg19(vgg_shape, seed, deepest), "random"
            if verbose:
                # 只保留错误的最后一段（如 DNS 失败）/ Keep the error's tail.
                reason = str(error).rsplit(" -- ", 1)[-1][:80]
                print(
                    f"VGG19 ImageNet weights unavailable ({reason}); using "
                    f"random VGG19 weights (seed={seed}) instead."
                )
    elif isinstance(weights, str):
        vgg = keras.applications.VGG19(
            include_top=False, weights=weights, input_shape=vgg_shape
        )
        source = weights
    else:
        raise ValueError(
            '`weights` must be "imagenet", None or a file path. '
            f"Received: weights={weights!r}"
        )
    vgg.trainable = False
    trunk = keras.Model(
        vgg.input,
        [vgg.get_layer(name).output for name in names],
        name="vgg19_trunk",
    )
    images = keras.Input(shape=vgg_shape, name="images")
    inputs = keras.layers.Lambda(vgg19_preprocess, name="vgg19_preprocess")(
        images
    )
    outputs = trunk(inputs)
    by_name = dict(zip(names, outputs))
    extractor = keras.Model(
        images,
        {
            "style": [by_name[name] for name in style_layers],
            "content": [by_name[name] for name in content_layers],
        },
        name="vgg19_features",
    )
    extractor.trainable = False
    extractor.weights_source = source
    extractor.style_layers = style_layers
    extractor.content_layers = content_layers
    return extractor

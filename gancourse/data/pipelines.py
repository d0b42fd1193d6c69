"""``tf.data`` input pipelines, and advancing their shuffling on resume.

``tf.data`` 输入管道，以及续训时让打乱顺序与不中断的训练一致。
"""

import functools

import numpy as np

from gancourse import runtime


def make_dataset(
    images,
    labels=None,
    batch_size=128,
    shuffle=True,
    seed=None,
    drop_remainder=True,
    cache=True,
):
    """Build a shuffled, batched, cached and prefetched ``tf.data.Dataset``.

    构建打乱、分批、缓存并预取的 ``tf.data.Dataset``。

    In fast mode (``runtime.BUDGET``) the data set is cut to a few batches, so a
    lesson's ``fit`` finishes in seconds under CI.

    Args:
        images: array (N, ...) of float32 images in [-1, 1].
        labels: optional array (N,) of labels; batches are then (images,
            labels) tuples.
        batch_size: positive int.
        shuffle: reshuffle every epoch.
        seed: shuffle seed (int) for a reproducible order.
        drop_remainder: drop the last incomplete batch (GAN steps like
            equal-size batches).
        cache: cache the elements in memory after the first epoch.

    Returns:
        tf.data.Dataset.
    """
    import tensorflow as tf

    batch_size = runtime.check_int("batch_size", batch_size, minimum=1)
    images = np.asarray(images)
    if images.ndim < 2:
        raise ValueError(
            "`images` must have a batch axis and at least one feature axis. "
            f"Received: images.shape={images.shape}"
        )
    if images.dtype.kind not in "biuf":
        raise ValueError(
            "`images` must hold numbers (float32 in [-1, 1]). Received: "
            f"images.dtype={images.dtype}"
        )
    if images.dtype.kind == "f" and not np.isfinite(images).all():
        raise ValueError(
            "`images` must be finite. Received: "
            f"{int((~np.isfinite(images)).sum())} NaN/Inf values"
        )
    if len(images) == 0:
        raise ValueError(
            "`images` must hold at least one image. Received: "
            f"images.shape={images.shape}"
        )
    if labels is not None and len(labels) != len(images):
        raise ValueError(
            "`labels` must have one entry per image. Received: "
            f"{len(images)} images and {len(labels)} labels."
        )
    if batch_size > len(images) and drop_remainder:
        raise ValueError(
            f"`batch_size` must be at most the number of images ({len(images)})"
            f" when drop_remainder=True. Received: batch_size={batch_size}"
        )
    elements = images if labels is None else (images, np.asarray(labels))
    dataset = tf.data.Dataset.from_tensor_slices(elements)
    if cache:
        dataset = dataset.cache()
    if shuffle:
        dataset = dataset.shuffle(
            min(len(images), 60_000), seed=seed, reshuffle_each_iteration=True
        )
    dataset = dataset.batch(batch_size, drop_remainder=drop_remainder)
    num_batches = -(-len(images) // batch_size)
    if drop_remainder:
        num_batches = len(images) // batch_size
    capped = runtime.BUDGET.steps(num_batches)
    if capped < num_batches:
        dataset = dataset.take(capped)
    return dataset.prefetch(tf.data.AUTOTUNE)


def skip_epochs(dataset, num_epochs, iterators_per_epoch=1):
    """Advance a reshuffling ``tf.data`` data set by ``num_epochs`` epochs.

    让每轮重新打乱的数据集跳过 ``num_epochs`` 轮的打乱顺序（用于续训）。

    A ``shuffle(seed=..., reshuffle_each_iteration=True)`` data set draws
    the order of its k-th iterator from its seed and k. Creating an iterator
    draws the next order, so this creates and drops ``num_epochs *
    iterators_per_epoch`` iterators (cheap: no element is read). Use 1 for a
    plain ``for batch in dataset`` loop and ``fit_iterators_per_epoch()``
    for ``fit`` (``TrainingCheckpoint.restore`` does that for you).

    Returns:
        the same ``dataset``.
    """
    import tensorflow as tf

    num_epochs = runtime.check_int("num_epochs", num_epochs, minimum=0)
    iterators_per_epoch = runtime.check_int(
        "iterators_per_epoch", iterators_per_epoch, minimum=1
    )
    if not isinstance(dataset, tf.data.Dataset):
        raise TypeError(
            f"`dataset` must be a tf.data.Dataset. Received: {type(dataset)}"
        )
    for _ in range(num_epochs * iterators_per_epoch):
        iter(dataset)
    return dataset


@functools.cache
def fit_iterators_per_epoch():
    """How many iterators ``keras.Model.fit`` creates per epoch (measured).

    测量 ``fit`` 每轮从 ``tf.data`` 数据集创建几个迭代器（续训时用）。

    Measured once per process with public API only: a three-epoch ``fit``
    of a model that records its last batch, on a small reshuffling data set
    of known length (like ``make_dataset``'s), compared with the orders of
    successive iterators of an identical data set. Nothing mirrors Keras
    internals, so a Keras release that changes the count stays exact. The
    probe runs in its own thread, so a caller inside a ``tf.distribute``
    strategy scope (scopes are per thread) does not distribute it.

    Returns:
        int >= 1.
    """
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_measure_fit_iterators).result()


def _measure_fit_iterators():
    import keras
    import tensorflow as tf

    def probe():
        return (
            tf.data.Dataset.range(16)
            .shuffle(16, seed=7, reshuffle_each_iteration=True)
            .batch(4, drop_remainder=True)
            .prefetch(tf.data.AUTOTUNE)
        )

    class LastBatch(keras.Model):
        def __init__(self):
            super().__init__()
            self.last = keras.Variable(
                np.zeros(4, "int64"), dtype="int64", trainable=False
            )

        def train_step(self, data):
            self.last.assign(data)
            return {"first": data[0]}

    class Record(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.seen = []

        def on_epoch_end(self, epoch, logs=None):
            self.seen.append(tuple(self.model.last.numpy()))

    model = LastBatch()
    model.compile(optimizer=None)
    record = Record()
    model.fit(probe(), epochs=3, callbacks=[record], shuffle=False, verbose=0)
    twin = probe()
    lasts = [tuple(list(iter(twin))[-1].numpy()) for _ in range(16)]
    positions = [lasts.index(seen) for seen in record.seen]
    steps = {b - a for a, b in zip(positions, positions[1:])}
    if positions[0] != 0 or len(steps) != 1 or min(steps) < 1:
        raise RuntimeError(
            "Could not measure how fit iterates a tf.data set: expected the "
            "epochs to use iterators 0, k, 2k. Received: iterators "
            f"{positions}"
        )
    return steps.pop()

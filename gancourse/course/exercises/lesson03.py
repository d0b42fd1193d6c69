"""Checkers of the graded exercises of lesson 03: conditional GAN.

第 03 课（条件生成对抗网络）分级练习的检查器。

Every checker runs the visible cases the lesson describes and then hidden
ones (other seeds, shapes, dtypes and edge cases: uint8 labels, (N, 1)
labels, an empty batch, an empty class, labels outside the classes). When a
wrong result is exactly what a known mistake gives, the FAIL line names the
mistake in words; no line ever prints the formula.
"""

import numpy as np

from gancourse.course.exercises.harness import diagnosed
from gancourse.course.exercises.harness import run_cases

__all__ = [
    "check_one_hot",
    "check_generator_input",
    "check_fake_label_stats",
]


def _describe(index, visible, text):
    if index < visible:
        return f"for {text}"
    return f"on hidden case {index - visible + 1} ({text})"


def _with_dtype(dtype, check):
    """Compare shapes first, then the dtype, then the values."""

    def checked(result):
        got = np.asarray(result)
        problem = check(result)
        if problem and problem.startswith("expected shape"):
            return problem
        if got.dtype != np.dtype(dtype):
            return f"expected dtype {dtype}, got {got.dtype}"
        return problem

    return checked


class _Raised:
    """What a call returns when the function raised (the error's type)."""

    def __init__(self, error):
        self.name = type(error).__name__


def _raises_value_error(note):
    def check(result):
        if isinstance(result, _Raised):
            if result.name == "ValueError":
                return None
            return f"raised {result.name}, not ValueError"
        return f"returned a result instead of raising ValueError ({note})"

    return check


def _one_hot_reference(labels, num_classes):
    return np.eye(num_classes, dtype="float32")[np.asarray(labels, "int64")]


def check_one_hot(fn):
    """Check ``one_hot(labels, num_classes)``: labels as one-hot rows.

    检查独热编码（第 03 课）。

    Spec: ``labels`` is an (N,) array of integers of any integer dtype
    (Fashion-MNIST stores uint8) or a Python list; N may be 0. Return a
    float32 array (N, num_classes) whose row i holds a single 1 at column
    labels[i]. A label outside [0, num_classes) raises ``ValueError``
    (indexing would silently wrap -1 to the last class).
    """
    rng = np.random.default_rng(30)
    settings = [  # labels, num_classes; two visible cases, then hidden.
        (np.array([0, 3, 9]), 10, "labels [0, 3, 9], 10 classes"),
        (np.array([2, 2, 0, 1]), 3, "labels [2, 2, 0, 1], 3 classes"),
        (
            rng.integers(0, 10, size=12).astype("uint8"),
            10,
            "12 uint8 labels, 10 classes",
        ),
        ([0, 0, 0], 1, "a Python list, 1 class"),
        (np.zeros(0, "int64"), 5, "an empty batch, 5 classes"),
        (np.arange(7, dtype="int32")[::-1], 7, "int32 labels 6..0, 7 classes"),
    ]
    cases = []
    for index, (labels, k, text) in enumerate(settings):
        expected = _one_hot_reference(labels, k)
        mistakes = []
        if len(labels):
            shifted = np.eye(k + 1, dtype="float32")[np.asarray(labels)][:, 1:]
            mistakes.append(("an index shifted by one", shifted))
        cases.append(
            (
                _describe(index, 2, text),
                lambda fn, labels=labels, k=k: fn(
                    labels.copy() if hasattr(labels, "copy") else labels, k
                ),
                _with_dtype(
                    "float32", diagnosed(expected, mistakes, rtol=0, atol=0)
                ),
            )
        )
    invalid = [
        (np.array([1, -1, 0], "int32"), 4, "label -1, 4 classes"),
        (np.array([0, 4]), 4, "label 4, 4 classes"),
    ]
    for labels, k, text in invalid:

        def call(fn, labels=labels, k=k):
            try:
                fn(labels.copy(), k)
            except Exception as error:  # noqa: BLE001 - judged by the check.
                return _Raised(error)
            return None

        cases.append(
            (
                _describe(len(cases), 2, text),
                call,
                _raises_value_error("a label outside the classes"),
            )
        )
    return run_cases(
        "one_hot",
        fn,
        cases,
        "each row holds a single 1.0 at its label's column and 0.0 "
        "elsewhere, as float32; check the labels first: a label below 0 "
        "or not below num_classes must raise ValueError, not wrap around "
        "or give an IndexError; see 'Models' in lesson 03.",
    )


def check_generator_input(fn):
    """Check ``generator_input(z, labels, embedding)``: the generator's input.

    检查生成器输入：噪声与标签嵌入的拼接（第 03 课）。

    Spec: ``z`` is a float array (N, D) (float32 or float64); ``labels``
    holds N integers, shape (N,) or (N, 1) (a Keras ``Input(shape=(1,))``
    gives the second), or a Python list; ``embedding`` is the table
    (num_classes, E). Return the (N, D + E) array whose row i is z[i]
    followed by the embedding row of labels[i], with the dtype of ``z``
    (the network's inputs are float32 even when a table is float64).
    """
    rng = np.random.default_rng(31)
    settings = [  # n, d, classes, e, z dtype, table dtype, label form.
        (4, 6, 10, 3, "float32", "float32", "int64"),
        (1, 6, 10, 3, "float32", "float32", "last"),
        (5, 8, 4, 2, "float32", "float32", "column"),
        (6, 4, 10, 5, "float32", "float64", "int64"),
        (16, 64, 10, 16, "float64", "float64", "uint8"),
        (3, 1, 7, 5, "float64", "float32", "list"),
    ]
    cases = []
    for index, (n, d, k, e, z_dtype, table_dtype, form) in enumerate(settings):
        z = rng.normal(size=(n, d)).astype(z_dtype)
        embedding = rng.normal(size=(k, e)).astype(table_dtype)
        flat = rng.integers(0, k, size=n)
        if form == "last":
            flat[:] = k - 1
        if form == "list":
            flat[:] = 2
        labels = {
            "column": flat.reshape(n, 1).astype("int32"),
            "uint8": flat.astype("uint8"),
            "list": flat.tolist(),
        }.get(form, flat)
        rows = embedding[flat].astype("float64")
        expected = np.concatenate([z.astype("float64"), rows], axis=-1)
        mistakes = [
            (
                "the embedding before the noise",
                np.concatenate([rows, z], axis=-1),
            ),
            (
                "an embedding row shifted by one",
                np.concatenate([z, embedding[flat - 1]], axis=-1),
            ),
            (
                "the one-hot label in place of its embedding row",
                np.concatenate([z, np.eye(k)[flat]], axis=-1),
            ),
        ]
        text = (
            f"z {z_dtype} {z.shape}, {table_dtype} table {embedding.shape}, "
            + {
                "column": "labels of shape (N, 1)",
                "uint8": "uint8 labels",
                "list": "labels as a list",
                "last": f"label {k - 1}",
            }.get(form, "int64 labels")
        )
        cases.append(
            (
                _describe(index, 2, text),
                lambda fn, z=z, y=labels, t=embedding: fn(
                    z.copy(),
                    y.copy() if hasattr(y, "copy") else y,
                    t.copy(),
                ),
                _with_dtype(
                    z_dtype,
                    diagnosed(expected, mistakes, rtol=1e-6, atol=1e-6),
                ),
            )
        )
    return run_cases(
        "generator_input",
        fn,
        cases,
        "look up one embedding row per label (labels of shape (N, 1) must "
        "be flattened first), put it after the noise on the last axis, and "
        "keep the dtype of z; see 'Models' in lesson 03.",
    )


def _label_stats(counts, batch_size, uniform_fraction, nonempty=False):
    counts = np.asarray(counts, "float64")
    classes = np.count_nonzero(counts) if nonempty else len(counts)
    uniform = np.where(counts > 0, 1.0, 0.0) if nonempty else 1.0
    share = uniform_fraction * uniform / classes
    return share + (1.0 - uniform_fraction) * counts / counts.sum()


def _pair(first, second):
    """A check of a pair of arrays (expected counts, probabilities)."""

    def check(result):
        if isinstance(result, (str, bytes, dict)) or not hasattr(
            result, "__len__"
        ):
            return (
                "expected a pair (expected fakes per class, probability of "
                f"no fake per class), got {type(result).__name__}"
            )
        if len(result) != 2:
            return f"expected a pair of arrays, got {len(result)} items"
        problem = first(result[0])
        if problem:
            return f"the expected numbers of fakes: {problem}"
        problem = second(result[1])
        if problem:
            return f"the probabilities of a batch without the class: {problem}"
        return None

    return check


FASHION_COUNTS = [6000, 6000, 120, 6000, 6000, 120, 6000, 6000, 120, 6000]


def check_fake_label_stats(fn):
    """Check ``fake_label_stats(class_counts, batch_size, uniform_fraction)``.

    检查每个批次中各类别生成样本的期望个数与“一个都没有”的概率（第 03 课）。

    Spec: ``class_counts`` (K,) holds the number of real training images
    of each class (ints, some may be 0; an array or a list). Each of the
    ``batch_size`` fake labels of a batch is drawn independently: with
    probability ``uniform_fraction`` uniformly over all K classes (empty
    classes included), otherwise from the data's label distribution, as
    reusing the real batch's labels does (for a large shuffled data set
    the labels of a batch are, to a very good approximation, independent
    draws). ``uniform_fraction = 0`` is the lesson's first training step,
    ``1`` its ``fake_labels="uniform"`` experiment. Return a pair of float
    arrays (K,): the expected number of fakes of each class in one batch,
    and the probability that a batch holds no fake of that class.
    """
    settings = [  # counts, batch size, uniform fraction, note.
        (FASHION_COUNTS, 128, 0.0, "the lesson's data, labels reused"),
        (FASHION_COUNTS, 128, 1.0, "the lesson's data, uniform labels"),
        (FASHION_COUNTS, 64, 0.5, "the lesson's data, half uniform"),
        (np.array([5, 0, 15], "int32"), 4, 0.0, "an empty class"),
        ([5, 0, 15], 4, 0.25, "an empty class, a quarter uniform"),
        (np.array([30]), 8, 0.3, "a single class"),
        (np.array([1, 2, 3, 4], "uint8"), 1, 0.75, "a batch of one"),
    ]
    cases = []
    for index, (counts, batch, fraction, note) in enumerate(settings):
        share = _label_stats(counts, batch, fraction)
        data = _label_stats(counts, batch, 0.0)
        reversed_share = _label_stats(counts, batch, 1.0 - fraction)
        nonempty = _label_stats(counts, batch, fraction, nonempty=True)
        classes = len(share)
        count_mistakes = [
            ("ignoring uniform_fraction", batch * data),
            ("the shares of one label, not of a whole batch", share),
            (
                "weighting the two rules the other way round",
                batch * reversed_share,
            ),
            (
                "spreading the uniform labels over the non-empty classes only",
                batch * nonempty,
            ),
            ("rounding down to whole images", np.floor(batch * share)),
        ]
        none_mistakes = [
            ("ignoring uniform_fraction", (1.0 - data) ** batch),
            ("a single label, not a whole batch", 1.0 - share),
            ("a linear approximation", 1.0 - batch * share),
            ("the Poisson approximation", np.exp(-batch * share)),
            ("one label too few", (1.0 - share) ** (batch - 1)),
            ("the probability that every label is the class", share**batch),
            (
                "mixing whole batches instead of single labels",
                fraction * (1.0 - 1.0 / classes) ** batch
                + (1.0 - fraction) * (1.0 - data) ** batch,
            ),
            (
                "weighting the two rules the other way round",
                (1.0 - reversed_share) ** batch,
            ),
            (
                "spreading the uniform labels over the non-empty classes only",
                (1.0 - nonempty) ** batch,
            ),
        ]
        text = (
            f"{len(share)} classes, batch {batch}, uniform_fraction "
            f"{fraction}, {note}"
        )
        cases.append(
            (
                _describe(index, 2, text),
                lambda fn, c=counts, b=batch, f=fraction: fn(
                    c.copy() if hasattr(c, "copy") else list(c), b, f
                ),
                _pair(
                    diagnosed(
                        batch * share, count_mistakes, rtol=1e-5, atol=1e-7
                    ),
                    diagnosed(
                        (1.0 - share) ** batch,
                        none_mistakes,
                        rtol=1e-5,
                        atol=1e-7,
                    ),
                ),
            )
        )
    return run_cases(
        "fake_label_stats",
        fn,
        cases,
        "first find the chance that one fake label is class k, a mix of the "
        "data's share and the uniform share weighted by uniform_fraction; "
        "the expected count grows with the batch size, and a batch lacks "
        "class k only when each of its independent labels misses it; see "
        "'Losses' in lesson 03.",
    )

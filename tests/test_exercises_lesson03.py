"""Lesson 03's graded exercises: the checkers, on right and wrong answers.

第 03 课分级练习的检查器：参考答案、其他正确写法与常见错误。

``SOLUTIONS`` are the reference solutions as the lesson's solution cells
hold them; ``CORRECT_ANSWERS`` are other correct ways to write them (each
must pass); ``WRONG_ANSWERS`` are plausible mistakes (each must fail, with
one ASCII line and a hint that never prints the formula).
"""

import re

import numpy as np

from gancourse.course.exercises import lesson03
from tests import exercise_tables
from tests.exercise_tables import check

CHECKERS = ["check_one_hot", "check_generator_input", "check_fake_label_stats"]
CASES = {  # Visible + hidden cases of each checker.
    "check_one_hot": 2 + 6,
    "check_generator_input": 2 + 4,
    "check_fake_label_stats": 2 + 5,
}


# The reference solutions, as the lesson's `solution` cells hold them.


def one_hot(labels, num_classes):
    """独热编码 / One-hot encoding."""
    labels = np.asarray(labels, dtype="int64")
    if np.any((labels < 0) | (labels >= num_classes)):
        raise ValueError(
            f"labels must lie in [0, {num_classes}). "
            f"Received: {labels.min()} .. {labels.max()}"
        )
    return np.eye(num_classes, dtype="float32")[labels]


def generator_input(z, labels, embedding):
    """噪声与标签嵌入的拼接 / Noise concatenated with the label embedding."""
    z = np.asarray(z)
    labels = np.asarray(labels).reshape(-1)  # (N, 1) -> (N,).
    label_vectors = np.asarray(embedding)[labels].astype(z.dtype)
    return np.concatenate([z, label_vectors], axis=-1)


def fake_label_stats(class_counts, batch_size, uniform_fraction):
    """每个类别的生成样本有多少 / How many fakes of each class a batch holds."""
    counts = np.asarray(class_counts, dtype="float64")
    data_share = counts / counts.sum()
    share = (
        uniform_fraction / len(counts) + (1.0 - uniform_fraction) * data_share
    )
    return batch_size * share, (1.0 - share) ** batch_size


SOLUTIONS = {
    "check_one_hot": one_hot,
    "check_generator_input": generator_input,
    "check_fake_label_stats": fake_label_stats,
}


# Other correct answers.


def _one_hot_scatter(labels, num_classes):
    labels = np.asarray(labels).astype(int)
    if labels.size and not (labels.min() >= 0 and labels.max() < num_classes):
        raise ValueError("label out of range")
    out = np.zeros((len(labels), num_classes), np.float32)
    out[np.arange(len(labels)), labels] = 1.0
    return out


def _one_hot_compare(labels, num_classes):
    labels = np.asarray(labels)
    if not np.all((0 <= labels) & (labels < num_classes)):
        raise ValueError("label out of range")
    return (labels[:, None] == np.arange(num_classes)).astype("float32")


def _one_hot_loop(labels, num_classes):
    out = np.zeros((len(labels), num_classes), dtype=np.float32)
    for row, label in enumerate(labels):
        if not 0 <= int(label) < num_classes:
            raise ValueError(f"label {label} is outside the classes")
        out[row, int(label)] = 1
    return out


def _input_through_one_hot(z, labels, embedding):
    flat = np.ravel(labels)
    rows = np.eye(len(embedding))[flat] @ np.asarray(embedding, "float64")
    return np.hstack([z, rows.astype(np.asarray(z).dtype)])


def _input_take(z, labels, embedding):
    rows = np.take(embedding, np.asarray(labels).ravel(), axis=0)
    return np.concatenate((z, rows), axis=1).astype(z.dtype)


def _input_preallocated(z, labels, embedding):
    n, d = z.shape
    out = np.empty((n, d + embedding.shape[1]), dtype=z.dtype)
    out[:, :d] = z
    out[:, d:] = embedding[np.ravel(labels)]  # Cast on assignment.
    return out


def _stats_log_space(class_counts, batch_size, uniform_fraction):
    counts = np.array(class_counts, dtype=float)
    k = counts.size
    expected = batch_size * (
        uniform_fraction / k + (1 - uniform_fraction) * counts / counts.sum()
    )
    none = np.exp(batch_size * np.log1p(-expected / batch_size))
    return expected, none


def _stats_float32(class_counts, batch_size, uniform_fraction):
    counts = np.asarray(class_counts).astype("float32")
    p = np.float32(uniform_fraction) / np.float32(len(counts))
    p = p + np.float32(1 - uniform_fraction) * counts / counts.sum()
    return [batch_size * p, np.power(1 - p, batch_size)]


def _stats_stacked(class_counts, batch_size, uniform_fraction):
    counts = np.asarray(class_counts, dtype="float64")
    uniform = np.full(counts.shape, batch_size / len(counts))
    data = batch_size * counts / counts.sum()
    expected = uniform_fraction * uniform + (1 - uniform_fraction) * data
    return np.stack([expected, (1 - expected / batch_size) ** batch_size])


CORRECT_ANSWERS = {
    "check_one_hot": [_one_hot_scatter, _one_hot_compare, _one_hot_loop],
    "check_generator_input": [
        _input_through_one_hot,
        _input_take,
        _input_preallocated,
    ],
    "check_fake_label_stats": [
        _stats_log_space,
        _stats_float32,
        _stats_stacked,
    ],
}


# Plausible wrong answers.


def _one_hot_without_checks(labels, num_classes):
    return np.eye(num_classes, dtype="float32")[np.asarray(labels)]


def _one_hot_upper_check_only(labels, num_classes):
    labels = np.asarray(labels)
    if np.any(labels >= num_classes):
        raise ValueError("label too large")
    return np.eye(num_classes, dtype="float32")[labels]


def _one_hot_clipped(labels, num_classes):
    labels = np.clip(np.asarray(labels), 0, num_classes - 1)
    return np.eye(num_classes, dtype="float32")[labels]


def _one_hot_index_error(labels, num_classes):
    labels = np.asarray(labels)
    if np.any(labels < 0):
        raise IndexError("negative label")
    return np.eye(num_classes, dtype="float32")[labels]


def _one_hot_zero_rows(labels, num_classes):
    labels = np.asarray(labels)
    return (labels[:, None] == np.arange(num_classes)).astype("float32")


def _one_hot_transposed(labels, num_classes):
    return one_hot(labels, num_classes).T


def _with_labelcheck(function):
    def checked(labels, num_classes):
        one_hot(labels, num_classes)  # Raises like the reference.
        return function(labels, num_classes)

    return checked


def _input_unflattened(z, labels, embedding):
    rows = np.asarray(embedding)[np.asarray(labels)]
    return np.concatenate([z, rows], axis=-1).astype(z.dtype)


def _input_promoted(z, labels, embedding):
    rows = np.asarray(embedding)[np.asarray(labels).reshape(-1)]
    return np.concatenate([z, rows], axis=-1)  # float64 if the table is.


def _input_with(rows_of):
    def generator_input_variant(z, labels, embedding):
        flat = np.asarray(labels).reshape(-1)
        rows = rows_of(np.asarray(embedding), flat).astype(z.dtype)
        return np.concatenate([z, rows], axis=-1)

    return generator_input_variant


def _stats_with(share_of, none_of=None):
    def stats(class_counts, batch_size, uniform_fraction):
        counts = np.asarray(class_counts, dtype="float64")
        share = share_of(counts, uniform_fraction)
        none = (
            (1 - share) ** batch_size
            if none_of is None
            else none_of(share, batch_size, counts, uniform_fraction)
        )
        return batch_size * share, none

    return stats


def _mixture(counts, fraction):
    return fraction / len(counts) + (1 - fraction) * counts / counts.sum()


def _stats_shares_only(class_counts, batch_size, uniform_fraction):
    counts = np.asarray(class_counts, dtype="float64")
    share = _mixture(counts, uniform_fraction)
    return share, (1 - share) ** batch_size


def _stats_integer_counts(class_counts, batch_size, uniform_fraction):
    expected, none = fake_label_stats(
        class_counts, batch_size, uniform_fraction
    )
    return np.floor(expected), none


def _stats_whole_batches(share, batch_size, counts, fraction):
    data = counts / counts.sum()
    uniform = 1 / len(counts)
    return (
        fraction * (1 - uniform) ** batch_size
        + (1 - fraction) * (1 - data) ** batch_size
    )


def _stats_nonempty_uniform(counts, fraction):
    present = (counts > 0).astype(float)
    return fraction * present / present.sum() + (1 - fraction) * (
        counts / counts.sum()
    )


WRONG_ANSWERS = {
    "check_one_hot": [
        _one_hot_without_checks,  # -1 wraps to the last class.
        lambda labels, k: np.eye(k)[np.asarray(labels)],  # float64 too.
        _with_labelcheck(lambda labels, k: np.eye(k)[np.asarray(labels)]),
        _one_hot_upper_check_only,
        _one_hot_clipped,
        _one_hot_index_error,
        _one_hot_zero_rows,  # No error for bad labels.
        _with_labelcheck(
            lambda labels, k: np.eye(k + 1, dtype="float32")[
                np.asarray(labels)
            ][:, 1:]
        ),
        _with_labelcheck(_one_hot_transposed),
        _with_labelcheck(
            lambda labels, k: np.asarray(labels)[:, None] * np.ones((1, k))
        ),
    ],
    "check_generator_input": [
        lambda z, y, e: np.concatenate(
            [np.asarray(e)[np.ravel(y)].astype(z.dtype), z], axis=-1
        ),  # The embedding first.
        _input_with(lambda table, flat: table[flat - 1]),
        _input_with(lambda table, flat: table[: len(flat)]),  # No lookup.
        _input_with(lambda table, flat: np.eye(len(table))[flat]),
        _input_unflattened,
        _input_promoted,
        lambda z, y, e: np.concatenate(
            [z, np.asarray(e)[np.ravel(y)].astype(z.dtype)], axis=0
        ),
    ],
    "check_fake_label_stats": [
        _stats_shares_only,
        _stats_with(lambda c, f: _mixture(c, 1 - f)),  # Weights reversed.
        _stats_with(_stats_nonempty_uniform),
        _stats_integer_counts,
        _stats_with(_mixture, lambda q, b, c, f: 1 - q),
        _stats_with(_mixture, lambda q, b, c, f: 1 - b * q),
        _stats_with(_mixture, lambda q, b, c, f: np.exp(-b * q)),
        _stats_with(_mixture, lambda q, b, c, f: (1 - q) ** (b - 1)),
        _stats_with(_mixture, lambda q, b, c, f: q**b),
        _stats_with(_mixture, _stats_whole_batches),
        lambda c, b, f: fake_label_stats(c, b, f)[::-1],  # Swapped.
        lambda c, b, f: fake_label_stats(c, b, f)[0],  # One array only.
        _stats_with(lambda c, f: c / c.sum()),  # Ignores the fraction.
    ],
}

# The mistake the FAIL line names, for a few wrong answers.
DIAGNOSES = [
    ("check_one_hot", 0, "instead of raising ValueError"),
    ("check_one_hot", 1, "expected dtype float32, got float64"),
    ("check_one_hot", 5, "raised IndexError, not ValueError"),
    ("check_one_hot", 7, "an index shifted by one"),
    ("check_generator_input", 0, "the embedding before the noise"),
    ("check_generator_input", 1, "an embedding row shifted by one"),
    ("check_generator_input", 3, "the one-hot label in place of"),
    ("check_generator_input", 5, "expected dtype float32, got float64"),
    ("check_fake_label_stats", 0, "the shares of one label"),
    ("check_fake_label_stats", 1, "the other way round"),
    ("check_fake_label_stats", 2, "over the non-empty classes only"),
    ("check_fake_label_stats", 3, "rounding down to whole images"),
    ("check_fake_label_stats", 4, "a single label, not a whole batch"),
    ("check_fake_label_stats", 5, "a linear approximation"),
    ("check_fake_label_stats", 6, "the Poisson approximation"),
    ("check_fake_label_stats", 7, "one label too few"),
    ("check_fake_label_stats", 9, "mixing whole batches"),
    ("check_fake_label_stats", 11, "expected a pair"),
    ("check_fake_label_stats", 12, "ignoring uniform_fraction"),
]

# Tokens of the answers that no FAIL line may print.
FORMULA = re.compile(r"np\.|\*\*|eye\(|concatenate\(|reshape\(|\(1 - |1 - q")


def _stub(class_counts, batch_size, uniform_fraction):
    raise NotImplementedError("Exercise: implement fake_label_stats")


def _mutating(z, labels, embedding):
    result = generator_input(z, labels, embedding)
    z[...] = 0.0
    embedding[...] = 0.0
    return result


exercise_tables.add_checker_tests(
    globals(),
    lesson03,
    forbidden=FORMULA,
    stub=("check_fake_label_stats", _stub),
    not_callable="check_one_hot",
    mutating={"check_generator_input": _mutating},
    deterministic=("check_one_hot", _one_hot_clipped),
    quotes_errors=True,
    check_hints=True,
)


def test_hidden_cases_are_labelled_and_reached():
    # Right on the visible cases only: each checker fails on a hidden case.
    def one_hot_visible_only(labels, num_classes):
        if num_classes not in (3, 10) or np.asarray(labels).dtype == np.uint8:
            return np.zeros((1, 1), "float32")
        return one_hot(labels, num_classes)

    def stats_visible_only(class_counts, batch_size, uniform_fraction):
        if batch_size != 128:
            return np.zeros(len(class_counts)), np.ones(len(class_counts))
        return fake_label_stats(class_counts, batch_size, uniform_fraction)

    passed, text = check("check_one_hot", one_hot_visible_only)
    assert passed is False and "on hidden case 1 (12 uint8" in text, text
    passed, text = check("check_fake_label_stats", stats_visible_only)
    assert passed is False and "on hidden case 1 (10 classes" in text, text

"""Lesson 01's graded exercises: the checkers, on right and wrong answers.

第 01 课分级练习的检查器：参考答案、其他正确写法与常见错误。

``SOLUTIONS`` are the reference solutions as the lesson's solution cells
hold them; ``CORRECT_ANSWERS`` are other correct ways to write them (each
must pass); ``WRONG_ANSWERS`` are plausible mistakes (each must fail, with
one ASCII line and a hint that never prints the formula).
"""

import math
import re
from pathlib import Path

import numpy as np
import scipy.spatial.distance
import scipy.special

from gancourse.course.exercises import lesson01
from tests import exercise_tables
from tests.exercise_tables import check

CHECKERS = [
    "check_minimax_d_loss",
    "check_d_star_and_js",
    "check_ring_mode_coverage",
]
CASES = {name: 7 for name in CHECKERS}  # 2 visible + 5 hidden each.
NOTEBOOK = Path(__file__).parent.parent / "lessons" / "01_gan_basics.ipynb"


# The reference solutions, as the lesson's `solution` cells hold them.


def minimax_d_loss(real_logits, fake_logits):
    """判别器的极小极大损失 / The minimax discriminator loss."""
    real_logits = np.asarray(real_logits, dtype="float64")
    fake_logits = np.asarray(fake_logits, dtype="float64")
    # -log(sigmoid(x)) = softplus(-x); -log(1 - sigmoid(x)) = softplus(x).
    real_term = np.mean(np.logaddexp(0.0, -real_logits))
    fake_term = np.mean(np.logaddexp(0.0, fake_logits))
    return real_term + fake_term


def d_star_and_js(p_data, p_g):
    """最优判别器与 JS 散度 / The optimal D and the JS divergence."""
    p_data = np.asarray(p_data, dtype="float64")
    p_g = np.asarray(p_g, dtype="float64")
    p_data, p_g = p_data / p_data.sum(), p_g / p_g.sum()
    total = p_data + p_g
    d_star = np.full(total.shape, 0.5)
    support = total > 0
    d_star[support] = p_data[support] / total[support]
    mixture = total / 2
    js = 0.0
    for p in (p_data, p_g):
        inside = p > 0
        js += 0.5 * np.sum(p[inside] * np.log(p[inside] / mixture[inside]))
    return d_star, float(js)


def ring_mode_coverage(
    samples, num_modes=8, radius=2.0, std=0.05, min_fraction=0.01
):
    """圆环上的模式覆盖 / Mode coverage on the ring."""
    samples = np.asarray(samples, dtype="float64")
    angles = 2.0 * np.pi * np.arange(num_modes) / num_modes
    centres = radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    distances = np.linalg.norm(samples[:, None, :] - centres[None], axis=-1)
    near = distances.min(axis=1) < 3.0 * std
    counts = np.bincount(distances.argmin(axis=1)[near], minlength=num_modes)
    shares = counts / len(samples)
    return int((shares >= min_fraction).sum()), float(shares.sum())


SOLUTIONS = {
    "check_minimax_d_loss": minimax_d_loss,
    "check_d_star_and_js": d_star_and_js,
    "check_ring_mode_coverage": ring_mode_coverage,
}


# Other correct answers.


def _minimax_float32(real_logits, fake_logits):
    real, fake = np.float32(real_logits), np.float32(fake_logits)
    return (
        np.logaddexp(np.float32(0), -real).mean()
        + np.logaddexp(np.float32(0), fake).mean()
    )


def _minimax_tf_formula(real_logits, fake_logits):
    # TensorFlow's stable form: max(x, 0) - x * z + log(1 + exp(-|x|)).
    def bce(x, z):
        x = np.asarray(x, "float64")
        return np.maximum(x, 0) - x * z + np.log1p(np.exp(-np.abs(x)))

    return bce(real_logits, 1.0).mean() + bce(fake_logits, 0.0).mean()


def _minimax_keras(real_logits, fake_logits):
    import keras

    def bce(logits, target):
        logits = np.asarray(logits, "float32")[:, None]
        return keras.losses.binary_crossentropy(
            np.full_like(logits, target), logits, from_logits=True
        )

    total = keras.ops.mean(bce(real_logits, 1.0)) + keras.ops.mean(
        bce(fake_logits, 0.0)
    )
    return float(total)


def _d_star_nan_then_fill(p_data, p_g):
    p, q = np.asarray(p_data, "float64"), np.asarray(p_g, "float64")
    p, q = p / p.sum(), q / q.sum()
    with np.errstate(invalid="ignore"):
        d_star = np.nan_to_num(p / (p + q), nan=0.5)
    m = (p + q) / 2
    js = 0.5 * scipy.special.rel_entr(p, m).sum()
    return d_star, js + 0.5 * scipy.special.rel_entr(q, m).sum()


def _d_star_through_v(p_data, p_g):
    # JS from V(D*, G) = -log 4 + 2 JS: the route the lesson suggests.
    p, q = np.asarray(p_data, "float64"), np.asarray(p_g, "float64")
    p, q = p / p.sum(), q / q.sum()
    total = p + q
    d_star = np.where(total > 0, p / np.where(total > 0, total, 1), 0.5)
    value = sum(a * math.log(d) for a, d in zip(p, d_star) if a > 0) + sum(
        b * math.log(1 - d) for b, d in zip(q, d_star) if b > 0
    )
    return d_star, (value + math.log(4)) / 2


def _d_star_scipy(p_data, p_g):
    p, q = np.asarray(p_data, "float64"), np.asarray(p_g, "float64")
    p, q = p / p.sum(), q / q.sum()
    d_star = np.divide(p, p + q, out=np.full_like(p, 0.5), where=p + q > 0)
    js = scipy.spatial.distance.jensenshannon(p, q) ** 2  # Natural log.
    return d_star, js


def _d_star_entropies(p_data, p_g):
    # JS = H(mixture) - (H(p_data) + H(p_g)) / 2, in float32.
    p, q = np.asarray(p_data, "float32"), np.asarray(p_g, "float32")
    p, q = p / p.sum(), q / q.sum()

    def entropy(x):
        return -np.sum(scipy.special.xlogy(x, x))

    d_star = np.where(p + q > 0, p / np.maximum(p + q, 1e-30), 0.5)
    return list(d_star), entropy((p + q) / 2) - (entropy(p) + entropy(q)) / 2


def _d_star_loop(p_data, p_g):
    p = [float(x) / float(sum(p_data)) for x in p_data]
    q = [float(x) / float(sum(p_g)) for x in p_g]
    d_star, js = [], 0.0
    for a, b in zip(p, q):
        d_star.append(a / (a + b) if a + b > 0 else 0.5)
        m = (a + b) / 2
        js += 0.5 * (a * math.log(a / m) if a else 0.0)
        js += 0.5 * (b * math.log(b / m) if b else 0.0)
    return np.array(d_star), js


def _ring_loop(samples, num_modes=8, radius=2.0, std=0.05, min_fraction=0.01):
    centres = [
        (
            radius * math.cos(2 * math.pi * k / num_modes),
            radius * math.sin(2 * math.pi * k / num_modes),
        )
        for k in range(num_modes)
    ]
    counts = [0] * num_modes
    for x, y in np.asarray(samples, "float64"):
        distances = [math.hypot(x - cx, y - cy) for cx, cy in centres]
        nearest = int(np.argmin(distances))
        if distances[nearest] < 3 * std:
            counts[nearest] += 1
    n = len(samples)
    covered = sum(count / n >= min_fraction for count in counts)
    return covered, sum(counts) / n


def _ring_squared(
    samples, num_modes=8, radius=2.0, std=0.05, min_fraction=0.01
):
    angles = np.linspace(0, 2 * np.pi, num_modes, endpoint=False)
    centres = radius * np.c_[np.cos(angles), np.sin(angles)]
    d2 = scipy.spatial.distance.cdist(samples, centres, "sqeuclidean")
    near = d2.min(1) < (3 * std) ** 2
    counts = np.bincount(d2.argmin(1)[near], minlength=num_modes)
    return np.int64((counts >= min_fraction * len(samples)).sum()), near.mean()


CORRECT_ANSWERS = {
    "check_minimax_d_loss": [
        _minimax_float32,
        _minimax_tf_formula,
        _minimax_keras,
    ],
    "check_d_star_and_js": [
        _d_star_nan_then_fill,
        _d_star_through_v,
        _d_star_scipy,
        _d_star_entropies,
        _d_star_loop,
    ],
    "check_ring_mode_coverage": [_ring_loop, _ring_squared],
}


# Plausible wrong answers.


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-np.asarray(x, "float64")))


def _softplus(x):
    return np.logaddexp(0.0, np.asarray(x, "float64"))


def _minimax_unstable(real_logits, fake_logits):
    return -np.mean(np.log(_sigmoid(real_logits))) - np.mean(
        np.log(1 - _sigmoid(fake_logits))
    )


def _minimax_one_mean(real_logits, fake_logits):
    terms = np.concatenate([_softplus(-real_logits), _softplus(fake_logits)])
    return terms.mean()


def _d_star_with(
    normalise=True,
    swap=False,
    outside=0.5,
    divergence="js",
    base=math.e,
    scale=0.5,
    half_mixture=True,
):
    def d_star_and_js(p_data, p_g):
        p, q = np.asarray(p_data, "float64"), np.asarray(p_g, "float64")
        if normalise:
            p, q = p / p.sum(), q / q.sum()
        top = q if swap else p
        with np.errstate(all="ignore"):
            d_star = np.where(p + q > 0, top / (p + q), outside)
            m = (p + q) / 2 if half_mixture else p + q
            kl = scipy.special.rel_entr
            if divergence == "kl":
                js = kl(p, q).sum()
            elif divergence == "naive":  # 0 log 0 = nan.
                js = scale * np.sum(p * np.log(p / m) + q * np.log(q / m))
            else:
                js = scale * (kl(p, m).sum() + kl(q, m).sum())
        return d_star, js / math.log(base)

    return d_star_and_js


def _d_star_returns_v(p_data, p_g):
    d_star, js = d_star_and_js(p_data, p_g)
    return d_star, 2 * js - math.log(4)


def _d_star_swapped_outputs(p_data, p_g):
    d_star, js = d_star_and_js(p_data, p_g)
    return js, d_star


def _ring_with(width=3.0, of_all=True, every=False, strict=False, shift=0.0):
    def ring(samples, num_modes=8, radius=2.0, std=0.05, min_fraction=0.01):
        samples = np.asarray(samples, "float64")
        angles = 2 * np.pi * (np.arange(num_modes) + shift) / num_modes
        centres = radius * np.stack([np.cos(angles), np.sin(angles)], 1)
        d = np.linalg.norm(samples[:, None] - centres[None], axis=-1)
        near = d.min(1) < width * std
        if every:
            counts = (d < width * std).sum(0)
        else:
            counts = np.bincount(d.argmin(1)[near], minlength=num_modes)
        shares = counts / (len(samples) if of_all else max(near.sum(), 1))
        covered = shares > min_fraction if strict else shares >= min_fraction
        return int(covered.sum()), float(near.mean())

    return ring


def _ring_ignores_min_fraction(
    samples, num_modes=8, radius=2.0, std=0.05, min_fraction=0.01
):
    return ring_mode_coverage(samples, num_modes, radius, std, 1e-12)


def _ring_ignores_arguments(
    samples, num_modes=8, radius=2.0, std=0.05, min_fraction=0.01
):
    return ring_mode_coverage(samples)  # The defaults, whatever was passed.


WRONG_ANSWERS = {
    "check_minimax_d_loss": [
        lambda r, f: -minimax_d_loss(r, f),  # Sign flipped.
        lambda r, f: _softplus(r).mean() + _softplus(-f).mean(),  # Swapped.
        _minimax_one_mean,
        lambda r, f: _softplus(-r).sum() + _softplus(f).sum(),
        lambda r, f: minimax_d_loss(r, f) / math.log(2),  # log2.
        lambda r, f: _softplus(-r).mean(),  # No fake term.
        _minimax_unstable,  # inf at +-1000.
    ],
    "check_d_star_and_js": [
        _d_star_with(swap=True),
        _d_star_with(divergence="kl"),
        _d_star_with(base=2),  # Bits.
        _d_star_with(scale=1.0),  # Missing 1/2.
        _d_star_with(half_mixture=False),
        _d_star_with(divergence="naive"),  # 0 log 0 gives nan.
        _d_star_with(normalise=False),
        _d_star_with(outside=np.nan),
        _d_star_with(outside=0.0),
        _d_star_returns_v,
        _d_star_swapped_outputs,
    ],
    "check_ring_mode_coverage": [
        _ring_ignores_min_fraction,
        _ring_with(of_all=False),
        _ring_with(every=True),
        _ring_with(strict=True),
        _ring_with(width=1.0),
        _ring_with(shift=0.5),  # Centres half a step round the ring.
        _ring_ignores_arguments,
    ],
}

# The mistake the FAIL line names, for a few wrong answers.
DIAGNOSES = [
    ("check_minimax_d_loss", 0, "flipping the sign"),
    ("check_minimax_d_loss", 1, "swapping the real and the fake targets"),
    ("check_minimax_d_loss", 2, "one mean over both batches together"),
    ("check_minimax_d_loss", 3, "summing in place of averaging"),
    ("check_minimax_d_loss", 4, "log base 2"),
    ("check_minimax_d_loss", 5, "leaving out the fake term"),
    ("check_minimax_d_loss", 6, "got inf or nan"),
    ("check_d_star_and_js", 0, "p_g on top"),
    ("check_d_star_and_js", 1, "KL(p_data || p_g) in place of JS"),
    ("check_d_star_and_js", 2, "log base 2 (bits)"),
    ("check_d_star_and_js", 3, "adding the two KL terms"),
    ("check_d_star_and_js", 4, "a mixture that is not halved"),
    ("check_d_star_and_js", 5, "js is nan"),
    ("check_d_star_and_js", 6, "not normalising the inputs"),
    ("check_d_star_and_js", 7, "nan where both probabilities are 0"),
    ("check_d_star_and_js", 8, "0 where both probabilities are 0"),
    ("check_d_star_and_js", 9, "V(D*, G) in place of JS"),
    ("check_d_star_and_js", 10, "d_star: expected shape (4,), got shape ()"),
    ("check_ring_mode_coverage", 0, "ignoring min_fraction"),
    (
        "check_ring_mode_coverage",
        1,
        "shares among the high-quality samples only",
    ),
    ("check_ring_mode_coverage", 2, "every centre within reach"),
    ("check_ring_mode_coverage", 3, "a strict comparison"),
    ("check_ring_mode_coverage", 4, "1 std in place of 3 std"),
]


FORBIDDEN = re.compile(
    r"np\.|\*\*|log\(|sigmoid\(|softplus\(|mean\(|p_data \+ p_g|"
    r"p_data / |/ 2|0\.5 \*"
)


def _stub(p_data, p_g):
    raise NotImplementedError("Exercise: implement d_star_and_js")


def _mutating(p_data, p_g):
    result = d_star_and_js(p_data, p_g)
    p_data[...] = 0
    p_g[...] = 0
    return result


exercise_tables.add_checker_tests(
    globals(),
    lesson01,
    forbidden=FORBIDDEN,
    stub=("check_d_star_and_js", _stub),
    not_callable="check_d_star_and_js",
    mutating={"check_d_star_and_js": _mutating},
    deterministic=("check_d_star_and_js", _d_star_with(base=2)),
    absent="check_non_saturating_g_loss",
)


def test_notebook_solutions_are_the_reference_solutions():
    cells = exercise_tables.solution_cells(NOTEBOOK)
    assert len(cells) == 3
    for checker, source in zip(CHECKERS, cells):
        namespace = {"np": np}
        exec(source, namespace)  # noqa: S102 - the lesson's own cells.
        name = checker[len("check_") :]
        passed, text = check(checker, namespace[name])
        assert passed is True, text
        assert text.endswith(f"on {CASES[checker]} cases.\n"), text


def test_hidden_cases_are_labelled_and_reached():
    # A right answer on the visible cases only fails on a hidden case.
    def visible_only(p_data, p_g):
        if np.asarray(p_data).dtype == np.float32:
            return np.zeros(len(p_data)), 0.0
        return d_star_and_js(p_data, p_g)

    passed, text = check("check_d_star_and_js", visible_only)
    assert passed is False, text
    assert "on hidden case 1 (float32, p_g equal to p_data" in text, text

    def hard_coded(real_logits, fake_logits):
        if len(real_logits) in (2, 8):  # The two visible cases.
            return minimax_d_loss(real_logits, fake_logits)
        return 0.0

    passed, text = check("check_minimax_d_loss", hard_coded)
    assert passed is False and "on hidden case 1 (zero logits)" in text, text

"""Checkers of the graded exercises of lesson 01: GAN basics.

第 01 课（生成对抗网络基础）分级练习的检查器。

Every checker runs the visible cases the lesson describes and then hidden
ones (other sizes, dtypes and edge cases). When a wrong result is exactly
what a known mistake gives, the FAIL line names the mistake in words; no
line ever prints the formula.
"""

import math

import numpy as np

from gancourse.course.exercises.harness import close_to
from gancourse.course.exercises.harness import f32
from gancourse.course.exercises.harness import format_number
from gancourse.course.exercises.harness import run_cases
from gancourse.course.exercises.harness import softplus

__all__ = [
    "check_minimax_d_loss",
    "check_d_star_and_js",
    "check_ring_mode_coverage",
]

LN2 = math.log(2.0)


def _f64(x):
    return np.asarray(x, dtype="float64")


def _named(problem, labels):
    """The problem, plus the known mistakes that give the same result."""
    labels = list(dict.fromkeys(labels))
    if not labels:
        return problem
    return f"{problem}; this is what {' or '.join(labels)} gives"


def _diagnosed(expected, mistakes, rtol, atol):
    """``close_to`` that names the known mistakes the result matches."""
    check = close_to(expected, rtol=rtol, atol=atol)

    def diagnose(result):
        problem = check(result)
        if not problem:
            return None
        same = [(x, close_to(y, rtol=rtol, atol=atol)) for x, y in mistakes]
        return _named(problem, [x for x, y in same if y(result) is None])

    return diagnose


def _describe(index, text):
    """Two visible cases per checker, then hidden ones."""
    return text if index < 2 else f"on hidden case {index - 1} ({text})"


def check_minimax_d_loss(fn):
    """Check ``minimax_d_loss(real_logits, fake_logits)`` (lesson 01).

    检查判别器的极小极大损失（由 logit 计算，第 01 课）。

    Spec: ``real_logits`` and ``fake_logits`` are 1-D float arrays (float32
    or float64, possibly of different lengths) of D's logits on real and on
    generated samples. Return the scalar

        mean(-log sigmoid(real_logits)) + mean(-log(1 - sigmoid(fake_logits)))

    (one mean per batch, natural log), computed stably from the logits:
    logits of +-1000 still give a finite value.
    """
    rng = np.random.default_rng(0)
    normal = rng.normal
    settings = [  # description, real, fake.
        ("on random logits", f32(normal(size=8)), f32(normal(size=6) - 1)),
        ("on logits of +-1000", f32([-1e3, 1e3]), f32([1e3, -1e3])),
        ("zero logits", f32(np.zeros(4)), f32(np.zeros(4))),
        ("confident correct logits", f32([5.0, 8.0]), f32([-6.0, -9.0])),
        ("float64, 16 real and 3 fake", normal(0, 4, 16), normal(0, 4, 3)),
        ("float64 logits up to +-800", _f64([-800, 40, 0.5]), _f64([700, -50])),
        ("float32, 5 and 5 logits", f32(normal(1, 1, 5)), f32(normal(0, 1, 5))),
    ]
    cases = []
    for index, (text, real, fake) in enumerate(settings):
        sr, sf = softplus(-real), softplus(fake)  # Per-sample terms.
        expected = sr.mean() + sf.mean()
        swapped = softplus(real).mean() + softplus(-fake).mean()
        mistakes = [
            ("flipping the sign of the loss", -expected),
            ("swapping the real and the fake targets", swapped),
            ("one mean over both batches together", np.r_[sr, sf].mean()),
            ("summing in place of averaging", sr.sum() + sf.sum()),
            ("log base 2 in place of the natural log", expected / LN2),
            ("leaving out the fake term", sr.mean()),
        ]
        cases.append(
            (
                _describe(index, text),
                lambda fn, r=real, f=fake: fn(r.copy(), f.copy()),
                _diagnosed(expected, mistakes, rtol=1e-4, atol=1e-5),
            )
        )
    return run_cases(
        "minimax_d_loss",
        fn,
        cases,
        "the loss is the mean binary cross-entropy of the real batch (target "
        "1) plus that of the fake batch (target 0), natural log; write each "
        "log-sigmoid term as a softplus (logaddexp) so that huge logits stay "
        "finite; see 'Losses (teaching version)' in lesson 01.",
    )


def _d_star(p_data, p_g):
    total = p_data + p_g
    return np.where(total > 0, p_data / np.where(total > 0, total, 1.0), 0.5)


def _kl(p, q):
    """KL(p || q) in nats, 0 log 0 = 0; inf where q = 0 < p."""
    p, q = _f64(p), _f64(q)
    inside = p > 0
    if np.any(q[inside] <= 0):
        return math.inf
    return float(np.sum(p[inside] * np.log(p[inside] / q[inside])))


def _js(p_data, p_g):
    mixture = 0.5 * (p_data + p_g)
    return 0.5 * _kl(p_data, mixture) + 0.5 * _kl(p_g, mixture)


def _d_star_and_js_check(raw_data, raw_g):
    """The check of one case: D* first, then JS, naming known mistakes."""
    raw_data, raw_g = _f64(raw_data), _f64(raw_g)
    p_data, p_g = raw_data / raw_data.sum(), raw_g / raw_g.sum()
    d_star, js, mixture = _d_star(p_data, p_g), _js(p_data, p_g), p_data + p_g
    outside = mixture == 0
    raw = "not normalising the inputs to probabilities first"
    check_d = _diagnosed(
        d_star,
        [
            (
                "p_g on top (D* is the chance that x is real)",
                _d_star(p_g, p_data),
            ),
            (raw, _d_star(raw_data, raw_g)),
            ("0 where both probabilities are 0", np.where(outside, 0, d_star)),
            ("1 where both probabilities are 0", np.where(outside, 1, d_star)),
        ],
        rtol=1e-5,
        atol=1e-6,
    )
    mistakes = [
        ("log base 2 (bits) in place of the natural log (nats)", js / LN2),
        ("adding the two KL terms in place of averaging them", 2.0 * js),
        ("a mixture that is not halved", js - LN2),
        ("V(D*, G) in place of JS", 2.0 * js - 2.0 * LN2),
        ("KL(p_data || p_g) in place of JS", _kl(p_data, p_g)),
        ("KL(p_g || p_data) in place of JS", _kl(p_g, p_data)),
        ("only one of the two KL terms", _kl(p_data, mixture / 2)),
        ("only one of the two KL terms", _kl(p_data, mixture / 2) / 2),
    ]
    if not np.allclose(raw_data, p_data) or not np.allclose(raw_g, p_g):
        mistakes.insert(0, (raw, _js(raw_data, raw_g)))
    check_js = _diagnosed(js, mistakes, rtol=1e-4, atol=1e-5)

    def check(result):
        if not isinstance(result, (tuple, list)) or len(result) != 2:
            return "expected a pair (d_star, js)"
        got_d, got_js = _f64(result[0]), _f64(result[1])
        if got_d.shape == d_star.shape and np.isnan(got_d[outside]).any():
            if np.allclose(got_d[~outside], d_star[~outside], 1e-5, 1e-6):
                return (
                    "d_star is nan where both probabilities are 0; the spec "
                    "asks for 0.5 there"
                )
        problem = check_d(got_d)
        if problem:
            return f"d_star: {problem}"
        if np.isnan(got_js).any():
            return "js is nan; a zero probability must add nothing to a KL term"
        problem = check_js(got_js)
        return f"js: {problem}" if problem else None

    return check


def check_d_star_and_js(fn):
    """Check ``d_star_and_js(p_data, p_g)``: D* and JS on K points.

    检查离散分布上的最优判别器与 JS 散度（第 01 课）。

    Spec: ``p_data`` and ``p_g`` are 1-D arrays of K >= 1 non-negative
    numbers (float32, float64 or integer), each with a positive sum: two
    distributions over the same K points, given as probabilities or as
    counts (a histogram). First normalise each to sum to 1. Return a pair
    ``(d_star, js)``:

    - ``d_star``: float array (K,), the optimal discriminator's probability
      ``p_data / (p_data + p_g)`` at each point, and 0.5 at points where both
      probabilities are 0 (outside both supports D* is not determined: those
      points carry no probability, so every value gives the same V);
    - ``js``: the float ``JS(p_data || p_g)`` in nats (natural log),
      ``0.5 * KL(p_data || m) + 0.5 * KL(p_g || m)`` with
      ``m = (p_data + p_g) / 2`` and ``0 log 0 = 0``; it lies in
      [0, log 2], and ``V(D*, G) = -log 4 + 2 * JS``.
    """
    rng = np.random.default_rng(1)
    same = rng.dirichlet(np.ones(10)).astype("float32")
    data_counts, fake_counts = rng.integers(1, 30, 12), rng.integers(0, 10, 12)
    data_counts[[2, 7]], fake_counts[[2, 9]] = 0, 0
    sparse = rng.dirichlet(np.full(40, 0.3)) * (rng.random(40) < 0.6)
    other = rng.dirichlet(np.full(40, 0.5)) * (rng.random(40) < 0.6)
    sparse[:2], other[:3] = [1e-12, 0.0], [0.0, 0.0, 0.2]
    sparse = sparse / sparse.sum()
    quarter, disjoint = np.full(4, 0.25), f32([0.5, 0.5, 0, 0])
    settings = [  # description, p_data, p_g.
        (
            "for p_data = [0.1, 0.4, 0.4, 0.1], p_g uniform on 4 points",
            _f64([0.1, 0.4, 0.4, 0.1]),
            quarter,
        ),
        (
            "with zeros: p_data = [0.5, 0.5, 0, 0, 0], "
            "p_g = [0, 0.25, 0.25, 0.5, 0]",
            _f64([0.5, 0.5, 0.0, 0.0, 0.0]),
            _f64([0.0, 0.25, 0.25, 0.5, 0.0]),
        ),
        ("float32, p_g equal to p_data on 10 points", same, same.copy()),
        ("float32, disjoint supports", disjoint, f32([0, 0, 0.3, 0.7])),
        ("integer counts, different totals", data_counts, fake_counts),
        ("one point, counts 3 and 7", np.array([3]), np.array([7])),
        ("40 points, tiny and zero values", sparse, other / other.sum()),
    ]
    cases = [
        (
            _describe(index, text),
            lambda fn, p=raw_data, q=raw_g: fn(p.copy(), q.copy()),
            _d_star_and_js_check(raw_data, raw_g),
        )
        for index, (text, raw_data, raw_g) in enumerate(settings)
    ]
    return run_cases(
        "d_star_and_js",
        fn,
        cases,
        "normalise both inputs first; D* at a point is the share of the data "
        "distribution in the total probability there (0.5 where both are "
        "0); JS averages the KL divergences of the two distributions to "
        "their half-way mixture, in nats, and a zero probability adds "
        "nothing; see 'The minimax game' in lesson 01.",
    )


def _ring_centres(num_modes, radius):
    angles = 2.0 * np.pi * np.arange(num_modes) / num_modes
    return radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)


def _ring_reference(
    samples, num_modes, radius, std, min_fraction, mistake=None
):
    """The reference, or with ``mistake`` one of the known mistakes."""
    reach = (1.0 if mistake == "width" else 3.0) * std
    centres = _ring_centres(num_modes, radius)
    distances = np.linalg.norm(_f64(samples)[:, None] - centres, axis=-1)
    close = distances.min(axis=1) < reach
    nearest = distances.argmin(axis=1)[close]
    counts = np.bincount(nearest, minlength=num_modes)
    if mistake == "every":  # Counted for every centre within reach.
        counts = (distances < reach).sum(axis=0)
    total = max(close.sum(), 1) if mistake == "of_close" else len(close)
    shares = counts / total
    if mistake == "strict":
        return int((shares > min_fraction).sum()), float(close.mean())
    return int((shares >= min_fraction).sum()), float(close.mean())


def _ring_check(samples, args):
    expected = _ring_reference(samples, *args)
    mistakes = [
        ("ignoring min_fraction", _ring_reference(samples, *args[:3], 1e-12)),
    ] + [
        (label, _ring_reference(samples, *args, mistake=mistake))
        for label, mistake in [
            ("counting shares among the high-quality samples only", "of_close"),
            ("counting a sample for every centre within reach", "every"),
            ("a strict comparison with min_fraction", "strict"),
            ("1 std in place of 3 std", "width"),
        ]
    ]

    def compare(result, target):
        covered, fraction = result
        if int(covered) != target[0] or float(covered) != int(covered):
            return f"expected modes_covered = {target[0]}, got {covered}"
        if not math.isclose(float(fraction), target[1], abs_tol=1e-9):
            return (
                f"expected a high-quality fraction of "
                f"{format_number(target[1])}, "
                f"got {format_number(float(fraction))}"
            )
        return None

    def check(result):
        if not isinstance(result, (tuple, list)) or len(result) != 2:
            return "expected a pair (modes_covered, high_quality_fraction)"
        problem = compare(result, expected)
        if not problem:
            return None
        same = [
            x for x, y in mistakes if y != expected and not compare(result, y)
        ]
        return _named(problem, same)

    return check


def check_ring_mode_coverage(fn):
    """Check ``ring_mode_coverage(samples, ...)`` (lesson 01).

    检查圆环模式覆盖率的计算（第 01 课）。

    Spec: ``ring_mode_coverage(samples, num_modes=8, radius=2.0, std=0.05,
    min_fraction=0.01)`` with ``samples`` a float array (N, 2) (float32 or
    float64). Centre k is at angle 2*pi*k/num_modes on the circle of radius
    ``radius``. A sample is high quality when its nearest centre is closer
    than 3*std; it then counts for that nearest centre only. A mode is
    covered when the high-quality samples counted for it are at least
    ``min_fraction`` of all N samples. Return the pair
    ``(modes_covered, high_quality_fraction)``, an int and a float.
    """
    rng = np.random.default_rng(2)
    centres, close_modes = _ring_centres(8, 2.0), _ring_centres(6, 0.3)
    one_mode = centres[3] + 0.01 * rng.normal(size=(50, 2))
    spread = centres[rng.integers(0, 8, 400)] + 0.05 * rng.normal(size=(400, 2))
    rare = np.concatenate(
        [
            centres[np.repeat(np.arange(5), 40)],
            centres[[5, 5, 5]] + 0.001,  # 3/303 < 0.01 of all samples.
            rng.uniform(-0.5, 0.5, size=(100, 2)),  # Far from every mode.
        ]
    )
    small_ring = _ring_centres(4, 1.0)[[0, 1, 1, 2]] + 0.02
    overlapping = np.concatenate(  # Some samples within reach of two centres.
        [
            close_modes[rng.integers(0, 3, 30)] + rng.normal(0, 0.02, (30, 2)),
            np.repeat([0.6 * close_modes[0] + 0.4 * close_modes[1]], 10, 0),
            rng.uniform(2.0, 3.0, size=(5, 2)),
        ]
    )
    exact_share = np.concatenate(  # Modes 2 and 5: exactly 1% each.
        [centres[[0] * 97] + 0.01 * rng.normal(size=(97, 2)), centres[[2, 5]]]
        + [[[0.0, 0.0]]]
    ).astype("float32")
    defaults = (8, 2.0, 0.05, 0.01)
    settings = [  # description, samples, arguments (None: the defaults).
        ("with all samples on one mode", one_mode, defaults),
        ("with samples spread over the ring", spread, defaults),
        ("a rare mode and off-ring samples", rare, defaults),
        ("4 modes, radius 1, std 0.1, min 0.3", small_ring, (4, 1, 0.1, 0.3)),
        ("6 modes on radius 0.3, std 0.1", overlapping, (6, 0.3, 0.1, 0.05)),
        ("float32, two modes with exactly 1% each", exact_share, defaults),
        ("the default arguments", spread[:200].astype("float32"), None),
    ]
    cases = []
    for index, (text, samples, args) in enumerate(settings):

        def call(fn, s=samples, a=args):
            if a is None:
                return fn(s.copy())
            keys = ("num_modes", "radius", "std", "min_fraction")
            return fn(s.copy(), **dict(zip(keys, a)))

        check = _ring_check(samples, args or defaults)
        cases.append((_describe(index, text), call, check))
    return run_cases(
        "ring_mode_coverage",
        fn,
        cases,
        "distances to all centres by broadcasting; a high-quality sample "
        "counts for its nearest centre only; a mode's share is out of all "
        "samples and covers it when at least min_fraction; see 'Mode "
        "collapse' in lesson 01.",
    )

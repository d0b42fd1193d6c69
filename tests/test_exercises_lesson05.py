"""Lesson 05's graded exercises: the checkers, on right and wrong answers.

第 05 课分级练习的检查器：参考答案、其他正确写法与常见错误。

``SOLUTIONS`` are the reference solutions as the lesson's solution cells
hold them; ``CORRECT_ANSWERS`` are other correct ways to write them (each
must pass); ``WRONG_ANSWERS`` are plausible mistakes (each must fail, with
one ASCII line and a hint that never prints the formula).
"""

import re

import numpy as np
import scipy.linalg
import scipy.special
import scipy.stats

from gancourse import metrics
from gancourse.course.exercises import lesson05
from tests import exercise_tables
from tests.exercise_tables import check

CHECKERS = ["check_inception_score", "check_match_moments", "check_kid"]
CASES = {  # Visible + hidden.
    "check_inception_score": 4 + 4,
    "check_match_moments": 2 + 4,
    "check_kid": 3 + 4,
}


# The reference solutions, copied from the lesson's `solution` cells
# (tests/test_assign.py runs the cells themselves against the checkers).


def inception_score(probabilities, num_splits=1):
    """由类别概率计算 Inception Score / The Inception Score.

    probabilities: (N, K) array, rows sum to 1; num_splits: number of groups
    of rows. Returns a float, the mean of the groups' scores.
    """
    p = np.asarray(probabilities, dtype="float64")
    epsilon = 1e-12  # 0 * log 0 = 0
    scores = []
    for part in np.array_split(p, num_splits):
        marginal = part.mean(
            axis=0, keepdims=True
        )  # 每组自己的 p(y) / per group
        log_ratio = np.log(part + epsilon) - np.log(marginal + epsilon)
        kl = np.sum(part * log_ratio, axis=1)
        scores.append(np.exp(kl.mean()))
    return float(np.mean(scores))


def _sqrtm_psd(covariance, inverse=False):
    values, vectors = np.linalg.eigh(covariance)
    values = np.clip(values, 0.0, None)
    roots = 1.0 / np.sqrt(values) if inverse else np.sqrt(values)
    return (vectors * roots) @ vectors.T


def match_moments(generated_features, real_features):
    """换上真实特征的均值与协方差 / Match the real mean and covariance.

    generated_features: (N_g, D); real_features: (N_r, D). Returns an (N_g, D)
    affine map of generated_features with the mean and covariance of
    real_features.
    """
    g = np.asarray(generated_features, dtype="float64")
    r = np.asarray(real_features, dtype="float64")

    def sqrtm_psd(covariance, inverse=False):
        # 对称半正定矩阵的平方根（或其逆），特征值截断到不小于 0
        # Symmetric PSD square root (or its inverse), eigenvalues clipped at 0.
        values, vectors = np.linalg.eigh(covariance)
        values = np.clip(values, 0.0, None)
        roots = 1.0 / np.sqrt(values) if inverse else np.sqrt(values)
        return (vectors * roots) @ vectors.T

    whiten = sqrtm_psd(np.cov(g, rowvar=False), inverse=True)  # 白化 / whiten
    colour = sqrtm_psd(np.cov(r, rowvar=False))  # 着色 / colour
    return (g - g.mean(axis=0)) @ whiten @ colour + r.mean(axis=0)


def kid(features_a, features_b):
    """多项式核下无偏的 MMD^2 / Unbiased MMD^2 with the polynomial kernel.

    features_a: (M, D); features_b: (N, D). Returns a float.
    """
    a = np.asarray(features_a, dtype="float64")
    b = np.asarray(features_b, dtype="float64")
    d = a.shape[1]

    def kernel(x, y):
        return (x @ y.T / d + 1.0) ** 3

    m, n = len(a), len(b)
    k_aa, k_bb, k_ab = kernel(a, a), kernel(b, b), kernel(a, b)
    within_a = (k_aa.sum() - np.trace(k_aa)) / (m * (m - 1))
    within_b = (k_bb.sum() - np.trace(k_bb)) / (n * (n - 1))
    return float(within_a + within_b - 2.0 * k_ab.mean())


SOLUTIONS = {
    "check_inception_score": inception_score,
    "check_match_moments": match_moments,
    "check_kid": kid,
}


# Other correct answers.


def _is_scipy_entropy(probabilities, num_splits=1):
    parts = np.array_split(np.asarray(probabilities), num_splits)
    return np.mean(
        [
            np.exp(
                np.mean(
                    [scipy.stats.entropy(row, part.mean(0)) for row in part]
                )
            )
            for part in parts
        ]
    )


def _is_bits(probabilities, num_splits=1):
    p = np.asarray(probabilities, "float32")
    n, k = len(p), num_splits
    sizes = [n // k + (i < n % k) for i in range(k)]  # As np.array_split.
    bounds = np.cumsum([0] + sizes)
    scores = []
    for start, stop in zip(bounds[:-1], bounds[1:]):
        part = p[start:stop]
        q = part.mean(axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            bits = np.where(part > 0, part * np.log2(part / q), 0).sum(axis=1)
        scores.append(2.0 ** bits.mean())  # 2 ** bits = e ** nats.
    return sum(scores) / k


def _is_rel_entr(probabilities, num_splits=1):
    return float(
        np.mean(
            [
                np.exp(
                    scipy.special.rel_entr(part, part.mean(0, keepdims=True))
                    .sum(1)
                    .mean()
                )
                for part in np.array_split(probabilities, num_splits)
            ]
        )
    )


def _match_cholesky_whitening(generated_features, real_features):
    g = np.asarray(generated_features, "float64")
    lower = np.linalg.cholesky(np.cov(g, rowvar=False))
    white = np.linalg.solve(lower, (g - g.mean(0)).T).T
    return white @ _sqrtm_psd(np.cov(real_features, rowvar=False)) + np.mean(
        real_features, axis=0
    )


def _match_scipy_sqrtm(generated_features, real_features):
    g = np.asarray(generated_features, "float64")
    r = np.asarray(real_features, "float64")
    whiten = np.linalg.inv(scipy.linalg.sqrtm(np.cov(g.T)).real)
    colour = scipy.linalg.sqrtm(np.cov(r.T)).real
    return (g - g.mean(0)) @ whiten @ colour + r.mean(0)


def _match_biased_covariances(generated_features, real_features):
    g = np.asarray(generated_features, "float64")
    cov_g = np.cov(g, rowvar=False, ddof=0)
    cov_r = np.cov(real_features, rowvar=False, ddof=0)
    white = (g - g.mean(0)) @ _sqrtm_psd(cov_g, inverse=True)
    return white @ _sqrtm_psd(cov_r) + np.mean(real_features, 0)


def _match_svd(generated_features, real_features):
    g = np.asarray(generated_features, "float64")
    centred = g - g.mean(0)
    u, _, _ = np.linalg.svd(centred, full_matrices=False)
    white = u * np.sqrt(len(g) - 1)  # Identity covariance, a rotation of g.
    mean, cov = metrics.gaussian_statistics(real_features)
    return white @ _sqrtm_psd(cov) + mean


def _match_float32(generated_features, real_features):
    g = np.asarray(generated_features, "float32")
    r = np.asarray(real_features, "float32")
    values, vectors = np.linalg.eigh(np.cov(g, rowvar=False).astype("float32"))
    whiten = (vectors / np.sqrt(values)) @ vectors.T
    values, vectors = np.linalg.eigh(np.cov(r, rowvar=False).astype("float32"))
    colour = (vectors * np.sqrt(np.maximum(values, 0))) @ vectors.T
    return ((g - g.mean(0)) @ whiten @ colour + r.mean(0)).astype("float32")


def _kid_float32(features_a, features_b):
    a, b = np.asarray(features_a, "float32"), np.asarray(features_b, "float32")
    d = np.float32(a.shape[1])
    k_aa, k_bb = (a @ a.T / d + 1) ** 3, (b @ b.T / d + 1) ** 3
    np.fill_diagonal(k_aa, 0)
    np.fill_diagonal(k_bb, 0)
    m, n = len(a), len(b)
    return (
        k_aa.sum(dtype="float64") / (m * (m - 1))
        + k_bb.sum(dtype="float64") / (n * (n - 1))
        - 2 * ((a @ b.T / d + 1) ** 3).mean(dtype="float64")
    )


def _kid_package_kernel(features_a, features_b):
    k_aa = metrics.polynomial_kernel(features_a, features_a)
    k_bb = metrics.polynomial_kernel(features_b, features_b)
    k_ab = metrics.polynomial_kernel(features_a, features_b)
    off_a = k_aa[~np.eye(len(k_aa), dtype=bool)].mean()
    off_b = k_bb[~np.eye(len(k_bb), dtype=bool)].mean()
    return off_a + off_b - 2 * k_ab.mean()


def _kid_loops(features_a, features_b):
    a = np.asarray(features_a, "float64").tolist()
    b = np.asarray(features_b, "float64").tolist()
    d = len(a[0])

    def k(x, y):
        return (sum(p * q for p, q in zip(x, y)) / d + 1) ** 3

    def within(s):
        pairs = [
            k(x, y) for i, x in enumerate(s) for j, y in enumerate(s) if i != j
        ]
        return sum(pairs) / len(pairs)

    cross = [k(x, y) for x in a for y in b]
    return within(a) + within(b) - 2 * sum(cross) / len(cross)


CORRECT_ANSWERS = {
    "check_inception_score": [_is_scipy_entropy, _is_bits, _is_rel_entr],
    "check_match_moments": [
        _match_cholesky_whitening,
        _match_scipy_sqrtm,
        _match_svd,
        _match_float32,
    ],
    "check_kid": [_kid_float32, _kid_package_kernel, _kid_loops],
}


# Plausible wrong answers.


def _is_with(
    marginal="split", exp_inside=False, log=np.log, use_exp=True, split=True
):
    def score(probabilities, num_splits=1):
        p = np.asarray(probabilities, "float64")
        whole = p.mean(0, keepdims=True)
        parts = np.array_split(p, num_splits if split else 1)
        scores = []
        for part in parts:
            if marginal == "split":
                q = part.mean(0, keepdims=True)
            elif marginal == "rows":
                q = part.mean(1, keepdims=True)
            else:
                q = whole
            kl = np.sum(part * (log(part + 1e-12) - log(q + 1e-12)), axis=1)
            if not use_exp:
                scores.append(kl.mean())
            elif exp_inside:
                scores.append(np.mean(np.exp(kl)))
            else:
                scores.append(np.exp(kl.mean()))
        return float(np.mean(scores))

    return score


def _is_nan_on_zeros(probabilities, num_splits=1):
    p = np.asarray(probabilities, "float64")
    q = p.mean(0, keepdims=True)
    return np.exp(np.mean(np.sum(p * np.log(p / q), 1)))


def _is_reversed_kl(probabilities, num_splits=1):
    scores = []
    for part in np.array_split(
        np.asarray(probabilities, "float64"), num_splits
    ):
        q = part.mean(0, keepdims=True)
        kl = np.sum(q * (np.log(q + 1e-12) - np.log(part + 1e-12)), axis=1)
        scores.append(np.exp(kl.mean()))
    return float(np.mean(scores))


def _is_equal_np_split(probabilities, num_splits=1):
    parts = np.split(np.asarray(probabilities, "float64"), num_splits)
    return float(np.mean([inception_score(part) for part in parts]))


def _is_truncated_splits(probabilities, num_splits=1):
    p = np.asarray(probabilities, "float64")
    size = len(p) // num_splits
    parts = [p[i * size : (i + 1) * size] for i in range(num_splits)]
    return float(np.mean([inception_score(part) for part in parts]))


def _is_mean_and_std(probabilities, num_splits=1):
    return metrics.inception_score(probabilities, num_splits)


def _is_without_splits(probabilities):
    return inception_score(probabilities)


def _match_with(whiten=True, colour="root", ddof_g=1, ddof_r=1):
    def match(generated_features, real_features):
        g = np.asarray(generated_features, "float64")
        r = np.asarray(real_features, "float64")
        cov_g = np.cov(g, rowvar=False, ddof=ddof_g)
        cov_r = np.cov(r, rowvar=False, ddof=ddof_r)
        centred = g - g.mean(0)
        if whiten:
            centred = centred @ _sqrtm_psd(cov_g, inverse=True)
        if colour == "root":
            colouring = _sqrtm_psd(cov_r)
        elif colour == "elementwise":
            colouring = np.sqrt(cov_r)
        elif colour == "cholesky":
            colouring = np.linalg.cholesky(cov_r).T
        else:
            colouring = cov_r
        return centred @ colouring + r.mean(0)

    return match


def _match_per_feature(generated_features, real_features):
    g = np.asarray(generated_features, "float64")
    r = np.asarray(real_features, "float64")
    z = (g - g.mean(0)) / g.std(0, ddof=1)
    return z * r.std(0, ddof=1) + r.mean(0)


def _match_mean_only(generated_features, real_features):
    g = np.asarray(generated_features, "float64")
    return g - g.mean(0) + np.mean(real_features, 0)


def _match_gaussian_samples(generated_features, real_features):
    rng = np.random.default_rng(0)
    z = rng.standard_normal(np.shape(generated_features))
    return _match_with()(z, real_features)  # Exact moments, but new samples.


def _match_bootstrap(generated_features, real_features):
    rng = np.random.default_rng(0)
    rows = rng.integers(0, len(real_features), len(generated_features))
    return np.asarray(real_features)[rows]


def _kid_with(
    biased=False,
    cross_diagonal=True,
    factor=2.0,
    dim=None,
    degree=3,
    offset=1.0,
    same_size=False,
):
    def estimate(features_a, features_b):
        a = np.asarray(features_a, "float64")
        b = np.asarray(features_b, "float64")
        d = a.shape[1] if dim is None else dim(a)

        def k(x, y):
            return (x @ y.T / d + offset) ** degree

        m, n = len(a), len(b)
        n = m if same_size else n
        k_aa, k_bb, k_ab = k(a, a), k(b, b), k(a, b)
        if biased:
            return k_aa.mean() + k_bb.mean() - factor * k_ab.mean()
        cross = (
            k_ab.mean()
            if cross_diagonal
            else (k_ab.sum() - np.trace(k_ab)) / (m * (m - 1))
        )
        return (
            (k_aa.sum() - np.trace(k_aa)) / (m * (m - 1))
            + (k_bb.sum() - np.trace(k_bb)) / (n * (n - 1))
            - factor * cross
        )

    return estimate


def _kid_subsets(features_a, features_b):
    return metrics.kid(features_a, features_b, num_subsets=10, subset_size=5)[0]


WRONG_ANSWERS = {
    "check_inception_score": [
        _is_with(use_exp=False),
        _is_nan_on_zeros,
        _is_with(marginal="whole"),  # One p(y) for every split.
        _is_with(exp_inside=True),
        _is_with(log=np.log2),
        _is_with(marginal="rows"),
        _is_with(split=False),  # Accepts num_splits, ignores it.
        _is_truncated_splits,
        _is_reversed_kl,
        _is_equal_np_split,
        _is_mean_and_std,
        _is_without_splits,
    ],
    "check_match_moments": [
        _match_per_feature,
        _match_mean_only,
        _match_with(whiten=False),
        _match_with(colour="covariance"),  # No square root.
        _match_with(colour="elementwise"),
        _match_with(colour="cholesky"),  # Fails on a singular covariance.
        _match_with(ddof_g=0, ddof_r=1),
        lambda g, r: match_moments(r, g),  # Swapped arguments.
        lambda g, r: np.asarray(r),  # The real features themselves.
        _match_gaussian_samples,
        _match_bootstrap,
        _match_biased_covariances,  # 1/N: cancels only when N_g = N_r.
    ],
    "check_kid": [
        _kid_with(biased=True),
        _kid_with(cross_diagonal=False),
        _kid_with(factor=1.0),
        _kid_with(same_size=True),
        _kid_with(dim=len),  # d = the number of samples.
        _kid_with(dim=lambda a: 1),
        _kid_with(degree=2),
        _kid_with(offset=0.0),
        _kid_with(degree=1, offset=0.0, dim=lambda a: 1),  # Linear kernel.
        _kid_subsets,
    ],
}


# The mistake the FAIL line names, for a few wrong answers.
DIAGNOSES = [
    ("check_inception_score", 0, "leaving out the exponential"),
    ("check_inception_score", 2, "one p(y) over all rows"),
    ("check_inception_score", 3, "averaging the exponentials"),
    ("check_inception_score", 4, "base-2 logarithms"),
    ("check_inception_score", 6, "ignoring num_splits"),
    ("check_inception_score", 7, "equal splits that drop the last rows"),
    ("check_match_moments", 0, "covariances between features differ"),
    ("check_match_moments", 1, "still the generated covariance"),
    ("check_match_moments", 5, "raised LinAlgError"),
    ("check_match_moments", 6, "factor N/(N - 1)"),
    ("check_match_moments", 7, "expected shape (50, 2)"),
    ("check_match_moments", 9, "not an affine map"),
    ("check_match_moments", 10, "not an affine map"),
    ("check_match_moments", 11, "1/N covariances cancel only"),
    ("check_kid", 0, "the biased estimator"),
    ("check_kid", 2, "without its factor 2"),
    ("check_kid", 3, "the size of the first set for both sets"),
    ("check_kid", 4, "the number of samples"),
    ("check_kid", 5, "without the division by d"),
    ("check_kid", 6, "a quadratic kernel"),
    ("check_kid", 7, "without the + 1"),
]

# Tokens of the formulas and of the solutions: no FAIL line may hold them.
LEAKS = re.compile(
    r"np\.|\*\*|sqrt|cholesky|eigh|linalg|log\(|exp\(|/ d \+ 1|x \. y|m\(m"
)


def _stub(generated_features, real_features):
    raise NotImplementedError("Exercise: implement match_moments")


def _mutating(features_a, features_b):
    result = kid(features_a, features_b)
    features_a[...] = 0.0
    features_b[...] = 0.0
    return result


exercise_tables.add_checker_tests(
    globals(),
    lesson05,
    forbidden=LEAKS,
    stub=("check_match_moments", _stub),
    not_callable="check_kid",
    mutating={"check_kid": _mutating},
    deterministic=("check_kid", _kid_with(biased=True)),
    quoted_names=True,
)


def test_hidden_cases_are_labelled_and_reached():
    # Right on the visible cases only: each checker fails on a hidden case.
    def is_one_split(probabilities, num_splits=1):
        return inception_score(probabilities)

    def match_float64_only(generated_features, real_features):
        if np.asarray(real_features).shape[1] > 3:
            return np.asarray(generated_features, "float64")
        return match_moments(generated_features, real_features)

    def kid_float32_only(features_a, features_b):
        if np.asarray(features_a).dtype == np.float64:
            return 0.0
        return kid(features_a, features_b)

    for checker, function, first in [
        ("check_inception_score", is_one_split, "on hidden case 1 (N = 30"),
        ("check_match_moments", match_float64_only, "on hidden case 1 (D = 8"),
        ("check_kid", kid_float32_only, "on hidden case 1 (D = 16"),
    ]:
        passed, text = check(checker, function)
        assert passed is False and first in text, text


def test_checker_cases_cover_what_the_lesson_promises():
    # Singular real covariances (always-zero units) are among the cases.
    seen = []

    def spy(generated_features, real_features):
        seen.append(np.asarray(real_features))
        return match_moments(generated_features, real_features)

    assert check("check_match_moments", spy)[0] is True
    ranks = [np.linalg.matrix_rank(np.cov(r, rowvar=False)) for r in seen]
    assert any(rank < r.shape[1] for rank, r in zip(ranks, seen))
    assert {r.dtype for r in seen} == {np.dtype("float32"), np.dtype("float64")}
    # The notebook's demo: moment-matched uniform noise gets a lower FID
    # than a second real sample, while its precision drops: FID cannot see
    # beyond the mean and the covariance.
    rng = np.random.default_rng(0)
    real = np.maximum(rng.normal(size=(1000, 4)) - 0.5, 0)
    other = np.maximum(rng.normal(size=(1000, 4)) - 0.5, 0)
    noise = match_moments(rng.uniform(-1, 1, (1000, 4)), real)
    assert metrics.frechet_distance(real, noise) < 1e-9
    assert metrics.frechet_distance(real, other) > 1e-3
    assert metrics.frechet_distance(real, rng.uniform(-1, 1, (1000, 4))) > 0.1
    precision_noise = metrics.precision_recall(real, noise)[0]
    assert precision_noise < 0.5 < metrics.precision_recall(real, other)[0]

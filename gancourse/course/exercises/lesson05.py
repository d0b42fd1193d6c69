"""Checkers of the graded exercises of lesson 05: evaluation.

第 05 课（评估指标）分级练习的检查器。

Every checker runs the visible cases the lesson describes and then hidden
ones (other seeds, sizes, feature dimensions and dtypes; splits that do not
divide N; covariances that are singular because of always-zero units). When
a wrong result is exactly what a known mistake gives, the FAIL line names
the mistake in words; no line ever prints the formula.
"""

import numpy as np

from gancourse.course.exercises.harness import diagnosed
from gancourse.course.exercises.harness import run_cases

__all__ = [
    "check_inception_score",
    "check_match_moments",
    "check_kid",
]


def _describe(index, visible, text):
    if index < visible:
        return f"for {text}"
    return f"on hidden case {index - visible + 1} ({text})"


# -- Inception Score -------------------------------------------------------
def _is_part(part, marginal=None, log=np.log, mode="exp"):
    """One split's score; the options give the known mistakes."""
    if marginal is None:
        marginal = part.mean(axis=0, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = part * (log(part) - log(marginal))
    kl = np.where(part > 0, terms, 0.0).sum(axis=1)
    if mode == "exp inside":
        return np.mean(np.exp(kl))
    return np.exp(kl.mean()) if mode == "exp" else kl.mean()


def _is_splits(p, num_splits, **options):
    parts = np.array_split(np.asarray(p, "float64"), num_splits)
    return float(np.mean([_is_part(part, **options) for part in parts]))


def _inception_mistakes(p, k):
    p = np.asarray(p, "float64")
    size = len(p) // k
    dropped = [_is_part(p[i * size : (i + 1) * size]) for i in range(k)]
    return [
        (
            "one p(y) over all rows in place of one per split",
            _is_splits(p, k, marginal=p.mean(axis=0, keepdims=True)),
        ),
        (
            "averaging the exponentials of the KL values in place of "
            "exponentiating their mean",
            _is_splits(p, k, mode="exp inside"),
        ),
        ("base-2 logarithms with exp", _is_splits(p, k, log=np.log2)),
        ("leaving out the exponential", _is_splits(p, k, mode="none")),
        ("ignoring num_splits (one split)", _is_splits(p, 1)),
        ("equal splits that drop the last rows", float(np.mean(dropped))),
    ]


def check_inception_score(fn):
    """Check ``inception_score(probabilities, num_splits=1)`` (lesson 05).

    检查由类别概率计算 Inception Score（第 05 课）。

    Spec: ``probabilities`` is an (N, K) float array (float32 or float64),
    each row a classifier's p(y|x) summing to 1; rows may hold exact zeros.
    Split the rows, in order, into ``num_splits`` parts as
    ``np.array_split`` does (sizes differ by at most one). In each part,
    p(y) is the mean of its rows and the part's score is the exponential of
    the mean over its rows of KL(p(y|x) || p(y)), natural logarithms, with
    0 * log 0 = 0. Return the mean of the parts' scores as one float (what
    ``metrics.inception_score(probabilities, num_splits)[0]`` returns).
    """
    rng = np.random.default_rng(10)
    two_modes = np.eye(4)[[0] * 6 + [1] * 6]  # Each half one confident class.
    settings = [  # probabilities, num_splits, text.
        (np.full((6, 4), 0.25), 1, "uniform predictions"),
        (np.eye(10), 1, "10 confident predictions of 10 classes"),
        (np.eye(3)[[1] * 5], 1, "5 confident predictions of one class"),
        (rng.dirichlet(np.full(5, 0.5), size=12), 1, "random predictions"),
        (rng.dirichlet(np.full(7, 0.3), size=30), 3, "N = 30, 3 splits"),
        (rng.dirichlet(np.full(6, 0.2), size=23), 4, "N = 23, 4 splits"),
        (two_modes, 2, "two confident halves, 2 splits"),
        (np.eye(5)[rng.integers(0, 5, size=9)], 9, "one row per split"),
    ]
    cases = []
    for index, (p, k, note) in enumerate(settings):
        p = np.asarray(p, "float64" if index in (4, 6) else "float32")
        cases.append(
            (
                _describe(index, 4, f"{note}, {p.dtype} {p.shape}"),
                lambda fn, p=p, k=k: (
                    fn(p.copy()) if k == 1 else fn(p.copy(), num_splits=k)
                ),
                diagnosed(
                    _is_splits(p, k),
                    _inception_mistakes(p, k),
                    rtol=1e-3,
                    atol=1e-4,
                ),
            )
        )
    return run_cases(
        "inception_score",
        fn,
        cases,
        "each split gets its own marginal p(y); the exponential comes after "
        "averaging the KL over the rows of a split; use natural logarithms "
        "and make 0 * log 0 count as 0; see 'The other metrics at a glance' "
        "in lesson 05.",
    )


# -- matching the first two moments ------------------------------------------
def _statistics(features):
    features = np.asarray(features, "float64")
    return features.mean(axis=0), np.cov(features, rowvar=False, ddof=1)


def _affine_residual(source, result):
    """Largest misfit of ``result`` as ``source @ A + c`` (least squares)."""
    design = np.hstack([source, np.ones((len(source), 1))])
    coefficients = np.linalg.lstsq(design, result, rcond=None)[0]
    return float(np.max(np.abs(design @ coefficients - result)))


def _check_matched(generated, real):
    generated = np.asarray(generated, "float64")
    (mean_r, cov_r), (mean_g, cov_g) = _statistics(real), _statistics(generated)
    tol = 1e-4 * (np.max(np.abs(cov_r)) + np.max(np.abs(mean_r)) + 1.0)
    n, n_r = len(generated), len(real)
    known = [  # Covariances that known mistakes give, and what they mean.
        (
            n / (n - 1) * cov_r,
            "the covariance is off by the factor N/(N - 1): the two "
            "covariances use different normalisations",
        ),
        (
            (n_r - 1) / n_r * n / (n - 1) * cov_r,
            "the covariance is off by a factor close to 1: 1/N covariances "
            "cancel only when both sets have the same N; use N - 1 for both",
        ),
        (
            cov_g,
            "the covariance is still the generated covariance (only the "
            "mean moved)",
        ),
    ]

    def check(result):
        result = np.asarray(result)
        if result.shape != generated.shape:
            return (
                f"expected shape {generated.shape} (one row per generated "
                f"sample), got shape {result.shape}"
            )
        result = result.astype("float64")
        if not np.all(np.isfinite(result)):
            return "got inf or nan"
        if _affine_residual(generated, result) > tol:
            return (
                "the result is not an affine map of generated_features (one "
                "matrix and one shift for every row); new samples or the "
                "real features themselves do not count"
            )
        mean, cov = _statistics(result)
        if np.max(np.abs(mean - mean_r)) > tol:
            if np.max(np.abs(mean - mean_g)) <= tol:
                return "the mean is still the generated mean"
            return "the mean of the result differs from the real mean"
        error = float(np.max(np.abs(cov - cov_r)))
        if error <= tol:
            return None
        for wrong, message in known:
            if np.max(np.abs(cov - wrong)) <= tol:
                return message
        if np.max(np.abs(np.diag(cov) - np.diag(cov_r))) <= tol:
            return (
                "each feature has the real variance, but the covariances "
                "between features differ (matching one feature at a time is "
                "not enough)"
            )
        return (
            "the covariance of the result differs from the real covariance "
            f"(max abs error {error:.3g}), so its FID is not 0"
        )

    return check


def _correlated(rng, n, d, scale=1.0):
    mixing = rng.normal(size=(d, d)) / np.sqrt(d) + np.eye(d)
    return scale * rng.normal(size=(n, d)) @ mixing


def _relu(rng, n, d, dead=0):
    """ReLU-like features: non-negative, skewed, correlated; ``dead`` units
    always 0 (as in the lesson, where 8 of 128 units never fire)."""
    features = np.maximum(_correlated(rng, n, d) + rng.normal(0, 0.5, d), 0)
    features[:, d - dead :] = 0.0
    return features


def check_match_moments(fn):
    """Check ``match_moments(generated_features, real_features)`` (lesson 05).

    检查把生成特征的均值与协方差变成真实特征的（FID 看不到的差别，第 05 课）。

    Spec: ``generated_features`` (N_g, D) and ``real_features`` (N_r, D) are
    float arrays (float32 or float64), N_g and N_r possibly different, both
    larger than D + 1. The generated covariance has full rank; the real one
    may be singular (always-zero ReLU units, like 8 of the lesson's 128).
    Return an array of the shape of ``generated_features`` that is an affine
    map of it (``generated_features @ A + c`` for one (D, D) matrix A and
    one vector c) and whose mean and covariance (``np.cov``, N - 1) equal
    those of ``real_features``, so that its Fréchet distance to the real
    features is 0 (up to rounding).
    """
    rng = np.random.default_rng(11)
    tilt = np.array([[1, 0.5, 0], [0, 1, 0.3], [0, 0, 2.0]])
    noisy_relu = _relu(rng, 400, 32) + 0.01 * rng.normal(size=(400, 32))
    settings = [  # generated, real, text.
        (
            _correlated(rng, 50, 2, 0.5) + 3.0,
            _relu(rng, 40, 2),
            "D = 2, correlated generated features",
        ),
        (
            rng.uniform(-1, 1, size=(60, 3)) @ tilt,
            _relu(rng, 80, 3),
            "D = 3, uniform noise features",
        ),
        (
            rng.exponential(2.0, size=(300, 8)) + 10.0,
            _relu(rng, 200, 8),
            "D = 8, exponential features",
        ),
        (
            _correlated(rng, 120, 6, 30.0),
            _relu(rng, 150, 6, dead=2),
            "D = 6, two always-zero real units (singular covariance)",
        ),
        (_correlated(rng, 12, 5, 2.0), _relu(rng, 12, 5), "D = 5, 12 rows"),
        (noisy_relu, _relu(rng, 500, 32, dead=3), "D = 32, 3 zero units"),
    ]
    cases = []
    for index, (generated, real, note) in enumerate(settings):
        dtype = "float64" if index in (0, 3, 4) else "float32"
        generated, real = generated.astype(dtype), real.astype(dtype)
        text = f"{note}: {dtype} generated {generated.shape}, real {real.shape}"
        cases.append(
            (
                _describe(index, 2, text),
                lambda fn, g=generated, r=real: fn(g.copy(), r.copy()),
                _check_matched(generated, real),
            )
        )
    return run_cases(
        "match_moments",
        fn,
        cases,
        "FID sees only a mean and a covariance: first remove the generated "
        "mean and covariance (whiten), then put the real ones in (colour); "
        "a real covariance may be singular, so build its square root from "
        "an eigen-decomposition, and use the N - 1 normalisation for both "
        "covariances; see 'FID, teaching version' in lesson 05.",
    )


# -- KID ---------------------------------------------------------------------
def _within(k):
    m = len(k)
    return (k.sum() - np.trace(k)) / (m * (m - 1))


def _mmd(x, y, dim=None, degree=3, offset=1.0, estimator="unbiased"):
    """The MMD^2 of the spec; the options give the known mistakes."""
    x, y = np.asarray(x, "float64"), np.asarray(y, "float64")
    dim = x.shape[1] if dim is None else dim
    kxx, kyy, kxy = [
        (a @ b.T / dim + offset) ** degree for a, b in [(x, x), (y, y), (x, y)]
    ]
    m = len(x)
    if estimator == "biased":
        return float(kxx.mean() + kyy.mean() - 2.0 * kxy.mean())
    if estimator == "no factor 2":
        return float(_within(kxx) + _within(kyy) - kxy.mean())
    if estimator == "first size":
        within_y = (kyy.sum() - np.trace(kyy)) / (m * (m - 1))
        return float(_within(kxx) + within_y - 2.0 * kxy.mean())
    cross = _within(kxy) if estimator == "cross pairs" else kxy.mean()
    return float(_within(kxx) + _within(kyy) - 2.0 * cross)


def _kid_mistakes(x, y):
    options = [
        (
            "the biased estimator (keeping the i = j pairs)",
            {"estimator": "biased"},
        ),
        ("a cross-set term without its factor 2", {"estimator": "no factor 2"}),
        (
            "the size of the first set for both sets",
            {"estimator": "first size"},
        ),
        (
            "d = the number of samples in place of the feature dimension",
            {"dim": len(x)},
        ),
        ("a kernel without the division by d", {"dim": 1}),
        ("a quadratic kernel", {"degree": 2}),
        ("a kernel without the + 1", {"offset": 0.0}),
    ]
    if len(x) == len(y):
        options.append(
            (
                "leaving out the i = j pairs of the cross-set term as well",
                {"estimator": "cross pairs"},
            )
        )
    return [(label, _mmd(x, y, **option)) for label, option in options]


def check_kid(fn):
    """Check ``kid(features_a, features_b)``: unbiased MMD^2 (lesson 05).

    检查 KID：多项式核下无偏的 MMD^2（第 05 课）。

    Spec: ``features_a`` (M, D) and ``features_b`` (N, D) are float arrays
    (float32 or float64), M and N at least 2 and possibly different. With
    the kernel k(x, y) = (x . y / d + 1) ** 3, d = D the feature dimension,
    return one float: the average of k over the pairs i != j within
    ``features_a``, plus the same within ``features_b``, minus twice the
    average of k over all M * N cross-set pairs. One set, no subsets.
    """
    rng = np.random.default_rng(12)
    a = rng.normal(size=(20, 4))
    relu = _relu(rng, 40, 64), _relu(rng, 15, 64) * 1.2
    settings = [  # x, y, text.
        (a, rng.normal(size=(30, 4)) + 0.5, "two shifted sets, M != N"),
        (a, rng.normal(size=(25, 4)), "two sets from one distribution"),
        (a[:10], a[:10], "a set against itself"),
        (
            rng.normal(size=(12, 16)),
            rng.normal(size=(12, 16)) * 1.3,
            "D = 16, M = N = 12",
        ),
        (*relu, "ReLU-like features, D = 64, M = 40, N = 15"),
        (rng.normal(size=(8, 1)), rng.normal(size=(9, 1)) + 1.0, "D = 1"),
        (rng.normal(size=(6, 3)), rng.normal(size=(50, 3)) * 0.5, "M = 6"),
    ]
    cases = []
    for index, (x, y, note) in enumerate(settings):
        dtype = "float64" if index in (3, 5) else "float32"
        x, y = x.astype(dtype), y.astype(dtype)
        cases.append(
            (
                _describe(index, 3, f"{note}, {dtype}"),
                lambda fn, x=x, y=y: fn(x.copy(), y.copy()),
                diagnosed(
                    _mmd(x, y), _kid_mistakes(x, y), rtol=1e-3, atol=1e-4
                ),
            )
        )
    return run_cases(
        "kid",
        fn,
        cases,
        "unbiased: within each set only pairs of two different samples "
        "count, each set divided by its own number of such pairs; the "
        "cross-set average uses every pair; d is the feature dimension; see "
        "'The other metrics at a glance' in lesson 05.",
    )

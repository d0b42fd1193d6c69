"""Checkers of the graded exercises of lesson 05: evaluation.

第 05 课（评估指标）分级练习的检查器。
"""

import numpy as np

from gancourse.course.exercises.harness import close_to
from gancourse.course.exercises.harness import f32
from gancourse.course.exercises.harness import run_cases

__all__ = [
    "check_inception_score",
    "check_frechet_distance",
    "check_kid",
]


def _inception_reference(p):
    p = np.asarray(p, "float64")
    marginal = p.mean(axis=0, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, p * (np.log(p) - np.log(marginal)), 0.0)
    return float(np.exp(terms.sum(axis=1).mean()))


def check_inception_score(fn):
    """Check ``inception_score(probabilities)`` (lesson 05).

    检查由类别概率计算 Inception Score（第 05 课）。

    Expected: ``exp(mean_i KL(p(y|x_i) || p(y)))`` with ``p(y)`` the mean of
    the rows; zero probabilities must not give nan.
    """
    rng = np.random.default_rng(10)
    random_probs = rng.dirichlet(np.full(5, 0.5), size=12)
    cases = []
    for description, p in [
        ("for uniform predictions", np.full((6, 4), 0.25)),
        ("for 10 confident predictions of 10 classes", np.eye(10)),
        ("for 5 confident predictions of one class", np.eye(3)[[1] * 5]),
        ("for random predictions", random_probs),
    ]:
        cases.append(
            (
                description,
                lambda fn, p=p: fn(f32(p)),
                close_to(_inception_reference(f32(p)), rtol=1e-3, atol=1e-4),
            )
        )
    return run_cases(
        "inception_score",
        fn,
        cases,
        "KL(p || q) = sum p * (log p - log q); add a tiny epsilon inside the "
        "logs so 0 * log 0 = 0; see 'The other metrics at a glance' in "
        "lesson 05.",
    )


def _sqrtm_psd(matrix):
    values, vectors = np.linalg.eigh(matrix)
    return (vectors * np.sqrt(np.clip(values, 0, None))) @ vectors.T


def _frechet_reference(mu1, sigma1, mu2, sigma2):
    root = _sqrtm_psd(sigma1)
    middle = np.linalg.eigvalsh(root @ sigma2 @ root)
    trace_sqrt = np.sqrt(np.clip(middle, 0, None)).sum()
    return float(
        np.sum((mu1 - mu2) ** 2)
        + np.trace(sigma1)
        + np.trace(sigma2)
        - 2.0 * trace_sqrt
    )


def check_frechet_distance(fn):
    """Check ``frechet_distance(mu1, sigma1, mu2, sigma2)`` (lesson 05).

    检查两个高斯分布之间的 Fréchet 距离（FID 的核心，第 05 课）。

    Expected: ``||mu1 - mu2||^2 + Tr(S1 + S2 - 2 (S1 S2)^(1/2))`` (float64).
    """
    rng = np.random.default_rng(11)
    a, b = rng.normal(size=(40, 5)), rng.normal(size=(40, 5)) * 1.5 + 0.3
    mu_a, mu_b = a.mean(0), b.mean(0)
    s_a, s_b = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    d1, d2 = np.diag([1.0, 4.0]), np.diag([4.0, 1.0])
    cases = []
    for description, args in [
        ("for identical Gaussians", (mu_a, s_a, mu_a, s_a)),
        (
            "for diagonal covariances",
            (np.zeros(2), d1, np.array([1.0, 2.0]), d2),
        ),
        ("for two random 5-d Gaussians", (mu_a, s_a, mu_b, s_b)),
    ]:
        cases.append(
            (
                description,
                lambda fn, args=args: fn(*args),
                close_to(_frechet_reference(*args), rtol=1e-4, atol=1e-5),
            )
        )
    return run_cases(
        "frechet_distance",
        fn,
        cases,
        "use scipy.linalg.sqrtm(sigma1 @ sigma2) (keep its real part) and do "
        "not forget the factor 2; see 'FID, teaching version' in lesson 05.",
    )


def _kid_reference(x, y):
    x, y = np.asarray(x, "float64"), np.asarray(y, "float64")
    d = x.shape[1]

    def kernel(a, b):
        return (a @ b.T / d + 1.0) ** 3

    m, n = len(x), len(y)
    kxx, kyy, kxy = kernel(x, x), kernel(y, y), kernel(x, y)
    return float(
        (kxx.sum() - np.trace(kxx)) / (m * (m - 1))
        + (kyy.sum() - np.trace(kyy)) / (n * (n - 1))
        - 2.0 * kxy.mean()
    )


def check_kid(fn):
    """Check ``kid(features_a, features_b)``: unbiased MMD^2 (lesson 05).

    检查 KID：多项式核下无偏的 MMD^2（第 05 课）。

    Expected: kernel ``k(x, y) = (x . y / d + 1) ** 3``; average k over pairs
    i != j within each set, minus twice the mean cross-set kernel; one set,
    no subsets.
    """
    rng = np.random.default_rng(12)
    a = rng.normal(size=(20, 4))
    b = rng.normal(size=(30, 4)) + 0.5
    c = rng.normal(size=(25, 4))
    cases = []
    for description, x, y in [
        ("for two shifted sets of different sizes", a, b),
        ("for two sets from the same distribution", a, c),
        ("for a set against itself", a[:10], a[:10]),
    ]:
        cases.append(
            (
                description,
                lambda fn, x=x, y=y: fn(f32(x), f32(y)),
                close_to(_kid_reference(f32(x), f32(y)), rtol=1e-3, atol=1e-4),
            )
        )
    return run_cases(
        "kid",
        fn,
        cases,
        "unbiased: leave out the diagonal k(x_i, x_i) and divide by m(m-1); "
        "d is the feature dimension; see 'The other metrics at a glance' in "
        "lesson 05.",
    )

"""Lesson 04's graded exercises: the checkers, on right and wrong answers.

第 04 课分级练习的检查器：参考答案、其他正确写法与常见错误。

``SOLUTIONS`` are the reference solutions as the lesson's solution cells
hold them; ``CORRECT_ANSWERS`` are other correct ways to write them (each
must pass); ``WRONG_ANSWERS`` are plausible mistakes (each must fail, with
one ASCII line and a hint that never prints the formula).
"""

import re

import numpy as np

from gancourse.course.exercises import lesson04
from tests import exercise_tables
from tests.exercise_tables import check

CHECKERS = [
    "check_hinge_d_loss",
    "check_lipschitz_bound",
    "check_spectral_norm",
]
CASES = {  # Visible + hidden cases of each checker.
    "check_hinge_d_loss": 3 + 4,
    "check_lipschitz_bound": 2 + 4,
    "check_spectral_norm": 4 + 4,
}


# The reference solutions, as the lesson's `solution` cells hold them.


def hinge_d_loss(real_logits, fake_logits):
    """判别器的 hinge 损失 / The hinge discriminator loss."""
    real_logits = np.asarray(real_logits, dtype="float64")
    fake_logits = np.asarray(fake_logits, dtype="float64")
    return np.mean(np.maximum(0.0, 1.0 - real_logits)) + np.mean(
        np.maximum(0.0, 1.0 + fake_logits)
    )


def lipschitz_bound(layers, negative_slope=0.2, sigma_estimates=None):
    """全连接判别器的 Lipschitz 上界 / A Lipschitz bound of a dense D."""
    bound = 1.0
    for index, (kernel, _) in enumerate(layers):  # A bias only shifts.
        sigma = np.linalg.norm(np.asarray(kernel, dtype="float64"), ord=2)
        if sigma_estimates is not None:
            sigma = sigma / sigma_estimates[index]
        bound *= sigma
    steepest = max(1.0, negative_slope)  # LeakyReLU's steepest slope.
    return float(bound * steepest ** (len(layers) - 1))


def spectral_norm(w, u, num_iterations):
    """用幂迭代估计谱范数 / Estimate the spectral norm by power iteration."""
    w = np.asarray(w, dtype="float64")
    w = w.reshape(-1, w.shape[-1])  # One column per output channel.
    u = np.asarray(u, dtype="float64")
    for _ in range(num_iterations):
        v = w.T @ u
        v = v / np.linalg.norm(v)
        u = w @ v
        u = u / np.linalg.norm(u)
    return float(u @ w @ v)


SOLUTIONS = {
    "check_hinge_d_loss": hinge_d_loss,
    "check_lipschitz_bound": lipschitz_bound,
    "check_spectral_norm": spectral_norm,
}


# Other correct answers.


def _hinge_float32(real_logits, fake_logits):
    r = np.asarray(real_logits, "float32")
    f = np.asarray(fake_logits, "float32")
    return np.clip(1 - r, 0, None).mean() + np.clip(1 + f, 0, None).mean()


def _hinge_flat_sums(real_logits, fake_logits):
    r = np.ravel(real_logits).astype(float)
    f = np.ravel(fake_logits).astype(float)
    return (
        sum(max(0.0, 1 - x) for x in r) / r.size
        + sum(max(0.0, 1 + x) for x in f) / f.size
    )


def _hinge_where(real_logits, fake_logits):
    r, f = np.asarray(real_logits), np.asarray(fake_logits)
    real_term = np.where(r < 1, 1 - r, 0.0)
    fake_term = np.where(f > -1, 1 + f, 0.0)
    return np.array([real_term.mean() + fake_term.mean()])  # Shape (1,).


def _bound_svd(layers, negative_slope=0.2, sigma_estimates=None):
    sigmas = [
        np.linalg.svd(kernel, compute_uv=False)[0] for kernel, _ in layers
    ]
    if sigma_estimates is not None:
        sigmas = np.divide(sigmas, sigma_estimates)
    activation = 1.0 if negative_slope <= 1 else negative_slope
    return np.prod(sigmas) * activation ** (len(layers) - 1)


def _bound_eigh(layers, negative_slope=0.2, sigma_estimates=None):
    bound = 1.0
    for i, layer in enumerate(layers):
        kernel = np.asarray(layer[0], "float64")
        largest = np.linalg.eigvalsh(kernel.T @ kernel)[-1]  # sigma squared.
        scale = 1.0 if sigma_estimates is None else sigma_estimates[i]
        bound *= np.sqrt(largest) / scale
        if i < len(layers) - 1:
            bound *= max(1.0, negative_slope)
    return bound


def _bound_power_iteration(layers, negative_slope=0.2, sigma_estimates=None):
    bound = 1.0
    for i, (kernel, _) in enumerate(layers):
        w = np.asarray(kernel, "float64").T  # (fan_out, fan_in).
        v = np.ones(w.shape[1])
        for _ in range(2000):
            v = w.T @ (w @ v)
            v /= np.linalg.norm(v)
        sigma = np.linalg.norm(w @ v)
        if sigma_estimates is not None:
            sigma /= sigma_estimates[i]
        bound *= sigma
    return bound * max(1.0, negative_slope) ** (len(layers) - 1)


def _spectral_float32(w, u, num_iterations):
    w = np.asarray(w, "float32")
    w = w.reshape(int(np.prod(w.shape[:-1])), w.shape[-1])
    u = np.asarray(u, "float32")
    for _ in range(num_iterations):
        v = np.dot(w.T, u)
        v /= np.linalg.norm(v)
        u = np.dot(w, v)
        u /= np.linalg.norm(u)
    return np.dot(u, np.dot(w, v))


def _spectral_norm_of_wv(w, u, num_iterations):
    w = np.asarray(w, "float64")
    w = w.reshape(-1, w.shape[-1])
    u = np.asarray(u, "float64") / np.linalg.norm(u)
    for _ in range(num_iterations):
        v = w.T @ u
        v /= np.linalg.norm(v)
        wv = w @ v
        u = wv / np.linalg.norm(wv)
    return np.linalg.norm(wv)  # Equals u^T W v with the last u.


CORRECT_ANSWERS = {
    "check_hinge_d_loss": [_hinge_float32, _hinge_flat_sums, _hinge_where],
    "check_lipschitz_bound": [
        _bound_svd,
        _bound_eigh,
        _bound_power_iteration,
    ],
    "check_spectral_norm": [_spectral_float32, _spectral_norm_of_wv],
}


# Plausible wrong answers.


def _relu(x):
    return np.maximum(0.0, np.asarray(x, "float64"))


def _bound_with(
    per_layer=lambda kernel, bias: np.linalg.norm(kernel, 2),
    activation=lambda slope: max(1.0, slope),
    activations=lambda layers: len(layers) - 1,
    combine=np.prod,
    estimates=lambda sigma, estimate: sigma / estimate,
):
    def bound(layers, negative_slope=0.2, sigma_estimates=None):
        sigmas = []
        for i, (kernel, bias) in enumerate(layers):
            k = np.asarray(kernel, "float64")
            sigma = per_layer(k, np.asarray(bias, "float64"))
            if sigma_estimates is not None:
                sigma = estimates(sigma, sigma_estimates[i])
            sigmas.append(sigma)
        return combine(sigmas) * activation(negative_slope) ** activations(
            layers
        )

    return bound


def _spectral_with(iterations=lambda n: n, transpose=False, order="C"):
    def estimate(w, u, num_iterations):
        w = np.asarray(w, "float64")
        w = w.reshape((-1, w.shape[-1]), order=order)
        w = w.T if transpose else w
        u = np.asarray(u, "float64")
        for _ in range(iterations(num_iterations)):
            v = w.T @ u
            v = v / np.linalg.norm(v)
            u = w @ v
            u = u / np.linalg.norm(u)
        return float(u @ w @ v)

    return estimate


def _spectral_old_u(w, u, num_iterations):
    w = np.asarray(w, "float64")
    w = w.reshape(-1, w.shape[-1])
    u = np.asarray(u, "float64")
    for _ in range(num_iterations):
        u = u / np.linalg.norm(u)
        v = w.T @ u
        v = v / np.linalg.norm(v)
        sigma = float(u @ w @ v)  # Read before u is updated.
        u = w @ v
    return sigma


def _spectral_skips_normalising_u(w, u, n):
    w, u = np.asarray(w, "float64"), np.asarray(u, "float64")
    w = w.reshape(-1, w.shape[-1])
    for _ in range(n):
        v = w.T @ u
        v = v / np.linalg.norm(v)
        u = w @ v
    return float(u @ w @ v)


WRONG_ANSWERS = {
    "check_hinge_d_loss": [
        lambda r, f: hinge_d_loss(f, r),  # Swapped.
        lambda r, f: np.mean(1 - np.asarray(r)) + np.mean(1 + np.asarray(f)),
        lambda r, f: _relu(-np.asarray(r)).mean() + _relu(f).mean(),
        lambda r, f: np.concatenate(
            [_relu(1 - np.ravel(r)), _relu(1 + np.ravel(f))]
        ).mean(),
        lambda r, f: (
            _relu(1 - np.asarray(r)).sum() + _relu(1 + np.asarray(f)).sum()
        ),
        lambda r, f: (
            np.mean(_relu(1 - np.asarray(r)) ** 2)
            + np.mean(_relu(1 + np.asarray(f)) ** 2)
        ),
        lambda r, f: (
            np.logaddexp(0, -np.asarray(r, float)).mean()
            + np.logaddexp(0, np.asarray(f, float)).mean()
        ),
        lambda r, f: -np.mean(f),  # The generator's hinge loss.
        lambda r, f: (
            _relu(1 - np.asarray(r)).mean(axis=0)
            + _relu(1 + np.asarray(f)).mean(axis=0)
        ),  # Batch axis only.
        lambda r, f: _relu(1 - np.mean(r)) + _relu(1 + np.mean(f)),
    ],
    "check_lipschitz_bound": [
        _bound_with(per_layer=lambda k, b: np.linalg.norm(k)),  # Frobenius.
        _bound_with(activation=lambda slope: slope),
        _bound_with(activations=len),  # An activation after the logit.
        _bound_with(activation=lambda slope: 1.0),
        _bound_with(combine=np.sum),
        _bound_with(
            per_layer=lambda k, b: np.linalg.norm(k, 2) + np.linalg.norm(b)
        ),
        _bound_with(per_layer=lambda k, b: np.linalg.norm(k, 2) ** 2),
        _bound_with(estimates=lambda sigma, estimate: sigma),  # Ignored.
        _bound_with(estimates=lambda sigma, estimate: sigma * estimate),
        _bound_with(
            per_layer=lambda k, b: np.max(np.abs(np.linalg.eigvals(k)))
        ),  # Breaks on non-square kernels.
        _bound_with(per_layer=lambda k, b: np.linalg.norm(k, -2)),  # Smallest.
        _bound_with(per_layer=lambda k, b: np.abs(k).max()),
    ],
    "check_spectral_norm": [
        lambda w, u, n: np.linalg.svd(
            np.reshape(w, (-1, np.shape(w)[-1])), compute_uv=False
        )[0],  # The SVD.
        lambda w, u, n: float(np.linalg.norm(np.asarray(w, "float64"))),
        _spectral_with(iterations=lambda n: n + 1),
        _spectral_with(iterations=lambda n: n - 1),  # Breaks at n = 1.
        _spectral_with(iterations=lambda n: max(n - 1, 1)),
        lambda w, u, n: spectral_norm(w, u, n) ** 2,
        _spectral_old_u,
        _spectral_with(transpose=True),  # Breaks on non-square matrices.
        _spectral_with(order="F"),  # A different reshape of the kernel.
        _spectral_skips_normalising_u,
        lambda w, u, n: spectral_norm(w, u, 1),  # Ignores num_iterations.
        lambda w, u, n: (
            spectral_norm(np.reshape(w, (np.shape(w)[0], -1)), u, n)
            if np.ndim(w) == 4
            else spectral_norm(w, u, n)
        ),  # Keeps the first axis.
    ],
}

# The mistake the FAIL line names, for a few wrong answers.
DIAGNOSES = [
    ("check_hinge_d_loss", 0, "swapping the real and the fake logits"),
    ("check_hinge_d_loss", 1, "leaving out the clipping at zero"),
    ("check_hinge_d_loss", 2, "a margin of 0"),
    ("check_hinge_d_loss", 3, "one mean over the real and fake terms"),
    ("check_hinge_d_loss", 4, "sums in place of means"),
    ("check_hinge_d_loss", 5, "squaring the hinge"),
    ("check_hinge_d_loss", 6, "the non-saturating loss"),
    ("check_hinge_d_loss", 7, "the generator's hinge loss"),
    ("check_lipschitz_bound", 0, "the Frobenius norm"),
    ("check_lipschitz_bound", 1, "multiplying by the negative slope"),
    ("check_lipschitz_bound", 2, "an activation after the last layer"),
    ("check_lipschitz_bound", 3, "constant as 1"),
    ("check_lipschitz_bound", 4, "adding the layers' constants"),
    ("check_lipschitz_bound", 5, "counting the bias"),
    ("check_lipschitz_bound", 6, "the squared largest singular value"),
    ("check_lipschitz_bound", 7, "ignoring sigma_estimates"),
    ("check_lipschitz_bound", 8, "multiplying by the estimates"),
    ("check_spectral_norm", 0, "the largest singular value (the SVD)"),
    ("check_spectral_norm", 1, "the Frobenius norm"),
    ("check_spectral_norm", 2, "one iteration too many"),
    ("check_spectral_norm", 4, "one iteration too few"),
    ("check_spectral_norm", 5, "the square of the estimate"),
    ("check_spectral_norm", 6, "u from before its last update"),
    ("check_spectral_norm", 8, "flattening the kernel in another order"),
]

# Tokens of the answers that no FAIL line may print.
FORMULA = re.compile(
    r"np\.|\*\*|relu\(|max\(|svd\(|norm\(|1 - |W\^T|u\^T|@|ord="
)


def _stub(layers, negative_slope=0.2, sigma_estimates=None):
    raise NotImplementedError("Exercise: implement lipschitz_bound")


def _mutating(w, u, num_iterations):
    result = spectral_norm(w, u, num_iterations)
    w[...] = 0.0
    u[...] = 1.0
    return result


def _mutating_bound(layers, negative_slope=0.2, sigma_estimates=None):
    result = lipschitz_bound(layers, negative_slope, sigma_estimates)
    for kernel, bias in layers:
        kernel[...] = 0.0
        bias[...] = 0.0
    return result


exercise_tables.add_checker_tests(
    globals(),
    lesson04,
    forbidden=FORMULA,
    stub=("check_lipschitz_bound", _stub),
    not_callable="check_spectral_norm",
    mutating={
        "check_spectral_norm": _mutating,
        "check_lipschitz_bound": _mutating_bound,
    },
    deterministic=(
        "check_hinge_d_loss",
        WRONG_ANSWERS["check_hinge_d_loss"][0],
    ),
    quotes_errors=True,
    check_hints=True,
)


def test_hidden_cases_are_labelled_and_reached():
    # Right on the visible cases only: each checker fails on a hidden case.
    def spectral_2d_only(w, u, num_iterations):
        if np.shape(w) not in [(5, 3), (3, 3)]:
            return 0.0
        return spectral_norm(w, u, num_iterations)

    def bound_visible_only(layers, negative_slope=0.2, sigma_estimates=None):
        if len(layers) != 3:
            return 1.0
        return lipschitz_bound(layers, negative_slope, sigma_estimates)

    passed, text = check("check_spectral_norm", spectral_2d_only)
    assert passed is False and "on hidden case 1 (wide (3, 7)" in text, text
    passed, text = check("check_lipschitz_bound", bound_visible_only)
    assert passed is False and "on hidden case 1 (one square" in text, text

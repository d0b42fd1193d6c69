"""Student copies and graded exercises, checked without starting kernels.

学生版与分级练习的检查（不启动内核）。

The cells are executed with ``exec`` in a namespace holding the lessons'
imports: every reference solution must pass its checker, every student stub
must fail it, and plausible wrong answers must fail too.
"""

import ast
import io
import json
import re
from contextlib import redirect_stdout
from pathlib import Path

import keras
import numpy as np
import pytest
import scipy.linalg
import tensorflow as tf

from gancourse.course import assign
from gancourse.course import exercises
from tests.test_exercises_lesson11 import WRONG_ANSWERS as LESSON11_WRONG

LESSON_DIR = Path(__file__).parent.parent / "lessons"
LESSONS = sorted(LESSON_DIR.glob("[0-9][0-9]_*.ipynb"))
CHECK_CALL = re.compile(r"exercises\.(check_\w+)\((\w+)\)")
STARS = re.compile(r"^###[^\n]*?(★+)")


def _source(cell):
    source = cell["source"]
    return "".join(source) if isinstance(source, list) else source


def _namespace():
    return {"np": np, "keras": keras, "tf": tf, "scipy": scipy}


def _exercises(notebook):
    """(markdown, solution cell, checker, function name) per exercise."""
    cells = notebook["cells"]
    found = []
    for index, cell in enumerate(cells):
        if "solution" not in cell.get("metadata", {}).get("tags", []):
            continue
        markdown, checker = cells[index - 1], cells[index + 1]
        match = CHECK_CALL.search(_source(checker))
        assert markdown["cell_type"] == "markdown", index
        assert match, f"cell {index + 1} must call exercises.check_*(fn)"
        found.append((_source(markdown), cell, match[1], match[2]))
    return found


def _check(checker, function):
    buffer = io.StringIO()
    with redirect_stdout(buffer):
        result = getattr(exercises, checker)(function)
    return result, buffer.getvalue()


@pytest.fixture(scope="module")
def student_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("student")
    assert assign.main([str(LESSON_DIR), str(out)]) == 0
    return out


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_lesson_ends_with_graded_exercises(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    found = _exercises(notebook)
    assert len(found) >= 3, "each lesson needs at least 3 graded exercises"
    ratings = []
    for markdown, _, _, _ in found:
        stars = STARS.match(markdown)
        assert stars, f"exercise heading without a star rating: {markdown[:60]}"
        assert re.search(r"练习", markdown) and "Exercise" in markdown
        ratings.append(len(stars[1]))
    assert {1, 2, 3} <= set(ratings), f"graded difficulty: {ratings}"
    assert ratings == sorted(ratings), "from easy to hard"
    # The last cell of the lesson is the last exercise's checker.
    assert CHECK_CALL.search(_source(notebook["cells"][-1]))
    headings = [
        _source(cell).splitlines()[0]
        for cell in notebook["cells"]
        if cell["cell_type"] == "markdown" and _source(cell).startswith("## ")
    ]
    assert headings[-2:] == ["## 小结 / Summary", "## 练习 / Exercises"]


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_student_copy_round_trip(path, student_dir):
    original = json.loads(path.read_text(encoding="utf-8"))
    student = json.loads((student_dir / path.name).read_text(encoding="utf-8"))
    assert "gancourse" not in student["metadata"]
    assert len(student["cells"]) == len(original["cells"])
    quizzes = 0
    for before, after in zip(original["cells"], student["cells"]):
        assert before["cell_type"] == after["cell_type"]
        if after["cell_type"] != "code":
            assert after == before
            continue
        assert after["outputs"] == [] and after["execution_count"] is None
        tags = after.get("metadata", {}).get("tags", [])
        assert "solution" not in tags and "quiz-solution" not in tags
        if not {"exercise", "quiz"} & set(tags):
            assert _source(after) == _source(before)
        if "quiz" in tags:  # 测验答案全部清空 / Every quiz answer is blanked.
            namespace = {}
            exec(_source(after), namespace)  # noqa: S102 - our own cells.
            answers = namespace["quiz_answers"]
            assert answers and set(answers.values()) == {None}
            quizzes += 1
    assert quizzes == 1, "each lesson has one quiz"

    solutions, stubs = _namespace(), _namespace()
    student_exercises = _exercises_by_tag(student)
    reference = _exercises(original)
    assert len(student_exercises) == len(reference)
    for (_, cell, checker, name), stub in zip(reference, student_exercises):
        exec(_source(cell), solutions)  # noqa: S102 - our own lesson cells.
        passed, text = _check(checker, solutions[name])
        assert passed is True and text.startswith("PASS: "), text

        stub_source = _source(stub)
        assert "# TODO" in stub_source and "NotImplementedError" in stub_source
        assert _signature(stub_source, name) == _signature(_source(cell), name)
        exec(stub_source, stubs)  # noqa: S102
        with pytest.raises(NotImplementedError, match="Exercise: implement"):
            _call_anything(stubs[name])
        failed, text = _check(checker, stubs[name])
        assert failed is False, text
        assert text.startswith("FAIL: ") and "not implemented" in text, text
        assert "Hint: " in text and text.isascii()


def _exercises_by_tag(notebook):
    return [
        cell
        for cell in notebook["cells"]
        if "exercise" in cell.get("metadata", {}).get("tags", [])
    ]


def _signature(source, name):
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            return ast.dump(node.args), ast.get_docstring(node)
    raise AssertionError(f"{name} not defined")


def _call_anything(function):
    count = function.__code__.co_argcount - len(function.__defaults__ or ())
    function(*([None] * count))


def test_every_checker_is_used_by_a_lesson():
    used = set()
    for path in LESSONS:
        notebook = json.loads(path.read_text(encoding="utf-8"))
        used |= {checker for _, _, checker, _ in _exercises(notebook)}
    assert used == set(exercises.__all__)


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-np.asarray(x, "float64")))


def _gram(features):
    f = np.asarray(features, "float64")
    b, h, w, c = f.shape
    flat = f.reshape(b, h * w, c)
    return np.transpose(flat, (0, 2, 1)) @ flat / (h * w)


def _upsample_with_bias(filters):
    return keras.Sequential(
        [
            keras.layers.Conv2DTranspose(filters, 4, strides=2, padding="same"),
            keras.layers.BatchNormalization(),
            keras.layers.LeakyReLU(0.2),
        ]
    )


def _upsample_stride_1(filters):
    return keras.Sequential(
        [
            keras.layers.Conv2DTranspose(
                filters, 4, padding="same", use_bias=False
            ),
            keras.layers.BatchNormalization(),
            keras.layers.LeakyReLU(0.2),
        ]
    )


def _penalty_without_minus_one(critic, real, fake, alpha):
    x_hat = alpha * real + (1.0 - alpha) * fake
    with tf.GradientTape() as tape:
        tape.watch(x_hat)
        scores = critic(x_hat)
    grads = tape.gradient(scores, x_hat)
    axes = list(range(1, len(grads.shape)))
    return tf.reduce_mean(tf.reduce_sum(tf.square(grads), axis=axes))


def _penalty_last_axis_only(critic, real, fake, alpha):
    x_hat = alpha * real + (1.0 - alpha) * fake
    with tf.GradientTape() as tape:
        tape.watch(x_hat)
        scores = critic(x_hat)
    norms = tf.norm(tape.gradient(scores, x_hat), axis=-1)
    return tf.reduce_mean(tf.square(norms - 1.0))


def _slerp_as_lerp(z0, z1, t):
    return (1 - t) * np.asarray(z0) + t * np.asarray(z1)


def _slerp_without_fallback(z0, z1, t):
    z0, z1 = np.asarray(z0, "float64"), np.asarray(z1, "float64")
    cos = z0 @ z1 / (np.linalg.norm(z0) * np.linalg.norm(z1))
    omega = np.arccos(cos)
    return (np.sin((1 - t) * omega) * z0 + np.sin(t * omega) * z1) / np.sin(
        omega
    )


def _pool_always_new(pool, images, pool_size, draws):
    pool = list(pool)
    for image in images:
        if len(pool) < pool_size:
            pool.append(image)
    return np.asarray(images), pool


def _pool_swap_when_high(pool, images, pool_size, draws):
    pool, out = list(pool), []
    for image, (p, r) in zip(images, draws):
        if len(pool) < pool_size:
            pool.append(image)
            out.append(image)
        elif pool_size and p >= 0.5:
            index = int(r * pool_size)
            out.append(pool[index])
            pool[index] = image
        else:
            out.append(image)
    return np.stack(out), pool


def _mask_fixed_corner(height, width, box_size, rng):
    mask = np.zeros((height, width), "float32")
    mask[:box_size, :box_size] = 1
    return mask


def _mask_off_by_one(height, width, box_size, rng):
    mask = np.zeros((height, width), "float32")
    top = rng.integers(0, height - box_size)
    left = rng.integers(0, width - box_size)
    mask[top : top + box_size, left : left + box_size] = 1
    return mask


def _mask_inverted(height, width, box_size, rng):
    mask = np.ones((height, width), "float32")
    top = rng.integers(0, height - box_size + 1)
    left = rng.integers(0, width - box_size + 1)
    mask[top : top + box_size, left : left + box_size] = 0
    return mask


def _ring_ignores_min_fraction(
    samples, num_modes=8, radius=2.0, std=0.05, min_fraction=0.01
):
    angles = 2 * np.pi * np.arange(num_modes) / num_modes
    centres = radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    distances = np.linalg.norm(
        np.asarray(samples)[:, None] - centres[None], axis=-1
    )
    near = distances < 3 * std
    return int(near.any(axis=0).sum()), float(near.any(axis=1).mean())


def _kid_biased(a, b):
    a, b = np.asarray(a, "float64"), np.asarray(b, "float64")
    d = a.shape[1]

    def k(x, y):
        return (x @ y.T / d + 1) ** 3

    return k(a, a).mean() + k(b, b).mean() - 2 * k(a, b).mean()


def _kid_linear_kernel(a, b):
    a, b = np.asarray(a, "float64"), np.asarray(b, "float64")
    m, n = len(a), len(b)
    kaa, kbb = a @ a.T, b @ b.T
    return (
        (kaa.sum() - np.trace(kaa)) / (m * (m - 1))
        + (kbb.sum() - np.trace(kbb)) / (n * (n - 1))
        - 2 * (a @ b.T).mean()
    )


def _fid_without_factor_two(mu1, s1, mu2, s2):
    covmean = scipy.linalg.sqrtm(s1 @ s2).real
    return np.sum((mu1 - mu2) ** 2) + np.trace(s1 + s2 - covmean)


def _fid_elementwise_sqrt(mu1, s1, mu2, s2):
    covmean = np.sqrt(np.abs(s1 * s2))
    return np.sum((mu1 - mu2) ** 2) + np.trace(s1 + s2 - 2 * covmean)


def _is_without_exp(p):
    p = np.asarray(p, "float64")
    q = p.mean(0, keepdims=True)
    return np.mean(np.sum(p * (np.log(p + 1e-12) - np.log(q + 1e-12)), 1))


def _is_nan_on_zeros(p):
    p = np.asarray(p, "float64")
    q = p.mean(0, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.exp(np.mean(np.sum(p * np.log(p / q), 1)))


def _spectral_frobenius(w, u, n):
    return float(np.linalg.norm(np.asarray(w, "float64")))


def _spectral_skips_normalising_u(w, u, n):
    w, u = np.asarray(w, "float64"), np.asarray(u, "float64")
    for _ in range(n):
        v = w.T @ u
        v = v / np.linalg.norm(v)
        u = w @ v
    return float(u @ w @ v)


def _style_on_raw_features(style, generated, layer_weights=None):
    weights = layer_weights or [1 / len(style)] * len(style)
    return sum(
        w * np.mean((np.asarray(g) - np.asarray(s)) ** 2)
        for w, s, g in zip(weights, style, generated)
    )


def _style_unweighted(style, generated, layer_weights=None):
    return sum(
        np.mean((_gram(g) - _gram(s)) ** 2) for s, g in zip(style, generated)
    )


WRONG_ANSWERS = {
    "check_minimax_d_loss": [
        lambda r, f: (
            -(np.mean(np.logaddexp(0, -r)) + np.mean(np.logaddexp(0, f)))
        ),
        lambda r, f: (
            -np.mean(np.log(_sigmoid(r))) - np.mean(np.log(1 - _sigmoid(f)))
        ),  # Unstable at +-200.
        lambda r, f: np.mean(np.logaddexp(0, r)) + np.mean(np.logaddexp(0, -f)),
    ],
    "check_non_saturating_g_loss": [
        lambda f: -np.mean(np.logaddexp(0, f)),  # The saturating loss.
        lambda f: -np.mean(np.log(_sigmoid(f))),  # Unstable at -200.
    ],
    "check_ring_mode_coverage": [
        lambda s, num_modes=8, radius=2.0, std=0.05, min_fraction=0.01: (
            num_modes,
            1.0,
        ),
        _ring_ignores_min_fraction,
    ],
    "check_conv_transpose_output_size": [
        lambda size, kernel, strides, padding: size * strides,
        lambda size, kernel, strides, padding: (
            size * strides
            if padding == "same"
            else (size - 1) * strides + kernel
        ),  # Wrong when the kernel is smaller than the stride.
    ],
    "check_upsample_block": [_upsample_with_bias, _upsample_stride_1],
    "check_slerp": [_slerp_as_lerp, _slerp_without_fallback],
    "check_one_hot": [
        lambda labels, k: np.eye(k + 1)[np.asarray(labels)][:, 1:],
        lambda labels, k: np.asarray(labels)[:, None] * np.ones((1, k)),
    ],
    "check_generator_input": [
        lambda z, y, e: np.concatenate([np.asarray(e)[y], z], -1),
        lambda z, y, e: np.concatenate([z, np.asarray(e)[y - 1]], -1),
    ],
    "check_projection_logits": [
        lambda f, y, w, b, e: f @ w + b,  # No projection term.
        lambda f, y, w, b, e: np.sum(np.asarray(e)[y] * f, -1),  # No psi.
    ],
    "check_hinge_d_loss": [
        lambda r, f: (
            np.mean(np.maximum(0, 1 + r)) + np.mean(np.maximum(0, 1 - f))
        ),
        lambda r, f: np.mean(1 - r) + np.mean(1 + f),  # No max(0, .).
    ],
    "check_gradient_penalty": [
        _penalty_without_minus_one,
        _penalty_last_axis_only,
    ],
    "check_spectral_norm": [
        _spectral_frobenius,
        _spectral_skips_normalising_u,
    ],
    "check_inception_score": [_is_without_exp, _is_nan_on_zeros],
    "check_frechet_distance": [
        _fid_without_factor_two,
        _fid_elementwise_sqrt,
    ],
    "check_kid": [_kid_biased, _kid_linear_kernel],
    "check_psnr": [
        lambda p, t, max_val=2.0: (
            10 * np.log10(max_val / np.mean((np.asarray(p) - t) ** 2))
        ),
        lambda p, t, max_val=2.0: (
            10
            * np.log10(max_val**2 / (np.mean((np.asarray(p) - t) ** 2) + 1e-10))
        ),
    ],
    "check_random_box_mask": [
        _mask_fixed_corner,
        _mask_off_by_one,
        _mask_inverted,
    ],
    "check_pix2pix_g_loss": [
        lambda lo, g, t, lambda_l1=100.0: (
            np.mean(np.logaddexp(0, -lo))
            + lambda_l1 * np.mean((np.asarray(g) - t) ** 2)
        ),  # L2.
        lambda lo, g, t, lambda_l1=100.0: (
            np.mean(np.logaddexp(0, -lo)) + np.mean(np.abs(np.asarray(g) - t))
        ),  # Forgets lambda.
    ],
    "check_cycle_consistency_loss": [
        lambda r, c, lambda_cycle=10.0: np.mean(np.abs(np.asarray(r) - c)),
        lambda r, c, lambda_cycle=10.0: (
            lambda_cycle * np.mean((np.asarray(r) - c) ** 2)
        ),
    ],
    "check_identity_loss": [
        lambda r, s, lambda_cycle=10.0, lambda_identity=0.5: (
            lambda_identity * np.mean(np.abs(np.asarray(s) - r))
        ),  # Not relative to the cycle.
    ],
    "check_image_pool_query": [_pool_always_new, _pool_swap_when_high],
    "check_gram_matrix": [
        lambda f: _gram(f) * f.shape[1] * f.shape[2],  # Not normalised.
        lambda f: _gram(f) / f.shape[3],
    ],
    "check_total_variation_loss": [
        lambda x: (
            np.mean(np.abs(x[:, 1:] - x[:, :-1]))
            + np.mean(np.abs(x[:, :, 1:] - x[:, :, :-1]))
        ),
        lambda x: np.mean((x[:, 1:] - x[:, :-1]) ** 2),  # Vertical only.
    ],
    "check_style_loss": [_style_on_raw_features, _style_unweighted],
}
WRONG_ANSWERS.update(LESSON11_WRONG)  # Lesson 11 keeps its own tables.


def test_every_checker_has_wrong_answers():
    assert set(WRONG_ANSWERS) == set(exercises.__all__)


@pytest.mark.parametrize(
    "checker, index",
    [
        (name, i)
        for name, wrong in WRONG_ANSWERS.items()
        for i in range(len(wrong))
    ],
)
def test_checkers_fail_on_plausible_wrong_answers(checker, index):
    with np.errstate(all="ignore"):
        passed, text = _check(checker, WRONG_ANSWERS[checker][index])
    assert passed is False, text
    assert text.startswith("FAIL: ") and "Hint: " in text, text
    assert text.count("\n") == 1 and text.isascii(), text


def test_checker_reports_exceptions_and_rejects_non_callables():
    def broken(real_logits, fake_logits):
        raise KeyError("boom")

    passed, text = _check("check_minimax_d_loss", broken)
    assert passed is False
    assert "raised KeyError" in text and "Hint:" in text
    passed, text = _check("check_one_hot", lambda labels, k: "not an array")
    assert passed is False and text.startswith("FAIL: ")
    with pytest.raises(ValueError, match="expects a function"):
        exercises.check_kid(np.zeros(3))


def test_checker_output_is_deterministic():
    def psnr(predicted, target, max_val=2.0):
        return 0.0

    outputs = {_check("check_psnr", psnr)[1] for _ in range(2)}
    assert len(outputs) == 1


def test_make_stub_rejects_cells_it_cannot_stub():
    with pytest.raises(ValueError, match="only imports and function"):
        assign.make_stub("x = 1\n\ndef f():\n    return x\n")
    with pytest.raises(ValueError, match="at least one function"):
        assign.make_stub("import numpy as np\n")
    with pytest.raises(ValueError, match="valid Python"):
        assign.make_stub("def f(:\n")
    stub = assign.make_stub(
        "import math\n\ndef f(a, b=2):\n    return a\n\n"
        "def g():\n    '''Doc.'''\n    return 1\n"
    )
    namespace = {}
    exec(stub, namespace)  # noqa: S102
    assert "import math" in stub and namespace["g"].__doc__ == "Doc."
    for name in ("f", "g"):
        with pytest.raises(NotImplementedError, match=name):
            _call_anything(namespace[name])


def test_assign_errors(tmp_path, capsys):
    assert assign.main([str(tmp_path / "missing"), str(tmp_path / "o")]) == 2
    assert "does not exist" in capsys.readouterr().err
    empty = tmp_path / "empty"
    empty.mkdir()
    assert assign.main([str(empty), str(tmp_path / "o")]) == 2
    assert "No lesson notebooks" in capsys.readouterr().err
    for inside in (LESSON_DIR, LESSON_DIR / "student"):
        with pytest.raises(ValueError, match="must not be the input folder"):
            assign.build_student_copies(LESSON_DIR, inside)
    (tmp_path / "file").write_text("x")
    with pytest.raises(ValueError, match="is a file"):
        assign.build_student_copies(LESSON_DIR, tmp_path / "file")
    bad = tmp_path / "bad"
    bad.mkdir()
    notebook = {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": 1,
                "metadata": {"tags": ["solution"]},
                "outputs": [],
                "source": ["print('no function here')"],
            }
        ],
        "metadata": {},
    }
    (bad / "01_bad.ipynb").write_text(json.dumps(notebook))
    with pytest.raises(ValueError, match="01_bad.ipynb: A solution cell"):
        assign.build_student_copies(bad, tmp_path / "out")

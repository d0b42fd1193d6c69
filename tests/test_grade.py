"""The class grader on a folder of test submissions built here.

全班评分程序：在这里构建的一组测试提交上运行并核对分数。

The submissions are tiny notebooks made like the course's own: a "lesson"
with two solution cells checked by lesson 01's real checkers and lesson
01's quiz, turned into a student copy by ``gancourse.course.assign``. One
grader run covers a perfect student, an untouched student copy, typical
mistakes, a kernel crash, an endless GIL-holding loop, a flood of output and
two forbidden model files; every student's expected scores are asserted.
"""

import csv
import io
import json
import pickle
import zipfile
from contextlib import redirect_stdout

import pytest

from gancourse.course import assign
from gancourse.course import exercises
from gancourse.course import gradelog
from gancourse.course.grading import capstone
from gancourse.course.grading import cli
from gancourse.course.grading import grader
from gancourse.course.quizzes import lesson01

MINIMAX = '''import numpy as np


def minimax_d_loss(real_logits, fake_logits):
    """Minimax discriminator loss from logits."""
    real = np.asarray(real_logits, "float64")
    fake = np.asarray(fake_logits, "float64")
    return np.logaddexp(0, -real).mean() + np.logaddexp(0, fake).mean()'''
D_STAR_AND_JS = '''import numpy as np


def d_star_and_js(p_data, p_g):
    """The optimal discriminator and the JS divergence on K points."""
    p_data = np.asarray(p_data, "float64") / np.sum(p_data)
    p_g = np.asarray(p_g, "float64") / np.sum(p_g)
    total = p_data + p_g
    d_star = np.divide(p_data, total, out=np.full_like(total, 0.5),
                       where=total > 0)
    mixture = total / 2
    js = 0.0
    for p in (p_data, p_g):
        inside = p > 0
        js += 0.5 * np.sum(p[inside] * np.log(p[inside] / mixture[inside]))
    return d_star, js'''
UNSTABLE_MINIMAX = """import numpy as np


def minimax_d_loss(real_logits, fake_logits):
    d_real = 1 / (1 + np.exp(-np.asarray(real_logits, "float64")))
    d_fake = 1 / (1 + np.exp(-np.asarray(fake_logits, "float64")))
    return -np.log(d_real).mean() - np.log(1 - d_fake).mean()"""
EXERCISES = ["lesson01.minimax_d_loss", "lesson01.d_star_and_js"]


def _cell(kind, source, tags=()):
    cell = {"cell_type": kind, "metadata": {"tags": list(tags)}}
    cell["source"] = source
    if kind == "code":
        cell.update(outputs=[], execution_count=None)
    return cell


def _solution_notebook():
    check = "from gancourse.course import exercises\n\npassed = exercises.{}"
    cells = [
        _cell("markdown", "# 小测 / Mini lesson"),
        _cell("code", MINIMAX, ["solution"]),
        _cell("code", check.format("check_minimax_d_loss(minimax_d_loss)")),
        _cell("code", D_STAR_AND_JS, ["solution"]),
        _cell("code", check.format("check_d_star_and_js(d_star_and_js)")),
    ] + lesson01.QUIZ.cells()
    return {
        "cells": cells,
        "metadata": {"kernelspec": {"name": "python3", "language": "python"}},
        "nbformat": 4,
        "nbformat_minor": 4,
    }


def _insert(notebook, index, source):
    notebook = json.loads(json.dumps(notebook))
    notebook["cells"].insert(index, _cell("code", source))
    return notebook


def _write(path, notebook):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(notebook), encoding="utf-8")


def _keras_archive(path, config):
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("config.json", json.dumps(config))
        archive.writestr("metadata.json", "{}")
        archive.writestr("model.weights.h5", b"")


LAMBDA_CONFIG = {
    "module": "keras",
    "class_name": "Sequential",
    "config": {
        "layers": [
            {
                "module": "keras.layers",
                "class_name": "Lambda",
                "config": {"function": {"class_name": "__lambda__"}},
            }
        ]
    },
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    import keras

    root = tmp_path_factory.mktemp("class")
    subs = root / "submissions"
    solution = _solution_notebook()
    student = assign.make_student_notebook(solution)
    answers = {k: q.answer for k, q in lesson01.QUIZ.questions.items()}
    wrong = next(c for c in "abcd" if c != answers["q3"])
    mistakes = json.loads(json.dumps(student))
    mistakes["cells"][1]["source"] = UNSTABLE_MINIMAX
    mistakes["cells"][3]["source"] = D_STAR_AND_JS
    mistakes["cells"][6]["source"] = (
        f"quiz_answers = {{'q1': {answers['q1']!r}, 'q2': "
        f"{answers['q2']!r}, 'q3': {wrong!r}, 'q4': None, 'q5': 'zz'}}"
    )
    mistakes = _insert(mistakes, 5, "undefined_name + 1")
    _write(subs / "perfect" / "lesson.ipynb", solution)
    generator = keras.Sequential(
        [
            keras.Input((4,)),
            keras.layers.Dense(28 * 28, activation="tanh"),
            keras.layers.Reshape((28, 28, 1)),
        ]
    )
    generator.save(subs / "perfect" / "generator.keras")
    _write(subs / "empty.ipynb", student)
    _write(subs / "mistakes.ipynb", mistakes)
    _write(subs / "crash.ipynb", _insert(solution, 3, "import os\nos._exit(3)"))
    _write(subs / "loop.ipynb", _insert(solution, 1, "sum(range(10**15))"))
    _write(subs / "flood.ipynb", _insert(student, 1, "while True: print('x')"))
    _write(subs / "pickled" / "lesson.ipynb", solution)
    (subs / "pickled" / "generator.keras").write_bytes(pickle.dumps({1: 2}))
    _write(subs / "lambda" / "lesson.ipynb", student)
    _keras_archive(subs / "lambda" / "generator.keras", LAMBDA_CONFIG)
    tiers = root / "tiers.json"
    tiers.write_text(
        json.dumps(
            {
                "tiers": [
                    {"name": "simple", "points": 1, "fid": 1e9},
                    {"name": "boss", "points": 4, "fid": 1e-3},
                ]
            }
        )
    )
    out = root / "out"
    code = cli.main(
        [
            str(subs),
            "--out",
            str(out),
            "--timeout",
            "30",
            "--jobs",
            "2",
            "--max-output",
            "100000",
            "--capstone-images",
            "200",
            "--tiers",
            str(tiers),
        ]
    )
    assert code == 0
    with open(out / "grades.csv", encoding="utf-8") as handle:
        rows = {row["student"]: row for row in csv.DictReader(handle)}
    return rows, out


EXPECTED = {
    # student: (status, minimax, d_star_and_js, quiz, capstone tier, total)
    "perfect": ("ok", 1, 1, 5, "simple", 8),
    "empty": ("ok", 0, 0, 0, "missing", 0),
    "mistakes": ("errors", 0, 1, 2, "missing", 3),
    "crash": ("kernel-died", 1, 0, 0, "missing", 1),
    "loop": ("timeout", 0, 0, 0, "missing", 0),
    "flood": ("output-limit", 0, 0, 0, "missing", 0),
    "pickled": ("ok", 1, 1, 5, "refused", 7),
    "lambda": ("ok", 0, 0, 0, "refused", 0),
}


@pytest.mark.parametrize("student", sorted(EXPECTED))
def test_expected_scores_per_student(graded, student):
    rows, _ = graded
    row = rows[student]
    status, minimax, d_star_and_js, quiz, tier, total = EXPECTED[student]
    assert row["status"] == status
    assert int(row[EXERCISES[0]]) == minimax
    assert int(row[EXERCISES[1]]) == d_star_and_js
    assert int(row["lesson01.quiz"]) == quiz
    assert row["capstone_tier"] == tier
    assert int(row["total"]) == total
    assert int(row["max_total"]) == 2 + 5 + 4


def test_outputs_reports_and_capstone_details(graded):
    rows, out = graded
    assert list(rows) == sorted(EXPECTED)
    assert float(rows["perfect"]["capstone_fid"]) > 0
    assert rows["perfect"]["capstone_points"] == "1"
    results = {
        r["student"]: r
        for r in json.loads((out / "grades.json").read_text("utf-8"))
    }
    assert "pickle" in results["pickled"]["capstone"]["reason"]
    assert "Lambda" in results["lambda"]["capstone"]["reason"]
    quiz = results["mistakes"]["items"]["lesson01.quiz"]["questions"]
    assert quiz == {
        "q1": "correct",
        "q2": "correct",
        "q3": "wrong",
        "q4": "unanswered",
        "q5": "invalid",
    }
    report = (out / "reports" / "mistakes.md").read_text("utf-8")
    assert "# 成绩报告 / Grade report: mistakes" in report
    assert "**总分 / Total: 3 / 11**" in report
    assert lesson01.QUIZ.questions["q3"].explanation_en in report
    assert lesson01.QUIZ.questions["q1"].explanation_en not in report
    assert "over the time limit" in (out / "reports" / "loop.md").read_text()
    assert sorted(p.name for p in (out / "executed").iterdir()) == sorted(
        EXPECTED
    )


def test_shipped_tiers_are_measured_and_get_harder():
    table = grader.load_tiers()
    tiers = table["tiers"]
    assert [t["name"] for t in tiers] == ["simple", "medium", "strong", "boss"]
    assert [t["points"] for t in tiers] == [1, 2, 3, 4]
    for tier in tiers:
        assert tier["status"].startswith("measured "), tier
        assert tier["command"].startswith("python -m gancourse train dcgan ")
        assert f"--time-limit {table['budget_seconds']:g}" in tier["command"]
        assert tier["steps"] > 0 and tier["train_seconds"] >= 600
    fids = [t["fid"] for t in tiers]
    assert fids == sorted(fids, reverse=True) and len(set(fids)) == 4
    # 基线本身达到自己的档位 / Each baseline reaches its own tier.
    for tier in tiers:
        scores = {"fid": tier["fid"], "kid_x1000": tier["kid_x1000"]}
        assert capstone.tier_of(scores, table) == (tier["name"], tier["points"])


def test_unmeasured_tiers_give_no_tier_and_no_points():
    table = grader.load_tiers()
    table["tiers"][-1].update(fid=None, status="NOT YET MEASURED")
    scores = {"fid": 0.0, "kid_x1000": 0.0}
    assert capstone.tier_of(scores, table) == ("not measured", None)
    measured = {
        "tiers": [
            {"name": "simple", "points": 1, "fid": 50, "kid_x1000": 20},
            {"name": "medium", "points": 2, "fid": 30, "kid_x1000": None},
        ]
    }
    assert capstone.tier_of({"fid": 40, "kid_x1000": 10}, measured) == (
        "simple",
        1,
    )
    assert capstone.tier_of({"fid": 40, "kid_x1000": 30}, measured) == (
        None,
        0,
    )
    assert capstone.tier_of({"fid": 29, "kid_x1000": 5}, measured) == (
        "medium",
        2,
    )


def test_model_file_checks(tmp_path):
    folder = tmp_path / "student"
    folder.mkdir()
    good = folder / "generator.keras"
    _keras_archive(good, {"module": "keras", "class_name": "Sequential"})
    assert capstone.inspect_model_file(good, folder) is None
    outside = tmp_path / "elsewhere.keras"
    outside.write_bytes(good.read_bytes())
    link = folder / "link.keras"
    link.symlink_to(outside)
    assert "symbolic link" in capstone.inspect_model_file(link, folder)
    assert "outside" in capstone.inspect_model_file(outside, folder)
    h5 = folder / "generator.h5"
    h5.write_bytes(b"\x89HDF")
    assert ".keras" in capstone.inspect_model_file(h5, folder)
    custom = folder / "custom.keras"
    _keras_archive(custom, {"module": "evil.layers", "class_name": "Boom"})
    assert "module" in capstone.inspect_model_file(custom, folder)
    registered = folder / "registered.keras"
    config = {"class_name": "X", "registered_name": "Student>Boom"}
    _keras_archive(registered, config)
    assert "custom object" in capstone.inspect_model_file(registered, folder)
    extra = folder / "extra.keras"
    _keras_archive(extra, {})
    with zipfile.ZipFile(extra, "a") as archive:
        archive.writestr("payload.pkl", pickle.dumps(1))
    assert "unexpected" in capstone.inspect_model_file(extra, folder)


def test_checker_runs_are_logged_without_changing_the_output(
    tmp_path, monkeypatch
):
    namespace = {}
    exec(MINIMAX, namespace)  # noqa: S102 - the test's own solution.

    def run():
        buffer = io.StringIO()
        with redirect_stdout(buffer):
            exercises.check_minimax_d_loss(namespace["minimax_d_loss"])
        return buffer.getvalue()

    monkeypatch.delenv(gradelog.ENV_VAR, raising=False)
    plain = run()
    log = tmp_path / "grade.jsonl"
    monkeypatch.setenv(gradelog.ENV_VAR, str(log))
    assert run() == plain and plain.startswith("PASS: ")
    entry = gradelog.read_log(log)["lesson01.minimax_d_loss"]
    assert entry["passed"] is True and entry["score"] == 1
    with pytest.raises(ValueError):
        exercises.check_minimax_d_loss(None)
    assert gradelog.read_log(log)["lesson01.minimax_d_loss"]["score"] == 0
    assert grader.known_item(entry)
    assert not grader.known_item(dict(entry, id="lesson01.made_up_name"))
    assert not grader.known_item(dict(entry, kind="quiz", id="lesson01.quiz"))


def test_bad_arguments_exit_with_2(tmp_path, capsys):
    assert cli.main([str(tmp_path / "missing")]) == 2
    assert cli.main([str(tmp_path), "--out", str(tmp_path / "out")]) == 2
    assert "must not be the submissions folder" in capsys.readouterr().err
    assert cli.main([str(tmp_path), "--timeout", "0", "--out", "x"]) == 2

"""Grade one student: run the notebooks, read the grade log, score the model.

批改一位学生：运行笔记本、读取成绩日志、为结课项目的生成器评分。

``grade_student`` never raises: whatever a submission does (crash, endless
loop, flood of output, forbidden model file), the result is a dict whose
"status" says what happened, and the points it earned before that.
"""

import json
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

from gancourse.course import gradelog
from gancourse.course.grading import capstone
from gancourse.course.grading import sandbox
from gancourse.runtime import ENV_VAR as FAST_MODE_VARIABLE

COURSE_DIR = Path(__file__).resolve().parents[1]
TIERS_PATH = Path(__file__).resolve().parent / "tiers.json"
CAPSTONE_FILE = "generator.keras"
MODEL_SUFFIXES = {".h5", ".hdf5", ".pkl", ".pickle", ".joblib", ".pt", ".pth"}
# 从好到坏 / From best to worst: the student's status is the worst one.
STATUS_ORDER = [
    "ok",
    "errors",
    "output-limit",
    "kernel-died",
    "invalid-notebook",
    "runner-failed",
    "timeout",
    "no-notebook",
    "grader-error",
]
VERDICTS = {"correct", "wrong", "invalid", "unanswered"}

__all__ = [
    "CAPSTONE_FILE",
    "TIERS_PATH",
    "grade_student",
    "known_item",
    "load_tiers",
    "slug",
]


def slug(name):
    """A file-name-safe version of a student's name (letters kept).

    学生名字的文件名安全形式（保留字母与汉字）。
    """
    return re.sub(r"[^\w.-]", "_", name).strip("._") or "student"


def load_tiers(path=None):
    """The capstone tier table (``tiers.json`` by default).

    读取结课项目的档位表（默认 ``tiers.json``）。
    """
    table = json.loads(Path(path or TIERS_PATH).read_text(encoding="utf-8"))
    if not isinstance(table.get("tiers"), list) or not table["tiers"]:
        raise ValueError(
            f"A tier table needs a non-empty 'tiers' list. Received: {path}"
        )
    return table


def _quiz_size(lesson):
    if not (COURSE_DIR / "quizzes" / f"{lesson}.py").is_file():
        return None
    import importlib

    module = importlib.import_module(f"gancourse.course.quizzes.{lesson}")
    return len(module.QUIZ.questions)


def known_item(entry):
    """Whether a grade-log entry names a real checker or quiz of the course.

    成绩日志中的记录是否对应课程中真实存在的检查器或测验。
    """
    lesson, _, name = entry["id"].partition(".")
    if not re.fullmatch(r"lesson\d\d", lesson) or not name:
        return False
    if entry["kind"] == "quiz":
        return name == "quiz" and entry["max_score"] == _quiz_size(lesson)
    source = COURSE_DIR / "exercises" / f"{lesson}.py"
    if not source.is_file() or entry["max_score"] != 1:
        return False
    return f'"{name}"' in source.read_text(encoding="utf-8")


def _clean(entry):
    item = {key: entry[key] for key in ("kind", "id", "passed", "score")}
    item["max_score"] = entry["max_score"]
    questions = entry.get("questions")
    if entry["kind"] == "quiz" and isinstance(questions, dict):
        item["questions"] = {
            key: value
            for key, value in questions.items()
            if re.fullmatch(r"q\d{1,2}", str(key)) and value in VERDICTS
        }
    return item


def _environment(log_path):
    env = dict(os.environ)
    # 学生的笔记本以快速模式运行 / Students' notebooks run in fast mode.
    env[FAST_MODE_VARIABLE] = "1"
    env.update(
        GANCOURSE_GRADE_LOG=str(log_path),
        MPLBACKEND="Agg",
        PYTHONDONTWRITEBYTECODE="1",
        TF_CPP_MIN_LOG_LEVEL="3",
    )
    return env


def _capstone(original, work, options, tmp):
    """Check, copy and score the submitted generator (dict)."""
    folder = original if original.is_dir() else original.parent
    path = folder / CAPSTONE_FILE
    if not original.is_dir() or not (path.exists() or path.is_symlink()):
        others = sorted(
            p.name for p in work.glob("*") if p.suffix in MODEL_SUFFIXES
        )
        if others:
            return {
                "status": "refused",
                "reason": f"only {CAPSTONE_FILE} is accepted, got {others[:3]}",
            }
        return {"status": "missing"}
    problem = capstone.inspect_model_file(path, folder)
    if problem:
        return {"status": "refused", "reason": problem}
    model_dir = Path(tmp) / "capstone"
    model_dir.mkdir()
    shutil.copyfile(path, model_dir / CAPSTONE_FILE)
    command = [
        sys.executable,
        "-m",
        "gancourse.course.grading.capstone",
        str(model_dir / CAPSTONE_FILE),
        "--num-images",
        str(options.capstone_images),
    ]
    env = _environment("")
    env.pop(FAST_MODE_VARIABLE)
    env.pop("GANCOURSE_GRADE_LOG")
    timed_out, seconds, lines = sandbox.run_limited(
        command,
        model_dir,
        env,
        options.capstone_timeout,
        Path(tmp) / "logs",
        "capstone",
    )
    result = None if timed_out else sandbox.last_result(lines)
    if result is None:
        return {
            "status": "error",
            "seconds": seconds,
            "reason": "timeout" if timed_out else "the scorer crashed",
        }
    if "error" in result:
        return {
            "status": "refused",
            "reason": str(result["error"])[:300],
            "seconds": seconds,
        }
    tier, points = capstone.tier_of(result, options.tiers)
    return dict(
        result, status="scored", tier=tier, points=points, seconds=seconds
    )


def grade_student(name, path, options, out_dir):
    """Grade one submission (a folder or a notebook); never raises.

    批改一份提交（文件夹或笔记本）；不会抛出异常。

    Args:
        name: the student's name (folder name or notebook stem).
        path: the submission's path.
        options: the grader's parsed options (timeout, max_output, ...).
        out_dir: the grader's output folder (executed notebooks go to
            ``out_dir/executed/<slug>/``).

    Returns:
        dict with "student", "status", "notebooks", "items" (grade-log
        entries by id), "capstone" and "notes".
    """
    result = {
        "student": name,
        "status": "ok",
        "notebooks": [],
        "items": {},
        "capstone": {"status": "missing"},
        "notes": [],
    }
    start = time.monotonic()
    try:
        with tempfile.TemporaryDirectory(prefix="gancourse-grade-") as tmp:
            _grade(Path(path), Path(tmp), result, options, Path(out_dir))
    except Exception as error:  # noqa: BLE001 - one student never stops a run.
        result["status"] = "grader-error"
        result["notes"].append(
            f"grader error: {type(error).__name__}: {error}"[:300]
        )
    result["seconds"] = round(time.monotonic() - start, 2)
    return result


def _grade(path, tmp, result, options, out_dir):
    work = tmp / "work"
    result["notes"] += sandbox.copy_submission(path, work)
    if options.capstone:
        result["capstone"] = _capstone(path, work, options, tmp)
    log = tmp / "grade.jsonl"
    env = _environment(log)
    executed = out_dir / "executed" / slug(result["student"])
    executed.mkdir(parents=True, exist_ok=True)
    notebooks = sorted(work.glob("*.ipynb"))
    if not notebooks:
        result["status"] = "no-notebook"
    for notebook in notebooks:
        run = sandbox.run_notebook(
            notebook,
            executed / notebook.name,
            env,
            options.timeout,
            options.max_output,
            tmp / "logs",
        )
        if run.get("status") not in STATUS_ORDER:
            run["status"] = "runner-failed"
        run["notebook"] = notebook.name
        result["notebooks"].append(run)
        if STATUS_ORDER.index(run["status"]) > STATUS_ORDER.index(
            result["status"]
        ):
            result["status"] = run["status"]
    entries = gradelog.read_log(log)
    result["items"] = {
        item: _clean(entry)
        for item, entry in entries.items()
        if known_item(entry)
    }
    ignored = len(entries) - len(result["items"])
    if ignored:
        result["notes"].append(f"ignored {ignored} unknown grade-log entries")

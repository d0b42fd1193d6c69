"""Layout of the course tooling: one checker module per lesson, old paths.

课程工具的结构：每课一个检查器模块，旧导入路径仍然可用。
"""

import ast
import importlib
import inspect
import runpy
import warnings
from pathlib import Path

import pytest

import gancourse.assign as old_assign
import gancourse.exercises as old_exercises
from gancourse.course import assign
from gancourse.course import exercises

COURSE_DIR = Path(__file__).parent.parent / "gancourse" / "course"

# From the section comments of the former gancourse/exercises.py.
CHECKERS_BY_LESSON = {
    "01": {
        "check_minimax_d_loss",
        "check_d_star_and_js",
        "check_ring_mode_coverage",
    },
    "02": {
        "check_transposed_conv_overlap",
        "check_upsample_block",
        "check_slerp",
    },
    "03": {
        "check_one_hot",
        "check_generator_input",
        "check_fake_label_stats",
    },
    "04": {
        "check_hinge_d_loss",
        "check_lipschitz_bound",
        "check_spectral_norm",
    },
    "05": {
        "check_inception_score",
        "check_match_moments",
        "check_kid",
    },
    "06": {
        "check_psnr",
        "check_random_box_mask",
        "check_receptive_field",
    },
    "07": {
        "check_cycle_consistency_loss",
        "check_best_inverse",
        "check_image_pool_query",
    },
    "08": {
        "check_gram_matrix",
        "check_enlarge_keeping_style",
        "check_style_loss",
    },
    "09": {
        "check_move_to_distance",
        "check_linear_inversion",
        "check_conditional_direction",
    },
    "10": {
        "check_ada_step",
        "check_translate",
        "check_r1_penalty",
    },
    "11": {
        "check_q_sample",
        "check_ddim_step",
        "check_radial_spectrum",
    },
}


def _lesson_module(number):
    return importlib.import_module(f"gancourse.course.exercises.lesson{number}")


@pytest.mark.parametrize("number", sorted(CHECKERS_BY_LESSON))
def test_each_lesson_module_holds_only_its_checkers(number):
    module = _lesson_module(number)
    defined = {
        name
        for name, value in vars(module).items()
        if name.startswith("check_")
        and inspect.isfunction(value)
        and value.__module__ == module.__name__
    }
    assert defined == CHECKERS_BY_LESSON[number]
    assert set(module.__all__) == CHECKERS_BY_LESSON[number]
    for name in defined:
        assert f"第 {number} 课" in getattr(module, name).__doc__, name


def test_package_reexports_every_checker_from_its_lesson():
    expected = set().union(*CHECKERS_BY_LESSON.values())
    assert set(exercises.__all__) == expected
    assert len(exercises.__all__) == len(expected) == 33
    for number, names in CHECKERS_BY_LESSON.items():
        module = _lesson_module(number)
        for name in names:
            assert getattr(exercises, name) is getattr(module, name)


def test_old_exercises_path_exports_the_same_objects():
    assert old_exercises.__all__ == exercises.__all__
    for name in exercises.__all__:
        assert getattr(old_exercises, name) is getattr(exercises, name)


def test_old_assign_path_exports_the_same_objects():
    public = {
        name
        for name, value in vars(assign).items()
        if not name.startswith("_")
        and not inspect.ismodule(value)
        and getattr(value, "__module__", assign.__name__) == assign.__name__
    }
    assert set(old_assign.__all__) == public
    for name in public:
        assert getattr(old_assign, name) is getattr(assign, name)


@pytest.mark.parametrize(
    "module", ["gancourse.assign", "gancourse.course.assign"]
)
def test_assign_runs_as_a_script_from_both_paths(
    module, tmp_path, monkeypatch, capsys
):
    monkeypatch.setattr("sys.argv", [module, str(tmp_path), str(tmp_path)])
    with warnings.catch_warnings():
        # Already imported by this test module: runpy warns, harmlessly.
        warnings.simplefilter("ignore", RuntimeWarning)
        with pytest.raises(SystemExit) as exit_info:
            runpy.run_module(module, run_name="__main__", alter_sys=True)
    assert exit_info.value.code == 2
    assert "must not be the input folder" in capsys.readouterr().err


def _top_level_imports(path):
    found = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize(
    "path",
    sorted(COURSE_DIR.rglob("*.py")),
    ids=lambda p: str(p.relative_to(COURSE_DIR)),
)
def test_course_modules_are_small_and_import_light(path):
    lines = path.read_text(encoding="utf-8").count("\n")
    assert lines < 400, f"{path.name} has {lines} lines"
    # Keras/TensorFlow are imported inside the checkers that need them.
    assert not _top_level_imports(path) & {"keras", "tensorflow"}
    if path == COURSE_DIR / "__init__.py":
        assert not _top_level_imports(path)

"""Static checks of the committed lessons (no kernel is started).

课程笔记本的静态检查（不启动内核）。
"""

import json
import re
from pathlib import Path

import pytest

LESSONS = sorted(
    (Path(__file__).parent.parent / "lessons").glob("[0-9][0-9]_*.ipynb")
)
REPO_URL = "github/gancourse/gancourse/blob/main/lessons/"
TRAINING_CALL = re.compile(
    r"\.fit\(|\.train\(|run_style_transfer\(|train_feed_forward_stylizer\("
)
MAX_BYTES = 2_500_000


def _load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def _source(cell):
    source = cell["source"]
    return "".join(source) if isinstance(source, list) else source


def _tags(cell):
    return set(cell.get("metadata", {}).get("tags", []))


def test_lessons_exist():
    assert len(LESSONS) >= 2


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_notebook_structure(path):
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    assert notebook.metadata["kernelspec"]["name"] == "python3"
    assert path.stat().st_size < MAX_BYTES, "keep each lesson small"
    first = _source(notebook.cells[0])
    assert notebook.cells[0].cell_type == "markdown"
    assert "colab.research.google.com/assets/colab-badge.svg" in first
    assert REPO_URL + path.name in first, "the Colab badge must open this file"
    assert "google.colab" in _source(notebook.cells[1]), "Colab install cell"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_stored_run_is_full_mode_and_in_order(path):
    notebook = _load(path)
    meta = notebook["metadata"].get("gancourse", {})
    assert meta.get("mode") == "full", "refresh with tools/run_notebooks.py"
    counts = [
        cell["execution_count"]
        for cell in notebook["cells"]
        if cell["cell_type"] == "code"
    ]
    assert counts == list(range(1, len(counts) + 1)), "run top to bottom once"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_no_stored_errors_and_training_cells_tagged(path):
    for index, cell in enumerate(_load(path)["cells"]):
        if cell["cell_type"] != "code":
            continue
        tags = _tags(cell)
        for output in cell.get("outputs", []):
            if output["output_type"] == "error":
                assert "raises-exception" in tags, f"cell {index} errored"
        code = "\n".join(
            line
            for line in _source(cell).splitlines()
            if not line.lstrip().startswith("#")
        )
        if TRAINING_CALL.search(code):
            assert "nbval-ignore-output" in tags, (
                f"cell {index} trains a model: tag it nbval-ignore-output"
            )


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_lesson_skeleton(path):
    text = "\n".join(
        _source(cell)
        for cell in _load(path)["cells"]
        if cell["cell_type"] == "markdown"
    )
    for heading in ("小结", "Summary", "练习", "Exercises", "Setup"):
        assert heading in text, f"missing section {heading}"
    assert re.search(r"(?i)time budget|时间预算", text), "state the time budget"

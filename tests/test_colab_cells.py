"""The Colab badge and install cell come from pyproject.toml's one URL."""

import importlib.util
import json
import subprocess
import sys
import types
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location(
    "set_repository", ROOT / "tools" / "set_repository.py"
)
set_repository = importlib.util.module_from_spec(spec)
spec.loader.exec_module(set_repository)
LESSONS = sorted((ROOT / "lessons").glob("*.ipynb"))


def test_every_lesson_uses_the_pyproject_url():
    assert set_repository.main(["--check"]) == 0
    url = set_repository.repository_url()
    for path in LESSONS:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        badge = "".join(cells[0]["source"])
        colab = url.replace("github.com", "colab.research.google.com/github")
        assert f"{colab}/blob/main/lessons/{path.name}" in badge
        assert f'REPOSITORY = "{url}"' in "".join(cells[1]["source"])


def test_a_new_url_rewrites_badge_and_install_cell_only():
    notebook = json.loads(LESSONS[1].read_text(encoding="utf-8"))
    before = json.loads(json.dumps(notebook))
    fork = "https://github.com/someone/gan-course"
    after = set_repository.rewrite(notebook, fork)
    badge = "".join(after["cells"][0]["source"])
    assert (
        "https://colab.research.google.com/github/someone/gan-course/blob/main/"
        f"lessons/{LESSONS[1].name}" in badge
    )
    assert "gancourse/gancourse" not in badge
    assert fork in "".join(after["cells"][1]["source"])
    assert after["cells"][2:] == before["cells"][2:]
    assert after["cells"][1]["outputs"] == before["cells"][1]["outputs"]


def test_install_cell_stops_with_one_bilingual_message(monkeypatch):
    cell = "".join(
        json.loads(LESSONS[0].read_text(encoding="utf-8"))["cells"][1]["source"]
    )
    calls = []

    def failing_pip(command, **kwargs):
        calls.append(command)
        return subprocess.CompletedProcess(command, 1, "", "ERROR: 404")

    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("colab"))
    monkeypatch.setattr(subprocess, "run", failing_pip)
    with pytest.raises(SystemExit) as info:
        exec(compile(cell, "install-cell", "exec"), {})
    message = str(info.value)
    assert "无法从" in message and "Could not install gancourse" in message
    assert "ERROR: 404" not in message and "Traceback" not in message
    assert calls and calls[0][-1].startswith(
        "gancourse @ git+https://github.com/"
    )
    # Colab 之外什么也不做 / Outside Colab the cell does nothing.
    monkeypatch.delitem(sys.modules, "google.colab")
    calls.clear()
    exec(compile(cell, "install-cell", "exec"), {})
    assert calls == []


def test_a_url_that_is_not_a_github_repository_is_refused(tmp_path):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        '[project.urls]\nRepository = "https://example.com/x"\n'
    )
    with pytest.raises(ValueError, match="github.com/OWNER/NAME.*example"):
        set_repository.repository_url(pyproject)

"""The public API and the package layout.

公开接口与包结构：名称可解析、旧路径仍可用、只用公开的 Keras API、模块不过长。
"""

import ast
import importlib
import inspect
import re
import subprocess
import sys
from pathlib import Path

import pytest

import gancourse

PACKAGE = Path(gancourse.__file__).resolve().parent
PUBLIC = [
    name
    for name in gancourse.__all__
    if not inspect.ismodule(getattr(gancourse, name))
]
# 旧路径 -> 新位置 / Old import path -> where the names live now.
OLD_PATHS = {
    "gancourse.gans": ["gancourse.training.gan", "gancourse.training.base"],
    "gancourse.conditional": [
        "gancourse.models.conditional",
        "gancourse.training.conditional",
    ],
    "gancourse.wgan": ["gancourse.training.wgan"],
    "gancourse.steps": ["gancourse.training.loop"],
    "gancourse.stylegan": ["gancourse.layers", "gancourse.models.stylegan"],
    "gancourse.image_to_image": [
        "gancourse.data.paired",
        "gancourse.images",
        "gancourse.metrics.quality",
        "gancourse.models.patchgan",
        "gancourse.models.unet",
        "gancourse.training.pix2pix",
    ],
    "gancourse.cyclegan": [
        "gancourse.data.paired",
        "gancourse.models.resnet",
        "gancourse.training.cyclegan",
    ],
}


def test_top_level_names_come_from_their_modules():
    for name, module in gancourse._NAMES.items():
        value = getattr(gancourse, name)
        assert value is getattr(importlib.import_module(module), name)
        assert value.__module__.startswith("gancourse."), name


def test_unknown_name_raises_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'GANN'"):
        gancourse.GANN  # noqa: B018


@pytest.mark.parametrize("old", sorted(OLD_PATHS))
def test_old_import_paths_give_the_new_objects(old):
    module = importlib.import_module(old)
    names = [n for n in vars(module) if not n.startswith("_")]
    assert names, old
    for name in names:
        homes = [importlib.import_module(m) for m in OLD_PATHS[old]]
        assert any(
            getattr(h, name, None) is getattr(module, name) for h in homes
        )


@pytest.mark.parametrize("name", PUBLIC)
def test_docstring_is_english_then_chinese(name):
    doc = inspect.getdoc(getattr(gancourse, name))
    assert doc, f"{name} has no docstring"
    lines = [line for line in doc.splitlines() if line.strip()]
    assert re.search(r"[A-Za-z]{3,}", lines[0]), lines[0]
    assert re.search(r"[\u4e00-\u9fff]", lines[1]), f"{name}: {lines[1]!r}"


def test_every_module_has_a_bilingual_docstring():
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "__main__.py":
            continue
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
        assert doc, path
        assert re.search(r"[\u4e00-\u9fff]", doc), path


def test_only_public_keras_api_and_short_modules():
    private = re.compile(
        r"keras\.src|\._initial_epoch|FIT_ITERATORS_PER_EPOCH|"
        r"_replica_scale|scale_loss_for_distribution"
    )
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert not private.search(text), path
        assert len(text.splitlines()) <= 400, (path, "over 400 lines")


def test_subpackages_by_role():
    for role in ("data", "models", "losses", "training", "metrics", "course"):
        assert (PACKAGE / role / "__init__.py").is_file(), role


def test_siblings_import_no_private_names():
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (
                node.module or ""
            ).startswith("gancourse"):
                for alias in node.names:
                    assert not alias.name.startswith("_"), (path, alias.name)


def test_import_and_help_do_not_load_tensorflow():
    code = (
        "import sys, gancourse, gancourse.runtime, gancourse.cli; "
        "print('tensorflow' in sys.modules, 'keras' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["False", "False"]
    help_text = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "gancourse", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "usage: python -m gancourse" in help_text.stdout
    assert "tensorflow" not in help_text.stderr

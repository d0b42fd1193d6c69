"""The curated public API: every name resolves and has a bilingual docstring."""

import inspect
import re

import pytest

import gancourse

PUBLIC = [
    name
    for name in gancourse.__all__
    if not inspect.ismodule(getattr(gancourse, name))
]


def test_all_names_resolve():
    for name in gancourse.__all__:
        assert getattr(gancourse, name) is not None, name


@pytest.mark.parametrize("name", PUBLIC)
def test_docstring_is_english_then_chinese(name):
    doc = inspect.getdoc(getattr(gancourse, name))
    assert doc, f"{name} has no docstring"
    lines = [line for line in doc.splitlines() if line.strip()]
    assert re.search(r"[A-Za-z]{3,}", lines[0]), lines[0]
    assert re.search(r"[\u4e00-\u9fff]", lines[1]), f"{name}: {lines[1]!r}"


def test_modules_have_docstrings():
    for name in gancourse.__all__:
        value = getattr(gancourse, name)
        if inspect.ismodule(value):
            assert inspect.getdoc(value), name

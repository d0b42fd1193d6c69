"""Bilingual quality of the lessons' markdown (no kernel is started).

课程 markdown 的双语质量检查（不启动内核）。

1. Chinese and English of comparable length in every prose cell: the ratio
   of CJK characters to English words, with code, formulas, links, URLs and
   the paper lists left out, must lie in [MIN_RATIO, MAX_RATIO]. Measured
   on cells with at least MIN_TOKENS counted tokens: the eight lessons as
   they were before the graded exercises (124 cells) gave min 0.89, 5th
   percentile 1.00, median 1.38, 95th percentile 1.80, max 2.11; with the
   exercises (158 cells) min 0.83, median 1.38, max 2.11. A faithful
   translation gives about 1.4 Chinese characters per English word; the
   bounds allow a factor of about 2.3 either way and catch a paragraph left
   untranslated (see test_checks_can_fail).
2. Every heading holds both languages.
3. Glossary terms (GLOSSARY.md): a cell whose Chinese uses a term also uses
   its English term, and the variants listed as "not to use" never appear,
   neither in the lessons nor in the package's docstrings and comments.
"""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
LESSONS = sorted((ROOT / "lessons").glob("[0-9][0-9]_*.ipynb"))
GLOSSARY = ROOT / "GLOSSARY.md"
MIN_RATIO, MAX_RATIO = 0.6, 3.2
MIN_TOKENS = 20

_REMOVE = [
    re.compile(r"```.*?```", re.S),  # Code blocks.
    re.compile(r"\$\$.*?\$\$|\$[^$\n]*\$", re.S),  # Formulas.
    re.compile(r"`[^`\n]*`"),  # Inline code.
    re.compile(r"!?\[[^\]]*\]\([^)]*\)"),  # Links and images.
    re.compile(r"https?://\S+"),  # Bare URLs.
    re.compile(r"<[^>]+>"),  # HTML tags.
]
CJK = re.compile(r"[\u4e00-\u9fff]")
# 词可以含数字（R1、G16），但不以数字开头 / Words may hold digits (R1).
WORD = re.compile(r"[A-Za-zÀ-ÿ][A-Za-z0-9À-ÿ]*(?:'[a-z]+)?")


def _source(cell):
    source = cell["source"]
    return "".join(source) if isinstance(source, list) else source


def _markdown_cells(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [
        (index, _source(cell))
        for index, cell in enumerate(cells)
        if cell["cell_type"] == "markdown"
    ]


def prose(text):
    """Text without headings, paper lists, code, formulas and links."""
    paragraphs = re.split(r"\n\s*\n", text)
    kept = [
        "\n".join(
            line for line in paragraph.splitlines() if not line.startswith("#")
        )
        for paragraph in paragraphs
        if not re.match(r"\s*论文\s*/\s*Papers", paragraph)
    ]
    text = "\n\n".join(kept)
    for pattern in _REMOVE:
        text = pattern.sub(" ", text)
    return text


def language_ratio(text):
    """(CJK characters / English words, token count) of a cell's prose."""
    body = prose(text)
    chinese, english = len(CJK.findall(body)), len(WORD.findall(body))
    ratio = chinese / english if english else float("inf")
    return ratio, chinese + english


def comparable_length(text):
    """True if a cell's prose holds both languages, of comparable length.

    Cells too short for a ratio (under MIN_TOKENS tokens) need only hold
    both languages, unless their prose is a few characters at most.
    """
    ratio, tokens = language_ratio(text)
    if tokens < MIN_TOKENS:
        body = prose(text)
        both = bool(CJK.search(body)) and bool(WORD.search(body))
        return len(body.strip()) <= 15 or both
    return MIN_RATIO <= ratio <= MAX_RATIO


def heading_is_bilingual(line):
    """A markdown heading with both Chinese and an English word."""
    return bool(CJK.search(line)) and bool(re.search(r"[A-Za-z]{2,}", line))


def _table_rows(section):
    rows = []
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and not set(cells[0]) <= set("-: "):
            rows.append(cells)
    return rows[1:]  # Drop the header row.


def load_glossary():
    """(terms, variants): [(chinese, [english...])], {avoid: use}."""
    text = GLOSSARY.read_text(encoding="utf-8")
    terms_part, _, variants_part = text.partition("## 不使用的译法")
    terms = [
        (row[0], [alt.strip() for alt in row[1].split(" / ")])
        for row in _table_rows(terms_part)
    ]
    variants = {row[0]: row[1] for row in _table_rows(variants_part)}
    return terms, variants


def _normalise(text):
    return re.sub(r"[\s\-]+", " ", text.lower())


def term_problems(text, terms):
    """Glossary terms used in a cell's Chinese but not in its English."""
    body = (
        prose(text)
        + "\n"
        + "\n".join(line for line in text.splitlines() if line.startswith("#"))
    )
    english = _normalise(" ".join(WORD.findall(body)))
    problems = []
    for chinese, alternatives in terms:
        if chinese in body and not any(
            _normalise(alt) in english for alt in alternatives
        ):
            problems.append(f"{chinese} without '{alternatives[0]}'")
    return problems


def test_glossary_is_complete_and_linked():
    terms, variants = load_glossary()
    assert len(terms) >= 40
    assert len({chinese for chinese, _ in terms}) == len(terms)
    for avoid, use in variants.items():
        assert use in {chinese for chinese, _ in terms}, (avoid, use)
        assert avoid not in {chinese for chinese, _ in terms}
    assert "GLOSSARY.md" in (ROOT / "README.md").read_text(encoding="utf-8")
    for path in LESSONS:
        assert "GLOSSARY.md" in _markdown_cells(path)[0][1], path.name


def test_checks_can_fail():
    english = (
        "This paragraph explains the generator and the discriminator in "
        "plenty of detail, but only a short label was translated."
    )
    assert not comparable_length("生成器 / " + english)
    chinese = "生成器把噪声映射为样本，判别器判断样本是否真实。" * 3
    assert not comparable_length(chinese + "\n\nThe generator.")
    assert comparable_length(
        "生成器把噪声映射为图像，判别器判断图像是真是假。\n\n"
        "The generator maps noise to images; the discriminator judges "
        "whether an image is real."
    )
    assert comparable_length("见上 / See above.")  # Too short for a ratio.
    assert not comparable_length("Only English words in this cell here.")
    assert not comparable_length("这个单元格只有中文，没有任何英文单词。")
    assert not heading_is_bilingual("## Results")
    assert not heading_is_bilingual("## 结果")
    assert heading_is_bilingual("## 结果 / Results")
    terms = [("模式崩塌", ["mode collapse"])]
    assert term_problems("出现模式崩塌。 The generator collapsed.", terms)
    assert not term_problems("出现模式崩塌。 We see mode collapse.", terms)
    assert not term_problems("出现模式崩塌。 Mode-collapse appears.", terms)


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_prose_has_comparable_chinese_and_english(path):
    bad = [
        f"cell {index}: ratio {language_ratio(text)[0]:.2f}"
        for index, text in _markdown_cells(path)
        if not comparable_length(text)
    ]
    assert not bad, (
        f"CJK characters per English word outside [{MIN_RATIO}, "
        f"{MAX_RATIO}]: {bad}"
    )


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_headings_are_bilingual(path):
    bad = [
        line
        for _, text in _markdown_cells(path)
        for line in text.splitlines()
        if line.startswith("#") and not heading_is_bilingual(line)
    ]
    assert not bad, f"headings need Chinese and English: {bad}"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_glossary_terms_are_consistent(path):
    terms, variants = load_glossary()
    problems = []
    for index, text in _markdown_cells(path):
        problems += [f"cell {index}: {p}" for p in term_problems(text, terms)]
        problems += [
            f"cell {index}: {avoid} (use {use})"
            for avoid, use in variants.items()
            if avoid in text
        ]
    assert not problems, problems


def test_package_docstrings_use_the_glossary_terms():
    _, variants = load_glossary()
    problems = []
    for path in sorted((ROOT / "gancourse").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        problems += [
            f"{path.relative_to(ROOT)}: {avoid} (use {use})"
            for avoid, use in variants.items()
            if avoid in text
        ]
    assert not problems, problems

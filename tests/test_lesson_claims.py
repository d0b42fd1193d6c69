"""Lesson prose that cannot drift from its outputs, and math that parses.

Three checks on every lesson's markdown:

1. **Numbers quoted after a result** appear in the notebook's stored
   outputs or code: a number written with ``d`` decimals matches an output
   number that rounds to it at ``d`` decimals ("about 170" matches 169.8,
   "0.17" matches 0.1712). Years of citations, arXiv ids, math spans and
   code spans are not claims; the few other numbers that come from papers
   or from arithmetic on the settings are listed in ``ALLOWED`` with the
   reason.
2. **No control characters** (a TAB inside ``\\text{}`` renders on one
   engine and breaks another).
3. **Every ``$...$`` / ``$$...$$`` span parses** with a strict LaTeX
   parser (``pylatexenc``, unbalanced braces and environments fail); the
   site test renders the same spans with MathJax in a browser.

``test_checks_fail_on_planted_errors`` plants a stale number, a TAB in
``\\text`` and a broken ``\\frac{`` and shows each check catches its error.
"""

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

LESSONS = sorted(
    (Path(__file__).resolve().parents[1] / "lessons").glob("*.ipynb")
)

# 数字 -> 原因：来自论文，或由设置算出 / Number -> why it is not an output.
ALLOWED = {
    "04": {
        "0.05": "standard deviation of make_ring_data's modes (its default)",
        "1920": "60 epochs x 32 steps, arithmetic on the settings",
        "374": "2 epochs x 187 steps, arithmetic on the settings",
        "1024": "ProGAN's resolution (paper)",
    },
    "05": {"50,000": "sample size used by papers"},
    "07": {"110": "download size of horse2zebra (MB)"},
    "10": {"192,000": "3,000 steps x 64 images, arithmetic on the settings"},
    "11": {
        "1689": "number of the EU AI Act, Regulation (EU) 2024/1689",
        "107": "volume of the California Law Review (citation)",
        "128": "batch size of the shipped cGAN (its record's config)",
    },
}

MATH = re.compile(r"\$\$(.+?)\$\$|(?<![\\$])\$([^$\n]+?)\$", re.S)
CODE = re.compile(r"```.*?```|`[^`\n]*`", re.S)
LINK = re.compile(r"\]\([^)]*\)|https?://\S+")
# 带小数的数、千分位整数、三位以上整数 / Decimals, grouped and long integers.
CLAIM = re.compile(
    r"(?<![\w.,])(\d+(?:,\d{3})*\.\d+|\d{1,3}(?:,\d{3})+|\d{3,})(?![\w])"
)
ANY_NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?(?:[eE][-+]?\d+)?")
CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")
# 练习里的数字是建议，不是结果 / Numbers in the exercises are suggestions.
EXERCISES = re.compile(r"^#+ .*(练习|Exercises)", re.M)


def _source(cell):
    source = cell["source"]
    return source if isinstance(source, str) else "".join(source)


def _output_text(notebook):
    parts = []
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code":
            continue
        parts.append(_source(cell))
        for output in cell.get("outputs", []):
            text = output.get("text", "")
            parts.append(text if isinstance(text, str) else "".join(text))
            plain = output.get("data", {}).get("text/plain", "")
            parts.append(plain if isinstance(plain, str) else "".join(plain))
    return "\n".join(parts)


def _is_citation_year(token):
    return re.fullmatch(r"(19|20)\d\d", token) is not None


def claims(text):
    """The numbers a markdown cell states, outside math, code and links."""
    text = CODE.sub(" ", text)
    text = MATH.sub(" ", text)
    text = LINK.sub(" ", text)
    found = []
    for match in CLAIM.finditer(text):
        token = match.group(1)
        if _is_citation_year(token):
            continue
        found.append(token)
    return found


def _matches(token, numbers):
    value = Decimal(token.replace(",", ""))
    places = -value.as_tuple().exponent if "." in token else 0
    step = Decimal(1).scaleb(-places)
    for number in numbers:
        if number.quantize(step) == value:
            return True
    return False


def stale_claims(notebook, lesson):
    """Claims in markdown after the first output with no matching output."""
    blob = _output_text(notebook)
    numbers = set()
    for token in ANY_NUMBER.findall(blob):
        try:
            numbers.add(Decimal(token.replace(",", "")))
        except ArithmeticError:
            continue
    allowed = ALLOWED.get(lesson, {})
    problems = []
    seen_output = False
    for index, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] == "code" and cell.get("outputs"):
            seen_output = True
        if cell["cell_type"] != "markdown" or not seen_output:
            continue
        if EXERCISES.search(_source(cell)):
            break
        for token in claims(_source(cell)):
            if token in allowed or token in blob:
                continue
            if not _matches(token, numbers):
                problems.append((index, token))
    return problems


def control_characters(notebook):
    return [
        (index, repr(match.group()))
        for index, cell in enumerate(notebook["cells"])
        if cell["cell_type"] == "markdown"
        for match in CONTROL.finditer(_source(cell))
    ]


def math_errors(notebook):
    from pylatexenc.latexwalker import LatexWalker
    from pylatexenc.latexwalker import LatexWalkerError

    errors = []
    for index, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] != "markdown":
            continue
        text = CODE.sub(" ", _source(cell))
        for match in MATH.finditer(text):
            span = match.group(1) or match.group(2)
            try:
                LatexWalker(span, tolerant_parsing=False).get_latex_nodes()
            except LatexWalkerError as error:
                first = str(error).splitlines()[0][:120]
                errors.append((index, span[:60], first))
    return errors


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_quoted_numbers_match_the_outputs(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    problems = stale_claims(notebook, path.name[:2])
    assert not problems, (
        "numbers in the prose that no stored output shows (cell, number): "
        f"{problems}"
    )


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_markdown_has_no_control_characters(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    assert control_characters(notebook) == []


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_every_math_span_parses(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    assert math_errors(notebook) == []


def test_checks_fail_on_planted_errors():
    notebook = json.loads(LESSONS[0].read_text(encoding="utf-8"))
    assert stale_claims(notebook, "01") == []
    assert control_characters(notebook) == []
    assert math_errors(notebook) == []
    cells = notebook["cells"]
    first_output = next(i for i, c in enumerate(cells) if c.get("outputs"))
    target = next(
        i
        for i, c in enumerate(cells)
        if i > first_output and c["cell_type"] == "markdown"
    )
    planted = [
        ("FID fell to 12.345 after training.", stale_claims),
        ("$\\text{real\tdata}$", control_characters),
        ("$\\frac{a}{$ and $x$", math_errors),
    ]
    for text, check in planted:
        broken = json.loads(json.dumps(notebook))
        broken["cells"][target]["source"] = text
        args = (broken, "01") if check is stale_claims else (broken,)
        assert check(*args), text
    # 四舍五入到所写的位数才算匹配 / A claim matches only when an output
    # rounds to it at its own precision.
    assert _matches("170", {Decimal("169.8")})
    assert _matches("0.17", {Decimal("0.1712")})
    assert not _matches("0.18", {Decimal("0.1712")})
    assert claims("see $0.123$ and `0.456` (Goodfellow 2014) 0.789") == [
        "0.789"
    ]

"""Write the repository URL of pyproject.toml into every lesson's Colab cells.

把 pyproject.toml 中的仓库地址写进每一课的 Colab 按钮和安装单元。

    python tools/set_repository.py           # rewrite the lessons
    python tools/set_repository.py --check   # exit 1 if a lesson is stale

The repository URL lives in one place, ``[project.urls] Repository`` of
``pyproject.toml`` (the course site reads it too). This tool rewrites, in
every ``lessons/*.ipynb``:

- the "Open in Colab" badge of the first cell
  (``https://colab.research.google.com/github/OWNER/NAME/blob/main/...``);
- the install cell (the first code cell), which on Colab installs
  ``gancourse`` from that repository and, if pip fails (for example while
  the repository is not public yet), stops with one bilingual message that
  says what to do instead of a pip traceback. Outside Colab it does nothing.

Only those two cells change; outputs are kept. The student copies in
``student/`` are then rebuilt from the lessons (``make student``), so their
badges, which open the student copies, use the same URL.
"""

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BRANCH = "main"
BADGE = re.compile(
    r"https://colab\.research\.google\.com/github/[^/\s)]+/[^/\s)]+"
    r"/blob/[^/\s)]+/(lessons/[^\s)]+\.ipynb)"
)
# 安装单元（Colab 之外什么也不做）/ The install cell (a no-op off Colab).
INSTALL_CELL = """import sys
if "google.colab" in sys.modules:  # 仅在 Colab 安装 / install on Colab only
    import subprocess
    REPOSITORY = "{url}"
    package = f"gancourse @ git+{{REPOSITORY}}"
    pip = subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", package],
        capture_output=True, text=True,
    )
    if pip.returncode != 0:
        raise SystemExit(
            f"无法从 {{REPOSITORY}} 安装 gancourse（仓库可能尚未公开）。"
            "请下载课程仓库，把 gancourse 文件夹上传到 Colab，"
            "或在本地运行 pip install -e .\\n"
            f"Could not install gancourse from {{REPOSITORY}} (the repository "
            "may not be public yet). Download the course repository and "
            "upload its gancourse folder to Colab, or run pip install -e . "
            "locally."
        )"""


def repository_url(pyproject=ROOT / "pyproject.toml"):
    """``[project.urls] Repository``, checked to be a GitHub repository."""
    text = Path(pyproject).read_text(encoding="utf-8")
    try:
        import tomllib
    except ImportError:  # Python 3.10
        urls = text.split("[project.urls]", 1)[-1]
        match = re.search(r'^Repository\s*=\s*"([^"]+)"', urls, re.M)
        url = match.group(1) if match else ""
    else:
        project = tomllib.loads(text).get("project", {})
        url = project.get("urls", {}).get("Repository", "")
    url = url.rstrip("/")
    if not re.fullmatch(r"https://github\.com/[\w.-]+/[\w.-]+", url):
        raise ValueError(
            "pyproject.toml [project.urls] Repository must be "
            f"https://github.com/OWNER/NAME. Received: {url!r}"
        )
    return url


def _source(cell):
    source = cell["source"]
    return source if isinstance(source, str) else "".join(source)


def _lines(text):
    return text.splitlines(keepends=True)


def rewrite(notebook, url):
    """``notebook`` (a dict) with the badge and install cell of ``url``."""
    colab = url.replace(
        "https://github.com/", "https://colab.research.google.com/github/"
    )
    cells = notebook["cells"]
    first = cells[0]
    text, count = BADGE.subn(
        lambda match: f"{colab}/blob/{BRANCH}/{match.group(1)}", _source(first)
    )
    if count != 1:
        raise ValueError(
            "The first cell of a lesson must hold one Colab badge. "
            f"Received: {count} badges"
        )
    first["source"] = _lines(text)
    install = next(c for c in cells if c["cell_type"] == "code")
    if "google.colab" not in _source(install):
        raise ValueError(
            "The first code cell of a lesson must be the Colab install cell. "
            f"Received: {_source(install)[:60]!r}"
        )
    install["source"] = _lines(INSTALL_CELL.format(url=url))
    return notebook


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing")
    parser.add_argument("--lessons", type=Path, default=ROOT / "lessons")
    args = parser.parse_args(argv)
    url = repository_url()
    stale = []
    for path in sorted(args.lessons.glob("*.ipynb")):
        before = path.read_text(encoding="utf-8")
        notebook = rewrite(json.loads(before), url)
        after = json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"
        if after != before:
            stale.append(path.name)
            if not args.check:
                path.write_text(after, encoding="utf-8")
    if stale and not args.check and args.lessons == ROOT / "lessons":
        sys.path.insert(0, str(ROOT))
        from gancourse.course.assign import build_student_copies

        build_student_copies(args.lessons, ROOT / "student")
    verb = "out of date" if args.check else "rewritten"
    print(
        f"{url}: {len(stale)} lesson(s) {verb}{': ' if stale else ''}"
        f"{', '.join(stale)}"
    )
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())

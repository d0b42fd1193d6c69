"""Build the course website into build/site/ (`make site`).

用已提交的笔记本（含保存的输出，不执行）构建课程网站：暂存 README.md、
GLOSSARY.md 和 lessons/*.ipynb，运行 Sphinx（MyST-NB + Furo），然后检查
网站不引用任何外部脚本、样式、字体或图片（离线可用）。

    python tools/build_site.py [--out build/site] [--root .]

--root points at another tree with README.md, GLOSSARY.md and lessons/
(the site tests build tiny sites from synthetic notebooks this way).
Sphinx warnings are printed; a warning about a missing cross-reference or
file fails the build, as does a reference to an outside resource.
"""

import argparse
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONF = ROOT / "tools" / "site"
PAGES = ("README.md", "GLOSSARY.md")
# A tag that loads something into the page (not a plain <a href> link).
RESOURCE = re.compile(
    r"<(?:script|img|iframe|source|video|audio|embed)\b[^>]*?\bsrc=[\"']"
    r"(?P<src>(?:https?:)?//[^\"']+)"
    r"|<link\b(?=[^>]*\brel=[\"'](?:stylesheet|preload|icon|modulepreload)"
    r"[\"'])[^>]*?\bhref=[\"'](?P<href>(?:https?:)?//[^\"']+)",
    re.I,
)
CSS_URL = re.compile(
    r"(?:url\(|@import\s+)[\"']?(?P<url>(?:https?:)?//[^\"')]+)"
)
FATAL_WARNING = re.compile(
    r"WARNING: .*(?:reference target not found|not found|image file not "
    r"readable|Unknown interpreted text|undefined label)",
    re.I,
)


def stage(root, src):
    """Copy the pages and lessons of ``root`` into a fresh ``src`` folder."""
    if src.exists():
        shutil.rmtree(src)
    (src / "lessons").mkdir(parents=True)
    (src / "_site").mkdir()
    shutil.copy2(CONF / "index.md", src / "index.md")
    shutil.copy2(CONF / "colab-badge.svg", src / "_site" / "colab-badge.svg")
    for name in PAGES:
        if (root / name).exists():
            shutil.copy2(root / name, src / name)
    lessons = sorted((root / "lessons").glob("[0-9][0-9]_*.ipynb"))
    if not lessons:
        raise SystemExit(f"build_site: no lessons/NN_*.ipynb under {root}")
    for nb in lessons:
        shutil.copy2(nb, src / "lessons" / nb.name)
    return [nb.name for nb in lessons]


def outside_resources(out):
    """(file, url) of every script, style, font or image loaded from outside."""
    found = []
    for page in sorted(out.rglob("*.html")):
        text = page.read_text(encoding="utf-8", errors="replace")
        for m in RESOURCE.finditer(text):
            url = m.group("src") or m.group("href")
            found.append((page.relative_to(out), url))
    for css in sorted(out.rglob("*.css")):
        text = css.read_text(encoding="utf-8", errors="replace")
        for m in CSS_URL.finditer(text):
            found.append((css.relative_to(out), m.group("url")))
    return found


def build(root=ROOT, out=ROOT / "build" / "site", quiet=False):
    """Stage, run Sphinx, check offline use; returns the Sphinx warnings."""
    root, out = Path(root).resolve(), Path(out).resolve()
    work = out.parent / (out.name + "-work")
    src = work / "src"
    stage(root, src)
    if out.exists():
        shutil.rmtree(out)
    cmd = [
        sys.executable,
        "-m",
        "sphinx",
        "-b",
        "html",
        "-E",
        "-q",
        "-c",
        str(CONF),
        "-d",
        str(work / "doctrees"),
        "-D",
        f"gancourse_lang_report={work / 'lang-report.tsv'}",
        str(src),
        str(out),
    ]
    result = subprocess.run(cmd, capture_output=True, text=True)
    warnings = [line for line in result.stderr.splitlines() if line.strip()]
    if not quiet:
        for line in warnings:
            print(line, file=sys.stderr)
    if result.returncode != 0:
        raise SystemExit(
            f"build_site: sphinx failed ({result.returncode})\n{result.stdout}"
        )
    fatal = [w for w in warnings if FATAL_WARNING.search(w)]
    if fatal:
        raise SystemExit("build_site: broken references:\n" + "\n".join(fatal))
    outside = outside_resources(out)
    if outside:
        lines = "\n".join(f"  {page}: {url}" for page, url in outside)
        raise SystemExit(
            "build_site: the site loads outside resources:\n" + lines
        )
    (out / ".nojekyll").touch()  # GitHub Pages: serve _static/ as is
    return warnings


def size_of(path):
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=str(ROOT))
    parser.add_argument("--out", default=str(ROOT / "build" / "site"))
    args = parser.parse_args(argv)
    start = time.perf_counter()
    build(args.root, args.out)
    pages = len(list(Path(args.out).rglob("*.html")))
    print(
        f"build_site: {pages} pages, {size_of(args.out) / 1e6:.1f} MB in "
        f"{args.out} ({time.perf_counter() - start:.0f} s); view with "
        f"python -m http.server -d {args.out}"
    )


if __name__ == "__main__":
    main()

"""The course website in a real browser (headless Debian Chromium).

课程网站的浏览器测试：用 http.server 在 127.0.0.1 上提供 build/site/，
用 Playwright 驱动无头 Chromium 逐页检查：无控制台错误、图片都已加载、
没有数学公式错误、站内链接与锚点都存在、不访问外部网络、语言切换隐藏
另一种语言并在页面之间记住。另有一个由合成笔记本构建的小网站，分别
植入坏图片、坏公式和死链接，检查器必须报告它们。

Run: `make site-test` (builds the site first when a source is newer).
The browser comes from Debian (`apt-get install chromium`, done by
tools/setup.sh); Playwright only drives it and downloads nothing. Without
/usr/bin/chromium the browser tests skip, except under CI, where they fail.
Screenshots of two pages per language mode go to build/site-test/.
"""

import base64
import contextlib
import fcntl
import functools
import http.server
import json
import os
import re
import struct
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
import zlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "build" / "site"
SHOTS = ROOT / "build" / "site-test"
CHROMIUM = Path(os.environ.get("GANCOURSE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
MODES = ("zh", "en", "both")
SCREENSHOT_PAGES = ("lessons/01_gan_basics.html", "lessons/02_dcgan.html")
# Pages that must carry both languages (and so a switch to test).
BILINGUAL = re.compile(r"^(index|README|GLOSSARY|lessons/\d\d_\w+)\.html$")

sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "tools" / "site"))

import bilingual  # noqa: E402
import build_site  # noqa: E402


def _browser_or_skip():
    """Playwright's sync API, or skip (fail on CI) with the reason."""
    reason = None
    if not CHROMIUM.exists():
        reason = (
            f"no browser at {CHROMIUM}: apt-get install chromium "
            "chromium-driver (tools/setup.sh does it where apt is available)"
        )
    else:
        try:
            from playwright.sync_api import sync_playwright
        except ImportError:
            reason = "no playwright: pip install -r requirements.txt"
    if reason is None:
        return sync_playwright
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


# ---------------------------------------------------------------- server


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve(directory):
    """Serve ``directory`` on 127.0.0.1 (a free port) in a thread."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


# --------------------------------------------------------------- checker

PAGE_STATE = """async () => {
  const imgs = [...document.images];
  imgs.forEach(i => { i.loading = "eager"; });
  await Promise.all(imgs.map(i => i.complete ? null : new Promise(r => {
    i.addEventListener("load", r); i.addEventListener("error", r);
  })));
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    await MathJax.startup.promise;
  }
  // A formula MathJax could not even parse (unbalanced braces) stays text.
  const raw = [...document.querySelectorAll("span.math, div.math")]
      .filter(m => !m.querySelector("mjx-container"));
  return {
    images: imgs.filter(i => !(i.complete && i.naturalWidth > 0))
                .map(i => i.getAttribute("src")),
    mathErrors: [...document.querySelectorAll(
        ".katex-error, merror, mjx-merror, [data-mjx-error]")]
        .map(e => e.getAttribute("data-mjx-error") || e.textContent)
        .concat(raw.map(m => "not typeset: " + m.textContent)),
    links: [...document.querySelectorAll("a[href]")]
        .map(a => a.getAttribute("href")),
    ids: [...document.querySelectorAll("[id], a[name]")]
        .map(e => e.id || e.getAttribute("name")),
  };
}"""

VISIBLE = """(sel) => [...document.querySelectorAll(sel)].map(e =>
  e.checkVisibility({checkVisibilityCSS: true})
  && e.getClientRects().length > 0)"""


class LinkChecker:
    """HTTP status and ids of site pages, fetched once each."""

    def __init__(self, base):
        self.base = base
        self.pages = {}

    def fetch(self, url):
        if url not in self.pages:
            try:
                with urllib.request.urlopen(url, timeout=10) as resp:
                    body = resp.read()
                    status = resp.status
            except urllib.error.HTTPError as err:
                body, status = b"", err.code
            text = (
                body.decode("utf-8", "replace")
                if url.endswith((".html", "/"))
                else ""
            )
            ids = set(re.findall(r'\b(?:id|name)="([^"]+)"', text))
            self.pages[url] = (status, ids)
        return self.pages[url]

    def problems(self, page_url, hrefs, page_ids):
        found = []
        for href in sorted(set(hrefs)):
            url = urllib.parse.urljoin(page_url, href)
            parts = urllib.parse.urlsplit(url)
            if parts.scheme not in ("http", "https") or not url.startswith(
                self.base
            ):
                continue  # outside links are not checked (no network here)
            target = urllib.parse.urlunsplit(parts._replace(fragment=""))
            if target == page_url.split("#")[0]:
                status, ids = 200, set(page_ids)
            else:
                status, ids = self.fetch(target)
            if status != 200:
                found.append(f"dead link {href!r}: HTTP {status}")
            elif parts.fragment and (
                urllib.parse.unquote(parts.fragment) not in ids
            ):
                found.append(f"dead anchor {href!r}: no such id")
        return found


def check_page(page, url, links, bilingual_page=True):
    """Everything wrong with one page; [] if nothing."""
    problems = []
    page.goto(url, wait_until="load")
    state = page.evaluate(PAGE_STATE)
    problems += [f"image not loaded: {src}" for src in state["images"]]
    problems += [f"math error: {text}" for text in state["mathErrors"]]
    problems += links.problems(url, state["links"], state["ids"])
    if bilingual_page:
        problems += check_switch(page)
    return problems


def check_switch(page):
    """Each mode hides the other language; code stays in every mode."""
    problems = []
    known = {
        "zh": "article p.lang-zh, article li.lang-zh",
        "en": "article p.lang-en, article li.lang-en",
        "h1-zh": "article h1 .lang-zh",
        "h1-en": "article h1 .lang-en",
    }
    first = {k: page.locator(sel).count() for k, sel in known.items()}
    if not (first["zh"] and first["en"]) and not (
        first["h1-zh"] and first["h1-en"]
    ):
        return ["no Chinese and English blocks to switch"]
    for mode in MODES:
        page.click(f"[data-lang-mode={mode}]")
        if page.evaluate("document.documentElement.dataset.lang") != mode:
            problems.append(f"switch {mode}: data-lang not set")
        for key, sel in known.items():
            if not first[key]:
                continue
            lang = key[-2:]
            shown = page.evaluate(VISIBLE, sel)[0]
            want = mode in (lang, "both")
            if shown != want:
                problems.append(
                    f"mode {mode}: first {sel!r} is "
                    f"{'shown' if shown else 'hidden'}"
                )
        other = {"zh": ".lang-en, .lang-sep", "en": ".lang-zh, .lang-sep"}
        if mode in other and any(page.evaluate(VISIBLE, other[mode])):
            problems.append(f"mode {mode}: the other language is visible")
        code = page.evaluate(VISIBLE, "div.cell_input pre, div.highlight pre")
        if code and not all(code):
            problems.append(f"mode {mode}: code hidden")
    return problems


@contextlib.contextmanager
def browser_page():
    """A fresh headless Chromium page that may reach 127.0.0.1 only."""
    sync_playwright = _browser_or_skip()
    outside, messages = [], []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        context = browser.new_context(
            viewport={"width": 1280, "height": 900}, service_workers="block"
        )

        def route(route):
            host = urllib.parse.urlsplit(route.request.url).hostname
            if host in ("127.0.0.1", None) or route.request.url.startswith(
                "data:"
            ):
                route.continue_()
            else:
                outside.append(route.request.url)
                route.abort()

        context.route("**/*", route)
        page = context.new_page()
        page.on(
            "console",
            lambda m: (
                messages.append(f"console {m.type}: {m.text}")
                if m.type == "error"
                else None
            ),
        )
        page.on("pageerror", lambda e: messages.append(f"page error: {e}"))
        page.on(
            "response",
            lambda r: (
                messages.append(f"HTTP {r.status}: {r.url}")
                if r.status >= 400 and not r.url.endswith("/favicon.ico")
                else None
            ),
        )
        page.on(
            "requestfailed",
            lambda r: messages.append(f"request failed: {r.url}"),
        )
        try:
            yield page, outside, messages
        finally:
            browser.close()


def check_site(site, pages=None, screenshots=None):
    """{page: [problems]} for every page of ``site``, checked in Chromium."""
    site = Path(site)
    names = pages or sorted(
        p.relative_to(site).as_posix() for p in site.rglob("*.html")
    )
    report = {}
    with serve(site) as base, browser_page() as (page, outside, messages):
        links = LinkChecker(base)
        for name in names:
            del outside[:], messages[:]
            problems = check_page(
                page, base + name, links, bool(BILINGUAL.match(name))
            )
            page.wait_for_timeout(50)  # late console messages
            problems += [m for m in messages if "favicon.ico" not in m]
            problems += [f"outside request: {u}" for u in outside]
            report[name] = problems
        if screenshots:
            report.update(take_screenshots(page, base, screenshots))
    return report


def take_screenshots(page, base, folder):
    """Two lesson pages per mode; also checks the mode is remembered."""
    folder.mkdir(parents=True, exist_ok=True)
    problems = []
    for mode in MODES:
        page.goto(base + SCREENSHOT_PAGES[0])
        page.click(f"[data-lang-mode={mode}]")
        for name in SCREENSHOT_PAGES:
            page.goto(base + name, wait_until="load")
            page.evaluate(PAGE_STATE)
            remembered = page.evaluate("document.documentElement.dataset.lang")
            if remembered != mode:
                problems.append(f"{name}: mode {mode} not remembered")
            stem = name.rsplit("/", 1)[-1].removesuffix(".html")
            page.screenshot(path=str(folder / f"{mode}-{stem}.png"))
    return {"(language remembered across pages)": problems}


# ----------------------------------------------------------- real site

SOURCES = (
    ["README.md", "GLOSSARY.md", "pyproject.toml", "tools/build_site.py"]
    + [str(p.relative_to(ROOT)) for p in (ROOT / "tools" / "site").rglob("*")]
    + [str(p.relative_to(ROOT)) for p in (ROOT / "lessons").glob("*.ipynb")]
)


def _stale():
    index = SITE / "index.html"
    if not index.exists():
        return True
    built = index.stat().st_mtime
    return any(
        (ROOT / s).is_file() and (ROOT / s).stat().st_mtime > built
        for s in SOURCES
    )


@pytest.fixture(scope="module")
def site():
    """build/site/, rebuilt when a source is newer (one builder at a time)."""
    SITE.parent.mkdir(exist_ok=True)
    with open(SITE.parent / ".site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # pytest -n 2: one worker builds
        if _stale():
            build_site.build(ROOT, SITE, quiet=True)
    return SITE


def test_site_has_every_lesson_and_notebook(site):
    lessons = sorted(p.stem for p in (ROOT / "lessons").glob("[0-9]*.ipynb"))
    for stem in lessons:
        assert (site / "lessons" / f"{stem}.html").is_file()
        assert (site / "lessons" / f"{stem}.ipynb").is_file()
        html = (site / "lessons" / f"{stem}.html").read_text(encoding="utf-8")
        assert f'href="{stem}.ipynb" download' in html
        assert "colab.research.google.com/github/" in html
        assert f"/blob/main/lessons/{stem}.ipynb" in html
    for name in ("index.html", "README.html", "GLOSSARY.html"):
        assert (site / name).is_file()
    assert build_site.outside_resources(site) == []


def test_site_in_browser(site):
    report = check_site(site, screenshots=SHOTS)
    bad = {page: probs for page, probs in report.items() if probs}
    assert not bad, json.dumps(bad, ensure_ascii=False, indent=1)
    pages = [p for p in report if p.endswith(".html")]
    assert len(pages) >= 11
    for mode in MODES:
        for name in SCREENSHOT_PAGES:
            stem = name.rsplit("/", 1)[-1].removesuffix(".html")
            assert (SHOTS / f"{mode}-{stem}.png").stat().st_size > 10_000


# ------------------------------------------------- planted defects


def _png(width=8, height=8):
    """A small grey PNG, written by hand (no imaging library needed)."""

    def chunk(kind, data):
        body = kind + data
        return (
            struct.pack(">I", len(data))
            + body
            + struct.pack(">I", zlib.crc32(body))
        )

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
    return base64.b64encode(png).decode()


PNG = _png()
GIF = "R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw=="
DEFECTS = {
    "01_clean": "",
    "02_broken_image": '<img src="missing.png" alt="planted">',
    "03_bad_math": r"坏公式 $\frac{$ / bad math $\frac{$",
    "04_dead_link": '<a href="no-such-page.html">死链接 / dead link</a>',
}


def synthetic_notebook(extra):
    """A small bilingual lesson with a figure, a GIF and math."""
    md = [
        "# 01 合成课程 / A synthetic lesson\n\n"
        "这是一段中文说明，包含公式 $x^2$ 和代码 `fit()`。\n\n"
        "This is an English paragraph with math $x^2$ and code `fit()`.",
        "## 小节 / A section\n\n- 第一项\n- 第二项\n\n- first item\n- second"
        " item\n\n$$\\min_G \\max_D V(D, G)$$"
        + ("\n\n" + extra if extra else ""),
    ]
    return {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {
            "kernelspec": {
                "name": "python3",
                "display_name": "Python 3",
                "language": "python",
            },
            "language_info": {"name": "python"},
        },
        "cells": [
            {
                "cell_type": "markdown",
                "id": "m0",
                "metadata": {},
                "source": md[0],
            },
            {
                "cell_type": "code",
                "id": "c0",
                "metadata": {},
                "execution_count": 1,
                "source": "print('hi')",
                "outputs": [
                    {"output_type": "stream", "name": "stdout", "text": "hi\n"},
                    {
                        "output_type": "display_data",
                        "metadata": {},
                        "data": {"image/png": PNG, "text/plain": "<Figure>"},
                    },
                    {
                        "output_type": "execute_result",
                        "execution_count": 1,
                        "metadata": {},
                        "data": {"image/gif": GIF, "text/plain": "<Image>"},
                    },
                ],
            },
            {
                "cell_type": "markdown",
                "id": "m1",
                "metadata": {},
                "source": md[1],
            },
        ],
    }


@pytest.fixture(scope="module")
def tiny_site(tmp_path_factory):
    """One small site whose lessons each carry one planted defect."""
    root = tmp_path_factory.mktemp("tiny")
    (root / "lessons").mkdir()
    (root / "README.md").write_text(
        "# 说明 / Readme\n\n中文的说明文字。\n\nSome English text.\n",
        encoding="utf-8",
    )
    (root / "GLOSSARY.md").write_text(
        "# 术语表 / Glossary\n\n| 中文 | English |\n|---|---|\n"
        "| 生成器 | generator |\n",
        encoding="utf-8",
    )
    for stem, extra in DEFECTS.items():
        (root / "lessons" / f"{stem}.ipynb").write_text(
            json.dumps(synthetic_notebook(extra), ensure_ascii=False),
            encoding="utf-8",
        )
    out = root / "site"
    build_site.build(root, out, quiet=True)
    return out


@pytest.fixture(scope="module")
def tiny_report(tiny_site):
    pages = [f"lessons/{stem}.html" for stem in DEFECTS] + ["index.html"]
    return check_site(tiny_site, pages=pages)


def test_checker_passes_clean_page(tiny_report):
    assert tiny_report["lessons/01_clean.html"] == []
    assert tiny_report["index.html"] == []


def test_checker_reports_broken_image(tiny_report):
    problems = tiny_report["lessons/02_broken_image.html"]
    assert any(p.startswith("image not loaded: missing.png") for p in problems)


def test_checker_reports_bad_math(tiny_report):
    problems = tiny_report["lessons/03_bad_math.html"]
    assert any(p.startswith("math error:") for p in problems), problems


def test_checker_reports_dead_link(tiny_report):
    problems = tiny_report["lessons/04_dead_link.html"]
    assert "dead link 'no-such-page.html': HTTP 404" in problems


def test_build_refuses_dead_markdown_link(tmp_path):
    (tmp_path / "lessons").mkdir()
    nb = synthetic_notebook("[死链接 / dead](../NOWHERE.md)")
    (tmp_path / "lessons" / "01_x.ipynb").write_text(json.dumps(nb))
    for name in ("README.md", "GLOSSARY.md"):
        (tmp_path / name).write_text("# 标题 / Title\n")
    with pytest.raises(SystemExit, match="broken references"):
        build_site.build(tmp_path, tmp_path / "site", quiet=True)


# ------------------------------------------- the language classifier


@pytest.mark.parametrize(
    ("text", "zh", "en"),
    [
        (
            "01 生成对抗网络基础 / GAN basics",
            "01 生成对抗网络基础",
            "01 GAN basics",
        ),
        ("环境设置 / Setup", "环境设置", "Setup"),
        (
            "论文 / Papers: Goodfellow (2014)",
            "论文: Goodfellow (2014)",
            "Papers: Goodfellow (2014)",
        ),
        ("3 道自动检查 / 3 auto-checked", "3 道自动检查", "3 auto-checked"),
        (
            "用 N = 500 重新计算。 Recompute the table with N = 500.",
            "用 N = 500 重新计算。",
            "Recompute the table with N = 500.",
        ),
    ],
)
def test_plan_splits_bilingual_text(text, zh, en):
    spans = bilingual.plan(text)
    assert bilingual.render(text, spans, "zh").strip() == zh
    assert bilingual.render(text, spans, "en").strip() == en


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("本课从零开始实现一个生成对抗网络（GAN），并用 fit() 训练。", "zh"),
        ("This lesson builds a GAN from scratch and trains it.", "en"),
        ("一门中英双语、基于 TensorFlow / Keras 3 的生成对抗网络课程。", "zh"),
        ("9 s · 956 s", None),
    ],
)
def test_classify_whole_blocks(text, lang):
    assert bilingual.plan(text) is None
    assert bilingual.classify(text) == lang

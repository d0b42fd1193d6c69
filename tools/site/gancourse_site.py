"""Sphinx extension of the course site: language classes, lesson links, assets.

网站扩展：在构建时给每个中文/英文块加上 lang-zh / lang-en 类，把
"中文 / English" 标题切成两个 span；每课顶部加上 Colab 与下载链接；
把 MathJax 与笔记本复制进网站，使网站离线可用。

- Bilingual classes (build time, so the source stays one notebook): a
  paragraph or list item that is mostly Chinese gets ``lang-zh``, mostly
  English ``lang-en``; a heading, label or table cell written "中文 /
  English" is cut into ``<span class="lang-zh">``, ``lang-sep`` and
  ``lang-en`` spans (see bilingual.py). Code, outputs, math blocks and
  anything else carry no class and show in every mode. A list written as
  five Chinese items and then five English ones (one Markdown list) is
  split into two lists, so each numbers from 1.
- Lesson pages (lessons/*.ipynb) get an "Open in Colab" and a "Download
  notebook" link under their title; the notebooks' own Colab badge image
  is served from the site and its link follows pyproject's Repository.
- After the build, MathJax (from the sphinx-mathjax-offline wheel, only
  the files this site loads) and the lesson notebooks are copied in.
"""

import shutil
from pathlib import Path

import bilingual
from docutils import nodes
from sphinx.transforms import SphinxTransform

HERE = Path(__file__).resolve().parent
COLAB = "https://colab.research.google.com"
BADGE_URI = COLAB + "/assets/colab-badge.svg"
BADGE_LOCAL = "/_site/colab-badge.svg"
# Inline nodes whose text carries no language; never cut.
NEUTRAL_NODES = (
    nodes.literal,
    nodes.math,
    nodes.image,
    nodes.raw,
    nodes.footnote_reference,
    nodes.citation_reference,
    nodes.target,
)
# MathJax 3 files the pages load (tex-chtml.js fetches the others lazily).
MATHJAX_FILES = [
    "tex-chtml.js",
    "output/chtml/fonts/woff-v2",
    "input/tex/extensions",
    "ui",
    "a11y",
    "adaptors",
]


def lang_text(node):
    """Text of ``node`` with language-free inline nodes as one NEUTRAL."""
    if isinstance(node, nodes.Text):
        return str(node)
    if isinstance(node, NEUTRAL_NODES):
        return bilingual.NEUTRAL
    return "".join(lang_text(child) for child in node.children)


def _in_output(node):
    """Inside a notebook cell's input or output (shown in every mode)?"""
    return any(
        isinstance(a, nodes.container)
        and {"cell_output", "cell_input"} & set(a.get("classes", []))
        for a in _ancestors(node)
    )


def split_inline(parent):
    """Cut ``parent``'s children into language spans; True if it did."""
    pieces = []
    text = []
    pos = 0
    for child in list(parent.children):
        if isinstance(child, nodes.Text):
            piece = str(child)
        elif isinstance(child, NEUTRAL_NODES):
            piece = bilingual.NEUTRAL
        elif bilingual.plan(lang_text(child)) is not None and split_inline(
            child
        ):
            piece = bilingual.NEUTRAL  # a "中文 / English" label, cut inside
        else:
            piece = lang_text(child)
        pieces.append((pos, pos + len(piece), child))
        text.append(piece)
        pos += len(piece)
    text = "".join(text)
    spans = bilingual.plan(text)
    if spans is None:
        return False
    new = []
    for start, end, lang in spans:
        group = []
        for p_start, p_end, child in pieces:
            if isinstance(child, nodes.Text):
                lo, hi = max(start, p_start), min(end, p_end)
                if lo < hi:
                    piece = str(child)[lo - p_start : hi - p_start]
                    group.append(nodes.Text(piece))
            elif start <= p_start < end or (p_start == end == len(text)):
                group.append(child)
        if lang is None:
            new.extend(group)
        elif group:
            new.append(nodes.inline("", "", *group, classes=["lang-" + lang]))
    parent.clear()
    parent.extend(new)
    return True


def _lang_of(node):
    for lang in ("zh", "en"):
        if "lang-" + lang in node.get("classes", []):
            return lang
    return None


def _mark(node, lang):
    if lang and "lang-" + lang not in node["classes"]:
        node["classes"].append("lang-" + lang)


def mark_lists(document):
    """Language of list items; split a Chinese-then-English list in two."""
    for lst in list(document.findall(nodes.Sequential)):
        if not isinstance(lst, (nodes.bullet_list, nodes.enumerated_list)):
            continue
        langs = []
        for item in lst.children:
            paras = [c for c in item.children if isinstance(c, nodes.paragraph)]
            item_langs = {_lang_of(p) for p in paras}
            lang = item_langs.pop() if len(item_langs) == 1 else None
            if lang and len(paras) == len(item.children):
                _mark(item, lang)
            langs.append(lang)
        if None in langs or len(set(langs)) != 2 or langs[0] != "zh":
            if len(set(langs)) == 1 and langs[0]:
                _mark(lst, langs[0])
            continue
        first_en = langs.index("en")
        if "zh" in langs[first_en:]:
            continue
        english = lst.deepcopy()
        english.clear()
        for item in lst.children[first_en:]:
            english.append(item.deepcopy())
        if "start" in english.attributes:
            del english["start"]
        del lst.children[first_en:]
        _mark(lst, "zh")
        english["classes"] = [
            c for c in english["classes"] if c != "lang-zh"
        ] + ["lang-en"]
        lst.parent.insert(lst.parent.index(lst) + 1, english)


class Bilingual(SphinxTransform):
    """Tag Chinese and English blocks and heading halves (see module doc)."""

    default_priority = 880

    def apply(self, **kwargs):
        report = []
        doc = self.env.docname
        for node in list(self.document.findall(nodes.title)) + list(
            self.document.findall(nodes.rubric)
        ):
            if not _in_output(node) and split_inline(node):
                report.append((doc, "split", lang_text(node)))
        for para in list(self.document.findall(nodes.paragraph)):
            if _in_output(para):
                continue
            if split_inline(para):
                report.append((doc, "split", lang_text(para)))
                continue
            in_table = any(isinstance(a, nodes.entry) for a in _ancestors(para))
            lang = None if in_table else bilingual.classify(lang_text(para))
            _mark(para, lang)
            report.append((doc, lang or "both", lang_text(para)))
        mark_lists(self.document)
        self.env.gancourse_lang_report = (
            getattr(self.env, "gancourse_lang_report", []) + report
        )


def _ancestors(node):
    parent = node.parent
    while parent is not None:
        yield parent
        parent = parent.parent


class LessonLinks(SphinxTransform):
    """Colab and download links on lesson pages; the badge from the site."""

    default_priority = 870

    def apply(self, **kwargs):
        doc = self.env.docname
        if not doc.startswith("lessons/"):
            return
        file = doc.split("/", 1)[1] + ".ipynb"
        colab = colab_url(self.config, file)
        for image in self.document.findall(nodes.image):
            if image.get("uri") == BADGE_URI:
                image["uri"] = BADGE_LOCAL
        for ref in self.document.findall(nodes.reference):
            if ref.get("refuri", "").startswith(COLAB + "/github/"):
                ref["refuri"] = colab
        section = next(iter(self.document.findall(nodes.section)), None)
        if section is None or not isinstance(section[0], nodes.title):
            return
        html = (
            '<p class="lesson-links">'
            f'<a class="colab-link" href="{colab}">'
            '<span class="lang-zh">在 Colab 中打开</span>'
            '<span class="lang-sep"> / </span>'
            '<span class="lang-en">Open in Colab</span></a>'
            f'<a class="download-link" href="{file}" download>'
            '<span class="lang-zh">下载笔记本</span>'
            '<span class="lang-sep"> / </span>'
            f'<span class="lang-en">Download notebook</span> ({file})</a>'
            "</p>"
        )
        section.insert(1, nodes.raw("", html, format="html"))


def colab_url(config, file):
    """Colab URL of lessons/<file> in the configured repository."""
    repo = config.gancourse_repository.rstrip("/")
    path = repo.split("github.com/", 1)[-1]
    return (
        f"{COLAB}/github/{path}/blob/{config.gancourse_branch}/lessons/{file}"
    )


def mathjax_source():
    """The MathJax 3 folder shipped by the sphinx-mathjax-offline wheel."""
    import importlib.util

    spec = importlib.util.find_spec("sphinx-mathjax-offline")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(
            "MathJax not found: pip install -r requirements.txt "
            "(sphinx-mathjax-offline ships MathJax 3 for offline use)"
        )
    return Path(list(spec.submodule_search_locations)[0]) / "static" / "mathjax"


def copy_assets(app, exc):
    """MathJax and the notebooks into the built site."""
    if exc is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    source = mathjax_source()
    target = out / "_static" / "mathjax"
    for name in MATHJAX_FILES:
        src = source / name
        if src.is_dir():
            shutil.copytree(src, target / name, dirs_exist_ok=True)
        else:
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target / name)
    for nb in sorted(Path(app.srcdir, "lessons").glob("*.ipynb")):
        (out / "lessons").mkdir(exist_ok=True)
        shutil.copy2(nb, out / "lessons" / nb.name)
    report = getattr(app.env, "gancourse_lang_report", [])
    if app.config.gancourse_lang_report and report:
        lines = [
            "\t".join((doc, lang, " ".join(text.split())[:200]))
            for doc, lang, text in sorted(report)
        ]
        Path(app.config.gancourse_lang_report).write_text(
            "\n".join(lines) + "\n", encoding="utf-8"
        )


def setup(app):
    app.add_config_value("gancourse_repository", "", "env")
    app.add_config_value("gancourse_branch", "main", "env")
    app.add_config_value("gancourse_lang_report", "", "")
    app.add_transform(LessonLinks)
    app.add_transform(Bilingual)
    app.connect("build-finished", copy_assets)
    return {"parallel_read_safe": False, "parallel_write_safe": True}

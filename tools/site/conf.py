"""Sphinx configuration of the course site (`make site`).

课程网站的 Sphinx 配置：MyST-NB 读取已提交的笔记本及其保存的输出（不执行），
Furo 主题，MathJax 3 从网站本身加载，语言切换见 gancourse_site.py。

Built by tools/build_site.py from a staged copy of README.md, GLOSSARY.md
and lessons/*.ipynb; nothing here fetches anything from the network.
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tools"))

from set_repository import repository_url  # noqa: E402

project = "gancourse"
author = "gancourse"
copyright = "gancourse contributors, Apache-2.0"
html_title = "gancourse — 生成对抗网络课程 / a course on GANs"
root_doc = "index"
language = "en"

extensions = ["myst_nb", "sphinx_copybutton", "gancourse_site"]

gancourse_repository = repository_url()
gancourse_branch = "main"

# Notebooks are shown with their committed outputs, never executed here.
nb_execution_mode = "off"
nb_merge_streams = True
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 3

# MathJax 3 is copied into _static/mathjax by gancourse_site (offline).
mathjax_path = "mathjax/tex-chtml.js"
# Its fonts and extensions load from the script's own folder.

# Copy buttons on code (cell inputs and markdown code blocks), not outputs.
copybutton_selector = "div:not(.output) > div.highlight pre"

html_theme = "furo"
html_theme_options = {"top_of_page_buttons": []}
templates_path = [str(HERE / "_templates")]
html_static_path = [str(HERE / "_static")]
html_css_files = ["gancourse-site.css"]
html_js_files = ["gancourse-site.js"]
html_copy_source = False
html_show_sourcelink = False
html_last_updated_fmt = None
html_search_language = "zh"

exclude_patterns = ["_build", "**.ipynb_checkpoints"]
suppress_warnings = ["myst.header"]

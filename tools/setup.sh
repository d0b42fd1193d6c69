#!/usr/bin/env bash
# Set up a fresh machine for gancourse: Fashion-MNIST (Debian package, when
# apt is available), a virtual environment in .venv and the pinned packages.
# 为全新机器准备环境：Debian 的 Fashion-MNIST 数据包、.venv 虚拟环境与依赖。
# Idempotent: a second run only checks what is there.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}

if [ ! -d /usr/share/datasets/fashion-mnist ] && command -v apt-get >/dev/null; then
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo -n"; fi
  echo "setup: installing Debian package dataset-fashion-mnist (offline data)"
  if ! { $SUDO apt-get update -qq && \
         DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq dataset-fashion-mnist; } >/dev/null; then
    echo "setup: could not install dataset-fashion-mnist; the loaders will use the Keras cache or download" >&2
  fi
fi

# Headless Chromium (and a CJK font for its screenshots) for the course-site
# test, tests/test_site.py; without it that test skips, except under CI.
if { [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ] || \
     [ ! -d /usr/share/fonts/truetype/wqy ]; } && command -v apt-get >/dev/null; then
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo -n"; fi
  echo "setup: installing Debian packages chromium chromium-driver fonts-wqy-microhei (site test)"
  if ! { $SUDO apt-get update -qq && \
         DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver fonts-wqy-microhei; } >/dev/null; then
    echo "setup: could not install chromium; tests/test_site.py will skip (and fail under CI)" >&2
  fi
fi

if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.requirements-installed
if [ ! -f "$stamp" ] || [ requirements.txt -nt "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "setup: installing requirements (first run takes a few minutes)"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -r requirements.txt
  .venv/bin/python -m pip install -q --no-deps -e .
  touch "$stamp"
fi

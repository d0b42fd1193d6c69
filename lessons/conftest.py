"""Make the bare ``pytest --nbval lessons`` work, from any folder.

让 ``pytest --nbval lessons`` 在任意目录下直接可用。

Environment variables set here reach every notebook kernel (nbval starts the
kernels from ``os.environ``); ``tools/run_notebooks.py`` applies the same
settings when it refreshes the stored outputs.
"""

import os
from pathlib import Path

HERE = Path(__file__).resolve().parent

os.environ.setdefault("GANCOURSE_FAST", "1")  # Few epochs/steps in CI.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # TF's C++ log lines.
os.environ.pop("MPLBACKEND", None)  # Agg would swallow plt.show() output.
os.environ["PYTHONPATH"] = os.pathsep.join(
    p for p in (str(HERE.parent), os.environ.get("PYTHONPATH")) if p
)


def pytest_configure(config):
    option = config.option
    if not hasattr(option, "nbval_sanitize_with"):
        return
    if option.nbval_sanitize_with is None:
        option.nbval_sanitize_with = str(HERE / "nbval-sanitize.cfg")
    if not option.nbval_kernel_name:
        option.nbval_current_env = True
    if option.nbval_cell_timeout == 2000:
        option.nbval_cell_timeout = 600
    if getattr(option, "dist", "no") == "load":
        option.dist = "loadfile"


def pytest_collectstart(collector):
    if collector.path.suffix == ".ipynb" and hasattr(collector, "skip_compare"):
        # TF/absl C++ logs reach stderr differently under Jupyter and pytest.
        collector.skip_compare += ("stderr",)

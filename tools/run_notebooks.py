"""Re-execute lessons and store their outputs in place.

重新执行课程笔记本并就地保存输出。

    python tools/run_notebooks.py                 # all lessons, full mode
    python tools/run_notebooks.py lessons/02_dcgan.ipynb
    python tools/run_notebooks.py --fast          # quick check (CI settings)

Committed notebooks come from a **full-mode** run (real training results).
The environment is the one ``lessons/conftest.py`` gives CI, except for
``GANCOURSE_FAST``. TensorFlow's C++ start-up lines are dropped from stored
stderr; Python warnings are kept.
"""

import argparse
import os
import re
import runpy
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LESSONS = ROOT / "lessons"
_TF_LOG = re.compile(
    r"^(WARNING: All log messages before absl|[IWE]\d{4} [\d:. ]+\d+ \S+\] |"
    r"To enable the following instructions:).*\n?",
    re.M,
)


def _strip_tf_logs(notebook):
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        kept = []
        for output in cell.get("outputs", []):
            if (
                output.get("output_type") == "stream"
                and output.name == "stderr"
            ):
                output.text = _TF_LOG.sub("", output.text)
                if not output.text.strip():
                    continue
            kept.append(output)
        cell.outputs = kept


def run(path, timeout):
    import nbclient
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    _strip_tf_logs(notebook)
    notebook.metadata["gancourse"] = {
        "mode": "fast" if os.environ.get("GANCOURSE_FAST") == "1" else "full",
        "seconds": round(seconds),
    }
    nbformat.write(notebook, path)
    return seconds


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--fast", action="store_true", help="GANCOURSE_FAST=1")
    parser.add_argument("--timeout", type=int, default=3600)
    args = parser.parse_args(argv)
    runpy.run_path(str(LESSONS / "conftest.py"))
    os.environ["GANCOURSE_FAST"] = "1" if args.fast else "0"
    paths = args.paths or sorted(LESSONS.glob("[0-9][0-9]_*.ipynb"))
    for path in paths:
        seconds = run(path.resolve(), args.timeout)
        mode = "fast" if args.fast else "full"
        print(f"{path.name}: executed in {mode} mode in {seconds:.0f} s")
        sys.stdout.flush()


if __name__ == "__main__":
    main()

"""Execute one notebook in a fresh kernel, with an output-size limit.

在全新的内核中执行一个笔记本，并限制输出大小。

Run by the grader in its own process group (the wall-clock limit is the
grader's job: it kills this process group and the kernel's)::

    python -m gancourse.course.grading.execute IN.ipynb OUT.ipynb \\
        --max-output 2000000

Prints ``KERNEL_PID <pid>`` as soon as the kernel runs (the kernel starts
its own session, so the grader needs its id to kill it) and, at the end,
``RESULT {"status": ..., "errors": ..., "seconds": ...}``. The kernel's own
stdout and stderr go to /dev/null, so student code cannot write into these
lines; ``--max-file-bytes`` sets ``RLIMIT_FSIZE`` for the runner and the
kernel. Cells that raise are recorded and execution continues (a broken
exercise does not cost the later ones); status is "ok", "errors",
"output-limit", "kernel-died" or "invalid-notebook".
"""

import argparse
import json
import os
import resource
import signal
import subprocess
import sys
import time


def _client_class():
    from nbclient import NotebookClient

    class LimitedClient(NotebookClient):
        """A NotebookClient that stops a kernel once its outputs are too big."""

        def __init__(self, nb, max_output, **kwargs):
            super().__init__(nb, **kwargs)
            self.max_output = max_output
            self.output_bytes = 0
            self.over_limit = False

        def output(self, outs, msg, display_id, cell_index):
            content = msg.get("content", {})
            self.output_bytes += len(json.dumps(content, default=str))
            if self.output_bytes > self.max_output:
                if not self.over_limit:
                    self.over_limit = True
                    kill_group(getattr(self.km.provisioner, "pid", None))
                return None
            return super().output(outs, msg, display_id, cell_index)

    return LimitedClient


def kill_group(pid):
    """SIGKILL the process group led by ``pid`` (a kernel, a runner).

    强制结束以 ``pid`` 为首的进程组（内核或执行进程）。
    """
    if not pid:
        return
    try:
        os.killpg(int(pid), signal.SIGKILL)
    except (ProcessLookupError, PermissionError, OSError):
        pass


def _announce(notebook_client):
    async def hook(notebook=None, **kwargs):
        pid = getattr(notebook_client.km.provisioner, "pid", None)
        print(f"KERNEL_PID {pid}", flush=True)

    return hook


def run(source, target, max_output, kernel_name="python3"):
    """Execute ``source``; write the executed notebook to ``target``.

    执行 ``source`` 笔记本，把执行后的结果写入 ``target``。

    Returns:
        dict with "status", "errors" (cells that raised) and "seconds".
    """
    import nbformat
    from nbclient.exceptions import DeadKernelError

    start = time.monotonic()
    try:
        notebook = nbformat.read(source, as_version=4)
        if not isinstance(notebook.get("cells"), list):
            raise ValueError("no cells")
    except Exception as error:  # noqa: BLE001 - any malformed file.
        return {
            "status": "invalid-notebook",
            "errors": 0,
            "seconds": 0.0,
            "detail": f"{type(error).__name__}",
        }
    client = _client_class()(
        notebook,
        max_output,
        timeout=None,
        allow_errors=True,
        kernel_name=kernel_name,
        shutdown_kernel="immediate",
        resources={"metadata": {"path": os.path.dirname(source) or "."}},
    )
    client.on_notebook_start = _announce(client)
    status = "ok"
    try:
        client.execute(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except DeadKernelError:
        status = "kernel-died"
    except Exception as error:  # noqa: BLE001 - e.g. kernel start failed.
        status = "kernel-died"
        print(f"runner: {type(error).__name__}: {error}"[:500], file=sys.stderr)
    if client.over_limit:
        status = "output-limit"
    errors = sum(
        any(
            out.get("output_type") == "error" for out in cell.get("outputs", [])
        )
        for cell in notebook.cells
        if cell.cell_type == "code"
    )
    if status == "ok" and errors:
        status = "errors"
    nbformat.write(notebook, target)
    return {
        "status": status,
        "errors": errors,
        "seconds": round(time.monotonic() - start, 2),
    }


def main(argv=None):
    """Command line: ``python -m gancourse.course.grading.execute IN OUT``.

    命令行入口：执行一个笔记本并报告状态。
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source")
    parser.add_argument("target")
    parser.add_argument("--max-output", type=int, default=2_000_000)
    parser.add_argument("--kernel", default="python3")
    parser.add_argument("--max-file-bytes", type=int, default=0)
    args = parser.parse_args(argv)
    if args.max_file_bytes > 0:
        # Inherited by the kernel: no file it writes grows past this size.
        limit = args.max_file_bytes
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    result = run(args.source, args.target, args.max_output, args.kernel)
    print("RESULT " + json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

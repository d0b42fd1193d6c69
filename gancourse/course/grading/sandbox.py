"""Run untrusted notebooks: a private copy, a time limit, a file-size limit.

运行不可信的笔记本：私有副本、时间限制、文件大小限制。

``copy_submission`` copies a student's regular files (never symlinks, never
more than ``MAX_COPY_BYTES``) into a temporary folder. ``run_notebook``
executes one notebook there in a separate process (``execute.py``) started
in its own process group, with ``RLIMIT_FSIZE`` capping every file the
student's code writes and a wall-clock limit: at the deadline the runner's
process group and the kernel's are killed with SIGKILL, which also stops
loops that hold the GIL.

This protects the run from a student's mistakes (crashes, endless loops,
floods of output, huge files). It is not a security sandbox: the kernel runs
as the grader's user, so grade untrusted classes inside a container or as an
unprivileged user.
"""

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from gancourse.course.grading.execute import kill_group

MAX_COPY_BYTES = 300_000_000
MAX_FILE_WRITE_BYTES = 500_000_000
SKIPPED_DIRS = {".ipynb_checkpoints", "__pycache__", ".git"}

__all__ = [
    "copy_submission",
    "find_students",
    "last_result",
    "run_limited",
    "run_notebook",
]


def find_students(submissions):
    """(name, path) of every submission: a sub-folder or a ``.ipynb`` file.

    找出每位学生的提交：一个子文件夹或一个 ``.ipynb`` 文件。

    Hidden entries are skipped; symlinks are listed (and refused later).
    """
    students = []
    for entry in sorted(Path(submissions).iterdir()):
        if entry.name.startswith((".", "_")):
            continue
        if entry.is_dir() or entry.suffix == ".ipynb" or entry.is_symlink():
            name = entry.name if entry.is_dir() else entry.stem
            students.append((name, entry))
    return students


def copy_submission(source, target):
    """Copy a submission's regular files into ``target``; return notes.

    把提交中的普通文件复制到 ``target``；返回说明（跳过了什么）。

    Symlinks (to files or folders) and files past ``MAX_COPY_BYTES`` in all
    are skipped and noted; a single ``.ipynb`` submission becomes
    ``target/<name>.ipynb``.
    """
    source, target = Path(source), Path(target)
    target.mkdir(parents=True, exist_ok=True)
    notes, total = [], 0
    if source.is_symlink():
        return ["the submission itself is a symbolic link: not graded"]
    if source.is_file():
        shutil.copyfile(source, target / source.name)
        return notes
    for folder, dirs, files in os.walk(source, followlinks=False):
        folder = Path(folder)
        relative = folder.relative_to(source)
        for name in list(dirs):
            if name in SKIPPED_DIRS or (folder / name).is_symlink():
                if (folder / name).is_symlink():
                    notes.append(f"skipped symbolic link {relative / name}")
                dirs.remove(name)
        (target / relative).mkdir(parents=True, exist_ok=True)
        for name in sorted(files):
            path = folder / name
            if path.is_symlink() or not path.is_file():
                notes.append(f"skipped symbolic link {relative / name}")
                continue
            total += path.stat().st_size
            if total > MAX_COPY_BYTES:
                notes.append(f"skipped {relative / name}: submission too big")
                continue
            shutil.copyfile(path, target / relative / name)
    return notes


def _read_lines(path, limit=65_536):
    try:
        with open(path, "rb") as handle:
            return handle.read(limit).decode("utf-8", "replace").splitlines()
    except OSError:
        return []


def run_limited(command, cwd, env, timeout, logs, stem):
    """Run ``command`` in its own process group; kill the group at ``timeout``.

    在独立进程组中运行命令；超时后结束整个进程组。

    Returns:
        (timed_out, seconds, stdout lines), the stdout read from a file
        (at most 64 KiB) so a flood cannot fill the grader's memory.
    """
    logs = Path(logs)
    logs.mkdir(parents=True, exist_ok=True)
    stdout_path, stderr_path = logs / f"{stem}.stdout", logs / f"{stem}.stderr"
    start = time.monotonic()
    with open(stdout_path, "wb") as out, open(stderr_path, "wb") as err:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            cwd=str(cwd),
            env=env,
            start_new_session=True,
        )
        timed_out = False
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            kill_group(process.pid)
        # A kernel runs in its own session: a GIL-holding loop, or children
        # left behind, survive the runner unless killed by their group id.
        kill_group(_kernel_pid(stdout_path))
        process.wait()
    seconds = round(time.monotonic() - start, 2)
    return timed_out, seconds, _read_lines(stdout_path)


def last_result(lines):
    """The JSON of the last ``RESULT {...}`` line, or None.

    最后一行 ``RESULT {...}`` 中的 JSON；没有时为 None。
    """
    for line in reversed(lines):
        if line.startswith("RESULT "):
            try:
                result = json.loads(line[len("RESULT ") :])
            except ValueError:
                return None
            return result if isinstance(result, dict) else None
    return None


def run_notebook(notebook, executed, env, timeout, max_output, logs):
    """Execute ``notebook`` within ``timeout`` seconds in a fresh kernel.

    在全新内核中执行 ``notebook``，限时 ``timeout`` 秒。

    Args:
        notebook: the copied notebook (its folder is the kernel's cwd).
        executed: where to write the executed notebook.
        env: the environment of the runner and the kernel.
        timeout: wall-clock seconds for the whole notebook.
        max_output: bytes of cell outputs before the kernel is stopped.
        logs: a folder for the runner's stdout and stderr.

    Returns:
        dict: "status" ("ok", "errors", "timeout", "output-limit",
        "kernel-died", "invalid-notebook", "runner-failed"), "errors",
        "seconds".
    """
    command = [
        sys.executable,
        "-m",
        "gancourse.course.grading.execute",
        str(notebook),
        str(executed),
        "--max-output",
        str(int(max_output)),
        "--max-file-bytes",
        str(MAX_FILE_WRITE_BYTES),
    ]
    timed_out, seconds, lines = run_limited(
        command, Path(notebook).parent, env, timeout, logs, Path(notebook).stem
    )
    result = None if timed_out else last_result(lines)
    if result is None:
        status = "timeout" if timed_out else "runner-failed"
        result = {"status": status, "errors": 0}
    result["seconds"] = seconds
    return result


def _kernel_pid(stdout_path):
    for line in _read_lines(stdout_path):
        if line.startswith("KERNEL_PID "):
            value = line.split()[-1]
            return int(value) if value.isdigit() and int(value) > 1 else None
    return None

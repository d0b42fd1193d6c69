"""Multi-worker training: two processes on 127.0.0.1, one of them killed.

Each worker is ``python -m gancourse train dcgan --strategy multi-worker``
with its own ``TF_CONFIG`` (a cluster of two workers on free loopback
ports); TensorFlow's ``MultiWorkerMirroredStrategy`` all-reduces the
gradients between the processes. The tiny DCGAN trains on 256 synthetic
images, global batch 8 (4 per worker), 32 steps per epoch.

What is checked, and how exactly:

- Two workers compute what one process computes on the same global
  batches when that process also splits each batch in two (a
  ``MirroredStrategy`` over two logical CPU devices): BatchNorm normalises
  each replica's half of the batch, so the split, not the number of
  processes, defines the result. Weights agree to float32 rounding
  (``rtol=1e-5``): the all-reduce adds the two gradient halves in another
  order than the in-process reduction.
- A worker killed with SIGKILL in the middle of epoch 2 makes the other
  stop by itself (TensorFlow's heartbeat check, about 10-20 s) with a
  one-line message; restarting both with ``--resume`` continues from the
  last checkpoint (epoch 1) and ends with weights **bit-identical** to an
  uninterrupted two-worker run: the lost part of epoch 2 is recomputed
  from the same state, data order and noise, so nothing is lost.

Every process has a time limit and is killed at the end of its test.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import keras
import numpy as np
import pytest

from tests.test_data import write_idx

ROOT = Path(__file__).resolve().parents[1]
OPTIONS = [
    "--batch-size", "8", "--base-filters", "4", "--latent-dim", "8",
    "--seed", "3",
]  # fmt: skip
TIMEOUT = 240


def free_ports(count):
    sockets = [socket.socket() for _ in range(count)]
    for handle in sockets:
        handle.bind(("127.0.0.1", 0))
    ports = [handle.getsockname()[1] for handle in sockets]
    for handle in sockets:
        handle.close()
    return ports


class Cluster:
    """Start, watch and (always) stop the worker processes of one run."""

    def __init__(self, tmp_path):
        self.tmp_path = tmp_path
        self.processes = []

    def start(self, out, data_dir, epochs, *extra, name="run"):
        ports = free_ports(2)
        workers = [f"127.0.0.1:{port}" for port in ports]
        started = []
        for index in range(2):
            config = {
                "cluster": {"worker": workers},
                "task": {"type": "worker", "index": index},
            }
            env = dict(
                os.environ,
                TF_CONFIG=json.dumps(config),
                TF_CPP_MIN_LOG_LEVEL="3",
                CUDA_VISIBLE_DEVICES="",
            )
            env.pop("GANCOURSE_FAST", None)
            log = open(self.tmp_path / f"{name}-worker{index}.log", "w")
            command = [sys.executable, "-m", "gancourse", "train", "dcgan"]
            command += ["--strategy", "multi-worker", "--out", str(out)]
            command += ["--data-dir", str(data_dir), "--epochs", str(epochs)]
            process = subprocess.Popen(
                command + OPTIONS + list(extra),
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            process.log_path = log.name
            log.close()
            started.append(process)
        self.processes += started
        return started

    def wait(self, processes, timeout=TIMEOUT):
        deadline = time.monotonic() + timeout
        codes = []
        for process in processes:
            left = max(1.0, deadline - time.monotonic())
            codes.append(process.wait(timeout=left))
        return codes

    def log(self, process):
        return Path(process.log_path).read_text()

    def stop(self):
        for process in self.processes:
            if process.poll() is None:
                process.kill()
                process.wait()


@pytest.fixture
def cluster(tmp_path):
    running = Cluster(tmp_path)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("data")
    write_idx(folder, count=256)
    return folder


def weights(out):
    result = {}
    for name in ("generator", "discriminator"):
        model = keras.saving.load_model(
            out / f"{name}.keras", safe_mode=True, compile=False
        )
        result[name] = [np.asarray(w) for w in model.weights]
    return result


def uninterrupted(cluster, data_dir, out):
    processes = cluster.start(out, data_dir, 3, name="straight")
    codes = cluster.wait(processes)
    assert codes == [0, 0], [cluster.log(p)[-2000:] for p in processes]
    return weights(out)


def test_two_workers_equal_one_process_on_the_same_batches(
    cluster, data_dir, tmp_path
):
    two = uninterrupted(cluster, data_dir, tmp_path / "two")
    # 主节点写检查点，另一个 worker 只写自己的目录 / The chief writes the
    # checkpoints; the other worker only its own folder, no scratch left.
    chief = tmp_path / "two"
    assert sorted(p.name for p in (chief / "checkpoints").glob("*.index")) == [
        "ckpt-1.index", "ckpt-2.index", "ckpt-3.index",
    ]  # fmt: skip
    assert (chief / ".worker-1" / "generator.keras").is_file()
    assert not list(chief.glob(".checkpoints-worker-*"))
    summary = json.loads((chief / "summary.json").read_text())
    assert summary["epochs"] == 3 and np.isfinite(summary["final"]["d_loss"])

    script = textwrap.dedent(
        f"""
        import os, sys
        os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
        import tensorflow as tf
        cpu = tf.config.list_physical_devices("CPU")[0]
        tf.config.set_logical_device_configuration(
            cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
        from gancourse import cli
        sys.exit(cli.main(["train", "dcgan", "--strategy", "mirrored",
                           "--out", {str(tmp_path / "one")!r},
                           "--data-dir", {str(data_dir)!r},
                           "--epochs", "3", *{OPTIONS!r}]))
        """
    )
    env = {k: v for k, v in os.environ.items() if k != "GANCOURSE_FAST"}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    one = weights(tmp_path / "one")
    for name in one:
        for a, b in zip(one[name], two[name]):
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6, err_msg=name)


def test_killed_worker_resumes_from_the_last_checkpoint_losing_nothing(
    cluster, data_dir, tmp_path
):
    expected = uninterrupted(cluster, data_dir, tmp_path / "straight")

    out = tmp_path / "killed"
    chief, worker = cluster.start(out, data_dir, 3, name="killed")
    first = out / "checkpoints" / "ckpt-1.index"
    deadline = time.monotonic() + TIMEOUT
    while not first.exists():
        assert chief.poll() is None, cluster.log(chief)[-2000:]
        assert time.monotonic() < deadline, "no checkpoint after epoch 1"
        time.sleep(0.02)
    worker.send_signal(signal.SIGKILL)
    # 另一个 worker 自己停下，并说明如何继续 / The survivor stops by itself
    # and says how to go on.
    assert cluster.wait([chief], timeout=120) == [1]
    assert worker.wait(timeout=10) == -signal.SIGKILL
    log = cluster.log(chief)
    assert "error: a worker of the multi-worker run stopped" in log, log[-2000:]
    assert "--resume" in log
    # 第 2 轮没有完成 / Epoch 2 did not finish.
    assert not (out / "checkpoints" / "ckpt-2.index").exists()
    assert not (out / "generator.keras").exists()

    processes = cluster.start(out, data_dir, 3, "--resume", name="resumed")
    codes = cluster.wait(processes)
    assert codes == [0, 0], [cluster.log(p)[-2000:] for p in processes]
    assert "Resuming from epoch 1" in cluster.log(processes[0])
    got = weights(out)
    for name in expected:
        for a, b in zip(expected[name], got[name]):
            np.testing.assert_array_equal(a, b, err_msg=name)

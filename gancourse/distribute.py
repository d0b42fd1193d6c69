"""Where training runs: one device, this machine's devices or several workers.

训练在哪里运行：单设备、本机多设备（GPU 或逻辑 CPU）、多个 worker 进程。

``python -m gancourse train ... --strategy {one,mirrored,multi-worker}``
and the course models rely on these helpers. A multi-worker run is one
command started once per worker, each with its own ``TF_CONFIG``
environment variable (the cluster's addresses and this worker's task);
``tests/test_multi_worker.py`` runs two workers on 127.0.0.1, kills one
and resumes.
"""

import json
import os
import sys

STRATEGIES = ("one", "mirrored", "multi-worker")


class StrategyError(ValueError):
    """A strategy that cannot be built here (reported in one line)."""


def is_chief():
    """Whether this process is the chief of the ``TF_CONFIG`` cluster.

    The chief is the ``chief`` task, or worker 0 when there is none (the
    rule of ``tf.distribute.MultiWorkerMirroredStrategy``).
    """
    config = json.loads(os.environ.get("TF_CONFIG") or "{}")
    task = config.get("task") or {}
    if not task or task.get("type") == "chief":
        return True
    if "chief" in (config.get("cluster") or {}):
        return False
    return task.get("type") == "worker" and int(task.get("index", 0)) == 0


def make_strategy(name):
    """The ``tf.distribute`` strategy of ``--strategy``.

    - ``one``: TensorFlow's default strategy (one device);
    - ``mirrored``: ``MirroredStrategy`` over this machine's GPUs (or its
      logical CPU devices): synchronous data parallelism, the global batch
      split evenly between the replicas;
    - ``multi-worker``: ``MultiWorkerMirroredStrategy`` across the
      processes named in ``TF_CONFIG``; every worker runs the same command.
    """
    import tensorflow as tf

    if name == "mirrored":
        devices = None
        if not tf.config.list_logical_devices("GPU"):
            # 无 GPU 时用全部逻辑 CPU 设备 / Without GPUs: every logical
            # CPU device (one unless the program configured more).
            devices = [d.name for d in tf.config.list_logical_devices("CPU")]
        return tf.distribute.MirroredStrategy(devices)
    if name == "multi-worker":
        if not os.environ.get("TF_CONFIG"):
            raise StrategyError(
                "--strategy multi-worker expected the TF_CONFIG environment "
                "variable (the cluster and this worker's task). Received: "
                "no TF_CONFIG"
            )
        return tf.distribute.MultiWorkerMirroredStrategy()
    return tf.distribute.get_strategy()


def is_multi_worker(strategy):
    """Whether ``strategy`` spans several processes (``TF_CONFIG`` workers).

    判断分布式策略是否跨多个进程（多 worker 训练）。
    """
    import tensorflow as tf

    if not isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy):
        return False
    tasks = strategy.cluster_resolver.cluster_spec().as_dict()
    return sum(len(addresses) for addresses in tasks.values()) > 1


def lost_a_worker(error):
    """Whether ``error`` is TensorFlow reporting an unreachable worker."""
    if "tensorflow" not in sys.modules:
        return False
    import tensorflow as tf

    return isinstance(
        error, (tf.errors.UnavailableError, tf.errors.AbortedError)
    )

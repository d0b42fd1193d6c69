"""MirroredStrategy over two logical CPU devices, in a fresh process.

One subprocess trains GAN (also with an EMA generator), ConditionalGAN,
WGANGP, CycleGAN, Pix2Pix and the explicit ``steps.make_train_step`` step
for one step on one global batch of 64, once with ``OneDeviceStrategy``
and once with ``MirroredStrategy`` over two logical CPUs (32 samples per
replica), and checks that all weights AND the reported losses agree.

Why exact agreement is possible although the steps draw random numbers:
every replica reads the same ``SeedGenerator`` state, so the models draw
noise z and WGAN-GP's alphas for the whole global batch and each replica
keeps its own rows (``training.draw_for_replica``). Replica r then uses rows
32r..32r+31 of exactly the draw a single device makes for the batch of 64,
and it gets rows 32r..32r+31 of the data batch too. Without that, both
replicas would use the same 32 noise vectors and G's update would differ.
CycleGAN (no image pool) and Pix2Pix draw nothing. Losses are means over
the batch, so the mean of the two replicas' means equals the single-device
mean; the losses are divided by the number of replicas before
differentiating, so the summed gradients equal the single-device ones.
"""

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_mirrored_strategy_matches_single_device():
    script = textwrap.dedent(
        """
        import os
        os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
        import numpy as np
        import tensorflow as tf
        cpu = tf.config.list_physical_devices("CPU")[0]
        tf.config.set_logical_device_configuration(
            cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
        import keras
        from gancourse import data, steps
        from tests import tiny

        points = data.make_ring_data(64, seed=0)

        def fit(name):
            # 16 单元 tanh MLP、SGD(0.1)、不打乱的一整批 / 16-unit tanh
            # MLPs, SGD(0.1), one unshuffled global batch.
            options = dict(lambda_l1=10.0) if name == "pix2pix" else {}
            if name == "gan-ema":
                # EMA 生成器在副本上下文中更新 / The EMA generator is
                # updated from inside the replica function.
                name, options = "gan", dict(ema_decay=0.5)
            model = tiny.model(name, points=True, units=16, optimizer="sgd",
                               learning_rate=0.1, **options)
            dataset = tiny.dataset(name, points, seed=0, batch_size=64,
                                   shuffle=False)
            weights = model.trainable_weights
            if options.get("ema_decay"):
                weights = weights + model.ema_generator.weights
            initial = [np.array(w) for w in weights]
            history = model.fit(dataset, epochs=1, verbose=0).history
            logs = {name: values[0] for name, values in history.items()}
            return initial, [np.array(w) for w in weights], logs

        def explicit_step(strategy):
            g, d = tiny.networks("gan", points=True, units=16)
            sgd = keras.optimizers.SGD
            step = steps.make_train_step(g, d, sgd(0.1), sgd(0.1), seed=0)
            dataset = strategy.experimental_distribute_dataset(
                data.make_dataset(points, batch_size=64, shuffle=False))

            @tf.function
            def distributed_step(batch):
                logs = strategy.run(step, args=(batch,))
                return {name: strategy.reduce("MEAN", value, axis=None)
                        for name, value in logs.items()}

            weights = g.trainable_weights + d.trainable_weights
            initial = [np.array(w) for w in weights]
            for batch in dataset:
                logs = {k: float(v)
                        for k, v in distributed_step(batch).items()}
            return initial, [np.array(w) for w in weights], logs

        def run(name, strategy):
            keras.utils.set_random_seed(0)
            with strategy.scope():
                if name == "step":
                    return explicit_step(strategy)
                return fit(name)

        mirrored = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
        assert mirrored.num_replicas_in_sync == 2
        single = tf.distribute.OneDeviceStrategy("/cpu:0")
        for name in tiny.FAMILIES + ("gan-ema", "step"):
            initial, one, logs_one = run(name, single)
            _, two, logs_two = run(name, mirrored)
            # Training moved the weights (so equality is not trivial);
            # without dividing losses by the replica count, the summed
            # gradients would double every update and break the equality.
            moved = max(float(np.abs(a - b).max())
                        for a, b in zip(initial, one))
            assert moved > 1e-3, (name, moved)
            for a, b in zip(one, two):
                np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)
            assert sorted(logs_one) == sorted(logs_two), name
            for key in logs_one:
                np.testing.assert_allclose(
                    logs_one[key], logs_two[key], rtol=1e-4, atol=1e-6,
                    err_msg=f"{name} {key}")
            diff = max(float(np.abs(a - b).max()) for a, b in zip(one, two))
            print(name, "moved", moved, "max diff", diff, "logs", logs_two)
        print("all equal")
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "all equal" in result.stdout

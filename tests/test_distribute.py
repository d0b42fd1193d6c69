"""MirroredStrategy over two logical CPU devices, in a fresh process."""

import subprocess
import sys
import textwrap


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
        from gancourse import data, gans, models

        def run(strategy):
            keras.utils.set_random_seed(0)
            with strategy.scope():
                # G ignores z at the first step (zero kernel), so both runs
                # see the same fakes and one step must match exactly.
                g = keras.Sequential([
                    keras.Input((2,)),
                    keras.layers.Dense(2, kernel_initializer="zeros",
                                       bias_initializer="ones"),
                ])
                d = models.make_mlp_discriminator(input_shape=(2,))
                gan = gans.GAN(g, d, seed=0)
                gan.compile(keras.optimizers.SGD(0.1),
                            keras.optimizers.SGD(0.1))
            points = data.make_ring_data(64, seed=0)
            ds = data.make_dataset(points, batch_size=64, shuffle=False)
            gan.fit(ds, epochs=1, verbose=0)
            return [np.array(w) for w in gan.discriminator.weights] + [
                np.array(g.layers[-1].bias)]

        devices = ["/cpu:0", "/cpu:1"]
        mirrored = tf.distribute.MirroredStrategy(devices)
        assert mirrored.num_replicas_in_sync == 2
        one = run(tf.distribute.OneDeviceStrategy("/cpu:0"))
        two = run(mirrored)
        # Training moved the weights (so equality below is not trivial);
        # without dividing losses by the replica count, the summed
        # gradients would double every update and break the equality.
        keras.utils.set_random_seed(0)
        initial = models.make_mlp_discriminator(input_shape=(2,)).weights
        assert max(float(np.abs(np.array(a) - b).max())
                   for a, b in zip(initial, one)) > 1e-3
        for a, b in zip(one, two):
            np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)
        print("max diff", max(float(np.abs(a - b).max())
                              for a, b in zip(one, two)))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "max diff" in result.stdout

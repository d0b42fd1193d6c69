"""MirroredStrategy over two logical CPU devices, in a fresh process.

One subprocess trains GAN, ConditionalGAN, WGANGP, CycleGAN, Pix2Pix and
the explicit ``steps.make_train_step`` step for one step on one global batch
of 64, once with ``OneDeviceStrategy`` and once with ``MirroredStrategy``
over two logical CPUs (32 samples per replica), and checks that all weights
AND the reported losses agree.

Why exact agreement is possible although the steps draw random numbers:
every replica reads the same ``SeedGenerator`` state, so the models draw
noise z and WGAN-GP's alphas for the whole global batch and each replica
keeps its own rows (``gans._replica_draw``). Replica r then uses rows
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
        from gancourse import conditional, cyclegan, data, gans
        from gancourse import image_to_image, steps, wgan

        layers = keras.layers
        points = data.make_ring_data(64, seed=0)
        labels = np.arange(64) % 3

        def mlp(inputs=2, out=1, units=16):
            return keras.Sequential([
                keras.Input((inputs,)),
                layers.Dense(units, activation="tanh"),
                layers.Dense(out)])

        def sgd():
            return keras.optimizers.SGD(0.1)

        def weights_of(*networks):
            return [w for n in networks for w in n.trainable_weights]

        def gan_case():
            g, d = mlp(out=2), mlp()
            model = gans.GAN(g, d, seed=0)
            model.compile(sgd(), sgd())
            dataset = data.make_dataset(points, batch_size=64, shuffle=False)
            return model, dataset, weights_of(g, d)

        def conditional_case():
            z = keras.Input((2,))
            y = keras.Input((), dtype="int32")
            h = layers.Concatenate()([z, layers.Embedding(3, 2)(y)])
            g = keras.Model([z, y], mlp(4, 2)(h))
            x = keras.Input((2,))
            y2 = keras.Input((), dtype="int32")
            one_hot = layers.CategoryEncoding(3, output_mode="one_hot")(y2)
            h2 = layers.Concatenate()([x, one_hot])
            d = keras.Model([x, y2], mlp(5)(h2))
            model = conditional.ConditionalGAN(g, d, num_classes=3, seed=0)
            model.compile(sgd(), sgd())
            dataset = data.make_dataset(
                points, labels, batch_size=64, shuffle=False)
            return model, dataset, weights_of(g, d)

        def wgan_case():
            g, critic = mlp(out=2), mlp()
            model = wgan.WGANGP(g, critic, d_steps=2, seed=0)
            model.compile(sgd(), sgd())
            dataset = data.make_dataset(points, batch_size=64, shuffle=False)
            return model, dataset, weights_of(g, critic)

        def cyclegan_case():
            nets = [mlp(out=2), mlp(out=2), mlp(), mlp()]
            model = cyclegan.CycleGAN(*nets)
            model.compile(sgd(), sgd(), sgd(), sgd())
            dataset = cyclegan.make_unpaired_dataset(
                points, 0.5 * points[::-1], batch_size=64, seed=0)
            return model, dataset, weights_of(*nets)

        def pix2pix_case():
            source = keras.Input((2,))
            target = keras.Input((2,))
            h = layers.Concatenate()([source, target])
            g, d = mlp(out=2), keras.Model([source, target], mlp(4)(h))
            model = image_to_image.Pix2Pix(g, d, lambda_l1=10.0)
            model.compile(sgd(), sgd())
            dataset = tf.data.Dataset.from_tensor_slices(
                (points, 0.5 * points)).batch(64)
            return model, dataset, weights_of(g, d)

        def fit(case):
            model, dataset, weights = case()
            initial = [np.array(w) for w in weights]
            history = model.fit(dataset, epochs=1, verbose=0).history
            logs = {name: values[0] for name, values in history.items()}
            return initial, [np.array(w) for w in weights], logs

        def explicit_step(strategy):
            g, d = mlp(out=2), mlp()
            step = steps.make_train_step(g, d, sgd(), sgd(), seed=0)
            dataset = strategy.experimental_distribute_dataset(
                data.make_dataset(points, batch_size=64, shuffle=False))

            @tf.function
            def distributed_step(batch):
                logs = strategy.run(step, args=(batch,))
                return {name: strategy.reduce("MEAN", value, axis=None)
                        for name, value in logs.items()}

            weights = weights_of(g, d)
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
                return fit(CASES[name])

        CASES = {"gan": gan_case, "conditional": conditional_case,
                 "wgan_gp": wgan_case, "cyclegan": cyclegan_case,
                 "pix2pix": pix2pix_case}
        mirrored = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
        assert mirrored.num_replicas_in_sync == 2
        single = tf.distribute.OneDeviceStrategy("/cpu:0")
        for name in list(CASES) + ["step"]:
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
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "all equal" in result.stdout

"""Print the FID/KID of a saved generator against the Fashion-MNIST test set.

打印已保存生成器相对 Fashion-MNIST 测试集的 FID/KID。

    python -m gancourse train dcgan --out runs/dcgan   # writes generator.keras
    python benchmarks/fid_dcgan.py runs/dcgan/generator.keras
    python benchmarks/fid_dcgan.py runs/dcgan/generator.keras --num-images 10000

Features come from the package's Fashion-MNIST classifier (the offline
default of ``gancourse.metrics``), so the values are NOT comparable with
published Inception FIDs. Every row uses the same N real and N fake images;
the real-vs-real row (train vs test) is the floor that N allows.
"""

import argparse
import os
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import gancourse  # noqa: E402
from gancourse import data  # noqa: E402
from gancourse import metrics  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("generator", type=Path, help="a generator .keras file")
    parser.add_argument("--num-images", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    import keras
    import numpy as np

    gancourse.setup(args.seed)
    start = time.perf_counter()
    generator = keras.saving.load_model(
        args.generator, safe_mode=True, compile=False
    )
    test_images, _ = data.load_fashion_mnist("test")
    train_images, _ = data.load_fashion_mnist("train")
    n = min(args.num_images, len(test_images))
    rng = np.random.default_rng(args.seed)
    real = test_images[rng.choice(len(test_images), n, replace=False)]
    reference = train_images[rng.choice(len(train_images), n, replace=False)]
    latent_dim = int(generator.inputs[0].shape[-1])
    noise = rng.standard_normal((n, latent_dim)).astype("float32")
    fake = generator.predict(noise, batch_size=500, verbose=0)

    real_f = metrics.extract_features(real)
    rows = {
        "generator": metrics.extract_features(fake),
        "real (train) baseline": metrics.extract_features(reference),
    }
    info = metrics.classifier_info()
    print(f"generator: {args.generator}")
    print(
        f"features: shipped Fashion-MNIST classifier "
        f"(test accuracy {info['test_accuracy']:.4f}), N = {n} per side"
    )
    for name, features in rows.items():
        fid_value = metrics.frechet_distance(real_f, features)
        kid_mean, kid_std = metrics.kid(real_f, features, 50, min(n, 1000))
        precision, recall = metrics.precision_recall(
            real_f[:5000], features[:5000]
        )
        print(
            f"{name:24s} FID {fid_value:8.3f}  KID x1000 "
            f"{1000 * kid_mean:7.3f} +- {1000 * kid_std:.3f}  "
            f"precision {precision:.3f}  recall {recall:.3f}"
        )
    print(f"({time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()

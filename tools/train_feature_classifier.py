"""Train the small Fashion-MNIST classifier used as the default FID encoder.

训练用作默认 FID 特征提取器的小型 Fashion-MNIST 分类器。

    python tools/train_feature_classifier.py   # ~4 min on 2 idle CPUs
    python tools/train_feature_classifier.py --epochs 8 --out /tmp/clf

Writes ``fashion_mnist_classifier.keras`` (weights and architecture, no
optimizer state, loadable with ``safe_mode=True``) and
``fashion_mnist_classifier.json`` (test accuracy, epochs, feature layer, date,
command) into ``gancourse/assets/`` by default.
"""

import argparse
import datetime
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import gancourse  # noqa: E402
from gancourse import data  # noqa: E402
from gancourse import metrics  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--learning-rate", type=float, default=2e-3)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", type=Path, default=metrics.ASSETS_DIR)
    args = parser.parse_args(argv)

    import keras

    gancourse.setup(args.seed)
    train_images, train_labels = data.load_fashion_mnist("train")
    test_images, test_labels = data.load_fashion_mnist("test")

    model = metrics.make_fashion_mnist_classifier()
    steps = args.epochs * (len(train_images) // args.batch_size + 1)
    schedule = keras.optimizers.schedules.CosineDecay(
        args.learning_rate, decay_steps=steps
    )
    model.compile(
        optimizer=keras.optimizers.Adam(schedule),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    start = time.perf_counter()
    model.fit(
        train_images,
        train_labels,
        batch_size=args.batch_size,
        epochs=args.epochs,
        validation_split=0.0,
        verbose=2,
    )
    seconds = time.perf_counter() - start
    _, accuracy = model.evaluate(test_images, test_labels, verbose=0)
    print(f"test accuracy: {accuracy:.4f} ({seconds:.0f} s of training)")

    # 只保存结构与权重（不含优化器状态），文件更小。
    # Save architecture + weights only (no optimizer state): a smaller file.
    clean = metrics.make_fashion_mnist_classifier()
    clean.set_weights(model.get_weights())
    args.out.mkdir(parents=True, exist_ok=True)
    model_path = args.out / metrics.CLASSIFIER_PATH.name
    clean.save(model_path)
    info = {
        "test_accuracy": round(float(accuracy), 4),
        "epochs": args.epochs,
        "batch_size": args.batch_size,
        "learning_rate": args.learning_rate,
        "seed": args.seed,
        "feature_layer": metrics.FEATURE_LAYER,
        "feature_dim": int(clean.get_layer(metrics.FEATURE_LAYER).units),
        "probability_layer": metrics.PROBABILITY_LAYER,
        "num_parameters": int(clean.count_params()),
        "train_seconds": round(seconds),
        "date": datetime.date.today().isoformat(),
        "keras_version": keras.__version__,
        # 加载前用它校验文件 / Checked before loading the file.
        "sha256": metrics.file_sha256(model_path),
        "command": "python tools/train_feature_classifier.py "
        + " ".join(argv if argv is not None else sys.argv[1:]),
    }
    info["command"] = info["command"].strip()
    info_path = args.out / metrics.CLASSIFIER_INFO_PATH.name
    info_path.write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    size_kb = model_path.stat().st_size / 1024
    print(f"saved {model_path} ({size_kb:.0f} KB) and {info_path}")


if __name__ == "__main__":
    main()

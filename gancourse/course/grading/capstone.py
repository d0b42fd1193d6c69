"""The capstone's generator: refuse unsafe files, then score by FID and KID.

结课项目的生成器：先拒绝不安全的文件，再用 FID 与 KID 评分。

``inspect_model_file`` reads a submitted ``.keras`` archive as a zip, with no
Keras and no unpickling: it refuses symlinks, files outside the submission
folder, anything that is not a zip (a pickle renamed ``.keras``), archives
with unexpected members or too large once unpacked, and configs holding a
``Lambda`` layer, serialised Python code (``__lambda__``) or classes and
functions from modules other than ``keras`` and ``gancourse``.

A file that passes is loaded in a separate process with
``keras.saving.load_model(..., safe_mode=True)`` and scored::

    python -m gancourse.course.grading.capstone generator.keras \\
        [--num-images 10000]

which prints ``RESULT {"fid": ..., "kid_x1000": ..., ...}``: N generated
images against N Fashion-MNIST test images in the shipped classifier's
feature space, with the same draws (seed 0) as ``benchmarks/
quality_per_time.py``, so grader scores and measured baselines compare.
"""

import argparse
import json
import sys
import zipfile
from pathlib import Path

MAX_FILE_BYTES = 200_000_000
MAX_UNPACKED_BYTES = 600_000_000
MAX_CONFIG_BYTES = 5_000_000
ALLOWED_MEMBERS = {"metadata.json", "config.json", "model.weights.h5"}
ALLOWED_MODULES = ("keras", "gancourse")
FORBIDDEN_CLASSES = {"Lambda", "TFOpLambda", "__lambda__"}
IMAGE_SHAPE = (28, 28, 1)

__all__ = ["inspect_model_file", "score_generator", "tier_of"]


def inspect_model_file(path, root):
    """Why a submitted model file may not be loaded, or None if it may.

    检查提交的模型文件：返回拒绝的原因；可以安全加载时返回 None。

    Args:
        path: the submitted file (``Path``).
        root: the student's submission folder; the file must lie inside it.

    Returns:
        None, or a short English reason (ASCII).
    """
    path, root = Path(path), Path(root)
    if path.is_symlink():
        return "the model file is a symbolic link"
    try:
        inside = path.resolve().is_relative_to(root.resolve())
    except OSError:
        inside = False
    if not inside:
        return "the model file lies outside the submission folder"
    if not path.is_file():
        return "the model path is not a regular file"
    if path.suffix != ".keras":
        return "only .keras files are accepted"
    if path.stat().st_size > MAX_FILE_BYTES:
        return f"the model file is larger than {MAX_FILE_BYTES} bytes"
    if not zipfile.is_zipfile(path):
        return "not a .keras archive (e.g. a pickle renamed .keras)"
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            names = {member.filename for member in members}
            extra = sorted(
                name
                for name in names - ALLOWED_MEMBERS
                if not name.startswith("assets/")
            )
            if extra or not {"config.json", "model.weights.h5"} <= names:
                return f"unexpected archive members: {extra[:5]}"
            if any(".." in name or name.startswith("/") for name in names):
                return "archive paths outside the archive"
            if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
                return "the archive is too large once unpacked"
            info = archive.getinfo("config.json")
            if info.file_size > MAX_CONFIG_BYTES:
                return "config.json is too large"
            config = json.loads(archive.read("config.json"))
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError):
        return "the archive or its config.json cannot be read"
    return _config_problem(config)


def _config_problem(config):
    stack = [config]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
            continue
        if not isinstance(node, dict):
            continue
        class_name = node.get("class_name")
        if class_name in FORBIDDEN_CLASSES:
            return f"forbidden layer or object in the config: {class_name}"
        module = node.get("module")
        if (
            isinstance(module, str)
            and class_name is not None
            and module.split(".")[0] not in ALLOWED_MODULES
        ):
            return f"class from a module that is not allowed: {module[:60]}"
        registered = node.get("registered_name")
        if (
            isinstance(registered, str)
            and ">" in registered
            and (registered.split(">")[0] != "gancourse")
        ):
            return f"custom object that is not allowed: {registered[:60]}"
        stack.extend(node.values())
    return None


def tier_of(scores, table):
    """The best tier whose thresholds ``scores`` meet, or None.

    ``scores`` 达到的最高档位；没有达到任何档位时为 None。

    Args:
        scores: dict with "fid" and "kid_x1000".
        table: the parsed tiers table (see ``tiers.json``).

    Returns:
        (name, points), ("not measured", None) while any tier's thresholds
        are not yet measured, or (None, 0).
    """
    tiers = table["tiers"]
    if not all(_measured(tier) for tier in tiers):
        return "not measured", None
    best = (None, 0)
    for tier in tiers:  # From the easiest to the hardest.
        kid_limit = tier.get("kid_x1000")
        if scores["fid"] <= tier["fid"] and (
            kid_limit is None or scores["kid_x1000"] <= kid_limit
        ):
            best = (tier["name"], tier["points"])
    return best


def _measured(tier):
    return isinstance(tier.get("fid"), (int, float)) and not tier.get(
        "status", ""
    ).startswith("NOT YET MEASURED")


def score_generator(path, num_images=10_000, seed=0):
    """Load a generator in safe mode and measure its FID and KID x 1000.

    以安全模式加载生成器，测量 FID 与 KID x 1000（随包分类器特征）。

    Returns:
        dict with "fid", "kid_x1000", "num_images", "latent_dim" and
        "clipped" (the share of pixels outside [-1, 1], clipped).

    Raises:
        ValueError: for a model of the wrong shape or non-finite outputs.
    """
    import keras
    import numpy as np

    import gancourse.layers  # noqa: F401 - registers the course's layers.
    from gancourse import data
    from gancourse import metrics

    model = keras.saving.load_model(path, safe_mode=True, compile=False)
    if len(model.inputs) != 1 or len(model.inputs[0].shape) != 2:
        raise ValueError(
            "The generator must take one (batch, latent_dim) input. "
            f"Received: inputs={[tuple(t.shape) for t in model.inputs]}"
        )
    latent_dim = int(model.inputs[0].shape[-1])
    test_images, _ = data.load_fashion_mnist("test")
    rng = np.random.default_rng(seed)
    num_images = min(int(num_images), len(test_images))
    real = test_images[rng.choice(len(test_images), num_images, False)]
    noise = rng.standard_normal((num_images, latent_dim)).astype("float32")
    fake = np.asarray(model.predict(noise, batch_size=500, verbose=0))
    if fake.shape != (num_images,) + IMAGE_SHAPE:
        raise ValueError(
            f"The generator must output images of shape {IMAGE_SHAPE}. "
            f"Received: {fake.shape[1:]}"
        )
    if not np.all(np.isfinite(fake)):
        raise ValueError("The generator's outputs hold inf or nan.")
    clipped = float(np.mean(np.abs(fake) > 1.0))
    fake = np.clip(fake, -1.0, 1.0)
    real_features = metrics.extract_features(real)
    fake_features = metrics.extract_features(fake)
    kid_mean, _ = metrics.kid(
        real_features, fake_features, 50, min(1000, num_images)
    )
    return {
        "fid": float(metrics.frechet_distance(real_features, fake_features)),
        "kid_x1000": 1000.0 * float(kid_mean),
        "num_images": num_images,
        "latent_dim": latent_dim,
        "clipped": clipped,
    }


def main(argv=None):
    """Command line: score one ``.keras`` generator (prints ``RESULT {...}``).

    命令行入口：为一个 ``.keras`` 生成器评分。
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", type=Path)
    parser.add_argument("--num-images", type=int, default=10_000)
    args = parser.parse_args(argv)
    problem = inspect_model_file(args.model, args.model.parent)
    if problem:
        result = {"error": problem}
    else:
        try:
            result = score_generator(args.model, args.num_images)
        except Exception as error:  # noqa: BLE001 - report, the grader goes on.
            result = {"error": f"{type(error).__name__}: {error}"[:300]}
    print("RESULT " + json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

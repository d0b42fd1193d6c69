import ast
import shutil
from pathlib import Path

import keras
import numpy as np
import pytest

from gancourse import conditional
from gancourse import cyclegan
from gancourse import image_to_image
from gancourse import metrics
from gancourse import models
from gancourse import style_transfer
from gancourse import stylegan

PACKAGE = Path(__file__).resolve().parents[1] / "gancourse"

FACTORIES = {
    "mlp_generator": lambda: models.make_mlp_generator(),
    "mlp_discriminator": lambda: models.make_mlp_discriminator(),
    "dcgan_generator": lambda: models.make_dcgan_generator(
        latent_dim=8, image_shape=(16, 16, 1), base_filters=4
    ),
    "dcgan_discriminator_sn": lambda: models.make_dcgan_discriminator(
        image_shape=(16, 16, 1), base_filters=4, spectral_norm=True
    ),
    "conditional_generator": lambda: conditional.make_conditional_generator(
        latent_dim=8, image_shape=(16, 16, 1), base_filters=4
    ),
    "conditional_discriminator": (
        lambda: conditional.make_conditional_discriminator(
            image_shape=(16, 16, 1), base_filters=4
        )
    ),
    "resnet_generator": lambda: cyclegan.make_resnet_generator(
        image_shape=(16, 16, 1), base_filters=4, num_residual_blocks=1
    ),
    "unet_generator": lambda: image_to_image.make_unet_generator(
        image_shape=(16, 16, 1), base_filters=4
    ),
    "patchgan": lambda: image_to_image.make_patchgan_discriminator(
        input_shape=(16, 16, 1), base_filters=4
    ),
    "mapping_network": lambda: stylegan.make_mapping_network(),
    "transformer_network": lambda: style_transfer.make_transformer_network(
        filters=4, num_residual=1, image_shape=(16, 16, 3)
    ),
    "fashion_classifier": lambda: metrics.make_fashion_mnist_classifier(),
}


def random_inputs(model):
    rng = np.random.default_rng(0)
    inputs = []
    for tensor in model.inputs:
        shape = (2,) + tuple(tensor.shape[1:])
        if "int" in str(tensor.dtype):
            inputs.append(np.zeros(shape, "int32"))
        else:
            inputs.append(rng.uniform(-1, 1, shape).astype("float32"))
    return inputs if len(inputs) > 1 else inputs[0]


@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_every_model_reloads_in_safe_mode(name, tmp_path):
    model = FACTORIES[name]()
    path = tmp_path / f"{name}.keras"
    model.save(path)
    reloaded = keras.saving.load_model(path, safe_mode=True, compile=False)
    inputs = random_inputs(model)
    np.testing.assert_allclose(
        np.asarray(reloaded(inputs, training=False)),
        np.asarray(model(inputs, training=False)),
        rtol=1e-6,
        atol=1e-6,
    )


def test_shipped_classifier_hash_is_recorded_and_checked(tmp_path):
    recorded = metrics.classifier_info()["sha256"]
    assert recorded == metrics.file_sha256(metrics.CLASSIFIER_PATH)
    assert metrics.load_feature_classifier() is not None
    # 篡改过的副本（附带原 JSON 记录）被拒绝 / A tampered copy next to the
    # original JSON record is refused before Keras reads it.
    copy = tmp_path / metrics.CLASSIFIER_PATH.name
    shutil.copy(metrics.CLASSIFIER_PATH, copy)
    shutil.copy(metrics.CLASSIFIER_INFO_PATH, tmp_path)
    with open(copy, "ab") as handle:
        handle.write(b"\0")
    with pytest.raises(ValueError, match="expected SHA-256 " + recorded):
        metrics.load_feature_classifier(copy)
    with pytest.raises(ValueError, match="integrity check"):
        metrics.load_feature_classifier(
            metrics.CLASSIFIER_PATH, sha256="0" * 64
        )


def calls(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            yield node


def test_no_pickle_and_no_unsafe_loading_in_the_package():
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [alias.name for alias in node.names]
                module = getattr(node, "module", None) or ""
                assert "pickle" not in names + [module], path
        for call in calls(tree):
            name = ast.unparse(call.func)
            keywords = {k.arg: ast.unparse(k.value) for k in call.keywords}
            if name.endswith("np.load"):
                assert keywords.get("allow_pickle") == "False", path
            if name.endswith("load_model"):
                assert keywords.get("safe_mode") == "True", path
            if name.endswith("enable_unsafe_deserialization"):
                raise AssertionError(f"{path} enables unsafe loading")

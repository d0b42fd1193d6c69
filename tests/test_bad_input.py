"""Every public function and CLI option, fed bad input, fails clearly.

The table lists (case id, callable, expected exception, message pattern).
Each must raise that exception (never a TensorFlow error): a wrong type is a
``TypeError``, a right type with a bad value a ``ValueError``. The message
must say what was expected and what was received, and match the pattern,
which names the offending argument (its ``name=value`` or `` `name` ``). The
CLI cases must exit non-zero with a one-line message and no traceback.
"""

from pathlib import Path

import numpy as np
import pytest

import gancourse
from gancourse import callbacks
from gancourse import checkpoint
from gancourse import cli
from gancourse import conditional
from gancourse import cyclegan
from gancourse import data
from gancourse import gans
from gancourse import image_to_image
from gancourse import losses
from gancourse import metrics
from gancourse import models
from gancourse import plotting
from gancourse import runtime
from gancourse import steps
from gancourse import style_transfer
from gancourse import wgan
from tests import tiny
from tests.test_data import write_idx

VE = ValueError
TE = TypeError
MESSAGE = r"(?is)(received|expected)"


def images(shape=(8, 16, 16, 1), dtype="float32"):
    rng = np.random.default_rng(0)
    return rng.uniform(-1, 1, shape).astype(dtype)


def adam():
    import keras

    return keras.optimizers.Adam(1e-3)


def fit_on(batch):
    gan = tiny.model("gan")
    dataset = data.make_dataset(batch, batch_size=4, shuffle=False)
    gan.fit(dataset, epochs=1, verbose=0)


def same_optimizer():
    optimizer = adam()
    gans.GAN(*tiny.networks("gan")).compile(optimizer, optimizer)


def train_step_same_optimizer():
    optimizer = adam()
    steps.make_train_step(*tiny.networks("gan"), optimizer, optimizer)


def train_empty():
    import tensorflow as tf

    step = steps.make_train_step(*tiny.networks("gan"), adam(), adam())
    steps.train(step, tf.data.Dataset.from_tensors(images()).take(0), 1)


def mismatched_gan(d_shape):
    generator, _ = tiny.networks("gan")
    _, discriminator = tiny.networks("gan", image_shape=d_shape)
    gans.GAN(generator, discriminator)


def mismatched_cyclegan():
    generator_g, generator_f, _, discriminator_y = tiny.networks("cyclegan")
    discriminator_x = tiny.networks("cyclegan", image_shape=(32, 32, 1))[2]
    cyclegan.CycleGAN(
        generator_g, generator_f, discriminator_x, discriminator_y
    )


CASES = [
    # runtime
    ("setup/str", lambda: runtime.setup("abc"), TE, r"seed='abc'"),
    ("setup/float", lambda: runtime.setup(1.5), TE, r"seed=1\.5"),
    ("setup/negative", lambda: runtime.setup(-1), VE, r"seed=-1"),
    ("cap_epochs/zero", lambda: runtime.cap_epochs(0), VE, r"epochs=0"),
    ("cap_steps/float", lambda: runtime.cap_steps(2.5), TE, r"steps=2\.5"),
    # data
    (
        "make_dataset/empty",
        lambda: data.make_dataset(images((0, 4, 4, 1))),
        VE,
        r"images\.shape=\(0, 4, 4, 1\)",
    ),
    (
        "make_dataset/rank1",
        lambda: data.make_dataset(np.zeros(8)),
        VE,
        r"images\.shape=\(8,\)",
    ),
    (
        "make_dataset/strings",
        lambda: data.make_dataset(np.array([["a"]] * 8), batch_size=2),
        VE,
        r"images\.dtype=<U1",
    ),
    (
        "make_dataset/nan",
        lambda: data.make_dataset(np.full((8, 2), np.nan), batch_size=2),
        VE,
        r"`images` must be finite",
    ),
    (
        "make_dataset/batch_zero",
        lambda: data.make_dataset(images(), batch_size=0),
        VE,
        r"batch_size=0",
    ),
    (
        "make_dataset/batch_float",
        lambda: data.make_dataset(images(), batch_size=2.5),
        TE,
        r"batch_size=2\.5",
    ),
    (
        "make_dataset/batch_too_big",
        lambda: data.make_dataset(images(), batch_size=64),
        VE,
        r"batch_size=64",
    ),
    (
        "make_dataset/labels_mismatch",
        lambda: data.make_dataset(images(), labels=np.zeros(3), batch_size=2),
        VE,
        r"`labels`.* 8 images and 3 labels",
    ),
    (
        "load_dataset/unknown",
        lambda: data.load_dataset("cifar"),
        VE,
        r"name='cifar'",
    ),
    (
        "load_fashion/split",
        lambda: data.load_fashion_mnist("val"),
        VE,
        r"split='val'",
    ),
    (
        "load_fashion/missing_dir",
        lambda: data.load_fashion_mnist(path="/nonexistent/gancourse"),
        FileNotFoundError,
        r"in /nonexistent/gancourse",
    ),
    (
        "class_names/unknown",
        lambda: data.class_names("cifar"),
        VE,
        r"name='cifar'",
    ),
    (
        "make_ring_data/zero",
        lambda: data.make_ring_data(num_samples=0),
        VE,
        r"num_samples=0",
    ),
    (
        "ring_coverage/shape",
        lambda: data.ring_mode_coverage(np.zeros((4, 3))),
        VE,
        r"samples\.shape=\(4, 3\)",
    ),
    # models
    (
        "dcgan_g/latent_zero",
        lambda: models.make_dcgan_generator(0),
        VE,
        r"latent_dim=0",
    ),
    (
        "dcgan_g/latent_str",
        lambda: models.make_dcgan_generator("8"),
        TE,
        r"latent_dim='8'",
    ),
    (
        "dcgan_g/shape_not_div4",
        lambda: models.make_dcgan_generator(image_shape=(30, 30, 1)),
        VE,
        r"image_shape=\(30, 30, 1\)",
    ),
    (
        "dcgan_g/shape_rank",
        lambda: models.make_dcgan_generator(image_shape=(28, 28)),
        VE,
        r"image_shape=\(28, 28\)",
    ),
    (
        "dcgan_g/zero_channels",
        lambda: models.make_dcgan_generator(image_shape=(28, 28, 0)),
        VE,
        r"image_shape=\(28, 28, 0\)",
    ),
    (
        "dcgan_g/base_filters",
        lambda: models.make_dcgan_generator(base_filters=0),
        VE,
        r"base_filters=0",
    ),
    (
        "dcgan_d/shape_rank",
        lambda: models.make_dcgan_discriminator(image_shape=(28, 28)),
        VE,
        r"image_shape=\(28, 28\)",
    ),
    (
        "dcgan_d/dropout",
        lambda: models.make_dcgan_discriminator(dropout_rate=1.5),
        VE,
        # Keras's Dropout layer checks it / 由 Keras 的 Dropout 层检查。
        r"rate=1\.5",
    ),
    (
        "mlp_g/latent_neg",
        lambda: models.make_mlp_generator(latent_dim=-2),
        VE,
        r"latent_dim=-2",
    ),
    (
        "mlp_g/output_shape",
        lambda: models.make_mlp_generator(output_shape=(2, -1)),
        VE,
        r"output_shape=\(2, -1\)",
    ),
    (
        "mlp_d/input_dim",
        lambda: models.make_mlp_discriminator(input_shape=(0,)),
        VE,
        r"input_shape=\(0,\)",
    ),
    # gans
    (
        "GAN/not_model",
        lambda: gans.GAN("generator", tiny.networks("gan")[1]),
        TE,
        r"`generator` must be a keras\.Model\. Received: str",
    ),
    (
        "GAN/shape_mismatch",
        lambda: mismatched_gan((32, 32, 1)),
        VE,
        r"discriminator input shape \(32, 32, 1\)\. "
        r"Received: generator output shape \(16, 16, 1\)",
    ),
    (
        "GAN/channel_mismatch",
        lambda: mismatched_gan((16, 16, 3)),
        VE,
        r"discriminator input shape \(16, 16, 3\)\. "
        r"Received: generator output shape \(16, 16, 1\)",
    ),
    (
        "GAN/latent_dim",
        lambda: gans.GAN(*tiny.networks("gan"), latent_dim=5),
        VE,
        r"latent_dim=5",
    ),
    (
        "GAN/d_steps",
        lambda: gans.GAN(*tiny.networks("gan"), d_steps=0),
        VE,
        r"d_steps=0",
    ),
    (
        "GAN.compile/str_optimizer",
        lambda: gans.GAN(*tiny.networks("gan")).compile("adam", adam()),
        TE,
        r"g_optimizer='adam'",
    ),
    (
        "GAN.compile/same_optimizer",
        same_optimizer,
        VE,
        r"`g_optimizer` and `d_optimizer`",
    ),
    (
        "GAN.compile/unknown_loss",
        lambda: gans.GAN(*tiny.networks("gan")).compile(adam(), adam(), "foo"),
        VE,
        r"loss='foo'",
    ),
    (
        "GAN.compile/smoothing",
        lambda: gans.GAN(*tiny.networks("gan")).compile(
            adam(), adam(), label_smoothing=2.0
        ),
        VE,
        r"label_smoothing=2\.0",
    ),
    (
        "GAN.fit/wrong_size",
        lambda: fit_on(images((8, 28, 28, 1))),
        VE,
        r"Received: batch shape \(4, 28, 28, 1\)",
    ),
    (
        "GAN.fit/wrong_channels",
        lambda: fit_on(images((8, 16, 16, 3))),
        VE,
        r"Received: batch shape \(4, 16, 16, 3\)",
    ),
    (
        "GAN.fit/wrong_rank",
        lambda: fit_on(images((8, 16, 16))),
        VE,
        r"Received: batch shape \(4, 16, 16\)",
    ),
    (
        "GAN.fit/uint8_range",
        lambda: fit_on(images(dtype="float32").astype("uint8")),
        VE,
        r"Received: batch dtype uint8",
    ),
    (
        "GAN.generate/zero",
        lambda: tiny.model("gan").generate(num_images=0),
        VE,
        r"num_images=0",
    ),
    # losses
    (
        "get_loss_pair/unknown",
        lambda: losses.get_loss_pair("foo"),
        VE,
        r"loss='foo'",
    ),
    # steps
    (
        "make_train_step/same_optimizer",
        train_step_same_optimizer,
        VE,
        r"`g_optimizer` and `d_optimizer`",
    ),
    (
        "make_train_step/unknown_loss",
        lambda: steps.make_train_step(
            *tiny.networks("gan"), adam(), adam(), loss="foo"
        ),
        VE,
        r"loss='foo'",
    ),
    (
        "train/empty_dataset",
        train_empty,
        VE,
        r"`dataset` must yield at least one batch",
    ),
    # conditional / wgan / cyclegan / pix2pix
    (
        "conditional_g/num_classes",
        lambda: conditional.make_conditional_generator(num_classes=0),
        VE,
        r"num_classes=0",
    ),
    (
        "check_labels/out_of_range",
        lambda: conditional.check_labels([0, 12], num_classes=10),
        VE,
        r"`labels`.* Received: labels in \[0, 12\]",
    ),
    (
        "check_labels/rank",
        lambda: conditional.check_labels(np.zeros((2, 2)), num_classes=10),
        VE,
        r"labels\.shape=\(2, 2\)",
    ),
    (
        "ConditionalGAN/unconditional_nets",
        lambda: conditional.ConditionalGAN(*tiny.networks("gan")),
        VE,
        r"`generator` must take two inputs",
    ),
    (
        "WGANGP/gp_weight",
        lambda: wgan.WGANGP(*tiny.networks("wgangp"), gp_weight=-1.0),
        VE,
        r"gp_weight=-1\.0",
    ),
    (
        "gradient_penalty/shapes",
        lambda: wgan.gradient_penalty(
            tiny.networks("wgangp")[1], images(), images((8, 8, 8, 1))
        ),
        VE,
        r"`real` and `fake`.* fake\.shape=\(8, 8, 8, 1\)",
    ),
    (
        "resnet_g/shape",
        lambda: cyclegan.make_resnet_generator(image_shape=(30, 30, 1)),
        VE,
        r"image_shape=\(30, 30, 1\)",
    ),
    (
        "unet_g/shape",
        lambda: image_to_image.make_unet_generator(image_shape=(30, 30, 1)),
        VE,
        r"image_shape=\(30, 30, 1\)",
    ),
    (
        "CycleGAN/shape_mismatch",
        mismatched_cyclegan,
        VE,
        r"discriminator_x input shape must equal the generator_g input "
        r"\(domain X\) shape \(16, 16, 1\)\. "
        r"Received: discriminator_x input shape \(32, 32, 1\)",
    ),
    # metrics
    (
        "frechet_distance/rank",
        lambda: metrics.frechet_distance(np.zeros(5), np.zeros((5, 2))),
        VE,
        r"features_a\.shape=\(5,\)",
    ),
    (
        "frechet_distance/dims",
        lambda: metrics.frechet_distance(np.zeros((5, 2)), np.zeros((5, 3))),
        VE,
        r"`features_a` and `features_b`",
    ),
    (
        "frechet_distance/one_sample",
        lambda: metrics.frechet_distance(np.zeros((1, 2)), np.zeros((5, 2))),
        VE,
        r"features_a\.shape=\(1, 2\)",
    ),
    (
        "kid/dims",
        lambda: metrics.kid(np.zeros((5, 2)), np.zeros((5, 3))),
        VE,
        r"`features_a` and `features_b`",
    ),
    (
        "inception_score/not_probabilities",
        lambda: metrics.inception_score(np.full((4, 3), 2.0), num_splits=1),
        VE,
        r"`probabilities`.* Received: row sums",
    ),
    (
        "make_feature_encoder/unknown",
        lambda: metrics.make_feature_encoder(kind="foo"),
        VE,
        r"kind='foo'",
    ),
    (
        "make_feature_encoder/shape",
        lambda: metrics.make_feature_encoder(image_shape=(32, 32, 3)),
        VE,
        r"image_shape=\(32, 32, 3\)",
    ),
    (
        "fid/wrong_rank",
        lambda: metrics.fid(np.zeros((4, 28, 28)), np.zeros((4, 28, 28))),
        VE,
        r"images\.shape=\(4, 28, 28\)",
    ),
    (
        "load_feature_classifier/missing",
        lambda: metrics.load_feature_classifier("/nonexistent/c.keras"),
        FileNotFoundError,
        r"No feature classifier at /nonexistent/c\.keras",
    ),
    (
        "load_feature_classifier/hash",
        lambda: metrics.load_feature_classifier(sha256="0" * 64),
        VE,
        r"expected SHA-256 0{64}\. Received: [0-9a-f]{64}",
    ),
    # plotting / callbacks
    (
        "image_grid/rank",
        lambda: plotting.image_grid(np.zeros((4, 4))),
        VE,
        r"images\.shape=\(4, 4\)",
    ),
    (
        "image_grid/channels",
        lambda: plotting.image_grid(np.zeros((2, 4, 4, 2))),
        VE,
        r"images\.shape=\(2, 4, 4, 2\)",
    ),
    (
        "image_grid/range",
        lambda: plotting.image_grid(np.full((2, 4, 4, 1), 200.0)),
        VE,
        r"`images` must hold values in \[-1, 1\]",
    ),
    (
        "save_gif/empty",
        lambda: plotting.save_gif([], "/tmp/x.gif"),
        VE,
        r"`frames` must not be empty",
    ),
    (
        "SampleGrid/zero",
        lambda: callbacks.SampleGrid(num_images=0),
        VE,
        r"num_images=0",
    ),
    # style transfer
    (
        "gram_matrix/rank",
        lambda: style_transfer.gram_matrix(np.zeros((4, 4))),
        VE,
        r"features\.shape=\(4, 4\)",
    ),
    (
        "total_variation/rank",
        lambda: style_transfer.total_variation_loss(np.zeros((4, 4))),
        VE,
        r"images\.shape=\(4, 4\)",
    ),
    (
        "show_images/rank",
        lambda: plotting.show_images(np.zeros((4, 4))),
        VE,
        r"images\.shape=\(4, 4\)",
    ),
    (
        "plot_history/empty",
        lambda: plotting.plot_history({}),
        VE,
        r"`history` must be a keras History or a non-empty",
    ),
    (
        "interpolate_latent/sizes",
        lambda: plotting.interpolate_latent(np.zeros(4), np.zeros(5)),
        VE,
        r"`z_start` and `z_end`",
    ),
    (
        "interpolate_latent/opposite",
        lambda: plotting.interpolate_latent(np.ones(4), -np.ones(4)),
        VE,
        r"must not point in opposite directions",
    ),
    (
        "interpolate_latent/steps",
        lambda: plotting.interpolate_latent(np.ones(4), np.ones(4), 0),
        VE,
        r"num_steps=0",
    ),
    (
        "FIDCallback/rank",
        lambda: metrics.FIDCallback(np.zeros((8, 28, 28))),
        VE,
        r"real_images\.shape=\(8, 28, 28\)",
    ),
    (
        "unpaired_domains/class",
        lambda: cyclegan.make_unpaired_domains(class_a=12),
        VE,
        r"class_a=12",
    ),
    (
        "inpainting/hole",
        lambda: image_to_image.make_inpainting_data(num_images=4, hole_size=0),
        VE,
        r"hole_size=0",
    ),
    (
        "super_resolution/scale",
        lambda: image_to_image.make_super_resolution_data(scale=0),
        VE,
        r"scale=0",
    ),
    (
        "image_quality/shapes",
        lambda: image_to_image.image_quality(
            np.zeros((2, 8, 8, 1)), np.zeros((2, 4, 4, 1))
        ),
        VE,
        r"`predicted` and `target`",
    ),
    (
        "vgg_extractor/unknown_layer",
        lambda: style_transfer.make_vgg_feature_extractor(
            style_layers=("block9_conv1",), weights=None
        ),
        VE,
        r"style_layers=\('block9_conv1',\)",
    ),
    (
        "vgg_extractor/weights",
        lambda: style_transfer.make_vgg_feature_extractor(weights="foo"),
        VE,
        r"weights=foo",
    ),
    (
        "run_style_transfer/rank",
        lambda: style_transfer.run_style_transfer(
            np.zeros((8, 8)), np.zeros((8, 8, 3)), iterations=1
        ),
        VE,
        r"content_image\.shape=\(8, 8\)",
    ),
    (
        "run_style_transfer/iterations",
        lambda: style_transfer.run_style_transfer(
            np.zeros((1, 8, 8, 3)), np.zeros((1, 8, 8, 3)), iterations=0
        ),
        VE,
        r"iterations=0",
    ),
    (
        "content_loss/count",
        lambda: style_transfer.content_loss(
            [np.zeros((1, 2, 2, 1))], [np.zeros((1, 2, 2, 1))] * 2
        ),
        VE,
        r"`content_features` and `generated_features`",
    ),
    # checkpoint
    (
        "Checkpointer/max_to_keep",
        lambda: checkpoint.Checkpointer("/tmp/c", max_to_keep=1, x=adam()),
        VE,
        r"max_to_keep=1",
    ),
    (
        "Checkpointer/nothing",
        lambda: checkpoint.Checkpointer("/tmp/c"),
        VE,
        r"`Checkpointer` needs at least one object",
    ),
    (
        "TrainingCheckpoint/every",
        lambda: checkpoint.TrainingCheckpoint("/tmp/c", every=0),
        VE,
        r"every=0",
    ),
    (
        "training_objects/uncompiled",
        lambda: checkpoint.training_objects(tiny.model("gan", compile=False)),
        VE,
        r"`model` must be compiled",
    ),
    (
        "skip_epochs/negative",
        lambda: checkpoint.skip_epochs(None, -1),
        VE,
        r"num_epochs=-1",
    ),
    (
        "train/initial_epoch",
        lambda: steps.train(None, [], epochs=2, initial_epoch=3),
        VE,
        r"initial_epoch=3",
    ),
]


@pytest.mark.parametrize(
    "function,error,pattern",
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_bad_input_gets_a_clear_error(function, error, pattern):
    with pytest.raises(error) as info:
        function()
    message = str(info.value)
    assert "tensorflow" not in type(info.value).__module__
    if error is not FileNotFoundError:
        assert info.match(MESSAGE), message
    # 报错指明出错的参数 / The message names the offending argument.
    assert info.match(pattern), message
    assert len(message) < 1500


def test_public_api_is_covered():
    # 表中的用例覆盖了 __all__ 中每个可调用对象的模块 / The table reaches a
    # function of every module exported in __all__.
    names = " ".join(c[0] for c in CASES)
    for module in (
        "setup",
        "make_dataset",
        "dcgan_g",
        "GAN",
        "get_loss_pair",
        "make_train_step",
        "frechet_distance",
        "image_grid",
        "SampleGrid",
        "gram_matrix",
        "Checkpointer",
    ):
        assert module in names
    assert gancourse.setup is runtime.setup


@pytest.fixture
def cli_env(tmp_path):
    good = tmp_path / "good"
    write_idx(good, count=16)
    corrupt = tmp_path / "corrupt"
    write_idx(corrupt, count=16, truncate=True)
    a_file = tmp_path / "a_file"
    a_file.write_text("not a folder")
    run = tmp_path / "run"
    (run / "checkpoints").mkdir(parents=True)
    (run / "summary.json").write_text("{}")
    return {
        "good": str(good),
        "corrupt": str(corrupt),
        "file": str(a_file),
        "under_file": str(a_file / "out"),
        "run": str(run),
        "fresh": str(tmp_path / "fresh"),
        "empty": str(tmp_path / "empty_dir"),
    }


BASE = ["train", "dcgan", "--batch-size", "8", "--base-filters", "4"]

# (id, extra arguments, expected exit code, text the error must contain).
CLI_CASES = [
    ("unknown_model", ["train", "wgan"], 2, "invalid choice"),
    ("epochs_zero", ["--epochs", "0"], 2, "expected a positive integer"),
    ("epochs_text", ["--epochs", "many"], 2, "received 'many'"),
    ("batch_negative", ["--batch-size", "-1"], 2, "positive integer"),
    ("latent_zero", ["--latent-dim", "0"], 2, "positive integer"),
    ("filters_zero", ["--base-filters", "0"], 2, "positive integer"),
    ("lr_zero", ["--learning-rate", "0"], 2, "positive finite number"),
    ("lr_nan", ["--learning-rate", "nan"], 2, "positive finite number"),
    ("lr_text", ["--learning-rate", "fast"], 2, "positive number"),
    ("loss_unknown", ["--loss", "foo"], 2, "invalid choice"),
    ("dataset_unknown", ["--dataset", "cifar"], 2, "invalid choice"),
    ("max_images_zero", ["--max-images", "0"], 2, "positive integer"),
    ("ema_decay_one", ["--ema-decay", "1"], 2, "number in (0, 1) or 'none'"),
    ("ema_decay_text", ["--ema-decay", "slow"], 2, "received 'slow'"),
    ("strategy_unknown", ["--strategy", "tpu"], 2, "invalid choice"),
    (
        "multi_worker_without_cluster",
        ["--strategy", "multi-worker"],
        1,
        "--strategy multi-worker expected the TF_CONFIG",
    ),
    ("resume_and_overwrite", ["--resume", "--overwrite"], 2, "not allowed"),
    ("data_dir_missing", ["--data-dir", "{fresh}/nodata"], 1, "No fashion"),
    ("data_corrupt", ["--data-dir", "{corrupt}"], 1, "truncated or corrupt"),
    ("out_is_file", ["--out", "{file}"], 1, "--out must be a folder"),
    (
        "out_not_writable",
        ["--out", "{under_file}"],
        1,
        "--out must be a writable folder",
    ),
    ("out_has_run", ["--out", "{run}"], 1, "already holds a run"),
    (
        "resume_nothing",
        ["--out", "{empty}", "--resume"],
        1,
        "--resume expected a run with checkpoints",
    ),
    (
        "batch_above_images",
        ["--batch-size", "64"],
        1,
        "--batch-size must be at most the number of images (16)",
    ),
]


@pytest.mark.parametrize(
    "arguments,code,text",
    [c[1:] for c in CLI_CASES],
    ids=[c[0] for c in CLI_CASES],
)
def test_bad_cli_option_exits_with_one_line(
    arguments, code, text, cli_env, capsys, monkeypatch
):
    monkeypatch.delenv("TF_CONFIG", raising=False)
    if arguments[:2] == ["train", "wgan"]:
        argv = arguments
    else:
        argv = BASE + ["--data-dir", cli_env["good"], "--out"]
        argv += [cli_env["fresh"]] + [a.format(**cli_env) for a in arguments]
    if code == 2:
        with pytest.raises(SystemExit) as info:
            cli.main(argv)
        assert info.value.code == 2
    else:
        assert cli.main(argv) == code
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert text in captured.err, captured.err
    last = captured.err.strip().splitlines()[-1]
    assert last.startswith(("error:", "python -m gancourse")), last
    if code == 1:
        assert captured.err.startswith("error: ")
    # 失败的启动不会把目录标记为训练目录 / A failed start leaves no run
    # marker, so the same command can be retried after fixing the option.
    for marker in cli.RUN_MARKERS:
        assert not (Path(cli_env["fresh"]) / marker).exists()

"""Shipped generators: hash-checked safe loading, records, class coverage."""

import base64

import numpy as np
import pytest

from gancourse import metrics
from gancourse import pretrained

BUDGET_BYTES = 30 * 1024 * 1024  # 全部随包权重的上限 / all shipped weights
# CycleGAN：翻译使目标类别比例至少增加这么多（实测 0.928 与 0.844）
# CycleGAN: translating raises the target-class share at least this much
# (measured: 0.928 for G, 0.844 for F; an identity generator gains 0).
SHARE_GAIN = 0.5


def test_every_record_matches_its_file_and_the_budget():
    from gancourse.metrics.encoders import file_sha256

    records = pretrained.available()
    assert records
    for name, record in records.items():
        path = pretrained.ASSETS / record["file"]
        assert file_sha256(path) == record["sha256"], name
        assert path.stat().st_size == record["bytes"]
        assert record["command"].startswith("python -m gancourse train ")
        assert record["train_seconds"] > 0 and record["epochs"] >= 1
        evaluation = record["evaluation"]
        if record["network"] == "generators":
            # CycleGAN：每个方向用 500 张留出的测试图像（每类只有 1,000 张）
            # A CycleGAN: 500 held-out test images per direction (each
            # class has only 1,000 test images, split in halves).
            assert evaluation["num_images"] == 500
            for direction in ("x_to_y", "y_to_x"):
                scores = evaluation[direction]
                assert set(scores["target_share"]) == set(
                    scores["fid_to_target"]
                )
                assert all(0 <= v <= 1 for v in scores["target_share"].values())
                assert all(v >= 0 for v in scores["fid_to_target"].values())
                assert 0 < scores["cycle_l1"] < 2
            continue
        # 扩散模型采样慢：2,000 张 / A diffusion model samples slowly: 2,000.
        assert evaluation["num_images"] >= 2_000
        if record["network"] == "encoder":
            # 编码器按重建评估 / An encoder is scored by reconstruction.
            assert 0 < evaluation["reconstruction_mse"] < 1
            assert 0 <= evaluation["class_kept"] <= 1
        else:
            assert 0 < evaluation["fid"] and 0 <= evaluation["recall"] <= 1
    shipped = sum(p.stat().st_size for p in pretrained.ASSETS.glob("*.keras"))
    assert shipped <= BUDGET_BYTES, shipped


@pytest.mark.parametrize(
    "name", ["dcgan-fashion-mnist", "wgan-gp-fashion-mnist"]
)
def test_the_shipped_unconditional_gan_draws_every_class(name):
    generator = pretrained.load(name)
    record = pretrained.info(name)
    assert generator.count_params() == record["parameters"]
    noise = np.random.default_rng(0).standard_normal((1000, 100))
    images = generator.predict(noise.astype("float32"), verbose=0)
    assert images.shape == (1000, 28, 28, 1)
    assert images.min() >= -1 and images.max() <= 1
    # 分类器认出的类别：每类至少 2% / Every class at least 2% of the
    # samples as the shipped classifier sees them (a collapsed or blank
    # generator fails).
    classes = metrics.classifier_probabilities(images).argmax(axis=1)
    shares = np.bincount(classes, minlength=10) / len(classes)
    assert shares.min() >= 0.02, shares


def test_the_shipped_conditional_gan_draws_the_class_it_is_asked_for():
    generator = pretrained.load("cgan-fashion-mnist")
    assert (
        generator.count_params()
        == pretrained.info("cgan-fashion-mnist")["parameters"]
    )
    latent_dim = generator.inputs[0].shape[-1]
    noise = np.random.default_rng(0).standard_normal((1000, latent_dim))
    labels = (np.arange(1000) % 10).astype("int32")
    images = generator.predict([noise.astype("float32"), labels], verbose=0)
    assert images.shape == (1000, 28, 28, 1)
    assert images.min() >= -1 and images.max() <= 1
    # 分类器认出所要求的类别：总体 0.897，衬衫最低 0.48（测量值）/ The
    # classifier sees the requested class (measured: 0.897 overall, Shirt
    # lowest at 0.48); a generator that ignores its label scores about 0.1.
    predicted = metrics.classifier_probabilities(images).argmax(axis=1)
    assert np.mean(predicted == labels) >= 0.8
    per_class = [np.mean(predicted[labels == k] == k) for k in range(10)]
    assert min(per_class) >= 0.3, per_class


def test_a_changed_file_or_unknown_name_is_refused(tmp_path):
    record = pretrained.info("dcgan-fashion-mnist")
    data = bytearray((pretrained.ASSETS / record["file"]).read_bytes())
    data[len(data) // 2] ^= 0xFF
    tampered = tmp_path / "tampered.keras"
    tampered.write_bytes(bytes(data))
    with pytest.raises(ValueError, match="integrity check.*expected SHA-256"):
        pretrained.load("dcgan-fashion-mnist", path=tampered)
    with pytest.raises(ValueError, match=r"one of \['bigan-encoder-fashion"):
        pretrained.load("stylegan-ffhq")


def test_the_shipped_diffusion_model_samples_garments():
    from gancourse import training

    record = pretrained.info("ddpm-fashion-mnist")
    network = pretrained.load("ddpm-fashion-mnist")
    assert network.count_params() == record["parameters"]
    schedule = training.NoiseSchedule(record["config"]["diffusion_steps"])
    ddpm = training.DDPM(network, schedule)
    images = ddpm.sample(300, steps=25, seed=0)
    assert images.shape == (300, 28, 28, 1)
    # 分类器有把握地认出大多数样本，且至少 8 类出现 / The classifier is
    # confident on most samples and at least 8 classes appear (pure noise
    # or a blank network fails both).
    probabilities = metrics.classifier_probabilities(images)
    assert np.mean(probabilities.max(axis=1) > 0.5) > 0.7
    classes = np.bincount(probabilities.argmax(axis=1), minlength=10)
    assert np.sum(classes >= 3) >= 8, classes


def test_the_shipped_bigan_rebuilds_test_images_as_recorded():
    from gancourse import data

    generator = pretrained.load("bigan-generator-fashion-mnist")
    encoder = pretrained.load("bigan-encoder-fashion-mnist")
    record = pretrained.info("bigan-encoder-fashion-mnist")["evaluation"]
    images, _ = data.load_fashion_mnist("test")
    images = images[:1000]
    rebuilt = generator.predict(encoder.predict(images, verbose=0), verbose=0)
    assert rebuilt.shape == images.shape
    # 记录用 10,000 张测试图像；前 1,000 张接近它 / The record uses 10,000
    # test images; the first 1,000 come close to it.
    mse = float(np.mean((rebuilt - images) ** 2))
    assert abs(mse - record["reconstruction_mse"]) < 0.02, mse
    before = metrics.classifier_probabilities(images).argmax(axis=1)
    after = metrics.classifier_probabilities(rebuilt).argmax(axis=1)
    kept = float(np.mean(before == after))
    assert abs(kept - record["class_kept"]) < 0.05, kept
    # 远好于随机猜测（0.1）/ Far above chance (0.1).
    assert kept > 0.3, kept


def test_the_stored_small_data_ablation_is_complete():
    record = pretrained.results("small-data-ablation")
    assert record["command"].startswith("python tools/small_data_ablation.py ")
    runs = {(r["variant"], r["images"], r["seed"]): r for r in record["runs"]}
    variants = [("baseline", 1000), ("diffaugment", 1000), ("ada", 1000)]
    variants += [("r1", 1000), ("baseline", 5000)]
    assert set(runs) == {(v, n, s) for v, n in variants for s in (0, 1)}
    every = record["config"]["monitor_every"]
    for key, run in runs.items():
        steps = run["monitor_steps"]
        assert steps == list(range(every, run["steps"] + 1, every)), key
        for name, values in run["monitor"].items():
            assert len(values) == len(steps), (key, name)
        for name in ("train", "held_out", "fake"):
            assert all(0 <= v <= 1 for v in run["monitor"][name]), (key, name)
        # ADA 记录 p，其余变体没有 p / Only ADA records its probability p.
        if key[0] == "ada":
            assert len(run["augment_p"]) == len(steps)
            assert all(0 <= p <= 1 for p in run["augment_p"])
            assert len(run["augment_r_t"]) == len(steps)
            assert all(-1 <= r <= 1 for r in run["augment_r_t"])
        else:
            assert run["augment_p"] == run["augment_r_t"] == []
        # 16 张 28x28 的 uint8 样本 / 16 samples of 28x28 uint8 pixels.
        pixels = base64.b64decode(run["samples"])
        assert len(pixels) == 16 * 28 * 28
        assert len(set(pixels)) > 100, key  # not a blank or constant image
        for scores in run["scores"].values():
            assert scores["fid"] > 0 and scores["kid_std_x1000"] > 0
    with pytest.raises(ValueError, match=r"one of \['small-data-ablation'\]"):
        pretrained.results("small-data")


def test_the_shipped_cyclegan_translates_as_recorded():
    from gancourse import data

    record = pretrained.info("cyclegan-sneaker-ankle-boot")
    pair = pretrained.load("cyclegan-sneaker-ankle-boot")
    assert pair.count_params() == record["parameters"]
    generator_g, generator_f = (
        pair.get_layer("G_x_to_y"),
        pair.get_layer("F_y_to_x"),
    )
    config, evaluation = record["config"], record["evaluation"]
    test_x, test_y = data.make_unpaired_domains(
        config["class_x"], config["class_y"], split="test"
    )
    translated = generator_g.predict(test_x[:8], verbose=0)
    assert translated.shape == test_x[:8].shape
    assert np.abs(translated).max() <= 1
    scores = metrics.translation_scores(
        generator_g,
        generator_f,
        test_x,
        test_y,
        config["class_x"],
        config["class_y"],
        num_images=evaluation["num_images"],
    )
    for direction in ("x_to_y", "y_to_x"):
        measured, recorded = scores[direction], evaluation[direction]
        # 同样的图像和权重：与记录一致 / Same images, same weights: the
        # recorded numbers come back.
        for key in ("target_share", "fid_to_target"):
            for group, value in recorded[key].items():
                assert measured[key][group] == pytest.approx(
                    value, rel=1e-3, abs=0.01
                ), (direction, key, group)
        assert measured["cycle_l1"] == pytest.approx(
            recorded["cycle_l1"], abs=1e-3
        )
        # 翻译确实换了类别：远高于未翻译的源图像 / The translations change
        # the class: far above the untranslated sources (an identity or
        # blank generator fails).
        share = measured["target_share"]
        assert share["translated"] >= share["source"] + SHARE_GAIN, share
        fid = measured["fid_to_target"]
        assert fid["translated"] < fid["source"], fid


def test_every_recorded_command_reproduces_its_config():
    # 记录中的命令经命令行解析后，必须给出与训练时相同的配置。
    # The recorded command, parsed by the CLI, gives the run's config.
    import shlex

    from gancourse import cli
    from gancourse import runs

    for name, record in pretrained.available().items():
        words = shlex.split(record["command"])
        assert words[:4] == ["python", "-m", "gancourse", "train"], name
        args = cli._parser().parse_args(words[3:])
        parsed = {
            key: value
            for key, value in vars(args).items()
            if key not in runs.NOT_CONFIG
        }
        for key, value in record["config"].items():
            if key != "model":
                assert parsed[key] == value, (name, key)


def test_the_command_of_a_run_lists_its_non_default_options():
    from gancourse.runs import reproducing_command

    config = dict(pretrained.info("dcgan-fashion-mnist")["config"])
    assert reproducing_command(config, 3) == (
        "python -m gancourse train dcgan --epochs 3"
    )
    config.update(ema_decay=None, loss="hinge", mixed_precision=True)
    assert reproducing_command(config, 7) == (
        "python -m gancourse train dcgan --epochs 7 --ema-decay none "
        "--loss hinge --mixed-precision"
    )

import numpy as np
import pytest

from gancourse import losses

REAL = np.array([[2.0], [-1.0], [0.5], [3.0]], dtype="float32")
FAKE = np.array([[-2.0], [0.3], [1.5], [-0.7]], dtype="float32")


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x.astype("float64")))


def bce(logits, target):
    p = sigmoid(logits)
    return -(target * np.log(p) + (1 - target) * np.log(1 - p))


REFERENCES = {
    "minimax": (
        lambda f: np.mean(np.log(1 - sigmoid(f))),
        lambda r, f, s: np.mean(bce(r, 1 - s)) + np.mean(bce(f, 0.0)),
    ),
    "non_saturating": (
        lambda f: -np.mean(np.log(sigmoid(f))),
        lambda r, f, s: np.mean(bce(r, 1 - s)) + np.mean(bce(f, 0.0)),
    ),
    "least_squares": (
        lambda f: 0.5 * np.mean((f - 1) ** 2),
        lambda r, f, s: 0.5 * np.mean((r - (1 - s)) ** 2) + 0.5 * np.mean(f**2),
    ),
    "hinge": (
        lambda f: -np.mean(f),
        lambda r, f, s: (
            np.mean(np.maximum(0, 1 - r)) + np.mean(np.maximum(0, 1 + f))
        ),
    ),
    "wasserstein": (
        lambda f: -np.mean(f),
        lambda r, f, s: np.mean(f) - np.mean(r),
    ),
}


@pytest.mark.parametrize("name", losses.LOSS_NAMES)
def test_losses_match_numpy(name):
    pair = losses.get_loss_pair(name)
    g_ref, d_ref = REFERENCES[name]
    np.testing.assert_allclose(pair.generator(FAKE), g_ref(FAKE), rtol=1e-5)
    np.testing.assert_allclose(
        pair.discriminator(REAL, FAKE), d_ref(REAL, FAKE, 0.0), rtol=1e-5
    )


@pytest.mark.parametrize("name", ["minimax", "non_saturating", "least_squares"])
def test_one_sided_label_smoothing(name):
    pair = losses.get_loss_pair(name)
    _, d_ref = REFERENCES[name]
    value = pair.discriminator(REAL, FAKE, label_smoothing=0.1)
    np.testing.assert_allclose(value, d_ref(REAL, FAKE, 0.1), rtol=1e-5)
    # Only real targets change: fakes scored the same keep their loss.
    assert not np.isclose(value, pair.discriminator(REAL, FAKE))


def test_losses_accept_patch_logits_and_large_values():
    patch = np.full((2, 4, 4, 1), 80.0, dtype="float32")
    value = losses.non_saturating_discriminator_loss(patch, -patch)
    np.testing.assert_allclose(value, 0.0, atol=1e-6)  # No overflow to nan.
    assert np.isfinite(losses.minimax_generator_loss(patch))


def test_saturation_gradient():
    import tensorflow as tf

    # D rejects the fakes confidently: minimax G gradient vanishes.
    logits = tf.Variable([[-8.0]])
    with tf.GradientTape(persistent=True) as tape:
        saturating = losses.minimax_generator_loss(logits)
        non_saturating = losses.non_saturating_generator_loss(logits)
    small = abs(float(tape.gradient(saturating, logits)[0, 0]))
    large = abs(float(tape.gradient(non_saturating, logits)[0, 0]))
    assert small < 1e-3 < 0.9 < large


def test_unknown_loss_name():
    with pytest.raises(ValueError, match="Received: loss='bce'"):
        losses.get_loss_pair("bce")


@pytest.mark.parametrize("smoothing", [-0.1, 1.0])
def test_bad_label_smoothing(smoothing):
    with pytest.raises(ValueError, match="Received: label_smoothing"):
        losses.minimax_discriminator_loss(REAL, FAKE, label_smoothing=smoothing)


def test_label_smoothing_rejected_for_hinge():
    pair = losses.get_loss_pair("hinge")
    with pytest.raises(ValueError, match="hinge"):
        losses.check_label_smoothing(pair, 0.1)

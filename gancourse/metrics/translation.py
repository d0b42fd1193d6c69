"""Unpaired translation (CycleGAN) measured on held-out images of two domains.

无配对翻译（CycleGAN）的度量：目标类别比例、到目标域的 FID、循环误差。

Lesson 07's protocol, for each direction (X to Y with G; Y to X with F and
the roles swapped). The held-out images of each domain are split in halves:

- ``num_images`` targets of the **first** half are the FID reference;
- ``num_images`` sources of the **second** half are translated;
- ``num_images`` targets of the second half are the real-vs-real baseline.

Each of the three groups (``"real_target"``, ``"source"`` untranslated,
``"translated"``) gets the share the classifier assigns to the target class
and its FID to the reference; the translations also get the cycle L1 error
``mean(|F(G(x)) - x|)``. Every group has the same size, because FID depends
on the sample size.
"""

import numpy as np

from gancourse import images as course_images
from gancourse import runtime
from gancourse.metrics import distances
from gancourse.metrics import encoders

GROUPS = ("real_target", "source", "translated")


def _predict(network, images, batch_size):
    """Run a Keras model or a callable on ``images`` (inference mode)."""
    if hasattr(network, "predict"):
        return np.asarray(
            network.predict(images, batch_size=batch_size, verbose=0)
        )
    return np.asarray(network(images))


def translation_scores(
    generator_g,
    generator_f,
    domain_x,
    domain_y,
    class_x,
    class_y,
    num_images=500,
    encoder=None,
    classifier=None,
    batch_size=500,
):
    """Both directions of a two-domain translator, on held-out images.

    在两个域的留出图像上度量两个方向的翻译。

    Args:
        generator_g: maps domain X to Y (a ``keras.Model`` or a callable).
        generator_f: maps domain Y to X.
        domain_x, domain_y: held-out images (N, H, W, C) in [-1, 1] of each
            domain, e.g. ``data.make_unpaired_domains(..., split="test")``.
        class_x, class_y: the classifier's class of each domain.
        num_images: images per group; at most half the smaller domain.
        encoder: feature encoder for FID (default: the shipped
            Fashion-MNIST classifier's features).
        classifier: class-probability model (default: the shipped
            classifier).
        batch_size: prediction batch size.

    Returns:
        dict: ``"x_to_y"`` and ``"y_to_x"``, each with ``"target_class"``,
        ``"target_share"`` and ``"fid_to_target"`` (dicts over ``GROUPS``)
        and ``"cycle_l1"``; and ``"num_images"``, the images per group.

    Raises:
        ValueError: for domains of different image shapes, or
            ``num_images`` larger than half the smaller domain.
    """
    domain_x = course_images.check_images(domain_x, "domain_x", channels=None)
    domain_y = course_images.check_images(domain_y, "domain_y", channels=None)
    if domain_x.shape[1:] != domain_y.shape[1:]:
        raise ValueError(
            "`domain_x` and `domain_y` must hold images of one shape. "
            f"Received: {domain_x.shape[1:]} and {domain_y.shape[1:]}"
        )
    half = min(len(domain_x), len(domain_y)) // 2
    count = runtime.check_int(
        "num_images",
        num_images,
        minimum=1,
        maximum=half,
        reason="(half of the smaller domain; the other half is the FID "
        "reference)",
    )
    scores = {}
    for name, first, second, sources, targets, target_class in (
        ("x_to_y", generator_g, generator_f, domain_x, domain_y, class_y),
        ("y_to_x", generator_f, generator_g, domain_y, domain_x, class_x),
    ):
        reference = encoders.extract_features(
            targets[:count], encoder, batch_size
        )
        source = sources[half : half + count]
        translated = _predict(first, source, batch_size)
        cycled = _predict(second, translated, batch_size)
        groups = dict(
            zip(GROUPS, (targets[half : half + count], source, translated))
        )
        share, fid = {}, {}
        for group, images in groups.items():
            probabilities = encoders.classifier_probabilities(
                images, classifier, batch_size
            )
            share[group] = float(
                np.mean(probabilities.argmax(axis=1) == target_class)
            )
            features = encoders.extract_features(images, encoder, batch_size)
            fid[group] = float(distances.frechet_distance(reference, features))
        scores[name] = {
            "target_class": int(target_class),
            "target_share": share,
            "fid_to_target": fid,
            "cycle_l1": float(np.mean(np.abs(cycled - source))),
        }
    scores["num_images"] = count
    return scores

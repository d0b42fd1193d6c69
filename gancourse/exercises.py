"""Auto-checkers for the graded exercises at the end of every lesson.

课程末尾分级练习的自动检查器。

Each ``check_*`` function runs a student's function on fixed reference cases
(NumPy references, shapes, edge cases), prints one ASCII line,
``PASS: ...`` or ``FAIL: ... Hint: ...``, and returns ``True`` or ``False``.
A failing check never raises, so a notebook keeps running; passing something
that is not callable raises ``ValueError``. The output is deterministic (no
timings, no random numbers), so nbval can compare it.

    >>> from gancourse import exercises
    >>> exercises.check_minimax_d_loss(minimax_d_loss)
    PASS: minimax_d_loss matches the reference on 4 cases.
"""

import math

import numpy as np

__all__ = [
    "check_minimax_d_loss",
    "check_non_saturating_g_loss",
    "check_ring_mode_coverage",
    "check_conv_transpose_output_size",
    "check_upsample_block",
    "check_slerp",
    "check_one_hot",
    "check_generator_input",
    "check_projection_logits",
    "check_hinge_d_loss",
    "check_gradient_penalty",
    "check_spectral_norm",
    "check_inception_score",
    "check_frechet_distance",
    "check_kid",
    "check_psnr",
    "check_random_box_mask",
    "check_pix2pix_g_loss",
    "check_cycle_consistency_loss",
    "check_identity_loss",
    "check_image_pool_query",
    "check_gram_matrix",
    "check_total_variation_loss",
    "check_style_loss",
]


# --------------------------------------------------------------------------
# Shared machinery / 公共部分
# --------------------------------------------------------------------------


def _ascii(text, limit=160):
    text = " ".join(str(text).split())
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return text.encode("ascii", "backslashreplace").decode("ascii")


def _run(name, fn, cases, hint):
    """Run ``cases`` (description, call, check) and print PASS or FAIL."""
    if not callable(fn):
        raise ValueError(
            f"The {name} checker expects a function. "
            f"Received: {type(fn).__name__}"
        )
    for description, call, check in cases:
        try:
            result = call(fn)
        except NotImplementedError:
            print(f"FAIL: {name} is not implemented yet. Hint: {hint}")
            return False
        except Exception as error:  # noqa: BLE001 - report, never raise.
            message = _ascii(f"{type(error).__name__}: {error}")
            print(
                f"FAIL: {name} raised {message} ({description}). Hint: {hint}"
            )
            return False
        try:
            problem = check(result)
        except Exception as error:  # noqa: BLE001 - a malformed result.
            problem = _ascii(
                f"could not read the result ({type(error).__name__}: {error})"
            )
        if problem:
            print(f"FAIL: {name} {description}: {problem}. Hint: {hint}")
            return False
    print(f"PASS: {name} matches the reference on {len(cases)} cases.")
    return True


def _number(value):
    return f"{value:.6g}"


def _close(expected, rtol=1e-4, atol=1e-5):
    """A check: the result equals ``expected`` (shape and values)."""
    expected = np.asarray(expected, dtype="float64")

    def check(result):
        got = np.asarray(result, dtype="float64")
        if got.shape != expected.shape:
            if expected.ndim == 0 and got.size == 1:
                got = got.reshape(())
            else:
                return f"expected shape {expected.shape}, got shape {got.shape}"
        if not np.all(np.isfinite(got) == np.isfinite(expected)):
            return "got inf or nan (is the computation numerically stable?)"
        finite = np.isfinite(expected)
        if not np.allclose(got[finite], expected[finite], rtol=rtol, atol=atol):
            if expected.ndim == 0:
                return f"expected {_number(expected)}, got {_number(got)}"
            error = np.max(np.abs(got - expected)[finite])
            return (
                f"values differ from the reference (max abs error {error:.3g})"
            )
        if not np.array_equal(
            np.sign(got[~finite]), np.sign(expected[~finite])
        ):
            return "expected +inf"
        return None

    return check


def _softplus(x):
    return np.logaddexp(0.0, np.asarray(x, dtype="float64"))


def _f32(x):
    return np.asarray(x, dtype="float32")


# --------------------------------------------------------------------------
# Lesson 01: GAN basics / 生成对抗网络基础
# --------------------------------------------------------------------------


def check_minimax_d_loss(fn):
    """Check ``minimax_d_loss(real_logits, fake_logits)`` (lesson 01).

    检查判别器的极小极大损失（由 logit 计算，第 01 课）。

    Expected: ``mean(-log sigmoid(real)) + mean(-log(1 - sigmoid(fake)))``
    computed stably from logits (finite for logits of +-1000).
    """
    rng = np.random.default_rng(0)
    real, fake = _f32(rng.normal(size=8)), _f32(rng.normal(size=6) - 1.0)
    cases = []
    for description, r, f in [
        ("on random logits", real, fake),
        ("on zero logits", _f32(np.zeros(4)), _f32(np.zeros(4))),
        ("on confident correct logits", _f32([5.0, 8.0]), _f32([-6.0, -9.0])),
        (
            "on logits of +-1000",
            _f32([-1000.0, 1000.0]),
            _f32([1000.0, -1000.0]),
        ),
    ]:
        expected = _softplus(-r).mean() + _softplus(f).mean()
        cases.append(
            (description, lambda fn, r=r, f=f: fn(r, f), _close(expected))
        )
    return _run(
        "minimax_d_loss",
        fn,
        cases,
        "-log(sigmoid(x)) = softplus(-x) and -log(1 - sigmoid(x)) = "
        "softplus(x); see 'Losses (teaching version)' in lesson 01.",
    )


def check_non_saturating_g_loss(fn):
    """Check ``non_saturating_g_loss(fake_logits)`` (lesson 01).

    检查生成器的非饱和损失（第 01 课）。

    Expected: ``mean(-log sigmoid(fake_logits))``, stable for logits of -1000.
    """
    rng = np.random.default_rng(1)
    cases = []
    for description, f in [
        ("on random logits", _f32(rng.normal(size=10) - 2.0)),
        ("on zero logits", _f32(np.zeros(3))),
        (
            "on logits of -1000 (D sure the sample is fake)",
            _f32([-1000.0, 3.0]),
        ),
    ]:
        cases.append(
            (description, lambda fn, f=f: fn(f), _close(_softplus(-f).mean()))
        )
    return _run(
        "non_saturating_g_loss",
        fn,
        cases,
        "the generator maximises log D(G(z)): minimise softplus(-logits); "
        "see 'Why the non-saturating loss' in lesson 01.",
    )


def _ring_centres(num_modes, radius):
    angles = 2.0 * np.pi * np.arange(num_modes) / num_modes
    return radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)


def _ring_reference(samples, num_modes, radius, std, min_fraction):
    centres = _ring_centres(num_modes, radius)
    distances = np.linalg.norm(samples[:, None] - centres[None], axis=-1)
    close = distances.min(axis=1) < 3.0 * std
    counts = np.bincount(distances.argmin(axis=1)[close], minlength=num_modes)
    shares = counts / len(samples)
    return int((shares >= min_fraction).sum()), float(shares.sum())


def check_ring_mode_coverage(fn):
    """Check ``ring_mode_coverage(samples, ...)`` (lesson 01).

    检查圆环模式覆盖率的计算（第 01 课）。

    Expected: a tuple ``(modes_covered, high_quality_fraction)``; centre k is
    at angle 2*pi*k/num_modes, a sample is high quality within 3*std of a
    centre, a mode is covered if at least ``min_fraction`` of all samples are
    near it.
    """
    rng = np.random.default_rng(2)
    centres = _ring_centres(8, 2.0)
    one_mode = centres[3] + 0.01 * rng.normal(size=(50, 2))
    spread = centres[rng.integers(0, 8, 400)] + 0.05 * rng.normal(size=(400, 2))
    rare = np.concatenate(
        [
            centres[np.repeat(np.arange(5), 40)],
            centres[5:6] + 0.001,  # One sample: 1/203 < 0.01 of the total.
            rng.uniform(-0.5, 0.5, size=(2, 2)),  # Far from every mode.
        ]
    )
    small_ring = _ring_centres(4, 1.0)[[0, 1, 1, 2]] + 0.02
    cases = []
    for description, samples, args in [
        ("with all samples on one mode", one_mode, (8, 2.0, 0.05, 0.01)),
        ("with samples spread over the ring", spread, (8, 2.0, 0.05, 0.01)),
        ("with a rare mode and off-ring samples", rare, (8, 2.0, 0.05, 0.01)),
        ("with num_modes=4, radius=1, std=0.1", small_ring, (4, 1.0, 0.1, 0.3)),
    ]:
        expected = _ring_reference(samples, *args)

        def check(result, expected=expected):
            covered, fraction = result
            if int(covered) != expected[0] or float(covered) != int(covered):
                return f"expected {expected[0]} modes covered, got {covered}"
            if not math.isclose(float(fraction), expected[1], abs_tol=1e-9):
                return (
                    f"expected a high-quality fraction of "
                    f"{_number(expected[1])}, got {_number(float(fraction))}"
                )
            return None

        cases.append(
            (
                description,
                lambda fn, s=samples, a=args: fn(
                    s, num_modes=a[0], radius=a[1], std=a[2], min_fraction=a[3]
                ),
                check,
            )
        )
    return _run(
        "ring_mode_coverage",
        fn,
        cases,
        "distances to all centres via broadcasting, argmin for the nearest "
        "mode, np.bincount to count; see 'Mode collapse' in lesson 01.",
    )


# --------------------------------------------------------------------------
# Lesson 02: DCGAN / 深度卷积生成对抗网络
# --------------------------------------------------------------------------


def check_conv_transpose_output_size(fn):
    """Check ``conv_transpose_output_size(size, kernel, strides, padding)``.

    检查转置卷积输出尺寸的计算（第 02 课）。

    The reference is Keras itself: ``Conv2DTranspose.compute_output_shape``.
    """
    import keras

    cases = []
    for size, kernel, strides, padding in [
        (7, 5, 2, "same"),
        (7, 4, 2, "same"),
        (14, 5, 1, "same"),
        (7, 5, 2, "valid"),
        (4, 3, 1, "valid"),
        (5, 2, 3, "valid"),
    ]:
        layer = keras.layers.Conv2DTranspose(
            1, kernel, strides=strides, padding=padding
        )
        expected = layer.compute_output_shape((1, size, size, 1))[1]

        def check(result, expected=expected):
            if int(result) != expected or float(result) != int(result):
                return f"expected {expected}, got {result}"
            return None

        cases.append(
            (
                f"for size={size}, kernel={kernel}, strides={strides}, "
                f"padding={padding!r}",
                lambda fn, a=(size, kernel, strides, padding): fn(*a),
                check,
            )
        )
    return _run(
        "conv_transpose_output_size",
        fn,
        cases,
        "'same' multiplies by the stride; 'valid' adds the kernel overhang "
        "max(kernel - stride, 0); see 'Models' in lesson 02.",
    )


def _flat_layers(block):
    found, stack = [], [block]
    while stack:
        layer = stack.pop()
        found.append(layer)
        stack.extend(getattr(layer, "layers", []))
    return found


def check_upsample_block(fn):
    """Check ``make_upsample_block(filters)``: a DCGAN generator block.

    检查 DCGAN 生成器的上采样模块（第 02 课）。

    Expected: a Keras layer or model that doubles height and width and sets
    the channels to ``filters``, built from a strided ``Conv2DTranspose``
    without bias, ``BatchNormalization`` and ``LeakyReLU``.
    """
    import keras

    inputs = np.random.default_rng(3).normal(size=(2, 7, 7, 8))

    def build(fn, filters):
        block = fn(filters)
        outputs = block(_f32(inputs), training=False)
        return block, np.asarray(outputs)

    def check_for(filters, size):
        def check(result):
            block, outputs = result
            if outputs.shape != (2, size, size, filters):
                return (
                    f"expected output shape (2, {size}, {size}, {filters}) for "
                    f"input (2, 7, 7, 8), got {outputs.shape}"
                )
            layers = _flat_layers(block)
            convs = [
                x for x in layers if isinstance(x, keras.layers.Conv2DTranspose)
            ]
            if not convs or tuple(convs[0].strides) != (2, 2):
                return "expected a Conv2DTranspose with strides=2"
            if any(conv.use_bias for conv in convs):
                return (
                    "the Conv2DTranspose should not use a bias "
                    "(BatchNorm follows)"
                )
            if not any(
                isinstance(x, keras.layers.BatchNormalization) for x in layers
            ):
                return "expected a BatchNormalization layer"
            if not any(isinstance(x, keras.layers.LeakyReLU) for x in layers):
                return "expected a LeakyReLU activation layer"
            return None

        return check

    cases = [
        ("with filters=16", lambda fn: build(fn, 16), check_for(16, 14)),
        ("with filters=3", lambda fn: build(fn, 3), check_for(3, 14)),
    ]
    return _run(
        "make_upsample_block",
        fn,
        cases,
        "keras.Sequential([Conv2DTranspose(filters, 4, strides=2, "
        "padding='same', use_bias=False), BatchNormalization(), "
        "LeakyReLU(0.2)]);"
        " see 'The DCGAN guidelines' in lesson 02.",
    )


def _slerp_reference(z0, z1, t):
    z0, z1 = np.asarray(z0, "float64"), np.asarray(z1, "float64")
    cos = np.dot(z0, z1) / (np.linalg.norm(z0) * np.linalg.norm(z1))
    omega = np.arccos(np.clip(cos, -1.0, 1.0))
    if np.sin(omega) < 1e-6:
        return (1.0 - t) * z0 + t * z1
    return (np.sin((1.0 - t) * omega) * z0 + np.sin(t * omega) * z1) / np.sin(
        omega
    )


def check_slerp(fn):
    """Check ``slerp(z0, z1, t)``: spherical interpolation of two latents.

    检查潜在向量的球面线性插值（第 02 课）。

    Expected: the endpoints at t=0 and t=1, the great-circle path in between,
    and a linear fallback for (anti)parallel vectors (no nan).
    """
    rng = np.random.default_rng(4)
    a, b = _f32(rng.normal(size=16)), _f32(rng.normal(size=16))
    e1, e2 = _f32([1.0, 0.0, 0.0]), _f32([0.0, 1.0, 0.0])
    cases = []
    for description, z0, z1, t in [
        ("at t=0", a, b, 0.0),
        ("at t=1", a, b, 1.0),
        ("halfway between orthogonal unit vectors", e1, e2, 0.5),
        ("at t=0.3 on random 16-d latents", a, b, 0.3),
        ("for parallel vectors z1 = 2 * z0", a, 2.0 * a, 0.5),
    ]:
        cases.append(
            (
                description,
                lambda fn, z0=z0, z1=z1, t=t: fn(z0, z1, t),
                _close(_slerp_reference(z0, z1, t), rtol=1e-4, atol=1e-4),
            )
        )
    return _run(
        "slerp",
        fn,
        cases,
        "omega = arccos(cos of the angle); (sin((1-t)omega) z0 + sin(t omega) "
        "z1) / sin(omega), linear if sin(omega) ~ 0; see 'Latent-space "
        "interpolation' in lesson 02.",
    )


# --------------------------------------------------------------------------
# Lesson 03: conditional GAN / 条件生成对抗网络
# --------------------------------------------------------------------------


def check_one_hot(fn):
    """Check ``one_hot(labels, num_classes)`` (lesson 03).

    检查独热编码（第 03 课）。

    Expected: a float array (N, num_classes) with a single 1 per row.
    """
    cases = []
    for description, labels, k in [
        ("for labels [0, 3, 9]", np.array([0, 3, 9]), 10),
        ("for labels [2, 2, 0, 1] and 3 classes", np.array([2, 2, 0, 1]), 3),
    ]:
        cases.append(
            (
                description,
                lambda fn, labels=labels, k=k: fn(labels, k),
                _close(np.eye(k)[labels], rtol=0, atol=0),
            )
        )
    return _run(
        "one_hot",
        fn,
        cases,
        "np.eye(num_classes)[labels] picks one row per label; see 'Models' "
        "in lesson 03.",
    )


def check_generator_input(fn):
    """Check ``generator_input(z, labels, embedding)`` (lesson 03).

    检查生成器输入：噪声与标签嵌入的拼接（第 03 课）。

    Expected: ``concatenate([z, embedding[labels]], axis=-1)``, noise first.
    """
    rng = np.random.default_rng(5)
    z = _f32(rng.normal(size=(4, 6)))
    embedding = _f32(rng.normal(size=(10, 3)))
    labels = np.array([1, 7, 7, 0])
    cases = [
        (
            "for 4 latents of size 6 and a (10, 3) embedding",
            lambda fn: fn(z, labels, embedding),
            _close(np.concatenate([z, embedding[labels]], axis=-1)),
        ),
        (
            "for one latent and label 9",
            lambda fn: fn(z[:1], np.array([9]), embedding),
            _close(np.concatenate([z[:1], embedding[[9]]], axis=-1)),
        ),
    ]
    return _run(
        "generator_input",
        fn,
        cases,
        "look up the rows embedding[labels], then concatenate after z on the "
        "last axis; see 'Models' in lesson 03.",
    )


def check_projection_logits(fn):
    """Check ``projection_logits(features, labels, psi_w, ...)`` (lesson 03).

    检查投影判别器的输出 logit（第 03 课）。

    Expected: ``features @ psi_w + psi_b + sum(class_embedding[labels] *
    features, axis=-1)``, shape (batch,).
    """
    rng = np.random.default_rng(6)
    features = _f32(rng.normal(size=(5, 4)))
    psi_w, psi_b = _f32(rng.normal(size=4)), np.float32(0.25)
    embedding = _f32(rng.normal(size=(3, 4)))
    cases = []
    for description, labels in [
        ("for labels [0, 1, 2, 1, 0]", np.array([0, 1, 2, 1, 0])),
        ("for labels [2, 2, 2, 2, 2]", np.array([2, 2, 2, 2, 2])),
    ]:
        expected = (
            features @ psi_w.astype("float64")
            + psi_b
            + np.sum(embedding[labels] * features, axis=-1)
        )
        cases.append(
            (
                description,
                lambda fn, labels=labels: fn(
                    features, labels, psi_w, psi_b, embedding
                ),
                _close(expected),
            )
        )
    return _run(
        "projection_logits",
        fn,
        cases,
        "two terms: the unconditional psi(phi(x)) = features @ psi_w + psi_b, "
        "and the inner product <E[y], phi(x)>; see 'Projection discriminator "
        "(teaching version)' in lesson 03.",
    )


# --------------------------------------------------------------------------
# Lesson 04: training stability / 训练稳定性
# --------------------------------------------------------------------------


def check_hinge_d_loss(fn):
    """Check ``hinge_d_loss(real_logits, fake_logits)`` (lesson 04).

    检查判别器的 hinge 损失（第 04 课）。

    Expected: ``mean(relu(1 - real)) + mean(relu(1 + fake))``.
    """
    rng = np.random.default_rng(7)
    cases = []
    for description, r, f in [
        (
            "on random logits",
            _f32(rng.normal(size=7)),
            _f32(rng.normal(size=5)),
        ),
        ("on zero logits", _f32(np.zeros(2)), _f32(np.zeros(2))),
        ("beyond the margin", _f32([2.0, 3.0]), _f32([-2.0, -1.5])),
    ]:
        expected = np.maximum(0, 1 - r).mean() + np.maximum(0, 1 + f).mean()
        cases.append(
            (description, lambda fn, r=r, f=f: fn(r, f), _close(expected))
        )
    return _run(
        "hinge_d_loss",
        fn,
        cases,
        "real logits are pushed above +1 and fake logits below -1, with zero "
        "loss beyond the margin; see 'Stabilisers' in lesson 04.",
    )


def check_gradient_penalty(fn):
    """Check ``gradient_penalty(critic, real, fake, alpha)`` (lesson 04).

    检查 WGAN-GP 的梯度惩罚（第 04 课）。

    Expected: ``mean((||grad critic(x_hat)||_2 - 1) ** 2)`` with
    ``x_hat = alpha * real + (1 - alpha) * fake``; inputs are float32
    ``tf.Tensor`` objects of shape (batch, features) or (batch, H, W, C),
    ``alpha`` (batch, 1) or (batch, 1, 1, 1); the norm runs over all axes
    except the batch axis.
    """
    import tensorflow as tf

    rng = np.random.default_rng(8)
    real, fake = _f32(rng.normal(size=(4, 3))), _f32(rng.normal(size=(4, 3)))
    alpha = _f32(rng.uniform(size=(4, 1)))
    w = _f32([[2.0], [-2.0], [1.0]])  # ||w|| = 3.

    def linear(x):
        return tf.matmul(x, tf.constant(w)) + 0.5

    def quadratic(x):
        return tf.reduce_sum(x**2, axis=1, keepdims=True)

    def quadratic_reference(a):
        x_hat = a * real + (1 - a) * fake
        return np.mean((np.linalg.norm(2 * x_hat, axis=1) - 1) ** 2)

    images_real = _f32(rng.normal(size=(3, 2, 2, 1)))
    images_fake = _f32(rng.normal(size=(3, 2, 2, 1)))
    images_alpha = _f32(rng.uniform(size=(3, 1, 1, 1)))
    images_hat = images_alpha * images_real + (1 - images_alpha) * images_fake
    images_norm = np.linalg.norm(2 * images_hat.reshape(3, -1), axis=1)

    def image_critic(x):
        return tf.reduce_sum(x**2, axis=[1, 2, 3])

    cases = [
        (
            "for image batches (3, 2, 2, 1) and the critic sum(x**2)",
            lambda fn: fn(
                image_critic,
                tf.constant(images_real),
                tf.constant(images_fake),
                tf.constant(images_alpha),
            ),
            _close(np.mean((images_norm - 1) ** 2), rtol=1e-3, atol=1e-4),
        )
    ]
    for description, critic, a, expected in [
        ("for a linear critic with ||w|| = 3", linear, alpha, 4.0),
        (
            "for the critic sum(x**2)",
            quadratic,
            alpha,
            quadratic_reference(alpha),
        ),
        (
            "for sum(x**2) with alpha = 1 (real samples only)",
            quadratic,
            np.ones_like(alpha),
            quadratic_reference(np.ones_like(alpha)),
        ),
    ]:
        cases.append(
            (
                description,
                lambda fn, c=critic, a=a: fn(
                    c, tf.constant(real), tf.constant(fake), tf.constant(a)
                ),
                _close(expected, rtol=1e-3, atol=1e-4),
            )
        )
    return _run(
        "gradient_penalty",
        fn,
        cases,
        "watch x_hat in a tf.GradientTape, take the gradient of critic(x_hat) "
        "with respect to x_hat, its L2 norm per sample (over all non-batch "
        "axes), then mean((norm - 1)**2);"
        " see 'Stabilisers' in lesson 04.",
    )


def _power_iteration(w, u, num_iterations):
    w, u = np.asarray(w, "float64"), np.asarray(u, "float64")
    for _ in range(num_iterations):
        v = w.T @ u
        v = v / np.linalg.norm(v)
        u = w @ v
        u = u / np.linalg.norm(u)
    return float(u @ w @ v)


def check_spectral_norm(fn):
    """Check ``spectral_norm(w, u, num_iterations)`` by power iteration.

    检查用幂迭代估计最大奇异值（谱范数，第 04 课）。

    Expected: repeat ``v = W^T u / ||W^T u||; u = W v / ||W v||`` and return
    ``sigma = u^T W v``; after many iterations it equals the largest singular
    value.
    """
    rng = np.random.default_rng(9)
    w = _f32(rng.normal(size=(5, 3)))
    u = _f32(rng.normal(size=5))
    largest = float(np.linalg.svd(w.astype("float64"), compute_uv=False)[0])
    diagonal = _f32(np.diag([3.0, 1.0, 0.5]))
    cases = [
        (
            "after 1 iteration",
            lambda fn: fn(w, u, 1),
            _close(_power_iteration(w, u, 1), rtol=1e-4),
        ),
        (
            "after 3 iterations",
            lambda fn: fn(w, u, 3),
            _close(_power_iteration(w, u, 3), rtol=1e-4),
        ),
        (
            "after 100 iterations (the largest singular value)",
            lambda fn: fn(w, u, 100),
            _close(largest, rtol=1e-4),
        ),
        (
            "for diag(3, 1, 0.5) after 50 iterations",
            lambda fn: fn(diagonal, _f32([1.0, 1.0, 1.0]), 50),
            _close(3.0, rtol=1e-4),
        ),
    ]
    return _run(
        "spectral_norm",
        fn,
        cases,
        "alternate v = W^T u and u = W v, normalising each, then sigma = "
        "u^T W v (not the Frobenius norm); see 'Spectral normalisation' in "
        "lesson 04.",
    )


# --------------------------------------------------------------------------
# Lesson 05: evaluation / 评估指标
# --------------------------------------------------------------------------


def _inception_reference(p):
    p = np.asarray(p, "float64")
    marginal = p.mean(axis=0, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, p * (np.log(p) - np.log(marginal)), 0.0)
    return float(np.exp(terms.sum(axis=1).mean()))


def check_inception_score(fn):
    """Check ``inception_score(probabilities)`` (lesson 05).

    检查由类别概率计算 Inception Score（第 05 课）。

    Expected: ``exp(mean_i KL(p(y|x_i) || p(y)))`` with ``p(y)`` the mean of
    the rows; zero probabilities must not give nan.
    """
    rng = np.random.default_rng(10)
    random_probs = rng.dirichlet(np.full(5, 0.5), size=12)
    cases = []
    for description, p in [
        ("for uniform predictions", np.full((6, 4), 0.25)),
        ("for 10 confident predictions of 10 classes", np.eye(10)),
        ("for 5 confident predictions of one class", np.eye(3)[[1] * 5]),
        ("for random predictions", random_probs),
    ]:
        cases.append(
            (
                description,
                lambda fn, p=p: fn(_f32(p)),
                _close(_inception_reference(_f32(p)), rtol=1e-3, atol=1e-4),
            )
        )
    return _run(
        "inception_score",
        fn,
        cases,
        "KL(p || q) = sum p * (log p - log q); add a tiny epsilon inside the "
        "logs so 0 * log 0 = 0; see 'The other metrics at a glance' in "
        "lesson 05.",
    )


def _sqrtm_psd(matrix):
    values, vectors = np.linalg.eigh(matrix)
    return (vectors * np.sqrt(np.clip(values, 0, None))) @ vectors.T


def _frechet_reference(mu1, sigma1, mu2, sigma2):
    root = _sqrtm_psd(sigma1)
    middle = np.linalg.eigvalsh(root @ sigma2 @ root)
    trace_sqrt = np.sqrt(np.clip(middle, 0, None)).sum()
    return float(
        np.sum((mu1 - mu2) ** 2)
        + np.trace(sigma1)
        + np.trace(sigma2)
        - 2.0 * trace_sqrt
    )


def check_frechet_distance(fn):
    """Check ``frechet_distance(mu1, sigma1, mu2, sigma2)`` (lesson 05).

    检查两个高斯分布之间的 Frechet 距离（FID 的核心，第 05 课）。

    Expected: ``||mu1 - mu2||^2 + Tr(S1 + S2 - 2 (S1 S2)^(1/2))`` (float64).
    """
    rng = np.random.default_rng(11)
    a, b = rng.normal(size=(40, 5)), rng.normal(size=(40, 5)) * 1.5 + 0.3
    mu_a, mu_b = a.mean(0), b.mean(0)
    s_a, s_b = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    d1, d2 = np.diag([1.0, 4.0]), np.diag([4.0, 1.0])
    cases = []
    for description, args in [
        ("for identical Gaussians", (mu_a, s_a, mu_a, s_a)),
        (
            "for diagonal covariances",
            (np.zeros(2), d1, np.array([1.0, 2.0]), d2),
        ),
        ("for two random 5-d Gaussians", (mu_a, s_a, mu_b, s_b)),
    ]:
        cases.append(
            (
                description,
                lambda fn, args=args: fn(*args),
                _close(_frechet_reference(*args), rtol=1e-4, atol=1e-5),
            )
        )
    return _run(
        "frechet_distance",
        fn,
        cases,
        "use scipy.linalg.sqrtm(sigma1 @ sigma2) (keep its real part) and do "
        "not forget the factor 2; see 'FID, teaching version' in lesson 05.",
    )


def _kid_reference(x, y):
    x, y = np.asarray(x, "float64"), np.asarray(y, "float64")
    d = x.shape[1]

    def kernel(a, b):
        return (a @ b.T / d + 1.0) ** 3

    m, n = len(x), len(y)
    kxx, kyy, kxy = kernel(x, x), kernel(y, y), kernel(x, y)
    return float(
        (kxx.sum() - np.trace(kxx)) / (m * (m - 1))
        + (kyy.sum() - np.trace(kyy)) / (n * (n - 1))
        - 2.0 * kxy.mean()
    )


def check_kid(fn):
    """Check ``kid(features_a, features_b)``: unbiased MMD^2 (lesson 05).

    检查 KID：多项式核下无偏的 MMD^2（第 05 课）。

    Expected: kernel ``k(x, y) = (x . y / d + 1) ** 3``; average k over pairs
    i != j within each set, minus twice the mean cross-set kernel; one set,
    no subsets.
    """
    rng = np.random.default_rng(12)
    a = rng.normal(size=(20, 4))
    b = rng.normal(size=(30, 4)) + 0.5
    c = rng.normal(size=(25, 4))
    cases = []
    for description, x, y in [
        ("for two shifted sets of different sizes", a, b),
        ("for two sets from the same distribution", a, c),
        ("for a set against itself", a[:10], a[:10]),
    ]:
        cases.append(
            (
                description,
                lambda fn, x=x, y=y: fn(_f32(x), _f32(y)),
                _close(_kid_reference(_f32(x), _f32(y)), rtol=1e-3, atol=1e-4),
            )
        )
    return _run(
        "kid",
        fn,
        cases,
        "unbiased: leave out the diagonal k(x_i, x_i) and divide by m(m-1); "
        "d is the feature dimension; see 'The other metrics at a glance' in "
        "lesson 05.",
    )


# --------------------------------------------------------------------------
# Lesson 06: image-to-image translation / 图像到图像翻译
# --------------------------------------------------------------------------


def check_psnr(fn):
    """Check ``psnr(predicted, target, max_val=2.0)`` (lesson 06).

    检查峰值信噪比 PSNR（第 06 课）。

    Expected: ``10 * log10(max_val**2 / mean((predicted - target)**2))`` over
    all pixels, ``inf`` for identical images; images in [-1, 1] have a range
    (max_val) of 2.
    """
    rng = np.random.default_rng(13)
    target = _f32(rng.uniform(-1, 1, size=(2, 8, 8, 1)))
    noisy = _f32(np.clip(target + rng.normal(0, 0.1, target.shape), -1, 1))
    cases = []
    for description, pred, max_val in [
        ("for an offset of 0.1", target + _f32(0.1), 2.0),
        ("for noisy images", noisy, 2.0),
        ("with max_val=1", noisy, 1.0),
    ]:
        mse = np.mean((pred.astype("float64") - target) ** 2)
        cases.append(
            (
                description,
                lambda fn, p=pred, m=max_val: fn(p, target, max_val=m),
                _close(10 * np.log10(max_val**2 / mse), rtol=1e-4, atol=1e-3),
            )
        )
    cases.append(
        (
            "for identical images",
            lambda fn: fn(target, target, max_val=2.0),
            _close(np.inf),
        )
    )
    return _run(
        "psnr",
        fn,
        cases,
        "square the range (max_val**2), divide by the mean squared error, "
        "10*log10; return float('inf') if the error is 0; see 'Results' in "
        "lesson 06.",
    )


def check_random_box_mask(fn):
    """Check ``random_box_mask(height, width, box_size, rng)`` (lesson 06).

    检查随机方形遮挡掩码（第 06 课）。

    Expected: a float (height, width) array, 1 inside one box_size x box_size
    hole and 0 elsewhere; the hole lies fully inside the image and its
    position comes from ``rng`` (a NumPy Generator), so every position can
    occur.
    """

    def check_masks(height, width, box, seeds, corners):
        def check(masks):
            tops = set()
            for mask in masks:
                mask = np.asarray(mask)
                if mask.shape != (height, width):
                    return (
                        f"expected shape ({height}, {width}), got {mask.shape}"
                    )
                if not np.isin(mask, (0, 1)).all():
                    return "expected only the values 0 and 1"
                rows, cols = np.nonzero(mask)
                if len(rows) != box * box:
                    return (
                        f"expected {box * box} ones (the hole), got {len(rows)}"
                    )
                top, left = rows.min(), cols.min()
                if rows.max() - top + 1 != box or cols.max() - left + 1 != box:
                    return "the ones do not form one box_size x box_size square"
                tops.add((int(top), int(left)))
            if corners and not corners <= tops:
                missing = sorted(corners - tops)[0]
                return (
                    f"the hole never starts at (row, col) = {missing} in "
                    f"{seeds} draws (draw the corner from 0 to size - box "
                    "inclusive)"
                )
            if len(tops) < 2:
                return f"the hole is always at the same place in {seeds} draws"
            return None

        return check

    def draw(fn, height, width, box, seeds):
        return [
            fn(height, width, box, np.random.default_rng(seed))
            for seed in range(seeds)
        ]

    small_corners = {(0, 0), (0, 2), (3, 0), (3, 2)}
    cases = [
        (
            "for a 28x28 image with a 10x10 hole",
            lambda fn: draw(fn, 28, 28, 10, 20),
            check_masks(28, 28, 10, 20, set()),
        ),
        (
            "for a 6x5 image with a 3x3 hole",
            lambda fn: draw(fn, 6, 5, 3, 200),
            check_masks(6, 5, 3, 200, small_corners),
        ),
    ]
    return _run(
        "random_box_mask",
        fn,
        cases,
        "top = rng.integers(0, height - box_size + 1), likewise left; then set "
        "mask[top:top+box_size, left:left+box_size] = 1; see 'Data' in "
        "lesson 06.",
    )


def check_pix2pix_g_loss(fn):
    """Check ``pix2pix_g_loss(fake_logits, generated, target, lambda_l1)``.

    检查 pix2pix 生成器损失：对抗项 + lambda * L1（第 06 课）。

    Expected: ``mean(softplus(-fake_logits)) + lambda_l1 * mean(|generated -
    target|)``; the logits may be a PatchGAN map.
    """
    rng = np.random.default_rng(14)
    logits = _f32(rng.normal(size=(2, 4, 4, 1)))
    target = _f32(rng.uniform(-1, 1, size=(2, 8, 8, 1)))
    generated = _f32(np.clip(target + rng.normal(0, 0.2, target.shape), -1, 1))
    cases = []
    for description, fake, lam in [
        ("with lambda_l1=100", generated, 100.0),
        ("with lambda_l1=0 (adversarial term only)", generated, 0.0),
        ("for a perfect reconstruction", target, 100.0),
        ("with lambda_l1=10", generated, 10.0),
    ]:
        expected = (
            _softplus(-logits).mean()
            + lam * np.abs(fake.astype("float64") - target).mean()
        )
        cases.append(
            (
                description,
                lambda fn, g=fake, lam=lam: fn(
                    logits, g, target, lambda_l1=lam
                ),
                _close(expected),
            )
        )
    return _run(
        "pix2pix_g_loss",
        fn,
        cases,
        "non-saturating adversarial term on the patch logits plus lambda_l1 "
        "times the mean absolute error (L1, not L2); see 'Losses' in "
        "lesson 06.",
    )


# --------------------------------------------------------------------------
# Lesson 07: CycleGAN / 循环一致对抗网络
# --------------------------------------------------------------------------


def check_cycle_consistency_loss(fn):
    """Check ``cycle_consistency_loss(real, cycled, lambda_cycle=10.0)``.

    检查循环一致性损失（第 07 课）。

    Expected: ``lambda_cycle * mean(|real - cycled|)``.
    """
    rng = np.random.default_rng(15)
    real = _f32(rng.uniform(-1, 1, size=(3, 6, 6, 1)))
    cycled = _f32(rng.uniform(-1, 1, size=(3, 6, 6, 1)))
    cases = []
    for description, other, lam in [
        ("with lambda_cycle=10", cycled, 10.0),
        ("with lambda_cycle=1", cycled, 1.0),
        ("for a perfect cycle", real, 10.0),
    ]:
        expected = lam * np.abs(real.astype("float64") - other).mean()
        cases.append(
            (
                description,
                lambda fn, o=other, lam=lam: fn(real, o, lambda_cycle=lam),
                _close(expected),
            )
        )
    return _run(
        "cycle_consistency_loss",
        fn,
        cases,
        "an L1 (mean absolute) error between x and F(G(x)), times "
        "lambda_cycle; see 'Losses' in lesson 07.",
    )


def check_identity_loss(fn):
    """Check ``identity_loss(real_y, same_y, lambda_cycle, lambda_identity)``.

    检查恒等损失（第 07 课）。

    Expected: ``lambda_cycle * lambda_identity * mean(|same_y - real_y|)``,
    where ``same_y = G(y)``: as in the paper and ``gancourse.CycleGAN``, the
    identity weight is relative to the cycle weight.
    """
    rng = np.random.default_rng(16)
    real = _f32(rng.uniform(-1, 1, size=(2, 5, 5, 1)))
    same = _f32(rng.uniform(-1, 1, size=(2, 5, 5, 1)))
    cases = []
    for description, lam_c, lam_i in [
        ("with lambda_cycle=10, lambda_identity=0.5", 10.0, 0.5),
        ("with lambda_cycle=2, lambda_identity=1", 2.0, 1.0),
        ("with lambda_identity=0", 10.0, 0.0),
    ]:
        expected = lam_c * lam_i * np.abs(same.astype("float64") - real).mean()
        cases.append(
            (
                description,
                lambda fn, c=lam_c, i=lam_i: fn(
                    real, same, lambda_cycle=c, lambda_identity=i
                ),
                _close(expected),
            )
        )
    return _run(
        "identity_loss",
        fn,
        cases,
        "L1 between G(y) and y, weighted by lambda_cycle * lambda_identity; "
        "see 'Losses' in lesson 07.",
    )


def _pool_reference(pool, images, pool_size, draws):
    pool, returned = list(pool), []
    for image, (p, r) in zip(images, draws):
        if len(pool) < pool_size:
            pool.append(image)
            returned.append(image)
        elif pool_size > 0 and p < 0.5:
            index = min(int(r * pool_size), pool_size - 1)
            returned.append(pool[index])
            pool[index] = image
        else:
            returned.append(image)
    return np.stack(returned), pool


def check_image_pool_query(fn):
    """Check ``image_pool_query(pool, images, pool_size, draws)`` (lesson 07).

    检查历史图像池的查询（第 07 课）。

    Expected, for each image with its draws ``(p, r)`` in [0, 1): while the
    pool (a list) holds fewer than ``pool_size`` images, store the image and
    return it; otherwise, if ``p < 0.5`` return the stored image at index
    ``int(r * pool_size)`` and store the new one in its place, else return
    the new image. Returns ``(returned_images, pool)``.
    """
    images = _f32(np.arange(6)[:, None, None] * np.ones((6, 2, 2)))
    old = [_f32(np.full((2, 2), -1.0 - i)) for i in range(3)]
    draws = np.array(
        [
            [0.9, 0.1],
            [0.2, 0.7],
            [0.4, 0.0],
            [0.6, 0.5],
            [0.1, 0.99],
            [0.3, 0.4],
        ]
    )

    def check_for(pool, size):
        expected_images, expected_pool = _pool_reference(
            [p.copy() for p in pool], images, size, draws
        )

        def check(result):
            returned, new_pool = result
            problem = _close(expected_images, rtol=0, atol=0)(returned)
            if problem:
                return "returned images: " + problem
            if len(new_pool) != len(expected_pool):
                return (
                    f"expected a pool of {len(expected_pool)} images, got "
                    f"{len(new_pool)}"
                )
            if not all(
                np.array_equal(np.asarray(a), b)
                for a, b in zip(new_pool, expected_pool)
            ):
                return "the stored pool differs from the reference"
            return None

        return check

    cases = [
        (
            "filling an empty pool of size 4",
            lambda fn: fn([], images, 4, draws),
            check_for([], 4),
        ),
        (
            "querying a full pool of size 3",
            lambda fn: fn([p.copy() for p in old], images, 3, draws),
            check_for(old, 3),
        ),
        (
            "with pool_size=0 (no pool)",
            lambda fn: fn([], images, 0, draws),
            check_for([], 0),
        ),
    ]
    return _run(
        "image_pool_query",
        fn,
        cases,
        "loop over the images; fill the pool first, then swap with "
        "probability 1/2 (p < 0.5) at index int(r * pool_size); see "
        "'Training' in lesson 07.",
    )


# --------------------------------------------------------------------------
# Lesson 08: neural style transfer / 神经风格迁移
# --------------------------------------------------------------------------


def _gram_reference(features):
    features = np.asarray(features, "float64")
    b, h, w, c = features.shape
    flat = features.reshape(b, h * w, c)
    return np.einsum("bpi,bpj->bij", flat, flat) / (h * w)


def check_gram_matrix(fn):
    """Check ``gram_matrix(features)`` for NHWC feature maps (lesson 08).

    检查 NHWC 特征图的 Gram 矩阵（第 08 课）。

    Expected: (batch, C, C), ``F^T F / (H * W)`` with F the (H*W, C) matrix
    of each image.
    """
    rng = np.random.default_rng(17)
    cases = []
    for description, shape in [
        ("for features of shape (2, 4, 5, 3)", (2, 4, 5, 3)),
        ("for features of shape (1, 3, 3, 6)", (1, 3, 3, 6)),
    ]:
        features = _f32(rng.normal(size=shape))
        cases.append(
            (
                description,
                lambda fn, f=features: fn(f),
                _close(_gram_reference(features)),
            )
        )
    return _run(
        "gram_matrix",
        fn,
        cases,
        "reshape to (batch, H*W, C), multiply the transpose by itself "
        "(channels x channels) and divide by H*W; see 'Losses' in lesson 08.",
    )


def _tv_reference(images):
    images = np.asarray(images, "float64")
    dy = images[:, 1:] - images[:, :-1]
    dx = images[:, :, 1:] - images[:, :, :-1]
    return float(np.mean(dy**2) + np.mean(dx**2))


def check_total_variation_loss(fn):
    """Check ``total_variation_loss(images)`` (lesson 08).

    检查全变差损失（第 08 课）。

    Expected: ``mean(dy ** 2) + mean(dx ** 2)`` with dy, dx the differences of
    vertical and horizontal neighbours (the course's squared, averaged
    variant).
    """
    rng = np.random.default_rng(18)
    ramp = _f32(np.tile(np.linspace(-1, 1, 6), (2, 5, 1))[..., None])
    cases = []
    for description, images in [
        ("for a constant image", _f32(np.full((1, 4, 4, 3), 0.3))),
        ("for a horizontal ramp", ramp),
        ("for random images", _f32(rng.uniform(-1, 1, size=(2, 5, 7, 3)))),
    ]:
        cases.append(
            (
                description,
                lambda fn, x=images: fn(x),
                _close(_tv_reference(images)),
            )
        )
    return _run(
        "total_variation_loss",
        fn,
        cases,
        "images[:, 1:] - images[:, :-1] and images[:, :, 1:] - images[:, :, "
        ":-1], squared, each averaged, then added; see 'Losses' in lesson 08.",
    )


def check_style_loss(fn):
    """Check ``style_loss(style_features, generated_features, layer_weights)``.

    检查跨多层的风格损失（第 08 课）。

    Expected: ``sum_l w_l * mean((gram(G_l) - gram(S_l)) ** 2)`` over the
    layers, with ``w_l = 1 / num_layers`` when ``layer_weights`` is None.
    """
    rng = np.random.default_rng(19)
    shapes = [(1, 6, 6, 3), (1, 3, 3, 5)]
    style = [_f32(rng.normal(size=s)) for s in shapes]
    generated = [_f32(rng.normal(size=s)) for s in shapes]

    def reference(weights):
        if weights is None:
            weights = [1.0 / len(style)] * len(style)
        return sum(
            w * np.mean((_gram_reference(g) - _gram_reference(s)) ** 2)
            for w, s, g in zip(weights, style, generated)
        )

    cases = [
        (
            "with the default layer weights",
            lambda fn: fn(style, generated),
            _close(reference(None)),
        ),
        (
            "with layer_weights=[1.0, 0.0]",
            lambda fn: fn(style, generated, layer_weights=[1.0, 0.0]),
            _close(reference([1.0, 0.0])),
        ),
        (
            "with layer_weights=[0.2, 3.0]",
            lambda fn: fn(style, generated, layer_weights=[0.2, 3.0]),
            _close(reference([0.2, 3.0])),
        ),
        (
            "for generated features equal to the style features",
            lambda fn: fn(style, style),
            _close(0.0),
        ),
    ]
    return _run(
        "style_loss",
        fn,
        cases,
        "compare Gram matrices (not raw features) layer by layer, mean squared "
        "difference, then the weighted sum; see 'Losses' in lesson 08.",
    )

import time, sys, os, json
import gancourse
gancourse.setup(0)
import keras, numpy as np
from gancourse import data, models, training, metrics, augment
x, y = data.load_fashion_mnist("train")
xt, yt = data.load_fashion_mnist("test")
F = int(os.environ.get("F", "16")); STEPS = int(os.environ.get("STEPS", "1500")); B = int(os.environ.get("B", "64"))
enc = metrics.default_encoder()
real_feat = metrics.extract_features(xt[:2000])
def make(variant, seed):
    keras.utils.set_random_seed(seed)
    g = models.make_dcgan_generator(100, base_filters=F)
    d = models.make_dcgan_discriminator(base_filters=int(os.environ.get("DF", F)), dropout_rate=float(os.environ.get("DROP", "0.3")))
    kw = {}
    if 'diffaug' in variant: kw['augment'] = augment.DiffAugment()
    if 'ada' in variant: kw['augment'] = augment.AdaptiveAugment(speed_images=int(os.environ.get("SPEED","20000")))
    if 'r1' in variant: kw['r1_weight'] = float(os.environ.get("GAMMA", "1.0"))
    gan = training.GAN(g, d, seed=seed, ema_decay=0.999, **kw)
    gan.compile(keras.optimizers.Adam(2e-4, beta_1=0.5), keras.optimizers.Adam(float(os.environ.get("LRD","2e-4")), beta_1=0.5))
    return gan
def score(gen):
    z = np.random.default_rng(1).standard_normal((2000, 100)).astype("float32")
    fake = keras.ops.convert_to_numpy(gen(z, training=False))
    ff = metrics.extract_features(fake)
    return metrics.frechet_distance(real_feat, ff), metrics.kid(real_feat, ff)[0]*1000 if isinstance(metrics.kid(real_feat, ff), tuple) else metrics.kid(real_feat, ff)*1000
for spec in sys.argv[1:]:
    variant, n, seed = spec.split(":"); n = int(n); seed = int(seed)
    ds = data.make_dataset(x[:n], batch_size=B, seed=seed).repeat()
    gan = make(variant, seed)
    mon = metrics.DiscriminatorMonitor(x[:n], xt[5000:], every_n_steps=int(os.environ.get("EVERY","100")), num_images=500)
    t = time.perf_counter()
    gan.fit(ds, epochs=1, steps_per_epoch=STEPS, verbose=0, callbacks=[mon])
    dt = time.perf_counter() - t
    raw = score(gan.generator); ema = score(gan.ema_generator)
    print(spec, f"{dt:.0f}s", "raw FID %.1f KID %.0f" % raw, "ema FID %.1f KID %.0f" % ema, flush=True)
    for k in mon.values: print("  ", k, " ".join(f"{v:.2f}" for v in mon.values[k]), flush=True)

import time, sys
import gancourse
gancourse.setup(0)
import keras, numpy as np
from gancourse import data, models, training, metrics, augment
x, y = data.load_fashion_mnist("train")
small = x[:1000]
ds = data.make_dataset(small, batch_size=64, seed=0) if hasattr(data,'make_dataset') else None
def make(variant, f=int(__import__("os").environ.get("F","16"))):
    g = models.make_dcgan_generator(100, base_filters=f)
    d = models.make_dcgan_discriminator(base_filters=f)
    kw = {}
    if variant == 'diffaug': kw['augment'] = augment.DiffAugment()
    if variant == 'ada': kw['augment'] = augment.AdaptiveAugment(speed_images=20_000)
    if variant == 'r1': kw['r1_weight'] = 1.0
    gan = training.GAN(g, d, seed=0, ema_decay=0.999, **kw)
    gan.compile(keras.optimizers.Adam(2e-4, beta_1=0.5), keras.optimizers.Adam(2e-4, beta_1=0.5))
    return gan
for v in sys.argv[1:]:
    gan = make(v)
    gan.fit(ds.take(5), epochs=1, verbose=0)
    t=time.perf_counter(); h=gan.fit(ds.repeat().take(100), epochs=1, verbose=0); dt=time.perf_counter()-t
    print(v, f"{dt/100*1000:.0f} ms/step", {k: round(float(vv[-1]),3) for k,vv in h.history.items()}, flush=True)

import time, os
import gancourse
gancourse.setup(0)
import keras, numpy as np
from gancourse import data, metrics, models, training
x, yl = data.load_fashion_mnist("train")
xt, yt = data.load_fashion_mnist("test")
rng = np.random.default_rng(0)
h = np.arange(28)
SHIFT = os.environ.get("SHIFT", "stripes")
def shift(imgs):
    if SHIFT == "invert": return -imgs
    n = len(imgs)
    ang = rng.uniform(0, np.pi, n); freq = rng.uniform(0.3, 0.8, n); ph = rng.uniform(0, 2*np.pi, n)
    yy, xx = np.meshgrid(h, h, indexing="ij")
    t = np.sin(freq[:,None,None]*(np.cos(ang)[:,None,None]*xx + np.sin(ang)[:,None,None]*yy) + ph[:,None,None])[..., None]
    tex = -1 + 0.5 * (t + 1)
    m = (imgs + 1) / 2
    return (m * imgs + (1 - m) * tex).astype("float32")
N = int(os.environ.get("N", "3000")); GF = int(os.environ.get("GF", "8")); RB = int(os.environ.get("RB", "2")); DF = int(os.environ.get("DF", "16"))
dom_x = shift(x[:N]); dom_y = x[N:2*N]
test_x = shift(xt[:1000]); ty = yt[:1000]
def acc(imgs): return np.mean(metrics.classifier_probabilities(imgs).argmax(1) == ty)
print("source", acc(xt[:1000]), "shifted", acc(test_x), flush=True)
def G(name): return models.make_resnet_generator((28,28,1), base_filters=GF, num_downsamples=2, num_residual_blocks=RB, name=name)
def D(name): return models.make_patchgan_discriminator((28,28,1), base_filters=DF, num_downsamples=2, name=name)
cg = training.CycleGAN(G("g"), G("f"), D("dx"), D("dy"), lambda_cycle=10.0, lambda_identity=float(os.environ.get("ID","0.5")), pool_size=50, seed=0)
cg.compile(*(keras.optimizers.Adam(2e-4, beta_1=0.5) for _ in range(4)))
ds = data.make_unpaired_dataset(dom_x, dom_y, batch_size=32, seed=0).repeat()
t = time.perf_counter()
for r in range(int(os.environ.get("ROUNDS","6"))):
    cg.fit(ds, epochs=1, steps_per_epoch=100, verbose=0)
    out = np.concatenate([keras.ops.convert_to_numpy(cg.generator_g(test_x[i:i+500], training=False)) for i in range(0,1000,500)])
    print((r+1)*100, f"{time.perf_counter()-t:.0f}s", "acc after", acc(out), flush=True)

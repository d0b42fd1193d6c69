import gancourse
gancourse.setup(0)
import numpy as np
from gancourse import data, metrics
xt, yt = data.load_fashion_mnist("test")
x = xt[:2000]; y = yt[:2000]
rng = np.random.default_rng(0)
def acc(imgs): return np.mean(metrics.classifier_probabilities(imgs).argmax(1) == y)
print("source", acc(x))
print("inverted", acc(-x))
# stripes texture background
h = np.arange(28)
def stripes(n):
    ang = rng.uniform(0, np.pi, n); freq = rng.uniform(0.3, 0.8, n); ph = rng.uniform(0, 2*np.pi, n)
    yy, xx = np.meshgrid(h, h, indexing="ij")
    t = np.sin(freq[:,None,None]*(np.cos(ang)[:,None,None]*xx + np.sin(ang)[:,None,None]*yy) + ph[:,None,None])
    return t[..., None].astype("float32")
mask = (x + 1) / 2  # ink weight 0..1
for amp in (0.5, 1.0):
    tex = -1 + amp * (stripes(len(x)) + 1) / 2 * 2
    shifted = mask * x + (1 - mask) * tex
    print("stripes", amp, acc(shifted.astype("float32")))
noise = np.clip(-1 + np.abs(rng.normal(0, 0.6, x.shape)), -1, 1).astype("float32")
print("noise bg", acc((mask * x + (1-mask) * noise).astype("float32")))
print("inverted+noise", acc(-(mask * x + (1-mask) * noise).astype("float32")))
print("low contrast", acc((x*0.3+0.4).astype('float32')))

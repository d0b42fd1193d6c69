"""Quiz of lesson 10: GANs with little data, and GANs for data.

第 10 课（小数据与数据增强）的测验。
"""

from gancourse.course.quiz import Question
from gancourse.course.quiz import Quiz

QUIZ = Quiz(
    "lesson10",
    [
        Question(
            prompt_zh=(
                "只有 $1000$ 张训练图像时，判别器很快就会过拟合。如果只对送进"
                "判别器的真实图像做数据增强（比如随机平移），生成的图像不做，"
                "会发生什么？"
            ),
            prompt_en=(
                "With only $1000$ training images the discriminator soon "
                "overfits. What happens if we apply data augmentation (random "
                "translations, say) only to the real images the discriminator "
                "sees, and not to the generated ones?"
            ),
            choices=[
                (
                    "没有问题：判别器只是见到了更多样的真实图像，这正是增强的"
                    "目的",
                    "nothing goes wrong: the discriminator just sees more "
                    "varied real images, which is the point of augmentation",
                ),
                (
                    "训练会报错，因为梯度穿不过增强操作",
                    "training stops with an error, because gradients cannot "
                    "flow through the augmentation",
                ),
                (
                    "判别器学到：平移过、边上有填充的图像是真的。生成器于是去"
                    "生成这样的图像，增强的痕迹漏进了生成结果。所以 "
                    "DiffAugment 对真实图像和生成图像做同样的可微变换，判别器"
                    "步和生成器步都要做",
                    "the discriminator learns that shifted images with filled "
                    "borders are real, so the generator learns to produce such "
                    "images: the augmentation leaks into the samples. This is "
                    "why DiffAugment applies the same differentiable "
                    "transforms to real and generated images, in both the "
                    "discriminator's and the generator's steps",
                ),
                (
                    "判别器过拟合得更快，因为每张真实图像它都见了好几次",
                    "the discriminator overfits even faster, because it sees "
                    "each real image several times",
                ),
            ],
            answer="c",
            explanation_zh=(
                "只有真实一侧做了增强，判别器就会把平移、填充这些痕迹当成真实"
                "图像的标志；生成器为了骗过它，就去模仿这些痕迹。两侧做同样的"
                "变换 T 时，判别器比较的是 T(x) 和 T(G(z))，增强不再能区分真"
                "假；T 是可微的，生成器的梯度可以穿过 T 传回来。"
            ),
            explanation_en=(
                "If only the real side is augmented, the discriminator takes "
                "the traces of the transforms (shifts, filled borders) as "
                "signs of a real image, and the generator imitates them to "
                "fool it. With the same transform T on both sides, D compares "
                "T(x) with T(G(z)), so the augmentation no longer tells real "
                "from fake; and since T is differentiable, G's gradient flows "
                "back through it."
            ),
        ),
        Question(
            prompt_zh=(
                "自适应增强（ADA）用 $r_t = \\mathbb{E}[\\mathrm{sign}(D(x))]$ "
                "衡量判别器过拟合的程度。期望取在训练集的真实图像上，$D(x)$ "
                "是 logit。训练中 $r_t$ 接近 $1$，说明什么？ADA 会怎样调整增强"
                "概率 $p$？"
            ),
            prompt_en=(
                "Adaptive augmentation (ADA) measures how much the "
                "discriminator overfits with $r_t = \\mathbb{E}[\\mathrm{sign}"
                "(D(x))]$, the expectation taken over the real training "
                "images, with $D(x)$ a logit. During training $r_t$ comes "
                "close to $1$. What does that mean, and what does ADA do with "
                "the augmentation probability $p$?"
            ),
            choices=[
                (
                    "判别器对几乎每张训练图像都给出正的 logit：它记住了训练集，"
                    "正在过拟合。$r_t$ 高于目标值（如 $0.6$），ADA 就提高 $p$",
                    "the discriminator gives a positive logit to almost every "
                    "training image: it has memorised the training set and "
                    "overfits. With $r_t$ above the target (such as $0.6$), "
                    "ADA raises $p$",
                ),
                (
                    "判别器已经分不清真假图像，ADA 降低 $p$",
                    "the discriminator can no longer tell real from fake "
                    "images, so ADA lowers $p$",
                ),
                (
                    "生成器赢了：它的图像骗过了判别器，训练已经收敛",
                    "the generator has won: its images fool the discriminator, "
                    "and training has converged",
                ),
                (
                    "增强概率 $p$ 已经升到了 $1$",
                    "the augmentation probability $p$ has reached $1$",
                ),
            ],
            answer="a",
            explanation_zh=(
                "r_t 只看真实图像上 logit 的符号。判别器分不清真假时，真实图像"
                "上的 logit 有正有负，r_t 接近 0；r_t 接近 1，说明它对每张训练"
                "图像都很有把握，这正是记住训练集的表现，换一批新的真实图像它"
                "往往就判断错了。r_t 不看生成图像，所以说明不了生成器赢没赢；"
                "它也不是 p 的值。"
            ),
            explanation_en=(
                "r_t looks only at the signs of the logits on real images. A "
                "discriminator that cannot tell real from fake gives them "
                "logits of both signs, so r_t is near 0; r_t near 1 means it "
                "is sure about every training image, which is what "
                "memorising the training set looks like, and on new real "
                "images it is often wrong. r_t ignores the generated images, "
                "so it says nothing about the generator winning, and it is "
                "not the value of p."
            ),
        ),
        Question(
            prompt_zh=(
                "$R_1$ 惩罚（Mescheder 等，2018）惩罚的是什么？它为什么有助于"
                "训练？"
            ),
            prompt_en=(
                "What does the $R_1$ penalty (Mescheder et al., 2018) "
                "penalise, and why does it help training?"
            ),
            choices=[
                (
                    "生成器权重的平方范数，防止生成器的权重过大",
                    "the squared norm of the generator's weights, to keep them "
                    "small",
                ),
                (
                    "在真实样本和生成样本之间的插值点上，判别器梯度范数偏离 "
                    "$1$ 的程度（WGAN-GP 的做法）",
                    "how far the discriminator's gradient norm is from $1$ at "
                    "points between real and generated samples (what WGAN-GP "
                    "does)",
                ),
                (
                    "判别器在真实图像上的 logit 太大：它惩罚 logit 本身的大小",
                    "large discriminator logits on real images: it penalises "
                    "the size of the logits themselves",
                ),
                (
                    "判别器对输入的梯度的平方范数，只在真实图像处计算。判别器"
                    "在真实数据附近变平，就不会把生成的样本推过头、来回振荡，"
                    "训练可以在局部收敛",
                    "the squared norm of the discriminator's gradient with "
                    "respect to its input, at the real images only. A "
                    "discriminator that is flat around the real data does not "
                    "push the generated samples past the data and back, so "
                    "training can converge locally instead of oscillating",
                ),
            ],
            answer="d",
            explanation_zh=(
                "R1 = gamma / 2 * E[|grad_x D(x)|^2]，期望只取在真实数据上。"
                "接近平衡时，生成的样本已经落在真实数据上；判别器在那里若还有"
                "梯度，就会把样本推过头，训练来回振荡。R1 让判别器在真实数据处"
                "变平，Mescheder 等人证明这样训练在局部收敛。它不约束生成器，"
                "也不限制 logit 的大小。WGAN-GP 的梯度惩罚是另一种做法：它把"
                "插值点上的梯度范数推向 1。"
            ),
            explanation_en=(
                "R1 = gamma / 2 * E[|grad_x D(x)|^2], the expectation over "
                "real data only. Near equilibrium the generated samples "
                "already lie on the real data; if D still has a gradient "
                "there, it pushes them too far and training oscillates. R1 "
                "makes D flat at the real data, and Mescheder et al. prove "
                "that training then converges locally. It constrains neither "
                "G nor the size of the logits. The WGAN-GP gradient penalty "
                "is a different method: it pushes the gradient norm towards "
                "1 at interpolates."
            ),
        ),
        Question(
            prompt_zh=(
                "小数据训练时，我们常用生成器权重的指数移动平均（EMA）来采样。"
                "它为什么有帮助？代价是什么？"
            ),
            prompt_en=(
                "When training on little data, we often sample from an "
                "exponential moving average (EMA) of the generator's weights. "
                "Why does that help, and what does it cost?"
            ),
            choices=[
                (
                    "EMA 生成器有自己的损失，要单独训练：训练时间翻倍，换来更好"
                    "的图像",
                    "the EMA generator has its own loss and is trained "
                    "separately: twice the training time for better images",
                ),
                (
                    "EMA 权重是生成器最近各步权重的加权平均，抹平了对抗训练中"
                    "一步一步的来回摆动，所以在长时间训练的后期，它的样本通常"
                    "更好（FID 更低）。它每步之后更新一次，从不接收梯度：训练"
                    "本身不变，代价只是多存一份权重",
                    "the EMA weights are a weighted average of the generator's "
                    "recent weights, which smooths out the step-to-step "
                    "swings of adversarial training, so late in a long "
                    "training its samples are usually better (lower FID). It "
                    "is updated once after "
                    "each step and never receives gradients: training itself "
                    "does not change, and the cost is one extra copy of the "
                    "weights",
                ),
                (
                    "EMA 让判别器学得更慢，所以判别器不容易过拟合",
                    "EMA slows the discriminator down, so it overfits less",
                ),
                (
                    "有了 EMA 就不需要数据增强了：判别器不会再过拟合",
                    "with EMA, data augmentation is no longer needed: the "
                    "discriminator no longer overfits",
                ),
            ],
            answer="b",
            explanation_zh=(
                "EMA 只是训练之外的一份权重副本：每步之后 w_ema <- beta * "
                "w_ema + (1 - beta) * w，判别器和生成器的训练完全不受影响。它"
                "去掉了权重在对抗博弈中的振荡，所以样本更稳定。它不碰判别器，"
                "也代替不了数据增强：判别器的过拟合要靠增强或 R1 惩罚来处理。"
            ),
            explanation_en=(
                "EMA is just a copy of the weights kept outside training: "
                "after each step w_ema <- beta * w_ema + (1 - beta) * w, and "
                "the training of D and G is not affected at all. It removes "
                "the oscillation of the weights in the adversarial game, so "
                "the samples are steadier. It does not touch the "
                "discriminator and cannot replace augmentation: D's "
                "overfitting is handled by augmentation or by the R1 penalty."
            ),
        ),
        Question(
            prompt_zh=(
                "ADA 的设置是 `speed_images=512_000`，批次大小 $64$，每 $4$ 个"
                "判别器步调整一次 $p$。每次调整时，$p$ 变化的量由这段时间里的"
                "真实图像数决定。假设每次 $r_t$ 都高于目标值，$p$ 从 $0$ 升到 "
                "$1$ 要调整多少次？"
            ),
            prompt_en=(
                "ADA runs with `speed_images=512_000`, a batch size of $64$, "
                "and one adjustment of $p$ every $4$ discriminator steps. At "
                "each adjustment, $p$ moves by an amount set by the number of "
                "real images of the interval. Assuming $r_t$ is above the "
                "target every time, how many adjustments does it take for "
                "$p$ to go from $0$ to $1$?"
            ),
            answer=2000,
            tolerance=0.5,
            explanation_zh=(
                "每次调整覆盖 64 * 4 = 256 张真实图像，p 变化 256 / 512000 = "
                "1/2000。从 0 升到 1 要调整 2000 次，也就是 8000 个判别器步、"
                "512000 张真实图像：speed_images 正是 p 从 0 走到 1 所需的真实"
                "图像数。"
            ),
            explanation_en=(
                "Each adjustment covers 64 * 4 = 256 real images, so p moves "
                "by 256 / 512,000 = 1/2000. Going from 0 to 1 takes 2000 "
                "adjustments, that is 8000 discriminator steps or 512,000 "
                "real images: speed_images is exactly the number of real "
                "images p needs to go from 0 to 1."
            ),
        ),
    ],
)

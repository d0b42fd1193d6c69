"""Quiz of lesson 09: the latent space, encoders, inversion and editing.

第 09 课（潜在空间：编码器、反演与编辑）的测验。
"""

from gancourse.course.quiz import Question
from gancourse.course.quiz import Quiz

QUIZ = Quiz(
    "lesson09",
    [
        Question(
            prompt_zh=(
                "DCGAN 的潜在向量 $z$ 服从 $d = 100$ 维的标准正态分布 "
                "$\\mathcal{N}(0, I_{100})$。$z$ 的平方范数 $\\lVert z "
                "\\rVert^2$ 的期望是多少？"
            ),
            prompt_en=(
                "The DCGAN's latent vector $z$ follows the standard normal "
                "distribution $\\mathcal{N}(0, I_{100})$ in $d = 100$ "
                "dimensions. What is the expected squared norm $\\lVert z "
                "\\rVert^2$ of $z$?"
            ),
            answer=100,
            tolerance=0.5,
            explanation_zh=(
                "每个坐标的平方期望为 1，100 个坐标相加得 100；范数本身集中在 "
                "sqrt(100) = 10 附近，波动很小（标准差约 0.7）。反演得到的 z "
                "如果范数远离 10，就落在生成器训练时几乎见不到的区域，G(z) "
                "往往不像训练数据。"
            ),
            explanation_en=(
                "Each coordinate has an expected square of 1, and 100 "
                "coordinates add up to 100; the norm itself concentrates near "
                "sqrt(100) = 10 with little spread (a standard deviation of "
                "about 0.7). An inverted code whose norm is far from 10 lies "
                "where the generator almost never saw a z during training, "
                "and G(z) often looks unlike the training data."
            ),
        ),
        Question(
            prompt_zh=(
                "BiGAN 的判别器判断 $(x, z)$ 对，而不是只看图像 $x$。为什么？"
            ),
            prompt_en=(
                "A BiGAN's discriminator judges $(x, z)$ pairs rather than "
                "images $x$ alone. Why?"
            ),
            choices=[
                (
                    "这样判别器的输入更大，容量更高，训练更稳定",
                    "the larger input gives the discriminator more capacity, "
                    "so training is more stable",
                ),
                (
                    "编码器只通过判别器得到训练信号：判别器若只看图像，"
                    "$E(x)$ 根本不影响它的输出，编码器就学不到东西；判别器看"
                    "成对的数据时，$(x, E(x))$ 必须和 $(G(z), z)$ 无法区分，"
                    "这迫使 $E$ 成为 $G$ 的逆映射",
                    "the encoder's only training signal comes through the "
                    "discriminator: if it saw images alone, $E(x)$ would not "
                    "affect its output and the encoder would learn nothing; "
                    "with pairs, $(x, E(x))$ must be indistinguishable from "
                    "$(G(z), z)$, which forces $E$ to invert $G$",
                ),
                (
                    "为了让判别器同时做分类：$z$ 里编码了类别标签",
                    "so that the discriminator also classifies: $z$ encodes "
                    "the class label",
                ),
                (
                    "为了在判别器里计算重建误差 $\\lVert G(E(x)) - x "
                    "\\rVert^2$",
                    "to compute the reconstruction error $\\lVert G(E(x)) - "
                    "x \\rVert^2$ inside the discriminator",
                ),
            ],
            answer="b",
            explanation_zh=(
                "BiGAN 的编码器从不看重建误差。判别器比较两种联合分布：真实一"
                "侧 (x, E(x)) 和生成一侧 (G(z), z)；两者相同时，E 和 G 互为逆"
                "映射。只看图像的判别器只约束 G，E 得不到任何梯度。"
            ),
            explanation_en=(
                "A BiGAN's encoder never sees a reconstruction error. The "
                "discriminator compares two joint distributions, the real "
                "side (x, E(x)) and the generated side (G(z), z); when they "
                "are equal, E and G invert each other. A discriminator that "
                "sees images alone constrains only G, and E gets no gradient."
            ),
        ),
        Question(
            prompt_zh=(
                "用 Adam 优化 $z$，把一张真实测试图像反演到 DCGAN 中。步数加"
                "到几千步，像素误差 $\\lVert G(z) - x \\rVert^2$ 仍然停在一个"
                "明显大于 0 的值上。最主要的原因是什么？"
            ),
            prompt_en=(
                "We invert a real test image into the DCGAN by optimising "
                "$z$ with Adam. Even after thousands of steps, the pixel "
                "error $\\lVert G(z) - x \\rVert^2$ stays at a value clearly "
                "above 0. What is the main reason?"
            ),
            choices=[
                (
                    "学习率太小，只要步数再多就能降到 0",
                    "the learning rate is too small; with even more steps it "
                    "would reach 0",
                ),
                (
                    "Adam 只能优化网络的权重，不能优化输入 $z$",
                    "Adam can optimise a network's weights but not its input "
                    "$z$",
                ),
                (
                    "分类器特征上的损失项阻止了像素误差降到 0",
                    "the feature loss on the classifier's features keeps the "
                    "pixel error from reaching 0",
                ),
                (
                    "这张图像不在生成器的值域里：没有任何 $z$ 能让 $G(z)$ 恰好"
                    "等于它，优化只能找到最接近的 $G(z)$",
                    "the image is not in the generator's range: no $z$ makes "
                    "$G(z)$ equal to it, so optimisation can only find the "
                    "closest $G(z)$",
                ),
            ],
            answer="d",
            explanation_zh=(
                "生成器只能产生它学到的那一部分图像，真实图像的细节常常不在其"
                "中。对照实验说明了这一点：反演 DCGAN 自己生成的图像（一定在值"
                "域里）时，误差低得多。只用像素损失时误差也降不到 0，所以原因"
                "不在特征损失。"
            ),
            explanation_en=(
                "A generator can produce only the part of image space it has "
                "learned, and a real image's details often lie outside it. "
                "The control shows this: inverting images the DCGAN "
                "generated itself (certainly in its range) gives a much "
                "lower error. With the pixel loss alone the error does not "
                "reach 0 either, so the feature loss is not the cause."
            ),
        ),
        Question(
            prompt_zh=(
                "InterFaceGAN 在潜在空间里拟合一个线性边界 $\\{z : n^\\top z "
                "+ b = 0\\}$，$n$ 是单位法向量。沿 $n$ 把 $z$ 移到 $z + s\\,n$"
                " 会怎样？"
            ),
            prompt_en=(
                "InterFaceGAN fits a linear boundary $\\{z : n^\\top z + b = "
                "0\\}$ in latent space, with $n$ its unit normal. What happens "
                "when $z$ moves along $n$ to $z + s\\,n$?"
            ),
            choices=[
                (
                    "$z$ 到边界的带符号距离正好增加 $s$：$n$ 是一个潜在方向，"
                    "沿它移动会线性地提高这个属性的分数，强度 $s$ 控制编辑的"
                    "程度",
                    "$z$'s signed distance to the boundary grows by exactly "
                    "$s$: $n$ is a latent direction, moving along it raises "
                    "the attribute's score linearly, and the strength $s$ "
                    "sets how strong the edit is",
                ),
                (
                    "$G(z)$ 的每个像素都增加 $s$",
                    "every pixel of $G(z)$ grows by $s$",
                ),
                (
                    "只有 $s$ 足够大、$z$ 越过边界时图像才改变，之前 $G(z)$ "
                    "完全不变",
                    "the image changes only once $s$ is large enough for $z$ "
                    "to cross the boundary; before that $G(z)$ stays exactly "
                    "the same",
                ),
                (
                    "其他所有属性都保持不变，因为 $n$ 是单位向量",
                    "every other attribute stays unchanged, because $n$ has "
                    "unit length",
                ),
            ],
            answer="a",
            explanation_zh=(
                "带符号距离是 n^T z + b（n 为单位向量），对 z + s n 正好多出 "
                "s。图像随 z 连续变化，不会等到越过边界才变。其他属性是否改变"
                "取决于它们的方向是否与 n 正交，与 n 的长度无关；条件编辑就是"
                "为此把 n 中与其他方向重合的部分去掉。"
            ),
            explanation_en=(
                "The signed distance is n^T z + b for a unit n, and for z + "
                "s n it is exactly s larger. The image changes continuously "
                "with z, not only after crossing the boundary. Whether other "
                "attributes change depends on whether their directions are "
                "orthogonal to n, not on n's length; conditional editing "
                "removes from n what it shares with the other directions for "
                "exactly this reason."
            ),
        ),
        Question(
            prompt_zh=(
                "一个编码器只用生成的训练对 $(G(z), z)$ 训练，目标是 $E(G(z)) "
                "\\approx z$。它重建生成图像的误差，比重建真实图像的误差小得多"
                "。为什么？"
            ),
            prompt_en=(
                "An encoder is trained only on generated pairs $(G(z), z)$, "
                "with the target $E(G(z)) \\approx z$. Its error on generated "
                "images is much smaller than on real images. Why?"
            ),
            choices=[
                (
                    "训练对不够多：$G$ 只能产生有限个训练对",
                    "there are too few training pairs: $G$ can produce only a "
                    "limited number of them",
                ),
                (
                    "真实图像的像素范围是 $[0, 1]$，生成图像是 $[-1, 1]$",
                    "real images have pixels in $[0, 1]$ and generated images "
                    "in $[-1, 1]$",
                ),
                (
                    "分布偏移：编码器只见过生成器值域里的图像，真实图像落在值"
                    "域之外，是它从没见过的输入；而且对这些图像，本来就没有哪"
                    "个 $z$ 能完全重建它们",
                    "distribution shift: the encoder has only seen images in "
                    "the generator's range, and real images lie outside it, "
                    "inputs it has never seen; besides, no $z$ rebuilds such "
                    "images exactly anyway",
                ),
                (
                    "编码器的均方误差损失让它对所有输入都输出 $z$ 的均值 0",
                    "the encoder's mean squared error loss makes it output "
                    "the mean of $z$, 0, for every input",
                ),
            ],
            answer="c",
            explanation_zh=(
                "G 可以无限地产生训练对，数量不是问题；两种图像也都在 [-1, 1] "
                "内。问题在于训练分布和测试分布不同。用 E(x) 作起点再优化 z，"
                "可以弥补一部分差距。"
            ),
            explanation_en=(
                "G can produce unlimited pairs, so their number is not the "
                "problem, and both kinds of image lie in [-1, 1]. The problem "
                "is that the training and test distributions differ. Starting "
                "from E(x) and then optimising z closes part of the gap."
            ),
        ),
    ],
)

"""Quiz of lesson 02: DCGAN.

第 02 课（DCGAN）的测验。
"""

from gancourse.course.quiz import Question
from gancourse.course.quiz import Quiz

QUIZ = Quiz(
    "lesson02",
    [
        Question(
            prompt_zh=(
                '本课生成器的转置卷积都用 `padding="same"`：$7 \\times 7$ 的'
                "特征图经过步长为 1、2、2 的三层，变成 $28 \\times 28$ 的图像。"
                "若改从 $4 \\times 4$ 出发，经过三个步长为 2 的这种转置卷积，输"
                "出图像的边长是多少？"
            ),
            prompt_en=(
                "This lesson's generator uses transposed convolutions with "
                '`padding="same"`: a $7 \\times 7$ feature map passes layers '
                "of stride 1, 2 and 2 and becomes a $28 \\times 28$ image. "
                "Starting from $4 \\times 4$ instead, with three such "
                "transposed convolutions of stride 2, what is the side length "
                "of the output image?"
            ),
            answer=32,
            explanation_zh=(
                'padding="same" 的转置卷积把边长正好乘以步长，与核大小无关：'
                "4 -> 8 -> 16 -> 32。valid 填充的输出还与核大小有关（练习 1）。"
            ),
            explanation_en=(
                'A transposed convolution with padding="same" multiplies the '
                "side length by the stride, whatever the kernel size: 4 -> 8 "
                "-> 16 -> 32. With valid padding the output also depends on "
                "the kernel size (exercise 1)."
            ),
        ),
        Question(
            prompt_zh=(
                "本课的生成器用核大小 5、步长 2 的转置卷积上采样，样本上出现了"
                "棋盘状的伪影。主要原因是什么？"
            ),
            prompt_en=(
                "This lesson's generator upsamples with transposed "
                "convolutions of kernel size 5 and stride 2, and its samples "
                "show checkerboard artifacts. What is the main cause?"
            ),
            choices=[
                (
                    "核大小不能被步长整除，相邻输出像素得到的重叠贡献个数不同",
                    "the kernel size is not divisible by the stride, so "
                    "neighbouring output pixels get different numbers of "
                    "overlapping contributions",
                ),
                ("批归一化", "batch normalisation"),
                ("输出层的 `tanh`", "the `tanh` at the output"),
                ("学习率太大", "a learning rate that is too high"),
            ],
            answer="a",
            explanation_zh=(
                "步长 2 时，5 个核元素在相邻输出像素上交替贡献 3 次和 2 次，亮"
                "暗交替。改用能被步长整除的核（如 4），或最近邻上采样加普通卷积"
                "。"
            ),
            explanation_en=(
                "With stride 2 the 5 kernel taps reach neighbouring output "
                "pixels 3 and 2 times in turn, so they alternate bright and "
                "dark. Use a kernel divisible by the stride (e.g. 4), or "
                "nearest-neighbour upsampling plus a convolution."
            ),
        ),
        Question(
            prompt_zh=(
                "若判别器对真实样本和生成样本都输出 $\\sigma(D) = 0.5$，判别器"
                "损失（两个二元交叉熵之和，自然对数）是多少？保留两位小数。"
            ),
            prompt_en=(
                "If the discriminator outputs $\\sigma(D) = 0.5$ for real and "
                "generated samples alike, what is its loss (the sum of two "
                "binary cross-entropies, natural log)? Two decimals."
            ),
            answer=1.386,
            tolerance=0.01,
            explanation_zh=(
                "每一项都是 -log 0.5 = ln 2，两项之和为 2 ln 2，约 1.39。这只说"
                "明当前的判别器分不清真假，并不说明样本已经很好。"
            ),
            explanation_en=(
                "Each term is -log 0.5 = ln 2, so the sum is 2 ln 2, about "
                "1.39. It only says that the current discriminator cannot tell "
                "real from fake, not that the samples are good."
            ),
        ),
        Question(
            prompt_zh=(
                "在两个潜在向量之间插值时，为什么用球面线性插值（slerp）而不用"
                "直线插值？"
            ),
            prompt_en=(
                "Why interpolate between two latent vectors with slerp rather "
                "than along a straight line?"
            ),
            choices=[
                ("直线插值计算更慢", "a straight line is slower to compute"),
                (
                    "高维高斯向量几乎都在半径约 $\\sqrt{d}$ 的球壳上，直线中"
                    "点的范数更小，落在训练中很少见到的区域",
                    "high-dimensional Gaussian vectors lie almost all on a "
                    "shell of radius about $\\sqrt{d}$; the midpoint of a "
                    "line has a smaller norm, in a region rarely seen in "
                    "training",
                ),
                (
                    "生成器只接受单位向量",
                    "the generator accepts unit vectors only",
                ),
                ("slerp 总能让图像更清晰", "slerp always makes images sharper"),
            ],
            answer="b",
            explanation_zh=(
                "d 维标准高斯向量的范数集中在 sqrt(d) 附近；两个几乎正交的向量"
                "的直线中点范数只有约 sqrt(d / 2)。slerp 沿大圆弧走，范数保持不"
                "变。"
            ),
            explanation_en=(
                "The norm of a d-dimensional standard Gaussian vector "
                "concentrates near sqrt(d); the straight-line midpoint of two "
                "nearly orthogonal vectors has norm about sqrt(d / 2). Slerp "
                "follows a great circle and keeps the norm."
            ),
        ),
        Question(
            prompt_zh=(
                "DCGAN 把 Adam 的 $\\beta_1$ 从默认的 $0.9$ 降到 $0.5$。为什么"
                "？"
            ),
            prompt_en=(
                "DCGAN lowers Adam's $\\beta_1$ from the default $0.9$ to "
                "$0.5$. Why?"
            ),
            choices=[
                ("为了使用更大的学习率", "to allow a larger learning rate"),
                ("为了节省内存", "to save memory"),
                (
                    "对手一直在变，动量太大会让更新沿着过时的方向走太久",
                    "the opponent keeps changing, so a large momentum keeps "
                    "pushing along outdated directions",
                ),
                ("批归一化要求如此", "batch normalisation requires it"),
            ],
            answer="c",
            explanation_zh=(
                "beta_1 是梯度的动量。在博弈中目标随对手不断移动，较小的动量让"
                "每个网络更快地响应对手的最新状态，训练更稳定。"
            ),
            explanation_en=(
                "beta_1 is the momentum of the gradients. In a game the target "
                "moves with the opponent; less momentum lets each network "
                "react to the opponent's latest state, and training is more "
                "stable."
            ),
        ),
    ],
)

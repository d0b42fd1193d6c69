"""Quiz of lesson 03: conditional GANs.

第 03 课（条件 GAN）的测验。
"""

from gancourse.course.quiz import Question
from gancourse.course.quiz import Quiz

QUIZ = Quiz(
    "lesson03",
    [
        Question(
            prompt_zh=(
                "投影判别器输出 $\\psi(\\phi(x)) + \\langle E[y], \\phi(x) "
                "\\rangle$。其中内积一项回答的是哪个问题？"
            ),
            prompt_en=(
                "A projection discriminator outputs $\\psi(\\phi(x)) + "
                "\\langle E[y], \\phi(x) \\rangle$. Which question does the "
                "inner product answer?"
            ),
            choices=[
                (
                    "它像不像类别 $y$ 的真实图像？",
                    "does it look like a real image of class $y$?",
                ),
                (
                    "它像不像真实图像（不管类别）？",
                    "does it look real, whatever the class?",
                ),
                ("噪声是不是高斯分布？", "is the noise Gaussian?"),
                ("图像有多亮？", "how bright is the image?"),
            ],
            answer="a",
            explanation_zh=(
                "psi(phi(x)) 只看图像是否真实；类别嵌入与特征的内积衡量图像与类"
                "别 y 是否相符。当 p(y|x) 对 phi(x) 是对数线性时，最优判别器恰"
                "好是这个形式。"
            ),
            explanation_en=(
                "psi(phi(x)) only asks whether the image looks real; the inner "
                "product of the class embedding and the features asks whether "
                "it fits class y. When p(y|x) is log-linear in phi(x), the "
                "optimal discriminator has exactly this form."
            ),
        ),
        Question(
            prompt_zh="标签嵌入查表 $E[y]$ 在数学上等于什么？",
            prompt_en=(
                "Looking up a label embedding $E[y]$ is mathematically the "
                "same as what?"
            ),
            choices=[
                ("标签乘以一个标量", "the label times a scalar"),
                ("每个样本一个随机向量", "a random vector per sample"),
                ("该类别的平均图像", "the mean image of the class"),
                (
                    "独热向量乘以嵌入矩阵",
                    "the one-hot vector times the embedding matrix",
                ),
            ],
            answer="d",
            explanation_zh=(
                "one_hot(y) @ E 正好取出 E 的第 y 行；查表得到同样的结果，但计"
                "算量更小。这也是包中用无偏置 Dense 层实现类别嵌入的原因。"
            ),
            explanation_en=(
                "one_hot(y) @ E picks row y of E; the lookup gives the same "
                "result with less computation. That is why the package can "
                "write the class embedding as a bias-free Dense layer."
            ),
        ),
        Question(
            prompt_zh=(
                '用标签平面（`mode="concat"`）把 10 个类别的独热标签接到 $28 '
                "\\times 28 \\times 1$ 的图像上，判别器第一层的输入有几个通道？"
            ),
            prompt_en=(
                'With label planes (`mode="concat"`), the one-hot label of '
                "10 classes is concatenated to a $28 \\times 28 \\times 1$ "
                "image. How many channels does the discriminator's first layer "
                "receive?"
            ),
            answer=11,
            explanation_zh=(
                "独热标签变成 K = 10 个常数平面，和 1 个图像通道拼接，共 11 个"
                "通道。"
            ),
            explanation_en=(
                "The one-hot label becomes K = 10 constant planes, "
                "concatenated with 1 image channel: 11 channels."
            ),
        ),
        Question(
            prompt_zh=(
                "生成样本沿用真实批次的标签。在不平衡的训练集中，一个稀有类别约"
                "占数据的 $0.28\\%$。批次大小为 $128$ 时，平均每个批次有多少个"
                "该类别的生成样本？保留两位小数。"
            ),
            prompt_en=(
                "The fake samples reuse the real batch's labels. In the "
                "imbalanced training set a rare class is about $0.28\\%$ of "
                "the data. With a batch of $128$, how many fakes of that class "
                "does a batch hold on average? Two decimals."
            ),
            answer=0.36,
            tolerance=0.02,
            explanation_zh=(
                "128 * 0.0028 约为 0.36：大多数批次里一个都没有，所以生成器几乎"
                "得不到练习稀有类别的信号。"
            ),
            explanation_en=(
                "128 * 0.0028 is about 0.36: most batches hold none, so the "
                "generator gets almost no practice on the rare classes."
            ),
        ),
        Question(
            prompt_zh=(
                "在本课的数据增强实验中（只有一个随机种子），哪种做法让稀有类别"
                "的召回率和总体准确率提高得最明显？"
            ),
            prompt_en=(
                "In this lesson's data augmentation experiment (one seed "
                "only), which approach raised the rare classes' recall and the "
                "overall accuracy most clearly?"
            ),
            choices=[
                (
                    "加入条件 GAN 生成的稀有类别样本",
                    "adding conditional GAN samples of the rare classes",
                ),
                (
                    "重复稀有类别的真实图像（过采样）",
                    "repeating the rare classes' real images (oversampling)",
                ),
                ("只用不平衡的真实数据", "the imbalanced real data alone"),
                ("三者效果相同", "all three did equally well"),
            ],
            answer="b",
            explanation_zh=(
                "只用不平衡数据的条件 GAN 从同样约 120 张图像学习稀有类别，"
                "无法创造这些图像中没有的信息；连见过平衡数据的条件 GAN 也只"
                "达到 0.785，而过采样达到 0.855。"
            ),
            explanation_en=(
                "A conditional GAN trained on the imbalanced data learned the "
                "rare classes from the same ~120 images and cannot add "
                "information they lack; even the one that saw the balanced "
                "data reached only 0.785, against 0.855 for oversampling."
            ),
        ),
    ],
)

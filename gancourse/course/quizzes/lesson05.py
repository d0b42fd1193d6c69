"""Quiz of lesson 05: evaluation metrics.

第 05 课（评估指标）的测验。
"""

from gancourse.course.quiz import Question
from gancourse.course.quiz import Quiz

QUIZ = Quiz(
    "lesson05",
    [
        Question(
            prompt_zh=(
                "特征是一维的：真实特征服从 $N(0, 1)$，生成特征服从 $N(2, 4)$（"
                "均值 2，方差 4）。这两个高斯之间的 FID 是多少？"
            ),
            prompt_en=(
                "The features are 1-D: real features follow $N(0, 1)$, "
                "generated ones $N(2, 4)$ (mean 2, variance 4). What is the "
                "FID between these two Gaussians?"
            ),
            answer=5,
            tolerance=0.01,
            explanation_zh=(
                "FID = (0 - 2)^2 + (1 + 4 - 2 * sqrt(1 * 4)) = 4 + 1 = 5。均值"
                "差和方差差都会增加 FID。"
            ),
            explanation_en=(
                "FID = (0 - 2)^2 + (1 + 4 - 2 * sqrt(1 * 4)) = 4 + 1 = 5. Both "
                "the mean gap and the variance gap add to FID."
            ),
        ),
        Question(
            prompt_zh=(
                "用两组互不重叠的真实图像计算 FID，样本量 N 较小时会怎样？"
            ),
            prompt_en=(
                "What happens to the FID between two disjoint sets of real "
                "images when the sample size N is small?"
            ),
            choices=[
                ("FID 恰好为 0", "FID is exactly 0"),
                (
                    "FID 偏高，且偏差随 N 变化，所以只能比较同一个 N 下的 FID",
                    "FID is biased upwards and the bias changes with N, so "
                    "only FIDs at the same N compare",
                ),
                ("FID 偏低", "FID is biased downwards"),
                ("FID 与 N 无关", "FID does not depend on N"),
            ],
            answer="b",
            explanation_zh=(
                "N 小时协方差估计噪声大，FID 偏高，偏差随 N 改变；KID 是无偏的"
                "，真实对真实时保持在 0 附近。"
            ),
            explanation_en=(
                "With few samples the covariance estimates are noisy, so FID "
                "is biased upwards and the bias changes with N; KID is "
                "unbiased and stays near 0 for real against real."
            ),
        ),
        Question(
            prompt_zh=(
                "一个“生成器”把同一张真实图像重复了 N 次（极端的模式崩塌）。只"
                "看哪个指标会漏掉这个问题？"
            ),
            prompt_en=(
                'A "generator" repeats one real image N times (extreme mode '
                "collapse). Which metric, looked at alone, misses the problem?"
            ),
            choices=[
                ("召回率", "recall"),
                ("平均两两距离（MPD）", "the mean pairwise distance (MPD)"),
                "FID",
                ("精确率", "precision"),
            ],
            answer="d",
            explanation_zh=(
                "那张图像就在真实数据流形上，所以精确率为 1；召回率和 MPD 都是 "
                "0，FID 也很大，它们都能发现模式崩塌。"
            ),
            explanation_en=(
                "The image lies on the real manifold, so precision is 1; "
                "recall and MPD are 0 and FID is large, so they all reveal the "
                "mode collapse."
            ),
        ),
        Question(
            prompt_zh=(
                "分类器对 N 张生成图像的预测都是独热的，且平均分布在 10 个类别"
                "上。Inception 分数（IS）是多少？"
            ),
            prompt_en=(
                "The classifier's predictions for N generated images are all "
                "one-hot and spread evenly over 10 classes. What is the "
                "Inception Score (IS)?"
            ),
            answer=10,
            tolerance=0.01,
            explanation_zh=(
                "每个 KL(p(y|x) || p(y)) 都等于 log 10，IS = exp(log 10) = 10，"
                "是 10 个类别能达到的最大值；但 IS 看不到类别内部的多样性。"
            ),
            explanation_en=(
                "Each KL(p(y|x) || p(y)) equals log 10, so IS = exp(log 10) = "
                "10, the maximum for 10 classes; IS still cannot see the "
                "diversity within a class."
            ),
        ),
        Question(
            prompt_zh="本课的 FID 为什么不能和论文中发表的 FID 直接比较？",
            prompt_en=(
                "Why can this lesson's FIDs not be compared with the FIDs "
                "published in papers?"
            ),
            choices=[
                (
                    "这里的图像是灰度的，FID 对灰度图像无定义",
                    "the images here are grey, and FID is undefined for grey "
                    "images",
                ),
                ("这里没有用 GPU", "no GPU is used here"),
                (
                    "特征提取器不同：这里用随包的 Fashion-MNIST 分类器，论文"
                    "用 InceptionV3",
                    "the feature extractor differs: the shipped "
                    "Fashion-MNIST classifier here, InceptionV3 in papers",
                ),
                ("论文的 FID 越大越好", "in papers a larger FID is better"),
            ],
            answer="c",
            explanation_zh=(
                "FID 是某个网络特征空间中的 Fréchet 距离；换了特征提取器（或样"
                "本量 N）数值就变了，只能和同一提取器、同一 N 下的数值比较。"
            ),
            explanation_en=(
                "FID is a distance between Gaussians in one network's feature "
                "space; another feature extractor (or sample size N) gives "
                "other numbers, so compare only at the same extractor and N."
            ),
        ),
    ],
)

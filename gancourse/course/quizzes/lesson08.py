"""Quiz of lesson 08: neural style transfer.

第 08 课（神经风格迁移）的测验。
"""

from gancourse.course.quiz import Question
from gancourse.course.quiz import Quiz

QUIZ = Quiz(
    "lesson08",
    [
        Question(
            prompt_zh="Gram 矩阵 $F^\\top F / (H W)$ 丢掉了什么、保留了什么？",
            prompt_en=(
                "What does the Gram matrix $F^\\top F / (H W)$ drop, and what "
                "does it keep?"
            ),
            choices=[
                (
                    "保留每个特征的位置",
                    "it keeps the position of every feature",
                ),
                (
                    "丢掉“在哪里”，保留“哪些特征一起出现”",
                    "it drops where features are and keeps which features "
                    "occur together",
                ),
                ("只保留图像的平均亮度", "it keeps only the mean brightness"),
                ("丢掉颜色，保留形状", "it drops colour and keeps shape"),
            ],
            answer="b",
            explanation_zh=(
                "对所有位置求和之后，空间信息消失，只剩通道之间的相关，也就是纹"
                "理统计量；风格损失比较的正是它。"
            ),
            explanation_en=(
                "Summing over all positions removes the spatial layout and "
                "leaves the correlations between channels, texture statistics, "
                "which the style loss compares."
            ),
        ),
        Question(
            prompt_zh=(
                "一个特征图 $H = W = 2$、$C = 1$，四个值是 1、2、3、4。它的 "
                "Gram 矩阵（$1 \\times 1$）的值是多少？"
            ),
            prompt_en=(
                "A feature map has $H = W = 2$ and $C = 1$, with values 1, 2, "
                "3 and 4. What is its Gram matrix ($1 \\times 1$)?"
            ),
            answer=7.5,
            tolerance=0.001,
            explanation_zh=(
                "只有一个通道，Gram 矩阵就是平方和除以位置数："
                "(1 + 4 + 9 + 16) / 4 = 7.5。"
            ),
            explanation_en=(
                "With one channel the Gram matrix is the sum of squares over "
                "the number of positions: (1 + 4 + 9 + 16) / 4 = 7.5."
            ),
        ),
        Question(
            prompt_zh=(
                "一张 $2 \\times 2$ 的单通道图像，第一行是 0、1，第二行是 2、"
                "3。本课的全变分损失（竖直相邻差平方的均值加水平相邻差平方的均"
                "值）是多少？"
            ),
            prompt_en=(
                "A $2 \\times 2$ one-channel image has rows 0, 1 and 2, 3. "
                "What is the course's total variation loss (the mean squared "
                "vertical difference plus the mean squared horizontal "
                "difference)?"
            ),
            answer=5,
            tolerance=0.001,
            explanation_zh=(
                "竖直差都是 2，平方均值为 4；水平差都是 1，平方均值为 1；合计 "
                "5。"
            ),
            explanation_en=(
                "The vertical differences are both 2 (mean square 4), the "
                "horizontal ones both 1 (mean square 1): 5 in total."
            ),
        ),
        Question(
            prompt_zh="Gatys 的风格迁移在优化过程中改变的是什么？",
            prompt_en=(
                "What does Gatys's style transfer change during the "
                "optimisation?"
            ),
            choices=[
                ("VGG 的权重", "the VGG weights"),
                ("图像和 VGG 的权重", "both the image and the VGG weights"),
                (
                    "图像的像素（VGG 的权重固定不变）",
                    "the image's pixels (the VGG weights stay fixed)",
                ),
                ("一个生成器网络的权重", "the weights of a generator network"),
            ],
            answer="c",
            explanation_zh=(
                "图像是一个 tf.Variable，用 Adam 对它求梯度并更新，每步后截断到"
                " [-1, 1]；前馈风格化网络才是训练网络权重。"
            ),
            explanation_en=(
                "The image is a tf.Variable updated by Adam and clipped to "
                "[-1, 1] after each step; only the feed-forward stylisation "
                "network trains weights."
            ),
        ),
        Question(
            prompt_zh=(
                "内容权重保持为 1，把风格权重 $\\beta$ 调大，结果会怎样？"
            ),
            prompt_en=(
                "With the content weight kept at 1, what happens when the "
                "style weight $\\beta$ grows?"
            ),
            choices=[
                ("图像更像原照片", "the image looks more like the photo"),
                ("两个损失都下降", "both losses fall"),
                ("图像变成一片空白", "the image turns blank"),
                (
                    "图像更像风格图像，风格损失下降，内容损失上升",
                    "the image looks more like the style image: the style "
                    "loss falls and the content loss rises",
                ),
            ],
            answer="d",
            explanation_zh=(
                "总损失是加权和，风格权重越大，优化越偏向匹配 Gram 矩阵，牺牲内"
                "容；本课中风格权重从 0.3 到 300，内容损失随之上升。"
            ),
            explanation_en=(
                "The total loss is a weighted sum: a larger style weight makes "
                "the optimisation match the Gram matrices at the cost of "
                "content; in this lesson the content loss rises as the style "
                "weight goes from 0.3 to 300."
            ),
        ),
    ],
)

"""Quiz of lesson 07: CycleGAN.

第 07 课（CycleGAN）的测验。
"""

from gancourse.course.quiz import Question
from gancourse.course.quiz import Quiz

QUIZ = Quiz(
    "lesson07",
    [
        Question(
            prompt_zh=(
                "CycleGAN 如果只用对抗损失、不用循环一致性损失，可能出什么问题"
                "？"
            ),
            prompt_en=(
                "What can go wrong if CycleGAN uses the adversarial loss "
                "alone, without the cycle-consistency loss?"
            ),
            choices=[
                (
                    "生成器可以把每只运动鞋都变成同一只“好看的”短靴，丢掉输入"
                    "的信息",
                    "the generator may turn every sneaker into the same "
                    "good-looking ankle boot and lose the input's information",
                ),
                ("训练需要成对的数据", "training needs paired data"),
                (
                    "判别器无法输出 logit",
                    "the discriminator cannot output logits",
                ),
                ("输出图像的尺寸会改变", "the output size changes"),
            ],
            answer="a",
            explanation_zh=(
                "对抗损失只要求输出像目标域；循环一致性要求 F(G(x)) 约等于 x，"
                "所以输出必须保留输入的形状、朝向等信息。"
            ),
            explanation_en=(
                "The adversarial loss only asks that outputs look like the "
                "target domain; cycle consistency asks that F(G(x)) is close "
                "to x, so outputs must keep the input's shape and orientation."
            ),
        ),
        Question(
            prompt_zh=(
                "$\\lambda_\\text{cycle} = 10$，$\\lambda_\\text{identity} = "
                "0.5$ 时，恒等损失 $\\mathrm{mean}(|G(y) - y|)$ 前面的总权重是"
                "多少？"
            ),
            prompt_en=(
                "With $\\lambda_\\text{cycle} = 10$ and "
                "$\\lambda_\\text{identity} = 0.5$, what total weight "
                "multiplies the identity loss $\\mathrm{mean}(|G(y) - y|)$?"
            ),
            answer=5,
            tolerance=0.001,
            explanation_zh=(
                "恒等损失的权重相对于循环权重：10 * 0.5 = 5。论文用它保持颜色。"
            ),
            explanation_en=(
                "The identity weight is relative to the cycle weight: 10 * 0.5 "
                "= 5. The paper uses it to preserve colour."
            ),
        ),
        Question(
            prompt_zh=(
                "最小二乘（LSGAN）判别器损失为 $0.5\\,\\mathrm{mean}((D_Y(y) - "
                "1)^2) + 0.5\\,\\mathrm{mean}(D_Y(G(x))^2)$。若 $D_Y$ 对真实图"
                "像都输出 1，对生成图像都输出 $0.5$，损失是多少？"
            ),
            prompt_en=(
                "The least-squares (LSGAN) discriminator loss is "
                "$0.5\\,\\mathrm{mean}((D_Y(y) - 1)^2) + "
                "0.5\\,\\mathrm{mean}(D_Y(G(x))^2)$. If $D_Y$ outputs 1 on "
                "every real image and $0.5$ on every generated one, what is "
                "the loss?"
            ),
            answer=0.125,
            tolerance=0.001,
            explanation_zh=(
                "真实项为 0.5 * (1 - 1)^2 = 0，生成项为 0.5 * 0.5^2 = 0.125。"
            ),
            explanation_en=(
                "The real term is 0.5 * (1 - 1)^2 = 0 and the fake term 0.5 * "
                "0.5^2 = 0.125."
            ),
        ),
        Question(
            prompt_zh=(
                "本课先训练 2 轮，假装会话中断；再新建四个网络（随机权重），用"
                "同一个 `BackupAndRestore` 备份文件夹调用 `fit(epochs=6)`。这"
                "个新会话实际训练了几轮？"
            ),
            prompt_en=(
                "This lesson trains 2 epochs and pretends the session dies; "
                "then it builds four new networks (random weights) and calls "
                "`fit(epochs=6)` with the same `BackupAndRestore` folder. How "
                "many epochs does this new session actually train?"
            ),
            answer=4,
            explanation_zh=(
                "BackupAndRestore 先恢复权重、优化器状态和 epoch 编号，再从"
                "第 3 轮接着训练到第 6 轮，共 4 轮；新网络的随机权重被备份"
                "覆盖。"
            ),
            explanation_en=(
                "BackupAndRestore first restores the weights, the optimizer "
                "states and the epoch number, then trains on from epoch 3 to "
                "epoch 6: 4 epochs. The new networks' random weights are "
                "replaced by the backup."
            ),
        ),
        Question(
            prompt_zh="CycleGAN 的生成器用实例归一化。它对什么做归一化？",
            prompt_en=(
                "CycleGAN's generators use instance normalisation. What does "
                "it normalise over?"
            ),
            choices=[
                ("整个批次的每个通道", "each channel over the whole batch"),
                ("每张图像的所有通道一起", "all channels of an image together"),
                ("网络的权重", "the network's weights"),
                (
                    "每张图像的每个通道单独归一化",
                    "each image and each channel on its own",
                ),
            ],
            answer="d",
            explanation_zh=(
                "实例归一化按单张图像、单个通道的空间统计量归一化，不依赖批次；"
                "风格化和图像转换常用它去掉每张图的对比度差异。"
            ),
            explanation_en=(
                "Instance normalisation uses the spatial statistics of one "
                "image and one channel, independent of the batch; stylisation "
                "and translation use it to remove per-image contrast."
            ),
        ),
    ],
)

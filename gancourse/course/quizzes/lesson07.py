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
                "历史图像池已满（`pool_size = 50`）。一张新图像抽到的随机数是 "
                "$p = 0.3$、$r = 0.42$。返回的是池中哪个下标的旧图像？"
            ),
            prompt_en=(
                "The image history pool is full (`pool_size = 50`). A new "
                "image draws $p = 0.3$ and $r = 0.42$. Which index of the pool "
                "does the returned old image have?"
            ),
            answer=21,
            explanation_zh=(
                "p < 0.5，所以返回下标 int(0.42 * 50) = 21 的旧图像，新图像存入"
                "该位置。用旧的生成图像训练判别器可以减少振荡。"
            ),
            explanation_en=(
                "p < 0.5, so the old image at index int(0.42 * 50) = 21 is "
                "returned and the new one takes its place. Training D on older "
                "fakes too reduces oscillation."
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

"""Quiz of lesson 06: image-to-image translation (pix2pix).

第 06 课（图像到图像的转换，pix2pix）的测验。
"""

from gancourse.course.quiz import Question
from gancourse.course.quiz import Quiz

QUIZ = Quiz(
    "lesson06",
    [
        Question(
            prompt_zh=(
                "一个判别器从输入到输出依次是三个 4x4 卷积，步长分别为 2、2、"
                "1。一个输出 logit 的感受野边长是多少像素？"
            ),
            prompt_en=(
                "A discriminator has three 4x4 convolutions, with strides 2, 2 "
                "and 1 from input to output. How many pixels wide is the "
                "receptive field of one output logit?"
            ),
            answer=22,
            explanation_zh=(
                "从输出往回走，r = 1，每层 r <- (r - 1) * s + k：步长 1 的层得 "
                "4，再经步长 2 得 10，最后得 22。"
            ),
            explanation_en=(
                "Walk back from the output with r = 1 and r <- (r - 1) * s + k "
                "per layer: the stride-1 layer gives 4, a stride-2 layer 10, "
                "the first layer 22."
            ),
        ),
        Question(
            prompt_zh="只用 L1 损失训练的图像修复网络为什么会输出模糊的结果？",
            prompt_en=(
                "Why does an inpainting network trained with the L1 loss alone "
                "give blurry output?"
            ),
            choices=[
                (
                    "不确定时，它输出所有合理答案的中位数",
                    "where it is unsure, it outputs the median of all "
                    "plausible answers",
                ),
                (
                    "L1 损失在数值上不稳定",
                    "the L1 loss is numerically unstable",
                ),
                (
                    "L1 损失只作用于图像边缘",
                    "the L1 loss only acts on the image border",
                ),
                (
                    "L1 损失让判别器太强",
                    "the L1 loss makes the discriminator too strong",
                ),
            ],
            answer="a",
            explanation_zh=(
                "最小化平均绝对误差的最优输出是条件中位数，多种可能纹理的折中就"
                "是模糊的；对抗损失惩罚看起来不真实的块，把输出推向更清晰的纹理"
                "。"
            ),
            explanation_en=(
                "The output minimising the mean absolute error is the "
                "conditional median, a blurry compromise of the possible "
                "textures; the adversarial loss penalises patches that do not "
                "look real and pushes towards sharper texture."
            ),
        ),
        Question(
            prompt_zh=(
                "$\\text{PSNR} = 10 \\log_{10}(\\text{max\\_val}^2 / "
                "\\text{MSE})$。图像取值在 $[-1, 1]$（`max_val = 2`），两张"
                "图像的均方误差为 $0.04$。PSNR 是多少分贝？"
            ),
            prompt_en=(
                "$\\text{PSNR} = 10 \\log_{10}(\\text{max\\_val}^2 / "
                "\\text{MSE})$. Images lie in $[-1, 1]$ (`max_val = 2`) and "
                "two images have mean squared error $0.04$. What is their PSNR "
                "in dB?"
            ),
            answer=20,
            tolerance=0.01,
            explanation_zh=(
                "峰值信噪比 PSNR = 10 log10(max_val^2 / MSE) = "
                "10 log10(4 / 0.04) = 20 dB；均方误差每缩小 10 倍，PSNR 增加 "
                "10 dB。"
            ),
            explanation_en=(
                "PSNR = 10 log10(max_val^2 / MSE) = 10 log10(4 / 0.04) = "
                "20 dB; every 10x smaller mean squared error adds 10 dB."
            ),
        ),
        Question(
            prompt_zh="在图像修复中，U-Net 的跳跃连接起什么作用？",
            prompt_en="What do the U-Net's skip connections do in inpainting?",
            choices=[
                ("给输出加上随机噪声", "they add random noise to the output"),
                (
                    "把洞外已知的细节直接送到输出，瓶颈层只需编码洞里该有什么",
                    "they carry the known detail outside the hole straight "
                    "to the output, so the bottleneck only encodes what "
                    "belongs in the hole",
                ),
                (
                    "让判别器看到整张图像",
                    "they let the discriminator see the whole image",
                ),
                ("替代对抗损失", "they replace the adversarial loss"),
            ],
            answer="b",
            explanation_zh=(
                "跳跃连接把编码器同一尺度的特征拼接到解码器，洞外的像素几乎原样"
                "通过，网络的容量留给补全缺失的区域。"
            ),
            explanation_en=(
                "Skips concatenate the encoder features of the same scale to "
                "the decoder, so pixels outside the hole pass almost unchanged "
                "and the capacity goes to filling the missing region."
            ),
        ),
        Question(
            prompt_zh=(
                "本课中 pix2pix 的 PSNR 和 SSIM 都不如只用 L1 的模型，却补出了"
                "更像布料的纹理。这种现象叫什么？"
            ),
            prompt_en=(
                "In this lesson pix2pix scores below the L1-only model on PSNR "
                "and SSIM, yet fills in texture that looks more like fabric. "
                "What is this called?"
            ),
            choices=[
                ("模式崩塌", "mode collapse"),
                ("梯度消失", "a vanishing gradient"),
                ("感知与失真的权衡", "the perception-distortion trade-off"),
                ("过拟合", "overfitting"),
            ],
            answer="c",
            explanation_zh=(
                "逐像素指标奖励平均答案，真实感奖励像样的纹理，两者不能同时达到"
                "最好；所以要同时看逐像素指标、真实感度量和图像本身。"
            ),
            explanation_en=(
                "Per-pixel metrics reward the average answer and realism "
                "rewards plausible texture, and both cannot be best at once; "
                "judge results by per-pixel metrics, a realism measure and the "
                "pictures."
            ),
        ),
    ],
)

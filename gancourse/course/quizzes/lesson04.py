"""Quiz of lesson 04: training stability.

第 04 课（训练稳定性）的测验。
"""

from gancourse.course.quiz import Question
from gancourse.course.quiz import Quiz

QUIZ = Quiz(
    "lesson04",
    [
        Question(
            prompt_zh=(
                "真实分布与生成分布的支撑集完全不相交时，JS 散度等于多少？用自"
                "然对数，保留两位小数。"
            ),
            prompt_en=(
                "When the real and the generated distributions have disjoint "
                "supports, what is their JS divergence? Natural log, two "
                "decimals."
            ),
            answer=0.693,
            tolerance=0.01,
            explanation_zh=(
                "不相交时 JS 散度恒为 log 2，约 0.69，与两个分布相距多远无关，"
                "所以它给不出该往哪个方向移动的梯度；Wasserstein 距离则随距离平"
                "滑变化。"
            ),
            explanation_en=(
                "For disjoint supports the JS divergence is the constant log "
                "2, about 0.69, however far apart the distributions are, so it "
                "gives no direction to move; the Wasserstein distance changes "
                "smoothly with the distance."
            ),
        ),
        Question(
            prompt_zh=(
                "WGAN-GP 的梯度惩罚为什么把评论家在插值点上的梯度范数拉向 1？"
            ),
            prompt_en=(
                "Why does the WGAN-GP gradient penalty pull the critic's "
                "gradient norm at the interpolates towards 1?"
            ),
            choices=[
                ("为了让损失保持为正", "to keep the loss positive"),
                (
                    "因为 logit 在 $[-1, 1]$ 之内",
                    "because logits lie in $[-1, 1]$",
                ),
                (
                    "最优的 1-利普希茨评论家在每对耦合的真假样本之间的连线上"
                    "梯度范数恰好为 1",
                    "the optimal 1-Lipschitz critic has gradient norm "
                    "exactly 1 on the line between every coupled real and "
                    "fake pair",
                ),
                (
                    "为了让生成器出现梯度消失",
                    "to give the generator a vanishing gradient",
                ),
            ],
            answer="c",
            explanation_zh=(
                "对偶形式要求评论家是 1-利普希茨的，最优评论家在最优传输耦合的"
                "连线上梯度范数为 1。随机配对的插值只是近似，所以惩罚也是近似的"
                "约束。"
            ),
            explanation_en=(
                "The dual form needs a 1-Lipschitz critic, and the optimal one "
                "has gradient norm 1 on the lines of the optimal transport "
                "plan. Random pairs only approximate those lines, so the "
                "penalty is an approximate constraint."
            ),
        ),
        Question(
            prompt_zh=(
                "一个判别器由三个全连接层组成，权重的最大奇异值分别为 2、3 和 "
                "$0.5$，层间是 LeakyReLU（斜率不超过 1）。它的利普希茨常数的上"
                "界是多少？"
            ),
            prompt_en=(
                "A discriminator has three dense layers whose weights have "
                "largest singular values 2, 3 and $0.5$, with LeakyReLU (slope "
                "at most 1) in between. What upper bound does its Lipschitz "
                "constant have?"
            ),
            answer=3,
            explanation_zh=(
                "网络的利普希茨常数不超过各层常数之积：2 * 3 * 0.5 = 3，"
                "LeakyReLU 为 1。谱归一化把每层除以其最大奇异值，使这个乘积不超"
                "过 1。"
            ),
            explanation_en=(
                "A network's Lipschitz constant is at most the product of its "
                "layers' constants: 2 * 3 * 0.5 = 3, LeakyReLU has 1. Spectral "
                "normalisation divides each layer by its largest singular "
                "value, so the product is at most 1."
            ),
        ),
        Question(
            prompt_zh=(
                "单侧标签平滑为什么只平滑真实样本的目标，而不给生成样本一个正的"
                "目标？"
            ),
            prompt_en=(
                "Why does one-sided label smoothing soften only the real "
                "targets, and not give fakes a positive target?"
            ),
            choices=[
                (
                    "平滑生成样本的目标会让训练变慢",
                    "smoothing the fake targets slows training down",
                ),
                (
                    "Keras 不支持平滑生成样本的目标",
                    "Keras cannot smooth the fake targets",
                ),
                (
                    "两边都平滑效果完全相同",
                    "smoothing both sides works exactly the same",
                ),
                (
                    "生成样本的目标为正时，在 $p_\\text{data} = 0$ 而 $p_g > "
                    "0$ 的地方最优判别器也为正，等于奖励生成器停在那里",
                    "a positive target for fakes makes the optimal "
                    "discriminator positive where $p_\\text{data} = 0$ but "
                    "$p_g > 0$, rewarding the generator for staying there",
                ),
            ],
            answer="d",
            explanation_zh=(
                "最优判别器变成 (p_data * (1 - s) + p_g * t) / (p_data + p_g)；"
                "若 t > 0，在只有生成样本的地方它不为 0，生成器没有理由离开那里"
                "。"
            ),
            explanation_en=(
                "The optimal discriminator becomes (p_data * (1 - s) + p_g * "
                "t) / (p_data + p_g); with t > 0 it is not 0 where only fakes "
                "lie, so the generator has no reason to leave."
            ),
        ),
        Question(
            prompt_zh=(
                "在二维圆环上，每个生成器步只更新一次评论家（$n_\\text{critic} "
                "= 1$）的 WGAN-GP 完全失败。最可能的原因是什么？"
            ),
            prompt_en=(
                "On the 2-D ring, WGAN-GP with one critic update per generator "
                "step ($n_\\text{critic} = 1$) failed completely. What is the "
                "most likely reason?"
            ),
            choices=[
                (
                    "评论家远未达到最优，它给出的 Wasserstein 距离估计没有意"
                    "义，把生成器推向错误的方向",
                    "the critic is far from optimal, so its Wasserstein "
                    "distance estimate means nothing and pushes the "
                    "generator the wrong way",
                ),
                ("梯度惩罚被关掉了", "the gradient penalty was switched off"),
                ("学习率太小", "the learning rate was too small"),
                ("评论家输出的是概率", "the critic outputs a probability"),
            ],
            answer="a",
            explanation_zh=(
                "WGAN 的生成器梯度只有在评论家接近最优时才近似 Wasserstein 距离"
                "的梯度，所以通常每个生成器步更新评论家 5 次（或者用 TTUR 给它"
                "更大的学习率）。"
            ),
            explanation_en=(
                "The generator's gradient approximates that of the Wasserstein "
                "distance only when the critic is near optimal, hence 5 critic "
                "updates per generator step (or TTUR's larger critic learning "
                "rate)."
            ),
        ),
    ],
)

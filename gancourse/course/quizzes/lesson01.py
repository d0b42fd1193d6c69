"""Quiz of lesson 01: GAN basics.

第 01 课（生成对抗网络基础）的测验。
"""

from gancourse.course.quiz import Question
from gancourse.course.quiz import Quiz

QUIZ = Quiz(
    "lesson01",
    [
        Question(
            prompt_zh=(
                "固定生成器时，在某一点 $x$ 上 $p_\\text{data}(x) = 0.3$，"
                "$p_g(x) = 0.1$。最优判别器给出的概率 $\\sigma(D^*(x))$ 是多少"
                "？"
            ),
            prompt_en=(
                "With the generator fixed, at a point $x$ we have "
                "$p_\\text{data}(x) = 0.3$ and $p_g(x) = 0.1$. What "
                "probability $\\sigma(D^*(x))$ does the optimal discriminator "
                "give?"
            ),
            answer=0.75,
            tolerance=0.005,
            explanation_zh=(
                "最优判别器是 D*(x) = p_data / (p_data + p_g) = 0.3 / 0.4 = "
                "0.75：它只比较两个密度在该点的相对大小。"
            ),
            explanation_en=(
                "The optimal discriminator is p_data / (p_data + p_g) = 0.3 / "
                "0.4 = 0.75: it only compares the two densities at x."
            ),
        ),
        Question(
            prompt_zh=(
                "当 $p_g = p_\\text{data}$ 时（全局最优），$V(D^*, G)$ 的值是多"
                "少？用自然对数，保留两位小数。"
            ),
            prompt_en=(
                "At the global optimum $p_g = p_\\text{data}$, what is $V(D^*, "
                "G)$? Use the natural log, two decimals."
            ),
            answer=-1.386,
            tolerance=0.01,
            explanation_zh=(
                "V(D*, G) = 2 JS(p_data || p_g) - log 4。分布相同时 JS 散度为 "
                "0，所以 V = -log 4，约 -1.39；此时 D* 处处等于 1/2。"
            ),
            explanation_en=(
                "V(D*, G) = 2 JS(p_data || p_g) - log 4. Equal distributions "
                "have JS divergence 0, so V = -log 4, about -1.39; there D* is "
                "1/2 everywhere."
            ),
        ),
        Question(
            prompt_zh=(
                "训练初期判别器很容易识破假样本，$\\sigma(D(G(z))) \\approx "
                "0$。哪一种生成器损失此时对 logit 的梯度仍然很大？"
            ),
            prompt_en=(
                "Early in training the discriminator rejects fakes easily, "
                "$\\sigma(D(G(z))) \\approx 0$. Which generator loss still has "
                "a large gradient with respect to the logit?"
            ),
            choices=[
                (
                    "原始的极小极大损失 $\\log(1 - \\sigma(D(G(z))))$",
                    "the original minimax loss $\\log(1 - \\sigma(D(G(z))))$",
                ),
                (
                    "非饱和损失 $-\\log \\sigma(D(G(z)))$",
                    "the non-saturating loss $-\\log \\sigma(D(G(z)))$",
                ),
                ("两者一样大", "both, equally"),
                ("两者都接近 0", "neither: both are close to 0"),
            ],
            answer="b",
            explanation_zh=(
                "原始损失对 logit 的梯度是 -sigmoid(D)，约为 0，出现梯度消失；"
                "非饱和损失的梯度是 -(1 - sigmoid(D))，约为 -1，恰好在此时最大"
                "。"
            ),
            explanation_en=(
                "The original loss has gradient -sigmoid(D), about 0: a "
                "vanishing gradient. The non-saturating loss has gradient -(1 "
                "- sigmoid(D)), about -1, largest exactly then."
            ),
        ),
        Question(
            prompt_zh=(
                "判别器保持最优时，非饱和损失的梯度等于 $\\mathrm{KL}(p_g \\| "
                "p_\\text{data}) - 2\\,\\mathrm{JS}$ 的梯度。其中的反向 KL 为什"
                "么会促成模式崩塌？"
            ),
            prompt_en=(
                "With the discriminator kept optimal, the gradient of the "
                "non-saturating loss equals that of $\\mathrm{KL}(p_g \\| "
                "p_\\text{data}) - 2\\,\\mathrm{JS}$. Why does its reverse KL "
                "favour mode collapse?"
            ),
            choices=[
                (
                    "它重罚漏掉的模式，却不罚不真实的样本",
                    "it punishes missing modes hard, but not unrealistic "
                    "samples",
                ),
                (
                    "它是对称的，两种错误罚得一样重",
                    "it is symmetric and punishes both mistakes equally",
                ),
                ("它只和学习率有关", "it depends only on the learning rate"),
                (
                    "它重罚生成了数据里不存在的样本，却几乎不罚漏掉一个模式",
                    "it punishes samples where the data has none hard, but "
                    "hardly punishes a missing mode",
                ),
            ],
            answer="d",
            explanation_zh=(
                "KL(p_g || p_data) 在 p_g > 0 而 p_data 约为 0 的地方很大，而在"
                " p_data > 0、p_g = 0 的地方（漏掉的模式）几乎为 0，所以生成器"
                "宁可只覆盖少数几个模式。"
            ),
            explanation_en=(
                "KL(p_g || p_data) is large where p_g > 0 but p_data is about "
                "0, and near 0 where p_data > 0 but p_g = 0 (a missing mode), "
                "so the generator may as well cover only a few modes."
            ),
        ),
        Question(
            prompt_zh=(
                "一个旧的 Keras 2 教程先编译判别器，再设 "
                "`discriminator.trainable = False`，把生成器和判别器串成组合模"
                "型并编译，然后交替调用两个 `train_on_batch`。在 Keras 3 中会怎"
                "样？"
            ),
            prompt_en=(
                "An old Keras 2 tutorial compiles the discriminator, sets "
                "`discriminator.trainable = False`, stacks the generator and "
                "the discriminator into a combined model and compiles it, then "
                "alternates the two `train_on_batch` calls. What happens in "
                "Keras 3?"
            ),
            choices=[
                ("和 Keras 2 一样正常训练", "it trains as it did in Keras 2"),
                ("生成器从不更新", "the generator is never updated"),
                ("判别器从不更新", "the discriminator is never updated"),
                ("`compile` 报错", "`compile` raises an error"),
            ],
            answer="c",
            explanation_zh=(
                "Keras 3 编译时不记录 trainable，它是实时属性，训练函数第一次运"
                "行时才收集可训练变量；判别器此时已被冻结，于是从不更新，只有一"
                "条容易忽略的警告。正确做法是每个梯度带只对一个网络求梯度并更新"
                "它。"
            ),
            explanation_en=(
                "Keras 3 records nothing at compile time: trainable is a live "
                "attribute, read when the training function first runs, and by "
                "then D is frozen, so it never learns (only a warning). Take "
                "each tape's gradients for one network only instead."
            ),
        ),
    ],
)

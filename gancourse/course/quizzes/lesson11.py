"""Quiz of lesson 11: diffusion models and GANs, real and generated images.

第 11 课（同等算力下的扩散模型与 GAN，以及区分真实与生成图像）的测验。
"""

from gancourse.course.quiz import Question
from gancourse.course.quiz import Quiz

QUIZ = Quiz(
    "lesson11",
    [
        Question(
            prompt_zh=(
                "扩散模型的前向过程一步到位：$x_t = \\sqrt{\\bar\\alpha_t}\\, "
                "x_0 + \\sqrt{1 - \\bar\\alpha_t}\\, \\epsilon$，其中 "
                "$\\epsilon$ 是标准正态噪声。某个时间步 $t$ 上 $\\bar\\alpha_t "
                "= 0.64$，像素值 $x_0 = 0.5$ 固定。$x_t$ 的标准差是多少？"
            ),
            prompt_en=(
                "The forward process of a diffusion model in one jump is $x_t "
                "= \\sqrt{\\bar\\alpha_t}\\, x_0 + \\sqrt{1 - "
                "\\bar\\alpha_t}\\, \\epsilon$ with $\\epsilon$ standard "
                "normal noise. At time step $t$, $\\bar\\alpha_t = 0.64$ and "
                "the pixel value $x_0 = 0.5$ is fixed. What is the standard "
                "deviation of $x_t$?"
            ),
            answer=0.6,
            tolerance=0.001,
            explanation_zh=(
                "x_0 固定，随机性只来自噪声项，标准差是 sqrt(1 - 0.64) = 0.6；"
                "0.36 是方差，0.4 是均值 sqrt(0.64) * 0.5。"
            ),
            explanation_en=(
                "With x_0 fixed, only the noise term is random: the standard "
                "deviation is sqrt(1 - 0.64) = 0.6. 0.36 is the variance and "
                "0.4 is the mean, sqrt(0.64) * 0.5."
            ),
        ),
        Question(
            prompt_zh=(
                "用祖先采样（DDPM）生成一张图像要调用 $T$ 次去噪网络，GAN 的生"
                "成器只要调用一次。为什么？"
            ),
            prompt_en=(
                "Ancestral (DDPM) sampling calls the denoising network $T$ "
                "times per image, while a GAN's generator is called once. Why?"
            ),
            choices=[
                (
                    "噪声表每调用一次就会改变，网络必须重新运行来适应它",
                    "the noise schedule changes after every call, so the "
                    "network must run again to follow it",
                ),
                (
                    "去噪网络太小，无法一次把噪声映射成图像，重复 $T$ 次是为了"
                    "增加容量",
                    "the denoising network is too small to map noise to an "
                    "image at once, so it runs $T$ times to add capacity",
                ),
                (
                    "网络被训练成在给定时间步上去掉一小步噪声，采样只能从 "
                    "$x_T$ 一步步走回 $x_0$；生成器被训练成一次就把 $z$ 映射成"
                    "图像",
                    "the network is trained to undo one small noising step at "
                    "a given time step, so sampling walks from $x_T$ back to "
                    "$x_0$ step by step; the generator is trained to map $z$ "
                    "to an image in one pass",
                ),
                (
                    "GAN 的生成器在训练中已经把 $T$ 步去噪蒸馏成了一步",
                    "the GAN's generator distilled the $T$ denoising steps "
                    "into one during training",
                ),
            ],
            answer="c",
            explanation_zh=(
                "训练目标只是某一个时间步上的噪声预测（均方误差），每一步只去掉"
                "很少的噪声，所以采样要沿着整条链走；GAN 的对抗训练直接要求 "
                "G(z) 本身像真实图像。同等算力下，这就是采样速度的差别。"
            ),
            explanation_en=(
                "The training target is the noise at one time step (a mean "
                "squared error) and each step removes only a little noise, so "
                "sampling must walk the whole chain; adversarial training asks "
                "G(z) itself to look real. At equal compute this is the gap in "
                "sampling speed."
            ),
        ),
        Question(
            prompt_zh="DDIM 与 DDPM 的祖先采样相比，改变了什么？",
            prompt_en=(
                "What does DDIM change compared with DDPM's ancestral sampling?"
            ),
            choices=[
                (
                    "只改采样：每一步是确定性的（eta = 0，不加新噪声），用同一"
                    "个训练好的网络就能跳过时间步，调用次数远少于 $T$",
                    "only the sampler: each step is deterministic (eta = 0, "
                    "no fresh noise), so the same trained network can skip "
                    "time steps and use far fewer than $T$ calls",
                ),
                (
                    "用新的损失重新训练网络，让它一步预测出 $x_0$",
                    "it retrains the network with a new loss that predicts "
                    "$x_0$ in one step",
                ),
                (
                    "把前向过程的噪声表缩短为更少的时间步，再重新训练网络",
                    "it shortens the noise schedule of the forward process to "
                    "fewer time steps and retrains the network",
                ),
                (
                    "每一步加入更多新的随机噪声，让每一步走得更远",
                    "it adds more fresh random noise at every step so that "
                    "each step goes further",
                ),
            ],
            answer="a",
            explanation_zh=(
                "DDIM 复用同一个噪声预测网络：先由 x_t 和预测的噪声估计 x_0，再"
                "把这个估计加噪到目标时间步的水平，中间不引入新的随机性；因此可"
                "以隔很多步跳，质量随步数缓慢下降。"
            ),
            explanation_en=(
                "DDIM reuses the same noise-prediction network: it estimates "
                "x_0 from x_t and the predicted noise, then noises that "
                "estimate to the level of the target step, with no fresh "
                "randomness; so it can jump many steps at once, and quality "
                "degrades slowly as the steps shrink."
            ),
        ),
        Question(
            prompt_zh=(
                "在生成图像的径向平均功率频谱上，用步长为 2 的转置卷积上采样的 "
                "GAN 常在高频处出现周期性的尖峰。原因是什么？"
            ),
            prompt_en=(
                "In the radially averaged power spectrum of generated images, "
                "a GAN that upsamples with stride-2 transposed convolutions "
                "often shows periodic peaks at high frequencies. Why?"
            ),
            choices=[
                (
                    "训练数据经过 JPEG 压缩，生成器照搬了压缩块",
                    "the training data were JPEG compressed and the generator "
                    "copies the blocks",
                ),
                (
                    "潜在向量服从高斯分布，它的噪声直接传到了像素上",
                    "the latent vector is Gaussian and its noise passes "
                    "straight to the pixels",
                ),
                (
                    "判别器的谱归一化压低了高频，生成器于是在高频处补偿",
                    "the discriminator's spectral normalisation damps high "
                    "frequencies, and the generator compensates there",
                ),
                (
                    "步长为 2 的转置卷积在像素之间插零且核的重叠不均匀，留下每"
                    " 2 个像素重复一次的图案：能量集中在固定的高频上",
                    "stride-2 transposed convolutions insert zeros between "
                    "pixels and their kernels overlap unevenly, leaving a "
                    "pattern that repeats every 2 pixels: energy at fixed "
                    "high frequencies",
                ),
            ],
            answer="d",
            explanation_zh=(
                "周期为 2 像素的图案对应频率 0.5 周期/像素（奈奎斯特频率），多"
                "层上采样还会在 0.25 等处留下峰；真实照片的频谱大致随频率平滑下"
                "降，没有这样的尖峰。"
            ),
            explanation_en=(
                "A pattern with a period of 2 pixels sits at 0.5 cycles per "
                "pixel (the Nyquist frequency), and several upsampling layers "
                "add peaks at 0.25 and so on; real photos have spectra that "
                "fall smoothly with frequency, without such peaks."
            ),
        ),
        Question(
            prompt_zh=(
                "一个检测器只用生成器 A 的假图像训练，区分真假的准确率很高；换"
                "成另一个生成器 B（例如一个扩散模型）的图像，准确率可能掉到接近"
                "随机猜测。最主要的原因是什么？"
            ),
            prompt_en=(
                "A detector trained only on fakes from generator A tells real "
                "from fake very accurately; on images from another generator B "
                "(a diffusion model, say) its accuracy can drop to near "
                "chance. What is the main reason?"
            ),
            choices=[
                (
                    "B 的图像质量更高，而能否被检测只取决于质量",
                    "B's images are of higher quality, and quality alone "
                    "decides whether a fake can be detected",
                ),
                (
                    "检测器学到的是 A 特有的痕迹（例如它的上采样在频谱中留下的"
                    "尖峰），而不是“假”的一般特征；B 留下的痕迹不同",
                    "the detector learned traces specific to A (such as the "
                    "spectrum peaks of its upsampling), not a general sign of "
                    "fakes; B leaves different traces",
                ),
                (
                    "检测器只在 A 的分辨率上训练过，B 的图像尺寸不同",
                    "the detector was trained at A's resolution and B's "
                    "images have another size",
                ),
                (
                    "检测器只能认出训练时见过的那几张假图像",
                    "a detector can only recognise the exact fake images it "
                    "was trained on",
                ),
            ],
            answer="b",
            explanation_zh=(
                "分类器会抓住最容易的线索。A 的转置卷积峰就是这样的捷径；没有转"
                "置卷积的生成器不带这个线索。用多种生成器的图像训练、加入模糊与"
                "压缩等数据增强，可以让检测器泛化得好一些，但无法保证。"
            ),
            explanation_en=(
                "A classifier latches onto the easiest cue. A's "
                "transposed-convolution peaks are such a shortcut, and a "
                "generator without transposed convolutions does not carry it. "
                "Training on fakes from many generators, with augmentation "
                "such as blur and compression, helps the detector generalise, "
                "but with no guarantee."
            ),
        ),
    ],
)

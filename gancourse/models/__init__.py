"""Model factories: every ``make_*`` returns a new functional ``keras.Model``.

模型工厂：每个 ``make_*`` 函数都返回一个新的函数式 ``keras.Model``。

Conventions: images are NHWC float32 in [-1, 1], so generators end in
``tanh``; discriminators return one **logit** per image (no sigmoid).
One module per architecture: ``dcgan`` (and the MLPs of lesson 01),
``conditional``, ``encoder`` (BiGAN), ``diffusion`` (DDPM),
``unet``, ``patchgan``, ``resnet``,
``stylegan``, ``vgg``, ``transformer``; ``blocks`` holds what they share.
"""

from gancourse.models.blocks import check_image_shape
from gancourse.models.blocks import dcgan_downsampling
from gancourse.models.blocks import dcgan_upsampling
from gancourse.models.conditional import make_conditional_discriminator
from gancourse.models.conditional import make_conditional_generator
from gancourse.models.dcgan import make_dcgan_discriminator
from gancourse.models.dcgan import make_dcgan_generator
from gancourse.models.dcgan import make_mlp_discriminator
from gancourse.models.dcgan import make_mlp_generator
from gancourse.models.diffusion import TimeEmbedding
from gancourse.models.diffusion import make_diffusion_unet
from gancourse.models.encoder import make_bigan_discriminator
from gancourse.models.encoder import make_encoder
from gancourse.models.patchgan import make_patchgan_discriminator
from gancourse.models.patchgan import patchgan_receptive_field
from gancourse.models.resnet import make_resnet_generator
from gancourse.models.stylegan import make_mapping_network
from gancourse.models.transformer import make_transformer_network
from gancourse.models.unet import make_unet_generator
from gancourse.models.vgg import DEFAULT_CONTENT_LAYERS
from gancourse.models.vgg import DEFAULT_STYLE_LAYERS
from gancourse.models.vgg import VGG19_LAYERS
from gancourse.models.vgg import make_vgg_feature_extractor
from gancourse.models.vgg import vgg19_preprocess

__all__ = [
    "DEFAULT_CONTENT_LAYERS",
    "DEFAULT_STYLE_LAYERS",
    "TimeEmbedding",
    "VGG19_LAYERS",
    "check_image_shape",
    "dcgan_downsampling",
    "dcgan_upsampling",
    "make_bigan_discriminator",
    "make_conditional_discriminator",
    "make_conditional_generator",
    "make_dcgan_discriminator",
    "make_dcgan_generator",
    "make_diffusion_unet",
    "make_encoder",
    "make_mapping_network",
    "make_mlp_discriminator",
    "make_mlp_generator",
    "make_patchgan_discriminator",
    "make_resnet_generator",
    "make_transformer_network",
    "make_unet_generator",
    "make_vgg_feature_extractor",
    "patchgan_receptive_field",
    "vgg19_preprocess",
]

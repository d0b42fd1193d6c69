"""Old import path of the exercise checkers: use ``gancourse.course.exercises``.

练习检查器的旧导入路径：请改用 ``gancourse.course.exercises``。

Kept so that ``from gancourse import exercises`` (the lessons' check cells)
keeps working; every ``check_*`` here is the very object defined in
``gancourse.course.exercises``.
"""

from gancourse.course.exercises import check_conv_transpose_output_size
from gancourse.course.exercises import check_cycle_consistency_loss
from gancourse.course.exercises import check_frechet_distance
from gancourse.course.exercises import check_generator_input
from gancourse.course.exercises import check_gradient_penalty
from gancourse.course.exercises import check_gram_matrix
from gancourse.course.exercises import check_hinge_d_loss
from gancourse.course.exercises import check_identity_loss
from gancourse.course.exercises import check_image_pool_query
from gancourse.course.exercises import check_inception_score
from gancourse.course.exercises import check_kid
from gancourse.course.exercises import check_minimax_d_loss
from gancourse.course.exercises import check_non_saturating_g_loss
from gancourse.course.exercises import check_one_hot
from gancourse.course.exercises import check_pix2pix_g_loss
from gancourse.course.exercises import check_projection_logits
from gancourse.course.exercises import check_psnr
from gancourse.course.exercises import check_random_box_mask
from gancourse.course.exercises import check_ring_mode_coverage
from gancourse.course.exercises import check_slerp
from gancourse.course.exercises import check_spectral_norm
from gancourse.course.exercises import check_style_loss
from gancourse.course.exercises import check_total_variation_loss
from gancourse.course.exercises import check_upsample_block

__all__ = [
    "check_minimax_d_loss",
    "check_non_saturating_g_loss",
    "check_ring_mode_coverage",
    "check_conv_transpose_output_size",
    "check_upsample_block",
    "check_slerp",
    "check_one_hot",
    "check_generator_input",
    "check_projection_logits",
    "check_hinge_d_loss",
    "check_gradient_penalty",
    "check_spectral_norm",
    "check_inception_score",
    "check_frechet_distance",
    "check_kid",
    "check_psnr",
    "check_random_box_mask",
    "check_pix2pix_g_loss",
    "check_cycle_consistency_loss",
    "check_identity_loss",
    "check_image_pool_query",
    "check_gram_matrix",
    "check_total_variation_loss",
    "check_style_loss",
]

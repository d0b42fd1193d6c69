"""Auto-checkers for the graded exercises at the end of every lesson.

课程末尾分级练习的自动检查器。

Each ``check_*`` function runs a student's function on fixed reference cases
(NumPy references, shapes, edge cases), prints one ASCII line,
``PASS: ...`` or ``FAIL: ... Hint: ...``, and returns ``True`` or ``False``.
A failing check never raises, so a notebook keeps running; passing something
that is not callable raises ``ValueError``. The output is deterministic (no
timings, no random numbers), so nbval can compare it.

One module per lesson holds its checkers (``lesson01`` ... ``lesson08``);
``harness`` holds the shared machinery. This package re-exports them all.

    from gancourse.course import exercises
    exercises.check_minimax_d_loss(minimax_d_loss)
    # prints: PASS: minimax_d_loss matches the reference on 4 cases.
"""

from gancourse.course.exercises.lesson01 import check_minimax_d_loss
from gancourse.course.exercises.lesson01 import check_non_saturating_g_loss
from gancourse.course.exercises.lesson01 import check_ring_mode_coverage
from gancourse.course.exercises.lesson02 import check_conv_transpose_output_size
from gancourse.course.exercises.lesson02 import check_slerp
from gancourse.course.exercises.lesson02 import check_upsample_block
from gancourse.course.exercises.lesson03 import check_generator_input
from gancourse.course.exercises.lesson03 import check_one_hot
from gancourse.course.exercises.lesson03 import check_projection_logits
from gancourse.course.exercises.lesson04 import check_gradient_penalty
from gancourse.course.exercises.lesson04 import check_hinge_d_loss
from gancourse.course.exercises.lesson04 import check_spectral_norm
from gancourse.course.exercises.lesson05 import check_frechet_distance
from gancourse.course.exercises.lesson05 import check_inception_score
from gancourse.course.exercises.lesson05 import check_kid
from gancourse.course.exercises.lesson06 import check_pix2pix_g_loss
from gancourse.course.exercises.lesson06 import check_psnr
from gancourse.course.exercises.lesson06 import check_random_box_mask
from gancourse.course.exercises.lesson07 import check_cycle_consistency_loss
from gancourse.course.exercises.lesson07 import check_identity_loss
from gancourse.course.exercises.lesson07 import check_image_pool_query
from gancourse.course.exercises.lesson08 import check_gram_matrix
from gancourse.course.exercises.lesson08 import check_style_loss
from gancourse.course.exercises.lesson08 import check_total_variation_loss
from gancourse.course.exercises.lesson11 import check_ddim_step
from gancourse.course.exercises.lesson11 import check_q_sample
from gancourse.course.exercises.lesson11 import check_radial_spectrum

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
    "check_q_sample",
    "check_ddim_step",
    "check_radial_spectrum",
]

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

from gancourse.course.exercises.lesson01 import check_d_star_and_js
from gancourse.course.exercises.lesson01 import check_minimax_d_loss
from gancourse.course.exercises.lesson01 import check_ring_mode_coverage
from gancourse.course.exercises.lesson02 import check_slerp
from gancourse.course.exercises.lesson02 import check_transposed_conv_overlap
from gancourse.course.exercises.lesson02 import check_upsample_block
from gancourse.course.exercises.lesson03 import check_fake_label_stats
from gancourse.course.exercises.lesson03 import check_generator_input
from gancourse.course.exercises.lesson03 import check_one_hot
from gancourse.course.exercises.lesson04 import check_hinge_d_loss
from gancourse.course.exercises.lesson04 import check_lipschitz_bound
from gancourse.course.exercises.lesson04 import check_spectral_norm
from gancourse.course.exercises.lesson05 import check_inception_score
from gancourse.course.exercises.lesson05 import check_kid
from gancourse.course.exercises.lesson05 import check_match_moments
from gancourse.course.exercises.lesson06 import check_psnr
from gancourse.course.exercises.lesson06 import check_random_box_mask
from gancourse.course.exercises.lesson06 import check_receptive_field
from gancourse.course.exercises.lesson07 import check_best_inverse
from gancourse.course.exercises.lesson07 import check_cycle_consistency_loss
from gancourse.course.exercises.lesson07 import check_image_pool_query
from gancourse.course.exercises.lesson08 import check_enlarge_keeping_style
from gancourse.course.exercises.lesson08 import check_gram_matrix
from gancourse.course.exercises.lesson08 import check_style_loss
from gancourse.course.exercises.lesson09 import check_conditional_direction
from gancourse.course.exercises.lesson09 import check_linear_inversion
from gancourse.course.exercises.lesson09 import check_move_to_distance
from gancourse.course.exercises.lesson10 import check_ada_step
from gancourse.course.exercises.lesson10 import check_r1_penalty
from gancourse.course.exercises.lesson10 import check_translate
from gancourse.course.exercises.lesson11 import check_ddim_step
from gancourse.course.exercises.lesson11 import check_q_sample
from gancourse.course.exercises.lesson11 import check_radial_spectrum

__all__ = [
    "check_minimax_d_loss",
    "check_d_star_and_js",
    "check_ring_mode_coverage",
    "check_transposed_conv_overlap",
    "check_upsample_block",
    "check_slerp",
    "check_one_hot",
    "check_generator_input",
    "check_fake_label_stats",
    "check_hinge_d_loss",
    "check_lipschitz_bound",
    "check_spectral_norm",
    "check_inception_score",
    "check_match_moments",
    "check_kid",
    "check_psnr",
    "check_random_box_mask",
    "check_receptive_field",
    "check_cycle_consistency_loss",
    "check_best_inverse",
    "check_image_pool_query",
    "check_gram_matrix",
    "check_enlarge_keeping_style",
    "check_style_loss",
    "check_move_to_distance",
    "check_linear_inversion",
    "check_conditional_direction",
    "check_ada_step",
    "check_translate",
    "check_r1_penalty",
    "check_q_sample",
    "check_ddim_step",
    "check_radial_spectrum",
]

"""Command line of the class grader: ``python -m gancourse.grade``.

全班评分程序的命令行：``python -m gancourse.grade``。

    python -m gancourse.grade SUBMISSIONS_DIR [--out DIR] [--timeout SECONDS]
        [--jobs N] [--max-output BYTES] [--capstone-images N] [--tiers JSON]

Each student is one sub-folder of SUBMISSIONS_DIR (every top-level
``.ipynb`` in it runs, and ``generator.keras`` is the capstone generator) or
one ``.ipynb`` file. Writes ``DIR/grades.csv``, ``DIR/grades.json``,
``DIR/reports/<student>.md`` and ``DIR/executed/<student>/*.ipynb``.
"""

import argparse
import concurrent.futures
import json
import sys
import time
from pathlib import Path

from gancourse.course.grading import grader
from gancourse.course.grading import report
from gancourse.course.grading import sandbox

__all__ = ["grade_class", "main"]


def _parser():
    parser = argparse.ArgumentParser(
        prog="python -m gancourse.grade",
        description="Grade a class: run every student's notebooks in a "
        "fresh kernel (fast mode), collect the checker and quiz results, "
        "score capstone generators; write grades.csv and one report per "
        "student.",
    )
    parser.add_argument(
        "submissions",
        type=Path,
        help="one sub-folder or one .ipynb per student",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("grades"),
        help="output folder (default: ./grades)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=600.0,
        help="wall-clock seconds per notebook (default 600)",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=1,
        help="students graded at the same time (default 1)",
    )
    parser.add_argument(
        "--max-output",
        type=int,
        default=2_000_000,
        help="bytes of cell output per notebook before it "
        "is stopped (default 2000000)",
    )
    parser.add_argument(
        "--capstone-images",
        type=int,
        default=10_000,
        help="images generated to score a capstone "
        "generator (default 10000, as the tier baselines)",
    )
    parser.add_argument(
        "--capstone-timeout",
        type=float,
        default=900.0,
        help="seconds to load and score one generator",
    )
    parser.add_argument(
        "--tiers",
        type=Path,
        default=grader.TIERS_PATH,
        help="capstone tier table (JSON)",
    )
    parser.add_argument(
        "--no-capstone",
        dest="capstone",
        action="store_false",
        help="skip capstone scoring",
    )
    return parser


def _check(args):
    if not args.submissions.is_dir():
        raise ValueError(
            "The submissions folder does not exist. "
            f"Received: submissions={str(args.submissions)!r}"
        )
    source, target = args.submissions.resolve(), args.out.resolve()
    if target == source or source in target.parents:
        raise ValueError(
            "The output folder must not be the submissions folder or inside "
            "it (the next run would grade it as a student). Received: "
            f"out={str(args.out)!r}"
        )
    for name in (
        "timeout",
        "jobs",
        "max_output",
        "capstone_images",
        "capstone_timeout",
    ):
        if not getattr(args, name) > 0:
            raise ValueError(
                f"`--{name.replace('_', '-')}` must be positive. "
                f"Received: {name}={getattr(args, name)!r}"
            )
    args.tiers = grader.load_tiers(args.tiers)


def grade_class(args):
    """Grade every submission; write the CSV, JSON and reports; return rows.

    批改全部提交；写出 CSV、JSON 与报告；返回每位学生的结果。
    """
    students = sandbox.find_students(args.submissions)
    args.out.mkdir(parents=True, exist_ok=True)
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        futures = [
            pool.submit(grader.grade_student, name, path, args, args.out)
            for name, path in students
        ]
        results = []
        for (name, _), future in zip(students, futures):
            result = future.result()
            results.append(result)
            print(
                f"{name}: {result['status']} ({result['seconds']:.1f} s)",
                flush=True,
            )
    with_capstone = args.capstone and any(
        result["capstone"]["status"] != "missing" for result in results
    )
    cols = report.write_csv(
        results, args.out / "grades.csv", args.tiers, with_capstone
    )
    reports = args.out / "reports"
    reports.mkdir(exist_ok=True)
    used = set()
    for result in results:
        stem = grader.slug(result["student"])
        while stem in used:
            stem += "_"
        used.add(stem)
        total, maximum = report.totals(result, cols, args.tiers, with_capstone)
        result.update(total=total, max_total=maximum)
        (reports / f"{stem}.md").write_text(
            report.student_markdown(result, cols, args.tiers, with_capstone),
            encoding="utf-8",
        )
    (args.out / "grades.json").write_text(
        json.dumps(results, indent=1, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    return results


def main(argv=None):
    """Run the grader; return the exit code (2 for bad arguments).

    运行评分程序；返回退出码（参数错误时为 2）。
    """
    args = _parser().parse_args(argv)
    try:
        _check(args)
    except (ValueError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    start = time.monotonic()
    results = grade_class(args)
    print(
        f"graded {len(results)} submissions in "
        f"{time.monotonic() - start:.1f} s: {args.out / 'grades.csv'}, "
        f"{args.out / 'reports'}/"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Train and score the capstone's baseline generators; set the tier table.

训练并评分结课项目的基线生成器，写入档位表（tiers.json）。

    python tools/capstone_baselines.py                  # train all, print
    python tools/capstone_baselines.py --write          # ... and set tiers.json
    python tools/capstone_baselines.py --tiers strong --score-only

Each tier is one course recipe (``python -m gancourse train dcgan ...``)
trained for the capstone's budget, ``--time-limit 600`` seconds of training
(batch time only, ``callbacks.TimeLimit``), and then scored exactly as the
grader scores a student's generator (``python -m gancourse.course.grading.
capstone FILE``: N = 10,000 samples against N test images, shipped-classifier
features, seed 0). A student's generator reaches a tier when its FID and
KID x 1000 are at most the baseline's.

Run it on an otherwise idle machine: the budget is wall-clock training time,
so a busy CPU gives weaker baselines. The CPU model and flags are recorded.
"""

import argparse
import datetime
import json
import math
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TIERS_PATH = ROOT / "gancourse" / "course" / "grading" / "tiers.json"

# 档位 -> (分数, 训练选项, 评分的网络, 说明) / Tier -> (points, training
# options, the network scored, description); from the easiest to the hardest.
TIERS = {
    "simple": (
        1,
        ["--batch-size", "256", "--base-filters", "64", "--ema-decay", "none"],
        "generator",
        "lesson 02's DCGAN at the TF tutorial's batch size: batch 256, "
        "width 64, no EMA",
    ),
    "medium": (
        2,
        ["--base-filters", "64", "--ema-decay", "none"],
        "generator",
        "lesson 02's DCGAN with batch 64 (4x the updates per image), "
        "width 64, no EMA",
    ),
    "strong": (
        3,
        [],
        "ema_generator",
        "the `make train` recipe: batch 64, width 32, EMA generator 0.999",
    ),
    "boss": (
        4,
        ["--jit"],
        "ema_generator",
        "the `make train` recipe with XLA-compiled steps (--jit): more "
        "updates in the same time",
    ),
}


def cpu_description():
    """The CPU model and its vector-instruction flags (Linux)."""
    model, flags = "unknown CPU", set()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            key, _, value = line.partition(":")
            if key.strip() == "model name":
                model = value.strip()
            elif key.strip() == "flags":
                flags = set(value.split())
    except OSError:
        pass
    wanted = ["avx2", "fma", "avx512f", "avx512_bf16", "amx_bf16"]
    present = [flag for flag in wanted if flag in flags]
    return f"{model}; flags: {' '.join(present) or 'none of AVX2/AVX-512'}"


def command(name, budget, out):
    _, options, _, _ = TIERS[name]
    return [
        "python", "-m", "gancourse", "train", "dcgan", "--epochs", "100",
        "--time-limit", f"{budget:g}", *options, "--out", str(out),
    ]  # fmt: skip


def train(name, budget, runs_dir):
    out = runs_dir / name
    args = command(name, budget, out)
    args[0] = sys.executable
    subprocess.run(args + ["--overwrite"], cwd=ROOT, check=True)
    return json.loads((out / "summary.json").read_text())


def score(path, num_images):
    result = subprocess.run(
        [
            sys.executable, "-m", "gancourse.course.grading.capstone",
            str(path), "--num-images", str(num_images),
        ],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    lines = [x for x in result.stdout.splitlines() if x.startswith("RESULT ")]
    if not lines:
        raise RuntimeError(f"no RESULT line from the scorer: {result.stderr}")
    scores = json.loads(lines[-1][len("RESULT ") :])
    if "error" in scores:
        raise RuntimeError(f"the scorer refused {path}: {scores['error']}")
    return scores


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tiers", nargs="+", choices=list(TIERS))
    parser.add_argument("--budget", type=float, default=600.0)
    parser.add_argument("--num-images", type=int, default=10_000)
    parser.add_argument("--runs", type=Path, default=ROOT / "runs" / "capstone")
    parser.add_argument(
        "--score-only", action="store_true", help="score existing runs"
    )
    parser.add_argument(
        "--write", action="store_true", help=f"update {TIERS_PATH.name}"
    )
    args = parser.parse_args(argv)
    names = args.tiers or list(TIERS)
    cpu = cpu_description()
    print(f"CPU: {cpu}")
    measured = {}
    for name in names:
        points, _, network, text = TIERS[name]
        if args.score_only:
            saved = args.runs / name / "summary.json"
            summary = json.loads(saved.read_text())
        else:
            summary = train(name, args.budget, args.runs)
        scores = score(args.runs / name / f"{network}.keras", args.num_images)
        limit = summary.get("time_limit", {})
        measured[name] = dict(
            scores,
            train_seconds=limit.get("train_seconds", summary["seconds"]),
            steps=limit.get("steps"),
        )
        print(
            f"{name:7s} FID {scores['fid']:7.2f}  KIDx1000 "
            f"{scores['kid_x1000']:7.1f}  steps {limit.get('steps')}  "
            f"train {limit.get('train_seconds')} s  ({text})",
            flush=True,
        )
    if args.write:
        write_table(measured, args, cpu)


def write_table(measured, args, cpu):
    table = json.loads(TIERS_PATH.read_text(encoding="utf-8"))
    today = datetime.date.today().isoformat()
    table["budget_seconds"] = args.budget
    by_name = {tier["name"]: tier for tier in table["tiers"]}
    for name, result in measured.items():
        points, _, network, text = TIERS[name]
        shown = command(name, args.budget, f"runs/capstone/{name}")
        by_name[name].update(
            points=points,
            # 向上取整，基线本身一定达到自己的档位 / Rounded up, so the
            # baseline itself always reaches its own tier.
            fid=math.ceil(result["fid"] * 10) / 10,
            kid_x1000=math.ceil(result["kid_x1000"]),
            status=f"measured {today}",
            baseline=text,
            command=" ".join(shown),
            scored_network=f"{network}.keras",
            train_seconds=result["train_seconds"],
            steps=result["steps"],
            cpu=cpu,
        )
    fids = [tier["fid"] for tier in table["tiers"]]
    if all(isinstance(f, float) for f in fids) and fids != sorted(fids)[::-1]:
        print(f"warning: tier FIDs do not fall from simple to boss: {fids}")
    TIERS_PATH.write_text(
        json.dumps(table, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(f"Wrote {TIERS_PATH}")


if __name__ == "__main__":
    main()

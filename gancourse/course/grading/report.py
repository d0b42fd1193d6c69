"""The grader's outputs: ``grades.csv`` and one bilingual report per student.

评分程序的输出：``grades.csv`` 与每位学生一份中英双语报告。
"""

import csv
import importlib
import re

STATUS_TEXT = {
    "ok": "全部单元格都已运行 / every cell ran",
    "errors": "有单元格抛出异常，其余单元格照常运行 / some cells raised an "
    "exception; the other cells still ran",
    "timeout": "超过时间限制，已被终止；此前记录的得分保留 / over the time "
    "limit and stopped; points recorded before that are kept",
    "output-limit": "输出过多，已被终止；此前记录的得分保留 / too much output, "
    "stopped; points recorded before that are kept",
    "kernel-died": "内核崩溃（进程退出或内存不足）；此前记录的得分保留 / the "
    "kernel died (it exited or ran out of memory); points recorded before "
    "that are kept",
    "invalid-notebook": "不是有效的笔记本文件 / not a valid notebook file",
    "runner-failed": "执行程序失败 / the notebook runner failed",
    "no-notebook": "提交中没有笔记本 / no notebook in the submission",
    "grader-error": "评分程序出错，请联系教师 / the grader failed; tell the "
    "instructor",
}
CAPSTONE_TEXT = {
    "missing": "未提交生成器 / no generator submitted",
    "refused": "拒绝加载 / refused",
    "error": "评分失败 / scoring failed",
    "scored": "已评分 / scored",
}
VERDICT_TEXT = {
    "correct": "正确 / correct",
    "wrong": "错误 / wrong",
    "invalid": "格式不对 / not a valid answer",
    "unanswered": "未作答 / not answered",
}

__all__ = ["columns", "student_markdown", "totals", "write_csv"]


def _sort_key(item, order):
    lesson = item.split(".")[0]
    return lesson, item.endswith(".quiz"), order[item]


def columns(results):
    """Every exercise and quiz id seen in the class, lesson by lesson.

    全班出现过的所有练习与测验编号，按课程排序。
    """
    order, max_scores = {}, {}
    for result in results:
        for item, entry in result["items"].items():
            order.setdefault(item, len(order))
            max_scores[item] = max(max_scores.get(item, 0), entry["max_score"])
    ids = sorted(order, key=lambda item: _sort_key(item, order))
    return [(item, max_scores[item]) for item in ids]


def capstone_max(table):
    """Capstone points available, or None while tiers are not measured."""
    from gancourse.course.grading.capstone import tier_of

    if tier_of({"fid": 0.0, "kid_x1000": 0.0}, table)[1] is None:
        return None
    return max(tier["points"] for tier in table["tiers"])


def totals(result, cols, table, with_capstone):
    """(total, max_total) of one student.

    一位学生的总分与满分。
    """
    total = sum(
        result["items"][item]["score"]
        for item, _ in cols
        if item in result["items"]
    )
    maximum = sum(score for _, score in cols)
    top = capstone_max(table) if with_capstone else None
    if top is not None:
        maximum += top
        total += result["capstone"].get("points") or 0
    return _number(total), _number(maximum)


def _number(value):
    return int(value) if float(value).is_integer() else round(value, 2)


def _cell(text):
    text = str(text)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def write_csv(results, path, table, with_capstone):
    """One row per student, one column per exercise, quiz and capstone.

    每位学生一行；每个练习、测验与结课项目一列。
    """
    cols = columns(results)
    header = ["student", "status"] + [item for item, _ in cols]
    if with_capstone:
        header += [
            "capstone_fid",
            "capstone_kid_x1000",
            "capstone_tier",
            "capstone_points",
        ]
    header += ["total", "max_total"]
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for result in results:
            row = [_cell(result["student"]), result["status"]]
            for item, _ in cols:
                entry = result["items"].get(item)
                row.append(_number(entry["score"]) if entry else 0)
            if with_capstone:
                cap = result["capstone"]
                row += [
                    _fmt(cap.get("fid")),
                    _fmt(cap.get("kid_x1000")),
                    cap.get("tier") or cap["status"],
                    "" if cap.get("points") is None else cap["points"],
                ]
            row += list(totals(result, cols, table, with_capstone))
            writer.writerow(row)
    return cols


def _fmt(value):
    return "" if value is None else f"{value:.2f}"


def _quiz_notes(item, entry):
    lesson = item.split(".")[0]
    try:
        quiz = importlib.import_module(f"gancourse.course.quizzes.{lesson}")
    except ImportError:
        return []
    lines = []
    for key, verdict in entry.get("questions", {}).items():
        question = quiz.QUIZ.questions.get(key)
        if verdict == "correct" or question is None:
            continue
        verdict_text = VERDICT_TEXT[verdict]
        lines.append(
            f"- {item} {key}（{verdict_text}）：{question.explanation_zh} / "
            f"{question.explanation_en}"
        )
    return lines


def student_markdown(result, cols, table, with_capstone):
    """A student's bilingual Markdown report.

    一位学生的中英双语 Markdown 报告。
    """
    name = re.sub(r"[\x00-\x1f`*_#<>\[\]|]", "_", result["student"])
    total, maximum = totals(result, cols, table, with_capstone)
    lines = [
        f"# 成绩报告 / Grade report: {name}",
        "",
        f"**总分 / Total: {total} / {maximum}**",
        "",
        f"运行状态 / Run status: `{result['status']}`: "
        f"{STATUS_TEXT.get(result['status'], result['status'])}.",
        "",
    ]
    for run in result["notebooks"]:
        lines.append(
            f"- `{run['notebook']}`: `{run['status']}`, "
            f"{run.get('errors', 0)} 个出错单元格 / cells with errors, "
            f"{run.get('seconds', 0)} s"
        )
    lines += [
        "",
        "| 项目 / Item | 结果 / Result | 得分 / Score |",
        "|---|---|---|",
    ]
    explanations = []
    for item, top in cols:
        entry = result["items"].get(item)
        if entry is None:
            verdict = "未运行 / not run"
        elif entry["passed"]:
            verdict = "通过 / passed"
        else:
            verdict = "未通过 / not passed"
        score = _number(entry["score"]) if entry else 0
        lines.append(f"| `{item}` | {verdict} | {score} / {_number(top)} |")
        if entry and entry["kind"] == "quiz":
            explanations += _quiz_notes(item, entry)
    if explanations:
        lines += ["", "## 测验解析 / Quiz explanations", ""] + explanations
    if with_capstone:
        lines += ["", "## 结课项目 / Capstone", ""] + _capstone_lines(
            result["capstone"], table
        )
    if result["notes"]:
        lines += ["", "## 说明 / Notes", ""]
        lines += [f"- {note}" for note in result["notes"]]
    return "\n".join(lines) + "\n"


def _capstone_lines(cap, table):
    lines = [f"状态 / Status: {CAPSTONE_TEXT.get(cap['status'], '?')}."]
    if cap.get("reason"):
        lines.append(f"原因 / Reason: {cap['reason']}.")
    if cap["status"] != "scored":
        return lines
    lines.append(
        f"FID = {cap['fid']:.2f}, KID x 1000 = {cap['kid_x1000']:.2f} "
        f"(N = {cap['num_images']}, 随包分类器特征 / shipped-classifier "
        "features)."
    )
    if cap.get("clipped"):
        lines.append(
            f"{cap['clipped']:.1%} 的像素超出 [-1, 1]，已截断 / of the pixels "
            "were outside [-1, 1] and were clipped."
        )
    if cap["tier"] == "not measured":
        lines.append(
            "档位 / Tier: 基线尚未测定，暂不评档 / the baselines are not yet "
            "measured, so no tier is given."
        )
    else:
        reached = cap["tier"] or "未达到最低档 / below the lowest tier"
        top = max(tier["points"] for tier in table["tiers"])
        lines.append(f"档位 / Tier: {reached}（{cap['points']} / {top}）.")
    return lines

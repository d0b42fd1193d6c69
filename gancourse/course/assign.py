"""Write student copies of the lessons: solutions become ``# TODO`` stubs.

生成课程的学生版：参考答案替换为 ``# TODO`` 桩函数。

    python -m gancourse.course.assign lessons/ student/      # make student

Every code cell tagged ``solution`` is replaced by stubs that keep each
function's signature and docstring and raise ``NotImplementedError``; the
checker cells after them stay, so a student runs the check and sees
``FAIL: ... is not implemented yet`` until the function is written. Quiz
answer cells (tagged ``quiz-solution``, see ``gancourse.course.quiz``) keep
their keys with every answer set to ``None`` (tag ``quiz``). All outputs and
execution counts are cleared, and the notebook-level run record
(``metadata.gancourse``) is dropped. The first cell's "Open in Colab" badge
is pointed at the student copy (``.../lessons/NN_x.ipynb`` becomes
``.../student/NN_x.ipynb``, the folder the course commits them to) and a
bilingual line says that this is the student copy.
"""

import argparse
import ast
import copy
import json
import re
import sys
from pathlib import Path

from gancourse.course import quiz

STUDENT_FOLDER = "student"
# Colab 按钮中课程笔记本的路径 / A lesson's path in a Colab badge URL.
LESSON_BADGE = re.compile(
    r"(https://colab\.research\.google\.com/github/[^/\s)]+/[^/\s)]+"
    r"/blob/[^/\s)]+/)lessons/([^/\s)]+\.ipynb)"
)
STUDENT_NOTE = (
    "> 这是学生版：参考答案换成了 `# TODO`，输出已清空；完成后运行检查单元。"
    "/ This is the student copy: the reference solutions are `# TODO` "
    "stubs and the outputs are cleared; run the check cells when done."
)
SOLUTION_TAG = "solution"
STUB_TAG = "exercise"
NOT_IMPLEMENTED = (
    "练习：请实现 {name} / Exercise: implement {name}, then run the check cell"
)


def _source(cell):
    source = cell["source"]
    return "".join(source) if isinstance(source, list) else source


def _lines(text):
    parts = text.split("\n")
    return [part + "\n" for part in parts[:-1]] + [parts[-1]]


def make_stub(source):
    """Turn a solution cell's source into stubs raising NotImplementedError.

    把参考答案单元格的源代码变成抛出 NotImplementedError 的桩函数。

    Top-level imports are kept; each top-level function keeps its signature
    and docstring, and its body becomes ``# TODO`` plus ``raise
    NotImplementedError(...)`` with a bilingual message.

    Raises:
        ValueError: if the cell does not parse, defines no function, or holds
            other top-level statements (they would silently disappear).
    """
    try:
        tree = ast.parse(source)
    except SyntaxError as error:
        raise ValueError(
            f"A solution cell must be valid Python. Received: {error}"
        ) from None
    lines = source.split("\n")
    pieces, functions = [], 0
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            pieces.append(ast.get_source_segment(source, node))
        elif isinstance(node, ast.FunctionDef):
            functions += 1
            pieces.append(_function_stub(node, lines))
        else:
            raise ValueError(
                "A solution cell may hold only imports and function "
                f"definitions. Received a {type(node).__name__} statement "
                f"on line {node.lineno}."
            )
    if not functions:
        raise ValueError("A solution cell must define at least one function.")
    return "\n\n\n".join(pieces)


def _function_stub(node, lines):
    first_body = node.body[0]
    start = (
        node.decorator_list[0].lineno if node.decorator_list else node.lineno
    )
    has_docstring = (
        isinstance(first_body, ast.Expr)
        and isinstance(first_body.value, ast.Constant)
        and isinstance(first_body.value.value, str)
    )
    keep_until = (
        first_body.end_lineno if has_docstring else first_body.lineno - 1
    )
    header = "\n".join(lines[start - 1 : keep_until])
    indent = " " * first_body.col_offset
    message = NOT_IMPLEMENTED.format(name=node.name)
    return (
        f"{header}\n"
        f"{indent}# TODO: 在这里写你的代码 / write your code here.\n"
        f"{indent}raise NotImplementedError({message!r})"
    )


def make_student_notebook(notebook):
    """Return a student copy of a notebook (a dict in nbformat 4 JSON).

    返回一个笔记本的学生版（nbformat 4 的 JSON 字典）。
    """
    student = copy.deepcopy(notebook)
    student.get("metadata", {}).pop("gancourse", None)
    first = student["cells"][0] if student["cells"] else None
    if first is not None and first["cell_type"] == "markdown":
        text, count = LESSON_BADGE.subn(
            rf"\1{STUDENT_FOLDER}/\2", _source(first)
        )
        if count and STUDENT_NOTE not in text:
            title, _, rest = text.partition("\n")
            text = f"{title}\n\n{STUDENT_NOTE}\n{rest}"
        first["source"] = _lines(text)
    for cell in student["cells"]:
        if cell["cell_type"] != "code":
            continue
        cell["outputs"] = []
        cell["execution_count"] = None
        tags = cell.get("metadata", {}).get("tags", [])
        if SOLUTION_TAG in tags:
            cell["source"] = _lines(make_stub(_source(cell)))
            cell["metadata"]["tags"] = [
                STUB_TAG if tag == SOLUTION_TAG else tag for tag in tags
            ]
        elif quiz.SOLUTION_TAG in tags:
            cell["source"] = _lines(quiz.blank_answer_cell(_source(cell)))
            cell["metadata"]["tags"] = [
                quiz.STUB_TAG if tag == quiz.SOLUTION_TAG else tag
                for tag in tags
            ]
    return student


def build_student_copies(input_dir, output_dir):
    """Write a student copy of every ``NN_*.ipynb`` lesson in ``input_dir``.

    为 ``input_dir`` 中的每个课程笔记本写出学生版。

    Returns:
        List of the written paths.

    Raises:
        ValueError: missing input folder, no lessons in it, or an output
            folder equal to or inside the input folder.
    """
    input_dir, output_dir = Path(input_dir), Path(output_dir)
    if not input_dir.is_dir():
        raise ValueError(
            f"The input folder does not exist. Received: {str(input_dir)!r}"
        )
    source_root, target_root = input_dir.resolve(), output_dir.resolve()
    if target_root == source_root or source_root in target_root.parents:
        raise ValueError(
            "The output folder must not be the input folder or inside it "
            "(the next run would read the student copies as lessons). "
            f"Received: input={str(input_dir)!r}, output={str(output_dir)!r}"
        )
    if output_dir.exists() and not output_dir.is_dir():
        raise ValueError(
            f"The output path is a file, not a folder: {str(output_dir)!r}"
        )
    lessons = sorted(input_dir.glob("[0-9][0-9]_*.ipynb"))
    if not lessons:
        raise ValueError(
            f"No lesson notebooks (NN_name.ipynb) found in {str(input_dir)!r}."
        )
    output_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for path in lessons:
        try:
            notebook = json.loads(path.read_text(encoding="utf-8"))
            student = make_student_notebook(notebook)
        except ValueError as error:
            raise ValueError(f"{path.name}: {error}") from None
        target = output_dir / path.name
        target.write_text(
            json.dumps(student, ensure_ascii=False, indent=1) + "\n",
            encoding="utf-8",
        )
        written.append(target)
    return written


def main(argv=None):
    """Command line: ``python -m gancourse.course.assign INPUT OUTPUT``.

    命令行入口：生成学生版笔记本。
    """
    parser = argparse.ArgumentParser(
        prog="python -m gancourse.course.assign",
        description="Write student copies of the lessons (solutions -> stubs).",
    )
    parser.add_argument("input_dir", help="folder with NN_*.ipynb lessons")
    parser.add_argument("output_dir", help="folder for the student copies")
    args = parser.parse_args(argv)
    try:
        written = build_student_copies(args.input_dir, args.output_dir)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for path in written:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

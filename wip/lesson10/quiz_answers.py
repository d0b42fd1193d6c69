# 测验答案：选项字母或数值 / Quiz answers: a letter or a number.
quiz_answers = {
    "q1": "c",
    "q2": "a",
    "q3": "d",
    "q4": "b",
    "q5": 2000,
}

"""Quiz files: the strict loader and validator, without an app."""

import hashlib
import shutil
from pathlib import Path

import pytest

from lms.assessment.quizcheck import load_quizzes
from lms.assessment.quizfile import Draw, Option, Problem, Question, ReviewPolicy
from lms.assessment.snapshot import quiz_from_json, to_json

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE_ROOT = Path(__file__).parents[2]

#: every mistake in fixtures/broken, each at the line where the file is broken
BROKEN = """\
quizzes/a-syntax.yaml:2: YAML syntax error: found unexpected end of stream \
(while scanning a quoted scalar)
quizzes/b-top.yaml:1: id 'B_top' does not match ^[a-z][a-z0-9-]*$
quizzes/b-top.yaml:2: 'title' must be a non-empty string, not an empty string
quizzes/b-top.yaml:4: unknown group 'F' (expected one of A, B, C, D, E)
quizzes/b-top.yaml:5: pass mark of 120 % can never be reached: an attempt scores at most 100 %
quizzes/b-top.yaml:6: 'attempts' must be a positive integer or null, not 0
quizzes/b-top.yaml:7: 'cooldown_minutes' must be an integer, 0 or more, not -5
quizzes/b-top.yaml:9: 'shuffle_questions' must be true or false, not 'yes'
quizzes/b-top.yaml:11: unknown key 'extra'
quizzes/b-top.yaml:11: 'show' must be one of score_only, which_wrong, correct_answers, \
not 'everything'
quizzes/b-top.yaml:21: unknown key 'colour'
quizzes/c-kind.yaml:1: missing required key 'title'
quizzes/c-kind.yaml:3: 'group' is only for group quizzes, not comprehensive
quizzes/c-kind.yaml:4: pass_mark needs exactly one of 'percent' or 'points'
quizzes/c-kind.yaml:7: 'time_limit_minutes' must be a positive integer or null, not 0
quizzes/c-kind.yaml:10: missing required key 'when'
quizzes/d-questions.yaml:1: missing key 'group' (a group quiz names its subject group)
quizzes/d-questions.yaml:19: a single question needs exactly 1 correct option, not 2
quizzes/d-questions.yaml:25: a multiple question needs at least 1 correct option
quizzes/d-questions.yaml:31: 'scoring' must be one of partial, all_or_nothing, not 'most'
quizzes/d-questions.yaml:32: every option is correct: a multiple question needs at least \
1 incorrect option
quizzes/d-questions.yaml:34: duplicate option id 'a' (first at line 33)
quizzes/d-questions.yaml:41: item 'first' is listed twice (first at line 39)
quizzes/d-questions.yaml:45: an ordering question needs at least 2 items, not 1
quizzes/d-questions.yaml:49: 'accepted' must be a non-empty list, not an empty list
quizzes/d-questions.yaml:53: 'answer' must be true or false, not 'no'
quizzes/d-questions.yaml:54: 'options' does not belong in a true_false question
quizzes/d-questions.yaml:56: 'type' must be one of single, multiple, true_false, short_text, \
ordering, not 'essay'
quizzes/d-questions.yaml:58: 'points' must be a positive number, not 0
quizzes/d-questions.yaml:59: unknown key 'hint'
quizzes/d-questions.yaml:63: a single question needs at least 2 options, not 1
quizzes/d-questions.yaml:65: missing required key 'id'
quizzes/e-pools.yaml:12: pool 'e-main' has 2 questions but the draw takes 3
quizzes/e-pools.yaml:13: draw names unknown pool 'e-missing'
quizzes/e-pools.yaml:14: pool 'e-main' is drawn twice (first at line 12)
quizzes/e-pools.yaml:18: question 'e-q01' needs an author (the question's or the file's \
'author')
quizzes/e-pools.yaml:19: question 'e-q02' needs an author (the question's or the file's \
'author')
quizzes/e-pools.yaml:20: duplicate pool id 'e-main' (first at line 16)
quizzes/e-pools.yaml:22: question 'e-q03' needs an author (the question's or the file's \
'author')
quizzes/f-points.yaml:1: duplicate quiz id 'e-pools' (first in quizzes/e-pools.yaml)
quizzes/f-points.yaml:4: pass mark of 4 points can never be reached: the best draw gives 3.5
quizzes/f-points.yaml:19: duplicate question id 'e-q01' (first in quizzes/e-pools.yaml:18)
quizzes/g-not-mapping.yaml:1: a quiz file must be a mapping of keys, not a list
quizzes/z-extension.yml:0: quiz files must end in .yaml
"""


def test_every_problem_in_every_file_is_reported_at_once_with_file_and_line():
    quizzes, problems = load_quizzes(FIXTURES / "broken")
    assert [str(p) for p in problems] == BROKEN.splitlines()
    assert quizzes == []  # a file with any problem is left out


def test_a_good_quiz_loads_with_every_field_and_its_defaults():
    (quiz,), problems = load_quizzes(FIXTURES / "good")
    assert problems == []
    raw = (FIXTURES / "good" / "quizzes" / "tiny.yaml").read_bytes()
    assert (quiz.id, quiz.kind, quiz.group) == ("tiny", "group", "A")
    assert quiz.title == "小テスト（試験用）"
    assert (quiz.description, quiz.pass_percent, quiz.pass_points) == ("", None, 4.0)
    assert (quiz.attempts, quiz.cooldown_minutes, quiz.time_limit_minutes) == (2, 5, 10)
    assert quiz.shuffle_questions and quiz.shuffle_options
    assert quiz.review == ReviewPolicy("which_wrong", "after_pass")
    assert quiz.draw == (Draw("tiny-main", 3), Draw("tiny-extra", 1))
    assert [p.id for p in quiz.pools] == ["tiny-main", "tiny-extra"]
    assert quiz.path == "quizzes/tiny.yaml"
    assert quiz.content_hash == hashlib.sha256(raw).hexdigest()
    assert quiz.question("tiny-single") == Question(
        "tiny-single", "single", "Which one is right?", 1.0, "", "",
        (Option("a", "Right", True), Option("b", "Wrong"), Option("c", "Also wrong")),
        "all_or_nothing", None, (), ())
    multiple = quiz.question("tiny-multiple")
    assert (multiple.points, multiple.scoring) == (2.0, "partial")  # partial by default
    true_false = quiz.question("tiny-true-false")
    assert true_false.answer is True
    assert true_false.explanation == "中長期在留者には携帯義務があります。"
    assert quiz.question("tiny-short").accepted == ("在留カード", "ざいりゅうカード")
    order = quiz.question("tiny-order")
    assert (order.items, order.scoring, order.points) == (
        ("one", "two", "three", "four"), "partial", 3.0)


def test_points_possible_are_the_best_and_worst_draws():
    (quiz,), _ = load_quizzes(FIXTURES / "good")
    # tiny-main draws 3 of points [1, 2, 1, 1]; tiny-extra 1 of [3]
    assert quiz.max_points_possible() == 2 + 1 + 1 + 3
    assert quiz.min_points_possible() == 1 + 1 + 1 + 3


def test_asking_for_an_unknown_question_is_a_key_error():
    (quiz,), _ = load_quizzes(FIXTURES / "good")
    with pytest.raises(KeyError):
        quiz.question("nope")


def test_quizzes_are_immutable_and_survive_a_json_round_trip():
    (quiz,), _ = load_quizzes(FIXTURES / "good")
    with pytest.raises(AttributeError):
        quiz.title = "changed"  # type: ignore[misc]
    assert quiz_from_json(to_json(quiz)) == quiz
    assert hash(quiz) == hash(quiz_from_json(to_json(quiz)))


def test_a_broken_file_does_not_hold_back_the_good_ones(tmp_path):
    shutil.copytree(FIXTURES / "good", tmp_path, dirs_exist_ok=True)
    (tmp_path / "quizzes" / "broken.yaml").write_bytes(b"id: x\n\xff\n")
    quizzes, problems = load_quizzes(tmp_path)
    assert [q.id for q in quizzes] == ["tiny"]
    assert problems == [Problem("quizzes/broken.yaml", 2, "not valid UTF-8")]


def test_a_pass_mark_of_exactly_the_best_draw_is_reachable(tmp_path):
    shutil.copytree(FIXTURES / "good", tmp_path, dirs_exist_ok=True)
    path = tmp_path / "quizzes" / "tiny.yaml"
    path.write_text(path.read_text().replace("{points: 4}", "{points: 7}"))
    assert load_quizzes(tmp_path)[1] == []
    path.write_text(path.read_text().replace("{points: 7}", "{points: 7.5}"))
    assert [str(p) for p in load_quizzes(tmp_path)[1]] == [
        "quizzes/tiny.yaml:5: pass mark of 7.5 points can never be reached: "
        "the best draw gives 7"]


def test_keys_of_another_question_type_are_errors(tmp_path):
    shutil.copytree(FIXTURES / "good", tmp_path, dirs_exist_ok=True)
    path = tmp_path / "quizzes" / "tiny.yaml"
    text = path.read_text().replace("        answer: true\n", "        answer: true\n"
                                    "        scoring: partial\n        items: [a, b]\n")
    path.write_text(text)
    assert [str(p) for p in load_quizzes(tmp_path)[1]] == [
        "quizzes/tiny.yaml:39: 'scoring' does not belong in a true_false question",
        "quizzes/tiny.yaml:40: 'items' does not belong in a true_false question"]


def test_a_missing_quizzes_folder_is_a_problem_not_an_empty_course(tmp_path):
    problem = Problem("quizzes", 0, f"no quizzes folder in {tmp_path}")
    assert load_quizzes(tmp_path) == ([], [problem])


def test_the_sample_quizzes_load_cleanly():
    quizzes, problems = load_quizzes(SAMPLE_ROOT)
    assert [str(p) for p in problems] == []
    assert [q.id for q in quizzes] == ["certification", "comprehensive", "group-a", "group-b",
                                       "group-c", "group-d", "group-e", "renewal"]
    assert [q.group for q in quizzes if q.kind == "group"] == ["A", "B", "C", "D", "E"]
    certification = quizzes[0]
    assert certification.attempts == 1 and certification.review.show == "score_only"
    assert all(q.author for pool in certification.pools for q in pool.questions)
    for quiz in quizzes:
        assert quiz.max_points_possible() >= quiz.min_points_possible() > 0

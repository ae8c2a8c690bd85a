"""Grading rules, text normalisation and drawing questions: pure functions, no app."""

from dataclasses import replace
from pathlib import Path

import pytest

from lms.assessment.grading import (
    Outcome,
    Result,
    draw_questions,
    grade_attempt,
    grade_question,
    normalise_text,
)
from lms.assessment.quizcheck import load_quizzes
from lms.assessment.quizfile import Draw, Option, Pool, Question

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE_ROOT = Path(__file__).parents[2]


def options(right: str, wrong: str) -> tuple[Option, ...]:
    """Options named by letter: *right* the correct ones, *wrong* the others."""
    letters = sorted(right + wrong)
    return tuple(Option(letter, letter.upper(), letter in right) for letter in letters)


SINGLE = Question("s", "single", "?", options=options("a", "bcd"))
#: 3 correct options of 5, worth 2 points
MULTIPLE = Question("m", "multiple", "?", 2.0, options=options("abc", "de"), scoring="partial")
TRUE_FALSE = Question("t", "true_false", "?", answer=False)
SHORT = Question("x", "short_text", "?", accepted=("在留カード", "ＡＢＣ１", "ステレオタイプ"))
ORDERING = Question("o", "ordering", "?", 3.0, items=("w", "x", "y", "z"))


def score(question: Question, response) -> tuple[float, bool, bool]:
    outcome = grade_question(question, response)
    assert outcome.question_id == question.id and outcome.possible == question.points
    return round(outcome.awarded, 4), outcome.correct, outcome.answered


def test_single_choice():
    assert score(SINGLE, "a") == (1.0, True, True)
    assert score(SINGLE, "b") == (0.0, False, True)
    assert score(SINGLE, "zz") == (0.0, False, True)  # an unknown option is a wrong answer
    for nothing in (None, "", ["a"], 1, {"a": 1}):
        assert score(SINGLE, nothing) == (0.0, False, False)


@pytest.mark.parametrize(("picks", "awarded"), [
    (["a", "b", "c"], 2.0),        # exactly the correct set
    (["a", "b"], 1.3333),          # 2 × (2 − 0) / 3
    (["a", "b", "c", "d"], 1.3333),  # 2 × (3 − 1) / 3
    (["a", "b", "c", "d", "e"], 0.6667),  # everything ticked: 2 × (3 − 2) / 3
    (["a", "d"], 0.0),             # 2 × (1 − 1) / 3
    (["d", "e"], 0.0),             # 2 × max(0, (0 − 2) / 3)
    (["a", "a", "a"], 0.6667),     # a repeated pick counts once: 2 × 1 / 3
    (["a", "b", "nope"], 0.6667),  # an unknown id is a wrong pick: 2 × (2 − 1) / 3
    (["a", "b", 7], 0.6667),       # so is anything that is not an id
    (["a", "b", ["c"]], 0.6667),
])
def test_multiple_partial_credit(picks, awarded):
    assert score(MULTIPLE, picks) == (awarded, awarded == 2.0, True)


def test_ticking_every_option_earns_nothing_when_wrong_options_are_as_many_as_right_ones():
    half = Question("h", "multiple", "?", options=options("ab", "cd"), scoring="partial")
    mostly_wrong = Question("w", "multiple", "?", options=options("a", "bcd"), scoring="partial")
    assert score(half, ["a", "b", "c", "d"]) == (0.0, False, True)
    assert score(mostly_wrong, ["a", "b", "c", "d"]) == (0.0, False, True)


def test_multiple_all_or_nothing_needs_exactly_the_correct_set():
    strict = replace(MULTIPLE, scoring="all_or_nothing")
    assert score(strict, ["c", "a", "b"]) == (2.0, True, True)
    assert score(strict, ["a", "b"]) == (0.0, False, True)
    assert score(strict, ["a", "b", "c", "d"]) == (0.0, False, True)


def test_multiple_without_a_list_is_unanswered():
    for nothing in (None, [], "a", {"a": True}, 3):
        assert score(MULTIPLE, nothing) == (0.0, False, False)


def test_true_false_takes_booleans_and_their_names():
    assert score(TRUE_FALSE, False) == (1.0, True, True)
    assert score(TRUE_FALSE, True) == (0.0, False, True)
    assert score(TRUE_FALSE, " FALSE ") == (1.0, True, True)
    assert score(TRUE_FALSE, "true") == (0.0, False, True)
    for nothing in (None, "", "no", 0, []):
        assert score(TRUE_FALSE, nothing) == (0.0, False, False)


@pytest.mark.parametrize("typed", [
    "在留カード", " 在留カード。", "在留　カード", "ＡＢＣ１", "abc1", "A B C 1.", "Abc１、",
    "ｽﾃﾚｵﾀｲﾌﾟ", "ステレオ タイプ",
])
def test_short_text_matches_across_widths_case_spaces_and_a_final_stop(typed):
    assert score(SHORT, typed) == (1.0, True, True)


def test_short_text_wrong_or_empty():
    assert score(SHORT, "在留証明書") == (0.0, False, True)
    assert score(SHORT, "カード在留") == (0.0, False, True)
    for nothing in (None, "", "   ", "\u3000", 1, ["在留カード"]):
        assert score(SHORT, nothing) == (0.0, False, False)


def test_normalise_text():
    assert normalise_text("ざいりゅう カード") == "ざいりゅうカード"
    assert normalise_text("ＡＢＣ１") == "abc1"
    assert normalise_text(" Straße\u3000。") == "strasse"
    assert normalise_text("30日、") == normalise_text("３０日") == "30日"


def test_ordering_all_or_nothing_needs_the_exact_order():
    assert score(ORDERING, [0, 1, 2, 3]) == (3.0, True, True)
    assert score(ORDERING, [0, 1, 3, 2]) == (0.0, False, True)


@pytest.mark.parametrize(("order", "awarded"), [
    ([0, 1, 2, 3], 3.0),
    ([0, 1, 3, 2], 1.5),   # 3 × 2 / 4
    ([3, 1, 2, 0], 1.5),
    ([1, 0, 3, 2], 0.0),
    ([0, 2, 3, 1], 0.75),  # 3 × 1 / 4
])
def test_ordering_partial_credit_counts_items_in_their_place(order, awarded):
    assert score(replace(ORDERING, scoring="partial"), order) == (awarded, awarded == 3.0, True)


@pytest.mark.parametrize("garbage", [
    [0, 0, 1, 2], [0, 1, 2], [0, 1, 2, 3, 4], ["0", "1", "2", "3"], [0.0, 1.0, 2.0, 3.0],
    [False, True, 2, 3], [0, 1, 2, None],
])
def test_an_ordering_that_is_not_a_rearrangement_scores_nothing(garbage):
    assert score(replace(ORDERING, scoring="partial"), garbage) == (0.0, False, True)


def test_ordering_without_a_list_is_unanswered():
    for nothing in (None, [], "0123", 5):
        assert score(ORDERING, nothing) == (0.0, False, False)


def test_an_unknown_question_type_scores_nothing():
    assert score(Question("q", "essay", "?"), "anything") == (0.0, False, False)


def test_grade_attempt_adds_up_in_question_order():
    result = grade_attempt([SINGLE, MULTIPLE, TRUE_FALSE], {"m": ["a", "b"], "s": "a"},
                           pass_percent=50, pass_points=None)
    assert [o.question_id for o in result.outcomes] == ["s", "m", "t"]
    assert result.outcomes[2] == Outcome("t", 0.0, 1.0, False, False)
    # (1 + 4/3) / 4 = 58.333… %
    assert (round(result.score, 4), result.possible, result.percent, result.passed) == (
        2.3333, 4.0, 58.33, True)


def ten(right: int) -> tuple[list[Question], dict[str, bool]]:
    questions = [replace(TRUE_FALSE, id=f"t{i}") for i in range(10)]
    return questions, {f"t{i}": i >= right for i in range(10)}


def test_passing_by_percent_at_the_exact_boundary():
    assert grade_attempt(*ten(7), pass_percent=70, pass_points=None).passed
    assert not grade_attempt(*ten(6), pass_percent=70, pass_points=None).passed
    assert grade_attempt(*ten(7), pass_percent=70, pass_points=None).percent == 70.0


def test_passing_by_points_at_the_exact_boundary_despite_float_noise():
    assert grade_attempt(*ten(4), pass_percent=None, pass_points=4).passed
    assert not grade_attempt(*ten(3), pass_percent=None, pass_points=4).passed
    questions = [replace(TRUE_FALSE, id=f"p{i}", points=p) for i, p in enumerate([.7, .1, .1, .1])]
    result = grade_attempt(questions, {q.id: False for q in questions}, None, 1.0)
    assert result.score < 1.0 and result.passed  # 0.7 + 0.1 + 0.1 + 0.1 == 0.9999999999999999


def test_an_attempt_worth_nothing_never_passes():
    assert grade_attempt([], {}, pass_percent=70, pass_points=None) == Result(
        0, 0, 0.0, False, ())
    assert not grade_attempt(*ten(10), pass_percent=None, pass_points=None).passed


# --- drawing ---------------------------------------------------------------------------------

def tiny():
    return load_quizzes(FIXTURES / "good")[0][0]


def test_the_same_seed_draws_the_same_questions_in_the_same_order():
    quiz = tiny()
    assert draw_questions(quiz, 42) == draw_questions(quiz, 42)
    assert len({repr(draw_questions(quiz, seed)) for seed in range(30)}) > 10


def test_each_pool_gives_its_count_of_distinct_questions():
    quiz = tiny()
    for seed in range(50):
        drawn = draw_questions(quiz, seed)
        ids = [question_id for question_id, _ in drawn]
        assert len(ids) == len(set(ids)) == 4 and "tiny-order" in ids
        for question_id, shown in drawn:
            question = quiz.question(question_id)
            if question.type in ("single", "multiple"):
                assert sorted(shown) == [o.id for o in question.options]
            elif question.type != "ordering":
                assert shown == []


def test_a_drawn_ordering_question_is_never_already_solved():
    quiz = tiny()
    two = Question("two", "ordering", "?", items=("first", "second"))
    quiz = replace(quiz, shuffle_options=False, draw=(*quiz.draw, Draw("two", 1)),
                   pools=(*quiz.pools, Pool("two", (two,))))
    for seed in range(200):
        shown = dict(draw_questions(quiz, seed))
        assert sorted(shown["tiny-order"]) == [0, 1, 2, 3] != shown["tiny-order"]
        assert shown["two"] == [1, 0]


def test_without_shuffling_questions_and_options_keep_their_file_order():
    quiz = replace(tiny(), shuffle_questions=False, shuffle_options=False,
                   draw=(Draw("tiny-main", 4), Draw("tiny-extra", 1)))
    drawn = draw_questions(quiz, 7)
    assert [question_id for question_id, _ in drawn] == [
        "tiny-single", "tiny-multiple", "tiny-true-false", "tiny-short", "tiny-order"]
    assert drawn[0][1] == ["a", "b", "c"] and drawn[1][1] == ["a", "b", "c", "d"]


def test_shuffled_options_change_with_the_seed():
    quiz = replace(tiny(), draw=(Draw("tiny-main", 4),))
    orders = {tuple(dict(draw_questions(quiz, seed))["tiny-multiple"]) for seed in range(40)}
    assert len(orders) > 5


def test_the_sample_quizzes_draw_their_counts():
    for quiz in load_quizzes(SAMPLE_ROOT)[0]:
        drawn = draw_questions(quiz, 2026)
        assert len(drawn) == sum(d.count for d in quiz.draw)
        assert len({question_id for question_id, _ in drawn}) == len(drawn)

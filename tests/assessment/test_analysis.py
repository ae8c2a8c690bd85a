"""Item analysis on a small fixture whose figures are worked out by hand below."""

import pytest

from lms.assessment.analysis import ItemStats, item_analysis, point_biserial
from lms.assessment.quizfile import Option, Question

SINGLE = Question("s", "single", "?", options=tuple(
    Option(letter, letter.upper(), letter == "a") for letter in "abcd"))
MULTIPLE = Question("m", "multiple", "?", options=tuple(
    Option(letter, letter.upper(), letter in "ab") for letter in "abcd"), scoring="partial")
SHORT = Question("t", "short_text", "?", accepted=("在留カード",))
TRUE_FALSE = Question("u", "true_false", "?", answer=True)
NEVER = Question("n", "true_false", "?", answer=True)
QUESTIONS = {q.id: q for q in (SINGLE, MULTIPLE, SHORT, TRUE_FALSE, NEVER)}

# Five attempts, totals 90, 80, 60, 40, 30 (percent).
#
# Item "s" (all five attempts; right for the first three):
#   p = 3/5 = 0.6, q = 0.4
#   M1 = (90 + 80 + 60) / 3 = 76.667      M0 = (40 + 30) / 2 = 35
#   mean = 300 / 5 = 60; deviations 30, 20, 0, −20, −30; squares 900 + 400 + 0 + 400 + 900 = 2600
#   s = √(2600 / 5) = √520 = 22.804 (population sd)
#   r = (76.667 − 35) / 22.804 × √(0.6 × 0.4) = 1.8272 × 0.48990 = 0.895
# Item "m" (not given to the attempt at 60; right at 90 and 40):
#   p = 2/4 = 0.5; M1 = (90 + 40) / 2 = 65, M0 = (80 + 30) / 2 = 55
#   mean = 240 / 4 = 60; squares 900 + 400 + 400 + 900 = 2600; s = √(2600 / 4) = √650 = 25.495
#   r = (65 − 55) / 25.495 × √(0.5 × 0.5) = 0.39223 × 0.5 = 0.196
# Item "t": everyone right, p = 1, so r says nothing (None).
# Item "u": given once, too few answers for r (None).
ATTEMPTS = [
    (90.0, {"s": (True, "a"), "m": (True, ["a", "b"]), "t": (True, "在留カード"),
            "u": (True, True)}),
    (80.0, {"s": (True, "a"), "m": (False, ["a", "c"]), "t": (True, "在留 カード。")}),
    (60.0, {"s": (True, "a"), "t": (True, "ＺＡＩＲＹＵ")}),
    (40.0, {"s": (False, "b"), "m": (True, ["b", "a"]), "t": (True, "ざいりゅうカード")}),
    (30.0, {"s": (False, "c"), "m": (False, ["a", "a", "d"]), "t": (True, "在留カード")}),
]


def by_id():
    return {stats.question_id: stats for stats in item_analysis(ATTEMPTS, QUESTIONS)}


def test_items_come_in_the_order_of_the_questions_mapping():
    assert [s.question_id for s in item_analysis(ATTEMPTS, QUESTIONS)] == ["s", "m", "t", "u", "n"]


def test_proportion_correct_and_discrimination_match_the_hand_computation():
    stats = by_id()
    assert stats["s"].responses == 5
    assert stats["s"].proportion_correct == pytest.approx(0.6)
    assert round(stats["s"].discrimination, 3) == 0.895
    assert stats["m"].responses == 4
    assert stats["m"].proportion_correct == pytest.approx(0.5)
    assert round(stats["m"].discrimination, 3) == 0.196


def test_discrimination_is_none_when_it_would_say_nothing():
    stats = by_id()
    assert (stats["t"].proportion_correct, stats["t"].discrimination) == (1.0, None)
    assert (stats["u"].responses, stats["u"].discrimination) == (1, None)
    assert point_biserial([70.0, 70.0, 70.0], [True, False, True]) is None  # s == 0
    assert point_biserial([90.0, 10.0], [False, False]) is None  # p == 0
    assert point_biserial([], []) is None


def test_a_question_nobody_was_given_has_no_figures():
    assert by_id()["n"] == ItemStats("n", 0, None, None, {})


def test_distractors_count_each_option_picked_once_per_attempt():
    stats = by_id()
    assert stats["s"].distractors == {"a": 3, "b": 1, "c": 1, "d": 0}
    # ["a", "a", "d"] counts "a" once
    assert stats["m"].distractors == {"a": 4, "b": 2, "c": 1, "d": 1}


def test_free_answers_are_counted_normalised_most_frequent_first():
    assert by_id()["t"].distractors == {"在留カード": 3, "zairyu": 1, "ざいりゅうカード": 1}
    assert by_id()["u"].distractors == {"true": 1}


def test_only_the_ten_most_frequent_free_answers_are_kept():
    attempts = [(50.0, {"t": (False, f"answer {i % 12}")}) for i in range(14)]
    distractors = item_analysis(attempts, {"t": SHORT})[0].distractors
    assert list(distractors) == ["answer0", "answer1", *(f"answer{i}" for i in (10, 11, 2, 3,
                                                                                 4, 5, 6, 7))]
    assert distractors["answer0"] == distractors["answer1"] == 2


def test_ordering_answers_are_counted_by_the_order_given():
    order = Question("o", "ordering", "?", items=("x", "y", "z"))
    attempts = [(50.0, {"o": (False, [1, 0, 2])}), (60.0, {"o": (False, [1, 0, 2])}),
                (70.0, {"o": (True, [0, 1, 2])}), (20.0, {"o": (False, None)})]
    stats = item_analysis(attempts, {"o": order})[0]
    assert stats.distractors == {"1,0,2": 2, "0,1,2": 1}
    assert stats.responses == 4 and stats.proportion_correct == 0.25

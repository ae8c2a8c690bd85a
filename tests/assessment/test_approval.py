"""A certification test may only contain questions the committee approved (§6(2))."""

from pathlib import Path

from lms.assessment.quizcheck import load_quizzes

FIXTURE = Path(__file__).parents[1] / "fixtures" / "authoring" / "quizzes" / "certification.yaml"


def test_unapproved_question_in_a_certification_test_is_a_problem(tmp_path):
    (tmp_path / "quizzes").mkdir()
    text = FIXTURE.read_text(encoding="utf-8").replace("approved: true}", "approved: false}", 1)
    (tmp_path / "quizzes" / "certification.yaml").write_text(text, encoding="utf-8")
    quizzes, problems = load_quizzes(tmp_path)
    assert quizzes == []
    assert [str(p) for p in problems] == [
        "quizzes/certification.yaml:17: question 'fcert-q1' is not approved by the committee"]


def test_approved_questions_load(tmp_path):
    (tmp_path / "quizzes").mkdir()
    (tmp_path / "quizzes" / "certification.yaml").write_bytes(FIXTURE.read_bytes())
    quizzes, problems = load_quizzes(tmp_path)
    assert problems == [] and [q.id for q in quizzes] == ["certification"]

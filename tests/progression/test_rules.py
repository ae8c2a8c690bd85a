"""Gating rules without an app."""

from lms.progression.rules import gate_problems, unit_state

GATES = {
    "quiz:group-a": ("lectures:A",),
    "quiz:comprehensive": ("quiz:group-a", "quiz:group-b"),
    "stage:practice": ("quiz:comprehensive",),
}


def test_open_when_every_requirement_is_met():
    assert unit_state("quiz:group-a", GATES, {"lectures:A"}).open
    lock = unit_state("quiz:comprehensive", GATES, {"quiz:group-a"})
    assert not lock.open and lock.missing == ("quiz:group-b",)


def test_ungated_units_are_open():
    assert unit_state("quiz:other", GATES, set()).open


def test_withdrawn_trainee_has_every_gated_unit_closed():
    everything = {"lectures:A", "quiz:group-a", "quiz:group-b", "quiz:comprehensive"}
    lock = unit_state("stage:practice", GATES, everything, withdrawn=True)
    assert not lock.open and lock.withdrawn


def test_gate_table_problems():
    known = {"lectures:A", "quiz:group-a", "quiz:group-b", "quiz:comprehensive",
             "stage:practice"}
    assert gate_problems(GATES, known) == []
    assert gate_problems({"quiz:x": ("quiz:y",)}, {"quiz:x"}) == ["unknown unit 'quiz:y'"]
    cyclic = {"quiz:a": ("quiz:b",), "quiz:b": ("quiz:a",)}
    assert any(p.startswith("cycle:") for p in gate_problems(cyclic, {"quiz:a", "quiz:b"}))

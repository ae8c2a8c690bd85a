"""The statement rules alone (lms/lrs/rules/): pure, no application needed."""

from __future__ import annotations

import pytest

from lms.lrs.rules import Invalid, Validator

BASE = {"actor": {"mbox": "mailto:a@other.example"}, "verb": {"id": "http://v.example/x"},
        "object": {"id": "http://a.example/1"}}


def problem(statement: dict, v2: bool = False) -> str | None:
    try:
        Validator(v2).statement(statement)
    except Invalid as exc:
        return exc.field
    return None


def test_a_minimal_statement_is_valid():
    assert problem(BASE) is None


@pytest.mark.parametrize("change,field", [
    ({"actor": {"mbox": "a@other.example"}}, "actor.mbox"),
    ({"actor": {"mbox": "mailto:a@x.example", "openid": "http://o.example"}}, "actor"),
    ({"object": {"objectType": "Thing", "id": "http://a.example/1"}}, "object.objectType"),
    ({"result": {"score": {"min": 5, "max": 5}}}, "result.score.max"),
    ({"result": {"score": {"raw": 11, "max": 10}}}, "result.score.raw"),
    ({"context": {"language": "not a tag"}}, "context.language"),
    ({"timestamp": "2026-11-26T10:00:00-00:00"}, "timestamp"),
    ({"timestamp": "0001-01-01T00:00:00+01:00"}, "timestamp"),
    ({"object": {"objectType": "StatementRef", "id": "x"}}, "object.id"),
])
def test_broken_rules_name_the_field(change, field):
    assert problem({**BASE, **change}) == field


def test_the_2_0_context_properties_only_in_2_0():
    agents = {"contextAgents": [{"objectType": "contextAgent",
                                 "agent": {"mbox": "mailto:c@other.example"}}]}
    assert problem({**BASE, "context": agents}) == "context.contextAgents"
    assert problem({**BASE, "context": agents}, v2=True) is None


def test_a_substatement_cannot_nest_or_carry_an_id():
    sub = {"objectType": "SubStatement", **BASE}
    assert problem({**BASE, "object": {**sub, "id": "x"}}) == "object.id"
    assert problem({**BASE, "object": {**sub, "object": sub}}) == "object.object.objectType"

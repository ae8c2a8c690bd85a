"""Statements resource, xAPI 1.0.3: what is accepted, what is refused, and why (400 in JSON)."""

from __future__ import annotations

import pytest

from tests.lrs.conftest import agent, statement
from tests.lrs.contract.conftest import refused

MBOX = {"objectType": "Agent", "mbox": "mailto:someone@other.example"}
GROUP_ANONYMOUS = {"objectType": "Group", "member": [MBOX]}
IDENTIFIED = {
    "mbox": {"mbox": "mailto:team@other.example"},
    "mbox_sha1sum": {"mbox_sha1sum": "a" * 40},
    "openid": {"openid": "https://openid.other.example/team"},
    "account": {"account": {"homePage": "https://other.example", "name": "team-1"}},
}


# --- valid statements the LRS must accept -------------------------------------------------

@pytest.mark.parametrize("ifi", IDENTIFIED)
def test_data_2_4_6_identified_group_as_instructor_and_team(lrs, ifi):
    group = {"objectType": "Group", **IDENTIFIED[ifi]}
    assert lrs.post(statement(context={"instructor": group, "team": group})).status_code == 200


def test_data_2_4_6_anonymous_group_as_instructor_and_team(lrs):
    s = statement(context={"instructor": GROUP_ANONYMOUS, "team": GROUP_ANONYMOUS})
    assert lrs.post(s).status_code == 200


def test_data_2_4_4_3_substatement_with_group_instructor(lrs):
    sub = {"objectType": "SubStatement", "actor": agent(), "verb": {"id": "http://v.example/x"},
           "object": {"id": "http://a.example/1"}, "context": {"instructor": GROUP_ANONYMOUS}}
    assert lrs.post(statement(object=sub)).status_code == 200


@pytest.mark.parametrize("inner", [MBOX, GROUP_ANONYMOUS])
def test_data_2_4_4_3_substatement_whose_object_is_an_agent_or_group(lrs, inner):
    sub = {"objectType": "SubStatement", "actor": agent(), "verb": {"id": "http://v.example/x"},
           "object": inner}
    assert lrs.post(statement(object=sub)).status_code == 200


@pytest.mark.parametrize("change", [
    {"object": {"id": "http://a.example/1", "definition": {}}},
    {"object": {"id": "http://a.example/1", "definition": {"extensions": {}}}},
    {"result": {"extensions": {}}},
    {"context": {"extensions": {}}},
])
def test_data_4_1_empty_objects_are_valid(lrs, change):
    assert lrs.post(statement(**change)).status_code == 200


def test_data_2_4_10_version_1_0_is_accepted(lrs):
    assert lrs.post(statement(version="1.0")).status_code == 200


def test_data_2_4_9_a_valid_authority_is_replaced_by_the_lrs(lrs):
    s = statement(authority=MBOX)
    assert lrs.post(s).status_code == 200
    assert lrs.get(statementId=s["id"]).get_json()["authority"]["account"]["name"] == "tester"


# --- invalid statements the LRS must refuse -----------------------------------------------

@pytest.mark.parametrize("openid", ["not a uri", "openid.example/me"])
def test_data_2_4_2_3_openid_must_be_a_uri(lrs, openid):
    assert refused(lrs.post(statement(actor={"openid": openid})), "actor.openid")


@pytest.mark.parametrize("duration", [12345, "12345", "P4W1D", "PT", "P"])
def test_data_4_6_result_duration_must_be_iso_8601(lrs, duration):
    assert refused(lrs.post(statement(result={"duration": duration})), "result.duration")


@pytest.mark.parametrize("duration", ["PT1H30M", "P4W", "P1Y2M3DT4H5M6.5S", "PT0S"])
def test_data_4_6_iso_8601_durations_are_accepted(lrs, duration):
    assert lrs.post(statement(result={"duration": duration})).status_code == 200


@pytest.mark.parametrize("where", ["result", "context"])
def test_data_4_1_extensions_must_be_an_object(lrs, where):
    assert refused(lrs.post(statement(**{where: {"extensions": 5}})), f"{where}.extensions")


def test_data_4_1_activity_definition_extensions_must_be_an_object(lrs):
    s = statement(object={"id": "http://a.example/1", "definition": {"extensions": 5}})
    assert refused(lrs.post(s), "object.definition.extensions")


@pytest.mark.parametrize("key", ["revision", "platform"])
def test_data_2_4_6_revision_and_platform_only_with_an_activity_in_substatements(lrs, key):
    sub = {"objectType": "SubStatement", "actor": agent(), "verb": {"id": "http://v.example/x"},
           "object": MBOX, "context": {key: "x"}}
    assert refused(lrs.post(statement(object=sub)), f"object.context.{key}")


def test_data_2_4_6_revision_only_with_an_activity(lrs):
    assert refused(lrs.post(statement(object=MBOX, context={"revision": "1"})),
                   "context.revision")


def test_data_2_4_9_an_oauth_authority_group_of_two_agents_is_valid(lrs):
    two = {"objectType": "Group", "member": [MBOX, agent("app")]}
    assert lrs.post(statement(authority=two)).status_code == 200


def test_data_2_4_9_an_invalid_authority_is_refused_not_overwritten(lrs):
    three = {"objectType": "Group", "member": [MBOX, agent("b"), agent("c")]}
    assert refused(lrs.post(statement(authority=three)), "authority")


@pytest.mark.parametrize("change,field", [
    ({"sha2": "not a hash"}, "sha2"), ({"contentType": 5}, "contentType"),
    ({"length": "3"}, "length")])
def test_data_2_4_11_attachment_properties(lrs, change, field):
    attachment = {"usageType": "http://u.example/x", "display": {"en-US": "x"},
                  "contentType": "text/plain", "length": 3, "sha2": "a" * 64,
                  "fileUrl": "http://f.example/x", **change}
    assert refused(lrs.post(statement(attachments=[attachment])), f"attachments[0].{field}")


@pytest.mark.parametrize("obj", [{"mbox": "mailto:x@other.example"},
                                 {"member": [MBOX]}])
def test_data_2_4_4_2_agent_or_group_as_object_needs_object_type(lrs, obj):
    assert refused(lrs.post(statement(object=obj)), "object.objectType")


def test_data_2_4_1_id_must_be_a_uuid(lrs):
    assert refused(lrs.post(statement(id="not-a-uuid")), "id")


def test_data_2_4_3_verb_id_must_be_an_iri(lrs):
    assert refused(lrs.post(statement() | {"verb": {"id": "passed"}}), "verb.id")


def test_data_4_2_language_map_keys_are_language_tags(lrs):
    s = statement() | {"verb": {"id": "http://v.example/x", "display": {"not a tag": "x"}}}
    assert refused(lrs.post(s), "verb.display")


def test_data_2_4_5_1_scaled_score_between_minus_one_and_one(lrs):
    assert refused(lrs.post(statement(result={"score": {"scaled": 1.5}})),
                   "result.score.scaled")


def test_data_2_4_unknown_properties_are_refused(lrs):
    assert refused(lrs.post(statement(colour="red")), "colour")


def test_data_2_4_10_version_2_is_refused_from_a_1_0_client(lrs):
    assert refused(lrs.post(statement(version="2.0.0")), "version")


def test_data_2_4_7_timestamp_must_be_iso_8601(lrs):
    assert refused(lrs.post(statement(timestamp="yesterday")), "timestamp")


def test_data_2_4_6_registration_must_be_a_uuid(lrs):
    assert refused(lrs.post(statement(context={"registration": "r-1"})),
                   "context.registration")


def test_comm_2_1_error_messages_are_english_and_name_the_field(lrs):
    answer = lrs.post(statement(result={"score": {"raw": "8"}}))
    assert refused(answer, "result.score.raw")
    assert answer.get_json()["error"]["message"].isascii()


# --- storing and retrieval ----------------------------------------------------------------

def test_comm_2_1_1_put_without_id_is_stored_under_statement_id(lrs):
    s = statement()
    sid = s.pop("id")
    assert lrs.put(s, sid).status_code == 204
    assert lrs.get(statementId=sid).get_json()["id"] == sid


def test_comm_1_3_put_without_id_through_the_alternate_syntax(lrs, client):
    import json

    s = statement()
    sid = s.pop("id")
    answer = client.post("/xapi/statements?method=PUT", data={
        "Authorization": lrs.auth, "X-Experience-API-Version": "1.0.3", "statementId": sid,
        "Content-Type": "application/json", "content": json.dumps(s)})
    assert answer.status_code == 204
    assert lrs.get(statementId=sid).status_code == 200


def test_data_2_4_6_2_a_single_context_activity_is_returned_as_an_array(lrs):
    single = {"id": "http://a.example/course"}
    s = statement(context={"contextActivities": {"parent": single}})
    assert lrs.post(s).status_code == 200
    for fmt in ("exact", "canonical", "ids"):
        got = lrs.get(statementId=s["id"], format=fmt).get_json()
        parent = got["context"]["contextActivities"]["parent"]
        assert isinstance(parent, list) and parent[0]["id"] == single["id"], fmt
    assert lrs.post(s).status_code == 200  # a re-send is the same statement, not a conflict


def test_comm_2_1_3_format_ids_keeps_object_type_on_activities(lrs):
    s = statement(context={"contextActivities": {"parent": [{"id": "http://a.example/p"}]}})
    s["object"]["definition"] = {"name": {"en-US": "one"}}
    lrs.post(s)
    got = lrs.get(statementId=s["id"], format="ids").get_json()
    assert got["object"] == {"objectType": "Activity", "id": s["object"]["id"]}
    assert got["context"]["contextActivities"]["parent"][0]["objectType"] == "Activity"


def _ref(target: str, verb: str = "http://v.example/mentions") -> dict:
    return statement(verb=verb, activity="http://a.example/unused") | {
        "object": {"objectType": "StatementRef", "id": target}}


def test_comm_2_1_3_verb_filter_returns_statements_targeting_a_match(lrs):
    verb = "http://v.example/passed"
    target = statement(verb=verb)
    voiding = _ref(target["id"], "http://adlnet.gov/expapi/verbs/voided")
    mention = _ref(target["id"])
    for s in (target, mention):
        assert lrs.post(s).status_code == 200
    ids = {s["id"] for s in lrs.get(verb=verb).get_json()["statements"]}
    assert ids == {target["id"], mention["id"]}
    assert lrs.post(voiding).status_code == 200
    ids = {s["id"] for s in lrs.get(verb=verb).get_json()["statements"]}
    assert ids == {mention["id"], voiding["id"]}  # the voided target itself is gone


def test_comm_2_1_3_statement_ref_targeting_does_not_depend_on_order(lrs):
    who = agent("late-target")
    target = statement(actor=who, verb="http://v.example/late", activity="http://a.example/late")
    mention = _ref(target["id"])
    assert lrs.post(mention).status_code == 200  # stored before its target
    assert lrs.post(target).status_code == 200
    import json

    for params in ({"verb": "http://v.example/late"}, {"activity": "http://a.example/late"},
                   {"agent": json.dumps(who)}):
        ids = {s["id"] for s in lrs.get(**params).get_json()["statements"]}
        assert mention["id"] in ids, params


def test_comm_2_5_activities_merges_definitions(lrs):
    iri = "http://a.example/merged"
    first = statement(activity=iri)
    first["object"]["definition"] = {"name": {"en-US": "Visit"},
                                     "type": "http://t.example/one"}
    second = statement(activity=iri)
    second["object"]["definition"] = {"name": {"ja-JP": "訪問"},
                                      "description": {"en-US": "A visit"}}
    lrs.post([first, second])
    definition = lrs.get("/xapi/activities", activityId=iri).get_json()["definition"]
    assert definition["name"] == {"en-US": "Visit", "ja-JP": "訪問"}
    assert definition["description"] == {"en-US": "A visit"}
    assert definition["type"] == "http://t.example/one"


def test_comm_2_8_about_lists_both_versions(client):
    versions = client.get("/xapi/about").get_json()["version"]
    assert "1.0.3" in versions and "2.0.0" in versions


def test_comm_3_3_a_1_0_client_is_answered_in_1_0_3(lrs):
    assert lrs.get().headers["X-Experience-API-Version"] == "1.0.3"

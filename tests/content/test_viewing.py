"""Viewing sessions: cmi5 AU sessions and ADL Video Profile sessions of lecture pages."""

import json
import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa
from ralph.models.xapi.video import statements as ralph_video

from lms.content.models import ViewingSession
from lms.extensions import db
from lms.lrs.models import XapiDocument
from lms.timeutil import utcnow
from lms.xapi.models import Statement
from tests.conftest import profile_problems
from tests.factories import open_long_ago, open_page, report

VIDEO = "https://w3id.org/xapi/video"
ADL = "http://adlnet.gov/expapi/verbs/"
RALPH = {ADL + "initialized": ralph_video.VideoInitialized,
         VIDEO + "/verbs/played": ralph_video.VideoPlayed,
         VIDEO + "/verbs/paused": ralph_video.VideoPaused,
         VIDEO + "/verbs/seeked": ralph_video.VideoSeeked,
         ADL + "completed": ralph_video.VideoCompleted,
         ADL + "terminated": ralph_video.VideoTerminated}


def statements(app):
    with app.app_context():
        return [r.payload for r in db.session.execute(
            sa.select(Statement).order_by(Statement.seq)).scalars()]


def test_a_whole_viewing_keeps_both_profiles(app, client, course, trainee):
    """Open, play, seek, pause, watch to the end, close the page: every statement conforms,
    by our rule checks and by ralph's own Video Profile models."""
    open_page(client, "a01-short")
    open_long_ago(app, trainee, "a01-short")
    report(client, "a01-short", [[0, 2.0]], position=2)
    report(client, "a01-short", [[2.0, 3.0]], position=3, events=[
        {"type": "seeked", "time": 3, "from": 3, "to": 1},
        {"type": "paused", "time": 1}])
    report(client, "a01-short", [[3.0, 6.0]], position=6, final=True)
    made = [s for s in statements(app) if s["verb"]["id"].endswith(("/logged-in", "/registered"))
            is False]
    verbs = [s["verb"]["id"].rsplit("/", 1)[-1] for s in made]
    # group A's lectures are satisfied (group B's module is not watched)
    assert verbs == ["launched", "initialized", "played", "played", "seeked", "paused",
                     "played", "completed", "satisfied", "paused", "terminated"]
    session = client.viewing_session
    for s in made:
        if s["verb"]["id"].endswith("satisfied"):
            continue
        ext = s["context"]["extensions"]
        assert ext["https://w3id.org/xapi/cmi5/context/extensions/sessionid"] == session
        if s["verb"]["id"] in RALPH:
            assert ext[VIDEO + "/extensions/session-id"] == session
            # ralph-malph's Video Profile models agree (they know only English displays)
            english = {"id": s["verb"]["id"], "display": {"en-US": s["verb"]["display"]["en-US"]}}
            RALPH[s["verb"]["id"]](**{**s, "verb": english})
    terminated = made[-1]
    assert terminated["result"]["duration"].startswith("PT")
    with app.app_context():
        assert profile_problems() == []
        row = db.session.get(ViewingSession, session)
        assert row.ended_how == "terminated"


def test_launch_data_state_document_holds_the_context_template(app, client, course, trainee):
    open_page(client, "a01-short")
    with app.app_context():
        doc = db.session.execute(sa.select(XapiDocument).filter_by(
            doc_id="LMS.LaunchData")).scalar_one()
        data = json.loads(doc.content)
        assert doc.activity_id == "http://lms.test/xapi/activities/modules/a01-short"
        assert doc.registration  # the enrolment's registration
    template = data["contextTemplate"]
    assert template["extensions"]["https://w3id.org/xapi/cmi5/context/extensions/sessionid"] \
        == client.viewing_session
    assert template["contextActivities"]["grouping"][0]["id"] == \
        "http://lms.test/xapi/activities/content/modules/a01-short"
    assert data["launchMode"] == "Normal" and data["moveOn"] == "Completed"


def test_a_session_left_without_terminated_is_abandoned_at_the_next_launch(
        app, client, course, trainee):
    open_page(client, "a01-short")
    first = client.viewing_session
    report(client, "a01-short", [[0, 1.0]], position=1)
    with app.app_context():
        row = db.session.get(ViewingSession, first)
        row.last_event_at = utcnow() - timedelta(minutes=5)
        db.session.commit()
    open_page(client, "a01-short")
    assert client.viewing_session != first
    with app.app_context():
        assert db.session.get(ViewingSession, first).ended_how == "abandoned"
    abandoned = [s for s in statements(app) if s["verb"]["id"].endswith("/abandoned")]
    assert len(abandoned) == 1
    assert abandoned[0]["result"]["duration"].startswith("PT")


def test_a_report_from_an_ended_or_unknown_session_opens_a_new_one(app, client, course,
                                                                    trainee):
    """A late report after the page closed (or from a session the LMS never launched) is
    still counted, in a session of its own, never after a terminated statement."""
    open_page(client, "a01-short")
    open_long_ago(app, trainee, "a01-short")
    report(client, "a01-short", [[0, 1.0]], position=1, final=True)
    late = report(client, "a01-short", [[1.0, 2.0]], position=2).get_json()
    assert late["coverage"] == pytest.approx(2 / 6, abs=1e-3)
    client.viewing_session = str(uuid.uuid4())
    report(client, "a01-short", [[2.0, 3.0]], position=3)
    launched = [s for s in statements(app) if s["verb"]["id"].endswith("/launched")]
    assert len(launched) == 3
    with app.app_context():
        assert profile_problems() == []


def test_the_rule_checks_catch_what_the_profiles_forbid():
    from lms.xapi import profiles

    sid = str(uuid.uuid4())
    base = {"id": str(uuid.uuid4()), "actor": {"objectType": "Agent", "account": {
        "homePage": "http://lms.test", "name": "u1"}},
        "object": {"id": "http://lms.test/xapi/activities/modules/m1",
                   "definition": {"type": VIDEO + "/activity-type/video"}}}
    played = {**base, "verb": {"id": VIDEO + "/verbs/played"}, "result": {"extensions": {}},
              "context": {"extensions": {VIDEO + "/extensions/session-id": "demo"}}}
    found = profiles.video_problems(played)
    assert any("category" in p for p in found)
    assert any("lacks res:time" in p for p in found)
    assert any("session-id 'demo'" in p for p in found)
    satisfied = {**base, "verb": {"id": "https://w3id.org/xapi/adl/verbs/satisfied"},
                 "object": {"id": "http://lms.test/b", "definition": {
                     "type": "https://w3id.org/xapi/cmi5/activitytype/block"}},
                 "context": {"registration": str(uuid.uuid4()), "contextActivities": {
                     "category": [{"id": profiles.CMI5_CATEGORY},
                                  {"id": profiles.MOVEON_CATEGORY}]},
                     "extensions": {profiles.SESSION: sid}}}
    found = profiles.cmi5_problems(satisfied)
    assert any("§9.6.2.2" in p for p in found)  # moveon without a result
    assert any("§9.6.2.3" in p for p in found)  # no publisher id grouping
    ctx = {"registration": "r", "extensions": {profiles.SESSION: sid},
           "contextActivities": {"category": [{"id": profiles.CMI5_CATEGORY}]}}
    session = [{**base, "id": "1", "verb": {"id": profiles.LAUNCHED}, "context": ctx},
               {**base, "id": "2", "verb": {"id": profiles.TERMINATED}, "context": ctx},
               {**base, "id": "3", "verb": {"id": profiles.INITIALIZED}, "context": ctx}]
    found = profiles.session_problems(session)
    assert any("initialized must be first" in p for p in found)
    assert any("nothing may follow terminated" in p for p in found)


def test_an_au_reads_its_launch_data_through_the_state_api(app, client, course, trainee):
    """cmi5 §10: what the LMS wrote is what an AU gets from the State resource, addressed by
    the launched statement's activity, actor and registration."""
    from tests.lrs.conftest import Lrs, make_client

    open_page(client, "a01-short")
    launched = next(s for s in statements(app) if s["verb"]["id"].endswith("/launched"))
    make_client(app)
    lrs = Lrs(client, "tester", "tester-secret")
    answer = lrs.get("/xapi/activities/state", stateId="LMS.LaunchData",
                     activityId=launched["object"]["id"], agent=json.dumps(launched["actor"]),
                     registration=launched["context"]["registration"])
    assert answer.status_code == 200
    template = answer.get_json()["contextTemplate"]
    assert template["extensions"]["https://w3id.org/xapi/cmi5/context/extensions/sessionid"] \
        == launched["context"]["extensions"][
            "https://w3id.org/xapi/cmi5/context/extensions/sessionid"]
    assert template["contextActivities"]["grouping"][0] in \
        launched["context"]["contextActivities"]["grouping"]

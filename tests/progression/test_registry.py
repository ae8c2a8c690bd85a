"""A toy programme with an extra stage, registered the way every feature registers its own:
gating, the trainee's path and the administrator's funnel follow the programme file."""

from datetime import date

import pytest

from lms.admin.services import programme_funnel
from lms.auth.models import User
from lms.certification import programme
from lms.cohorts.models import Cohort
from lms.cohorts.services import enrol
from lms.extensions import db
from lms.progression import lock_for, registry, stage_path
from lms.progression.messages import reasons
from tests.factories import REQUIREMENTS

COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
TOY = """gates:
  stage:application: {requires: []}
  stage:orientation: {requires: [lectures:A]}
  stage:practice: {requires: [stage:orientation]}
  quiz:certification: {requires: [stage:practice]}
"""


@pytest.fixture
def toy(app, tmp_path):
    (tmp_path / "program.yml").write_text(TOY, encoding="utf-8")
    app.config["CONTENT_DIR"] = str(tmp_path)
    oriented: set[int] = set()
    registry.register(registry.Stage(
        "orientation", ("stage:orientation",),
        lambda users: {u.id: ({"stage:orientation"} if u.id in oriented else set())
                       for u in users},
        title=lambda unit: "Orientation", milestones=("stage:orientation",),
        proofs=lambda unit: (registry.Proof(unit, "stages/orientation", COMPLETED),)))
    yield oriented
    registry.unregister("orientation")


def test_gating_path_and_funnel_follow_a_registered_stage(app, toy, make_user, make_cohort):
    ids = [make_user(), make_user()]
    cohort_id = make_cohort(date(2026, 4, 1))
    with app.app_context():
        cohort = db.session.get(Cohort, cohort_id)
        users = [db.session.get(User, i) for i in ids]
        for user in users:
            enrol(None, cohort, user)
        db.session.commit()
        first = users[0]

        lock = lock_for(first, "stage:practice")
        assert not lock.open and lock.missing == ("stage:orientation",)
        assert "Orientation" in reasons(lock)[0]
        assert [s.unit for s in stage_path(first)] == [
            "stage:application", "stage:orientation", "stage:practice", "quiz:certification"]
        assert ("stage:orientation", 0) in programme_funnel()

        toy.add(first.id)
        assert lock_for(first, "stage:practice").open
        assert not lock_for(users[1], "stage:practice").open
        # enrolled without an application: the enrolment satisfies the application stage
        assert [s.done for s in stage_path(first)] == [True, True, False, False]
        funnel = programme_funnel()
        assert funnel[0] == ("stage:application", 2) and funnel[-1] == ("withdrawn", 0)
        assert ("stage:orientation", 1) in funnel
        # the sample programme's practice stage is still counted, after the new one
        assert [k for k, _ in funnel].index("stage:orientation") < \
            [k for k, _ in funnel].index("stage:practice")


def test_readiness_lists_the_proofs_of_what_the_certification_test_requires(app, toy):
    with app.app_context():
        keys = [r.key for r in programme.requirements()]
    # lectures have no proof; the toy stage's comes first, then practice's reports, then
    # the committee's decision on the test
    assert keys == ["stage:orientation", "report:goal", "report:progress", "report:final",
                    "quiz:certification"]


def test_the_sample_programme_derives_the_sample_requirements(app):
    with app.app_context():
        assert programme.requirements() == REQUIREMENTS

"""The trainee home and the programme state are kept across requests under each trainee's
progress version: never stale after a write (from this app, another app on the same
database, or a bulk UPDATE), after midnight in Tokyo, and the same page as without a cache."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from lms import create_app
from lms.auth.models import User
from lms.content.models import LectureModule, ModuleProgress, ProgressStatus
from lms.extensions import db
from lms.timeutil import today_tokyo, utcnow
from tests.conftest import (
    SAMPLE_AND_DEMO,
    AuthActions,
    base_config,
    sample_and_demo,
    seeded,
)

PASSWORD = "demo-pass-2026"


@pytest.fixture
def demo(app, runner):
    seeded(app, SAMPLE_AND_DEMO, lambda: sample_and_demo(runner))


def main_of(html: str) -> str:
    """The page's content (the header holds a CSRF token signed anew on each request)."""
    return re.search(r"<main.*</main>", html, re.S).group(0)


def nav_of(html: str) -> str:
    """The menu, without the mark of the page it is on."""
    nav = re.search(r"<nav.*</nav>", html, re.S).group(0).replace('aria-current="page"', "")
    return re.sub(r"\s+", " ", nav)


def drop_caches(app) -> None:
    for cache in app.extensions.get("lms_progress_caches", {}).values():
        cache.clear()


def version_of(app, email: str) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(User.progress_version).where(User.email == email))


def complete_group(app, email: str, letter: str) -> None:
    """Every published lecture of group *letter* watched (a progress write, in *app*)."""
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == email))
        for module in db.session.scalars(sa.select(LectureModule).where(
                LectureModule.group_letter == letter, LectureModule.published.is_(True))):
            row = db.session.scalar(sa.select(ModuleProgress).filter_by(
                user_id=user.id, module_id=module.id))
            if row is None:
                row = ModuleProgress(user_id=user.id, module_id=module.id, segments=[],
                                     coverage=0.0, status=ProgressStatus.NOT_STARTED,
                                     opened_at=utcnow())
                db.session.add(row)
            row.segments, row.coverage = [[0, module.duration_seconds]], 1.0
            row.status, row.completed_at = ProgressStatus.COMPLETE, utcnow()
        db.session.commit()


def test_a_page_from_the_cache_is_the_page_without_it(app, demo, client, auth):
    # trainees at every stage: not started, course ①, practice, course ② booked, all done,
    # a certificate holder in the renewal window
    pages = set()
    for who in ("trainee1", "trainee2", "trainee3", "trainee4", "trainee6", "trainee7",
                "holder-renewal"):
        auth.login(f"{who}@demo.example", PASSWORD)
        first = client.get("/trainee/").text  # drawn, then kept
        assert main_of(client.get("/trainee/").text) == main_of(first), who  # from the cache
        drop_caches(app)
        assert main_of(client.get("/trainee/").text) == main_of(first), who
        # the menu (its locks) comes from the same kept state
        assert nav_of(client.get("/course/").text) == nav_of(first), who
        pages.add(main_of(first))
        auth.logout()
    assert len(pages) >= 5  # some stand at the same point of the programme


def test_a_write_in_another_app_on_the_same_database_shows_on_the_next_page(app, demo, client,
                                                                           auth, tmp_path):
    other = create_app(base_config(str(tmp_path)))
    other_client = other.test_client()
    AuthActions(other_client).login("trainee2@demo.example", PASSWORD)
    auth.login("trainee2@demo.example", PASSWORD)
    before = main_of(client.get("/trainee/").text)
    assert main_of(other_client.get("/trainee/").text) == before  # both agree, both cached
    version = version_of(app, "trainee2@demo.example")

    complete_group(other, "trainee2@demo.example", "B")  # through the other app's session

    assert version_of(app, "trainee2@demo.example") == version + 1
    after = main_of(client.get("/trainee/").text)
    assert after != before
    assert main_of(other_client.get("/trainee/").text) == after
    drop_caches(app)
    assert main_of(client.get("/trainee/").text) == after
    # the quiz that group B opens is open in the menu's gate too, without a stale state
    assert client.get("/quizzes/group-b").status_code == 200


def test_writes_that_do_not_change_progress_keep_the_version(app, demo):
    before = version_of(app, "trainee3@demo.example")
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == "trainee3@demo.example"))
        row = db.session.scalar(sa.select(ModuleProgress).where(
            ModuleProgress.user_id == user.id,
            ModuleProgress.status == ProgressStatus.IN_PROGRESS))
        row.last_position = 12.0  # the player's position: the pages show nothing of it
        user.name = "受講生 高橋 三奈（改）"
        db.session.commit()
        row.status = ProgressStatus.COMPLETE
        db.session.rollback()  # a write rolled back bumps nothing
    assert version_of(app, "trainee3@demo.example") == before
    with app.app_context():
        db.session.execute(sa.update(ModuleProgress).where(
            ModuleProgress.user_id == sa.select(User.id).where(
                User.email == "trainee3@demo.example").scalar_subquery()).values(coverage=1.0))
        db.session.commit()  # a bulk UPDATE of a tracked model bumps its trainees
    assert version_of(app, "trainee3@demo.example") == before + 1


def test_a_cohort_change_bumps_its_trainees_only_and_content_everyone(app, demo):
    from lms.cohorts.models import Cohort, Enrolment

    versions = {e: version_of(app, f"{e}@demo.example") for e in ("trainee1", "trainee4")}
    with app.app_context():
        cohort = db.session.scalar(sa.select(Cohort).join(Enrolment).join(User).where(
            User.email == "trainee1@demo.example"))
        cohort.course1_end = cohort.course1_end + timedelta(days=1)
        db.session.commit()
    assert version_of(app, "trainee1@demo.example") == versions["trainee1"] + 1
    assert version_of(app, "trainee4@demo.example") == versions["trainee4"]
    with app.app_context():  # a lecture changed: everyone's pages may show it
        module = db.session.scalar(sa.select(LectureModule).limit(1))
        module.title += "（改訂）"
        db.session.commit()
    assert version_of(app, "trainee1@demo.example") == versions["trainee1"] + 2
    assert version_of(app, "trainee4@demo.example") == versions["trainee4"] + 1


def test_the_page_moves_on_at_midnight_in_tokyo(app, demo, client, auth, monkeypatch):
    auth.login("trainee4@demo.example", PASSWORD)
    today = main_of(client.get("/trainee/").text)
    tomorrow = today_tokyo() + timedelta(days=1)
    for module in ("lms.home.views", "lms.progression.state", "lms.templating"):
        monkeypatch.setattr(f"{module}.today_tokyo", lambda *a: tomorrow)
    page = main_of(client.get("/trainee/").text)
    assert page != today
    assert tomorrow.strftime("%Y/%m/%d") in page
    drop_caches(app)
    assert main_of(client.get("/trainee/").text) == page

"""The instructor's home shows work: reports awaiting review per cohort, today's sessions; the
review queue opens on the cohort with work."""

from lms.auth.models import User
from lms.booking.models import SessionDay
from lms.extensions import db
from lms.practice.models import PracticeReport, ReportStatus
from lms.timeutil import today_tokyo
from tests.conftest import text_of


def test_instructor_home_and_queue_lead_to_the_work(app, client, auth, demo):  # noqa: F811
    with app.app_context():
        trainee = db.session.execute(db.select(User).filter_by(
            email="trainee5@demo.example")).scalar_one()
        report = db.session.execute(db.select(PracticeReport).filter_by(
            user_id=trainee.id, kind="progress")).scalar_one()
        report.status = ReportStatus.SUBMITTED
        day = db.session.execute(db.select(SessionDay)).scalars().first()
        shift = today_tokyo() - day.day
        day.day, day.starts_at, day.ends_at = (today_tokyo(), day.starts_at + shift,
                                                day.ends_at + shift)
        db.session.commit()
        title = day.session.title
    auth.logout()
    auth.login("instructor@demo.example", "demo-pass-2026")
    home = text_of(client.get("/instructor/").text)
    assert "確認待ちの提出物 2026年度 第1期 : 1件" in home
    assert f"本日の集合研修 {title}" in home
    queue = client.get("/staff/practice/").text  # no cohort chosen: the one with work
    assert "受講生 渡辺 五月" in text_of(queue)

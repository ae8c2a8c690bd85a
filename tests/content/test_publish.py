"""Authoring from the web: the status page shows problems by file and line; an administrator
publishes (the code of `flask content sync`), audited; trainees keep their progress."""

import sqlalchemy as sa

from lms.assessment.sync import sync_quizzes
from lms.audit.models import AuditEvent
from lms.content.models import LectureModule, ModuleProgress
from lms.extensions import db
from lms.security import Role
from tests.conftest import text_of
from tests.factories import open_long_ago, report


def test_edit_with_an_error_then_fix_and_publish(app, client, auth, course, trainee,  # noqa: F811
                                                 make_user):
    client.get("/course/modules/a01-short")
    open_long_ago(app, trainee, "a01-short")
    report(client, "a01-short", [[0, 6]])
    with app.app_context():
        sync_quizzes(course.parent)
        db.session.commit()
    auth.logout()
    make_user("teacher@example.jp", Role.INSTRUCTOR)
    make_user("office@example.jp", Role.ADMIN)
    source = course / "modules" / "a01-short.md"
    good = source.read_text(encoding="utf-8")
    source.write_text(good.replace("order: 1\n", "order: 1\ncolour: blue\n")
                      .replace("本文です", "改訂した本文です"), encoding="utf-8")

    auth.login("teacher@example.jp")
    page = text_of(client.get("/instructor/preview/").text)
    assert "modules/a01-short.md:5: unknown key" in page  # the file and line of the mistake
    assert client.post("/instructor/preview/publish").status_code == 403  # administrators only
    source.write_text(good.replace("本文です", "改訂した本文です"), encoding="utf-8")
    page = text_of(client.get("/instructor/preview/").text)
    assert "a01-short.md:5" not in page  and "変更あり" in page
    auth.logout()

    auth.login("office@example.jp")
    done = client.post("/instructor/preview/publish", follow_redirects=True)
    assert "公開しました：追加 0件、更新 1件" in text_of(done.text)
    with app.app_context():
        module = db.session.execute(sa.select(LectureModule).filter_by(slug="a01-short")
                                    ).scalar_one()
        assert "改訂した本文です" in module.body and module.version == 2
        assert db.session.execute(sa.select(ModuleProgress)).unique().scalar_one().status \
            == "complete"
        assert db.session.execute(sa.select(AuditEvent).filter_by(
            action="content.publish")).scalar_one().details["updated"] == ["a01-short"]
    auth.logout()
    auth.login("t@example.jp")
    assert "改訂した本文です" in client.get("/course/modules/a01-short").text


def test_previews_of_a_test_and_a_report_form(app, client, auth, course, make_user):  # noqa: F811
    make_user("teacher@example.jp", Role.INSTRUCTOR)
    auth.login("teacher@example.jp")
    index = client.get("/instructor/preview/").text
    assert "/instructor/preview/quizzes/" in index and "/instructor/preview/reports/goal" in index
    quiz_link = index.split('/instructor/preview/quizzes/')[1].split('"')[0]
    assert client.get(f"/instructor/preview/quizzes/{quiz_link}").status_code == 200
    assert client.get("/instructor/preview/reports/goal").status_code == 200

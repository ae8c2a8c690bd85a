"""Lecture pages, player reports, media delivery and content sync, through the app."""

import hashlib
import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa

from lms.cohorts.models import Enrolment, EnrolmentStatus
from lms.content import progress
from lms.content.models import LectureModule, ModuleProgress
from lms.content.sync import sync_modules
from lms.extensions import db
from lms.security import Role
from lms.timeutil import utcnow
from lms.xapi.models import Statement
from tests.conftest import text_of
from tests.factories import open_long_ago, open_page, report


def test_overview_shows_groups_and_progress(client, course, trainee):
    page = text_of(client.get("/course/").text)
    assert "グループA" in page and "テスト講義A" in page and "未視聴" in page


def test_module_page_renders_player_captions_and_escaped_body(client, course, trainee):
    html = client.get("/course/modules/a01-short").text
    assert '<track kind="captions" srclang="ja"' in html
    assert "これはテスト用の短い講義です。" in html  # transcript
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert 'href="/course/modules/b01-short"' in html  # relative link resolved


def test_watching_to_the_end_completes_and_emits_video_statements(app, client, course, trainee):
    open_page(client, "a01-short")
    open_long_ago(app, trainee, "a01-short")
    first = report(client, "a01-short", [[0, 3.1]], position=3.1).get_json()
    assert first == {"status": "in_progress", "coverage": pytest.approx(0.5167, abs=1e-3),
                     "complete": False}
    done = report(client, "a01-short", [[3.0, 6.0]], position=6,
                  events=[{"type": "ended", "time": 6}]).get_json()
    assert done["complete"] is True and done["status"] == "complete"
    with app.app_context():
        verbs = db.session.execute(sa.select(Statement.verb_id)).scalars().all()
        completed = db.session.execute(sa.select(Statement).where(
            Statement.verb_id == "http://adlnet.gov/expapi/verbs/completed")).scalar_one()
    assert verbs.count("https://w3id.org/xapi/video/verbs/played") == 2
    ext = completed.payload["result"]["extensions"]
    assert ext["https://w3id.org/xapi/video/extensions/played-segments"] == "0[.]6"
    assert ext["https://w3id.org/xapi/video/extensions/progress"] == 1.0
    assert completed.registration is not None
    assert "完了" in text_of(client.get("/course/").text)


def test_seeking_to_the_end_does_not_complete(app, client, course, trainee):
    open_page(client, "a01-short")
    open_long_ago(app, trainee, "a01-short")
    result = report(client, "a01-short", [[0, 0.5], [5.5, 6]], position=6, events=[
        {"type": "seeked", "time": 5.5, "from": 0.5, "to": 5.5}]).get_json()
    assert result["complete"] is False and result["coverage"] < 0.2
    with app.app_context():
        assert db.session.execute(sa.select(sa.func.count()).select_from(Statement).where(
            Statement.verb_id == "https://w3id.org/xapi/video/verbs/seeked")).scalar() == 1


def test_reports_are_idempotent_and_order_free(app, client, course, trainee):
    open_page(client, "a01-short")
    open_long_ago(app, trainee, "a01-short")
    rid = str(uuid.uuid4())
    report(client, "a01-short", [[3, 6]], report_id=rid)
    again = report(client, "a01-short", [[3, 6]], report_id=rid).get_json()
    assert again["coverage"] == pytest.approx(0.5)
    later = report(client, "a01-short", [[0, 3]]).get_json()
    assert later["complete"] is True
    with app.app_context():
        played = db.session.execute(sa.select(sa.func.count()).select_from(Statement).where(
            Statement.verb_id == "https://w3id.org/xapi/video/verbs/played")).scalar()
    assert played == 2  # the repeated report made no statement


def test_a_forged_full_report_right_after_opening_is_cut_back(app, client, course, trainee):
    with app.app_context():
        module = db.session.execute(
            sa.select(LectureModule).filter_by(slug="a01-short")).scalar_one()
        module.duration_seconds = 600  # a ten-minute lecture
        db.session.commit()
    client.get("/course/modules/a01-short")
    result = report(client, "a01-short", [[0, 600]]).get_json()
    # seconds after opening, at most 2x real time + 10 s slack can have been watched
    assert result["complete"] is False
    assert result["coverage"] < 0.05


def test_malformed_reports_are_refused(client, course, trainee):
    client.get("/course/modules/a01-short")
    assert client.post("/course/modules/a01-short/progress", data="x").status_code == 400
    bad_id = client.post("/course/modules/a01-short/progress",
                         json={"report_id": "nope", "segments": []})
    assert bad_id.status_code == 400


def test_unpublished_module_is_hidden_from_trainees(app, client, course, trainee):
    with app.app_context():
        module = db.session.execute(
            sa.select(LectureModule).filter_by(slug="b01-short")).scalar_one()
        module.published = False
        db.session.commit()
    assert client.get("/course/modules/b01-short").status_code == 404
    assert client.get("/media/media/b01-short.webm").status_code == 404
    assert "テスト講義B" not in client.get("/course/").text


def test_withdrawn_trainee_cannot_study(app, client, course, trainee):
    with app.app_context():
        enrolment = db.session.execute(sa.select(Enrolment)).scalar_one()
        enrolment.status = EnrolmentStatus.WITHDRAWN
        db.session.commit()
    assert client.get("/course/modules/a01-short").status_code == 404
    assert client.get("/media/media/a01-short.webm").status_code == 404
    assert "辞退" in text_of(client.get("/course/").text)


def test_range_requests_return_exact_bytes(client, course, trainee):
    path = course / "media" / "a01-short.webm"
    data = path.read_bytes()
    full = client.get("/media/media/a01-short.webm")
    assert full.status_code == 200 and full.data == data
    assert full.headers["Accept-Ranges"] == "bytes" and full.headers["ETag"]
    assert "max-age" in full.headers["Cache-Control"]
    part = client.get("/media/media/a01-short.webm", headers={"Range": "bytes=100-1099"})
    assert part.status_code == 206
    assert part.data == data[100:1100]
    assert part.headers["Content-Range"] == f"bytes 100-1099/{len(data)}"
    tail = client.get("/media/media/a01-short.webm", headers={"Range": "bytes=-50"})
    assert tail.data == data[-50:]
    beyond = client.get("/media/media/a01-short.webm",
                        headers={"Range": f"bytes={len(data) + 10}-"})
    assert beyond.status_code == 416
    cached = client.get("/media/media/a01-short.webm",
                        headers={"If-None-Match": full.headers["ETag"]})
    assert cached.status_code == 304


def test_media_refuses_anonymous_and_traversal(app, client, course, make_user, auth):
    assert client.get("/media/media/a01-short.webm").status_code == 302
    make_user("i@example.jp", Role.INSTRUCTOR)
    auth.login("i@example.jp")
    for evil in ("../../etc/passwd", "..%2f..%2fetc/passwd", "/etc/passwd",
                 "media/../../pyproject.toml"):
        assert client.get("/media/" + evil, follow_redirects=True).status_code == 404, evil


def test_media_can_be_handed_to_nginx(app, client, course, trainee):
    app.config["MEDIA_ACCEL"] = "x-accel-redirect"
    response = client.get("/media/media/a01-short.webm")
    assert response.headers["X-Accel-Redirect"] == "/protected-media/media/a01-short.webm"
    assert response.data == b""


def test_sync_is_idempotent_and_edits_keep_progress(app, client, course, trainee):
    open_page(client, "a01-short")
    open_long_ago(app, trainee, "a01-short")
    report(client, "a01-short", [[0, 6]])
    source = course / "modules" / "a01-short.md"
    with app.app_context():
        assert sync_modules(course).unchanged == ["a01-short", "b01-short"]
        source.write_text(source.read_text(encoding="utf-8").replace("本文です", "本文を改訂"),
                          encoding="utf-8")
        result = sync_modules(course)
        assert result.updated == ["a01-short"]
        db.session.commit()
        module = db.session.execute(
            sa.select(LectureModule).filter_by(slug="a01-short")).scalar_one()
        assert module.version == 2
        assert hashlib.sha256(source.read_bytes()).hexdigest() == module.content_hash
        (course / "modules" / "b01-short.md").unlink()
        assert sync_modules(course).unpublished == ["b01-short"]
        db.session.commit()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(LectureModule)) == 2
        progress = db.session.execute(sa.select(ModuleProgress)).unique().scalar_one()
        assert progress.status == "complete"


def test_content_cli_check_and_sync(app, runner, course):
    ok = runner.invoke(args=["content", "check", "--root", str(course)])
    assert ok.exit_code == 0 and "2 modules, 4 quizzes, 4 report forms, 6 gates OK" in ok.output
    synced = runner.invoke(args=["content", "sync", "--root", str(course)])
    assert synced.exit_code == 0
    assert "modules: added 0, updated 0, unchanged 2" in synced.output
    assert "quizzes: added 4" in synced.output
    (course / "media" / "a01-short.ja.vtt").unlink()
    bad = runner.invoke(args=["content", "check", "--root", str(course)])
    assert bad.exit_code == 1 and "modules/a01-short.md:" in bad.output
    refused = runner.invoke(args=["content", "sync", "--root", str(course)])
    assert refused.exit_code == 1 and "Nothing was loaded" in refused.output


def test_instructor_previews_unpublished_files_before_sync(app, client, course, make_user,
                                                           auth):
    source = course / "modules" / "b01-short.md"
    source.write_text(source.read_text(encoding="utf-8").replace("published: true",
                                                                 "published: false")
                      .replace("本文。", "未同期の下書き本文。"), encoding="utf-8")
    make_user("i@example.jp", Role.INSTRUCTOR)
    auth.login("i@example.jp")
    listing = text_of(client.get("/instructor/preview/").text)
    assert "テスト講義B" in listing and "下書き" in listing
    page = text_of(client.get("/instructor/preview/b01-short").text)
    assert "未同期の下書き本文。" in page and "公開されていません" in page


def test_cmi5_launch_completion_moveon_and_group_satisfied(app, client, course, trainee):
    """Opening a module is a cmi5 launch; completing the last of a group satisfies the block."""
    open_page(client, "a01-short")
    open_long_ago(app, trainee, "a01-short")
    report(client, "a01-short", [[0, 6.0]], position=6)
    with app.app_context():
        rows = {r.verb_id: r.payload for r in db.session.execute(sa.select(Statement)).scalars()}
    cmi5 = "https://w3id.org/xapi/cmi5/context/"
    launched = rows["http://adlnet.gov/expapi/verbs/launched"]
    assert launched["context"]["contextActivities"]["category"] == [
        {"objectType": "Activity", "id": cmi5 + "categories/cmi5"}]
    ext = launched["context"]["extensions"]
    assert ext[cmi5 + "extensions/moveon"] == "Completed"
    assert ext[cmi5 + "extensions/launchmode"] == "Normal"
    assert ext[cmi5 + "extensions/sessionid"] == client.viewing_session
    completed = rows["http://adlnet.gov/expapi/verbs/completed"]
    assert cmi5 + "categories/moveon" in {
        a["id"] for a in completed["context"]["contextActivities"]["category"]}
    assert completed["context"]["extensions"][cmi5 + "extensions/sessionid"] == \
        client.viewing_session
    satisfied = rows["https://w3id.org/xapi/adl/verbs/satisfied"]
    assert satisfied["object"]["id"] == "http://lms.test/xapi/activities/groups/A/lectures"
    assert satisfied["context"]["registration"] == completed["context"]["registration"]
    assert satisfied["context"]["extensions"][cmi5 + "extensions/sessionid"] == \
        client.viewing_session
    assert [a["id"] for a in satisfied["context"]["contextActivities"]["category"]] == [
        cmi5 + "categories/cmi5"]  # no moveon: a satisfied statement has no result


def test_media_follows_the_module_access(client, course, make_user, auth):
    """The committee opens no lecture module, so none of its media or raw content files."""
    make_user("c@example.jp", Role.COMMITTEE)
    auth.login("c@example.jp")
    assert client.get("/media/media/a01-short.webm").status_code == 404
    assert client.get("/media/program.yml").status_code == 404
    auth.logout()
    make_user("i@example.jp", Role.INSTRUCTOR)
    auth.login("i@example.jp")
    assert client.get("/media/media/a01-short.webm").status_code == 200  # previews it


def test_parallel_tabs_earn_no_more_than_one_person_watching(app, client, course, trainee,
                                                             monkeypatch):
    with app.app_context():
        for module in db.session.execute(sa.select(LectureModule)).scalars():
            module.duration_seconds = 600  # two ten-minute lectures
        db.session.commit()
    for slug in ("a01-short", "b01-short"):
        client.get(f"/course/modules/{slug}")
    # both opened in tabs exactly a minute before the reports arrive, however slow the machine
    now = utcnow()
    with app.app_context():
        for row in db.session.execute(sa.select(ModuleProgress)
                                      .where(ModuleProgress.user_id == trainee)).scalars():
            row.opened_at = now - timedelta(minutes=1)
        db.session.commit()
    monkeypatch.setattr(progress, "utcnow", lambda: now)
    # a minute at 2× is 120 s: each tab alone would be allowed that much
    a = report(client, "a01-short", [[0, 120]]).get_json()
    b = report(client, "b01-short", [[0, 120]]).get_json()
    credited = (a["coverage"] + b["coverage"]) * 600
    assert a["coverage"] == pytest.approx(0.2)
    assert credited <= 120 + 10 + 1  # the two tabs share one clock (plus its slack)


def test_lecture_lengths_read_as_minutes_and_seconds(app, client, course, trainee):
    with app.app_context():
        lengths = {"a01-short": 48, "b01-short": 725}
        for module in db.session.execute(sa.select(LectureModule)).scalars():
            module.duration_seconds = lengths[module.slug]
        db.session.commit()
    page = text_of(client.get("/course/").text)
    assert "48秒" in page and "12分05秒" in page and "0.8" not in page

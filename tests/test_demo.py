"""`flask lms demo` seeds every role once."""

import sqlalchemy as sa

from lms.auth.models import User
from lms.extensions import db


def test_demo_seeds_once_and_every_account_logs_in(app, runner, client, auth):
    assert "Demo data seeded." in runner.invoke(args=["lms", "demo"]).output
    assert "already present" in runner.invoke(args=["lms", "demo"]).output
    assert "not seeded" in runner.invoke(args=["lms", "demo", "--if-empty"]).output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 10
    homes = {"admin": "/admin/", "instructor": "/instructor/", "committee": "/committee/",
             "trainee1": "/trainee/"}
    for who, home in homes.items():
        auth.login(f"{who}@demo.example", "demo-pass-2026")
        assert client.get("/").headers["Location"].endswith(home), who
        assert client.get(home).status_code == 200
        auth.logout()


def test_create_admin(runner, auth):
    result = runner.invoke(args=["lms", "create-admin", "--email", "boss@example.jp",
                                 "--name", "管理者"], input="strong-pass-77\nstrong-pass-77\n")
    assert "created" in result.output
    assert auth.login("boss@example.jp", "strong-pass-77").status_code == 302


def test_demo_funnel_on_the_sample_programme(app, runner):
    assert runner.invoke(args=["content", "sync"]).exit_code == 0
    runner.invoke(args=["lms", "demo"])
    from lms.admin.services import programme_funnel

    with app.app_context():
        assert programme_funnel() == [("enrolled", 7), ("course1", 3), ("practice", 2),
                                      ("course2", 1), ("withdrawn", 0)]

"""Sessions can be ended: a copied session cookie stops working after logout, a password
change, a role change, deactivation, or "log out other devices"."""

import sqlalchemy as sa

from lms.auth.models import User
from lms.auth.services import update_account
from lms.extensions import db
from lms.security import Role
from tests.conftest import PASSWORD, AuthActions


def _copy(app, client):
    """A second browser holding a copy of *client*'s session cookie."""
    other = app.test_client()
    other.set_cookie("session", client.get_cookie("session").value)
    return other


def _in(client) -> bool:
    return client.get("/auth/password").status_code == 200


def test_logout_ends_a_copied_cookie(app, client, auth, make_user):
    make_user("t@example.jp")
    auth.login("t@example.jp")
    copy = _copy(app, client)
    assert _in(copy)
    auth.logout()
    assert not _in(copy)


def test_password_change_ends_other_sessions_and_keeps_this_one(app, client, auth, make_user):
    make_user("t@example.jp")
    auth.login("t@example.jp")
    copy = _copy(app, client)
    response = client.post("/auth/password", data={
        "current": PASSWORD, "password": "fresh-pass-99", "confirm": "fresh-pass-99"})
    assert response.status_code == 302
    assert _in(client) and not _in(copy)


def test_log_out_other_devices(app, client, auth, make_user):
    make_user("t@example.jp")
    auth.login("t@example.jp")
    other = app.test_client()
    AuthActions(other).login("t@example.jp")
    assert _in(other)
    assert "他の端末からログアウト" in client.get("/auth/password").text
    client.post("/auth/sessions/end-others")
    assert _in(client) and not _in(other)


def test_role_change_and_deactivation_end_sessions(app, client, auth, make_user):
    make_user("admin@example.jp", Role.ADMIN)
    uid = make_user("t@example.jp", Role.TRAINEE, Role.INSTRUCTOR)
    trainee = app.test_client()
    AuthActions(trainee).login("t@example.jp")
    copy = _copy(app, trainee)
    auth.login("admin@example.jp")
    with app.app_context():
        admin = db.session.execute(sa.select(User).filter_by(email="admin@example.jp")).scalar_one()
        update_account(admin, db.session.get(User, uid), "利用者", {Role.TRAINEE}, True)
        db.session.commit()
    assert not _in(trainee) and not _in(copy)
    AuthActions(trainee).login("t@example.jp")
    copy = _copy(app, trainee)
    with app.app_context():
        admin = db.session.execute(sa.select(User).filter_by(email="admin@example.jp")).scalar_one()
        update_account(admin, db.session.get(User, uid), "利用者", {Role.TRAINEE}, False)
        db.session.commit()
        update_account(admin, db.session.get(User, uid), "利用者", {Role.TRAINEE}, True)
        db.session.commit()
    assert not _in(copy)  # reactivation does not revive a session from before

"""coordinator-lms: training and certification of Foreign Resident Support Coordinators."""

from __future__ import annotations

import importlib
import importlib.util
import os
import pkgutil
from typing import TYPE_CHECKING, Any

from flask import (
    Flask,
    current_app,
    g,
    has_request_context,
    render_template,
    request,
    session,
)
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy import bindparam
from sqlalchemy.orm import joinedload
from werkzeug.middleware.proxy_fix import ProxyFix

from lms import config as lms_config
from lms.extensions import babel, csrf, db, login_manager, migrate

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the application: defaults, then ``LMS_*`` variables, then *test_config*."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(lms_config.from_environment(os.environ))
    if test_config:
        app.config.from_mapping(test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    lms_config.finalise(app.config, app.instance_path)

    _init_extensions(app)
    _register_blueprints(app)
    _register_hooks(app)
    _wrap_wsgi(app)
    return app


def _select_locale() -> str:
    if not has_request_context():  # a service called from a job or a test: the default
        return "ja"
    if current_user.is_authenticated:
        return current_user.locale
    chosen = session.get("locale")
    if chosen in lms_config.LOCALES:
        return chosen
    return "ja"


def _init_extensions(app: Flask) -> None:
    from lms import models  # noqa: F401  (every table registered before migrations look)
    from lms.auth.models import User

    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(app.root_path),
                                                     "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=_select_locale,
                   timezone_selector=lambda: app.config["TIMEZONE"])
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None

    from lms.notify.services import unread_count_of

    # One query, built once, on every request: the user with their roles (and so their
    # progress version, the key of what pages keep) and the header's unread count. A session
    # made before the person's sessions were ended (other version) no longer loads.
    user_query = (db.select(User, unread_count_of(User.id)).options(joinedload(User.role_grants))
                  .where(User.id == bindparam("uid"), User.active.is_(True),
                         User.session_version == bindparam("version")))

    @login_manager.user_loader
    def load_user(user_id: str):
        uid, _sep, version = user_id.partition(":")
        if not (uid.isdigit() and version.isdigit()):
            return None
        row = db.session.execute(user_query, {"uid": int(uid), "version": int(version)}
                                 ).unique().one_or_none()
        if row is None:
            return None
        g.lms_unread_notifications = row[1]
        return row[0]


def _audited_features() -> list[str]:
    """The packages with an ``audit_labels`` module: each tells the audit log how to name its
    actions and records (the audit package imports no feature)."""
    return sorted(info.name for info in pkgutil.iter_modules(__path__)
                  if info.ispkg and importlib.util.find_spec(f"lms.{info.name}.audit_labels"))


def _register_blueprints(app: Flask) -> None:
    from lms import cli, mail
    from lms.admin.views import bp as admin_bp
    from lms.applications.admin import bp as applications_admin_bp
    from lms.applications.views import bp as applications_bp
    from lms.assessment.paper_staff import bp as paper_staff_bp
    from lms.assessment.staff import bp as quiz_staff_bp
    from lms.assessment.views import bp as quiz_bp
    from lms.auth.views import bp as auth_bp
    from lms.authoring import cli as content_cli
    from lms.authoring.views import bp as preview_bp
    from lms.booking.staff import bp as sessions_staff_bp
    from lms.booking.views import bp as booking_bp
    from lms.certificates.admin import bp as certificates_admin_bp
    from lms.certificates.views import bp as certificates_bp
    from lms.certification.views import bp as certification_bp
    from lms.cohorts.views import bp as cohorts_bp
    from lms.content.views import bp as course_bp
    from lms.credentials.views import bp as credentials_bp
    from lms.exports.views import bp as exports_bp
    from lms.home.views import bp as home_bp
    from lms.lrs.admin import bp as lrs_admin_bp
    from lms.lrs.blueprint import routes as lrs_routes
    from lms.notify import views as notify_views
    from lms.office.views import bp as office_bp
    from lms.practice.staff import bp as practice_staff_bp
    from lms.practice.views import bp as practice_bp
    from lms.xapi.admin import bp as xapi_admin_bp
    from lms.xapi.vocab_views import bp as vocab_bp

    for bp in (home_bp, auth_bp, admin_bp, cohorts_bp, course_bp, quiz_bp,
               quiz_staff_bp, practice_bp, practice_staff_bp, booking_bp, sessions_staff_bp,
               lrs_routes(), lrs_admin_bp, xapi_admin_bp, certification_bp, applications_bp,
               applications_admin_bp, credentials_bp):
        app.register_blueprint(bp)
    for bp in (certificates_bp, certificates_admin_bp):
        app.register_blueprint(bp)
    app.register_blueprint(vocab_bp)
    app.register_blueprint(office_bp)
    app.register_blueprint(exports_bp)
    app.register_blueprint(paper_staff_bp)
    # after the features: their kinds of authored file add the preview pages
    app.register_blueprint(preview_bp)
    for feature in _audited_features():
        importlib.import_module(f"lms.{feature}.audit_labels")
    mail.services.init_app(app)
    notify_views.init_app(app)
    cli.init_app(app)
    content_cli.init_app(app)


def _register_hooks(app: Flask) -> None:
    from lms import templating
    from lms.progression import Locked, state, versions
    from lms.security import enforce_access
    from lms.xapi import tallies

    # progress writes bump each trainee's version in their transaction (cached pages key on it)
    versions.install()
    # the statements a transaction stored are tallied (per day and verb) as it commits
    tallies.install()
    state.track()
    app.before_request(enforce_access)
    templating.init_app(app)

    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        return render_template(
            "error.html", code=400,
            message=_("The form expired or was not sent from this site. Reload the page and try "
                      "again; nothing was changed."),
        ), 400

    @app.errorhandler(Locked)
    def locked(exc):
        from lms.progression.messages import reasons

        return render_template("locked.html", reasons=reasons(exc.lock)), 403

    for code in (401, 403, 404, 405, 410, 413):
        app.register_error_handler(code, _error_page(code))
    app.register_error_handler(500, _server_error_page)

    @app.teardown_appcontext
    def close_session_quietly(exc):
        # Runs before Flask-SQLAlchemy's own teardown (registered earlier): a connection cut
        # under a finished request (database restarted) must not turn its answer into a bare
        # 500 from gunicorn.
        _discard_session()

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Content-Security-Policy",
                                    app.config["CONTENT_SECURITY_POLICY"])
        if app.config["ENV"] == "production" and request.is_secure and app.config["HSTS_SECONDS"]:
            response.headers.setdefault("Strict-Transport-Security",
                                        f"max-age={app.config['HSTS_SECONDS']}")
        if request.endpoint != "static":
            response.headers.setdefault("Cache-Control", "no-store")
        return response


def _error_page(code: int):
    def handler(exc):
        if request.blueprint == "lrs" or request.path.startswith("/xapi/"):
            from lms.lrs.protocol import LrsError, error_response

            return error_response(LrsError(code, getattr(exc, "description", str(code))))
        messages = {
            401: _("Please log in to continue."),
            403: _("You do not have permission to open this page."),
            404: _("The page was not found."),
            405: _("This action is not allowed here."),
            410: _("This link is no longer valid."),
            413: _("What you sent is too large. Files may be at most the size the form states."),
        }
        message = messages[code]
        if code == 403:
            from lms.forbidden import forbidden_message

            message = forbidden_message(exc)
        return render_template("error.html", code=code, message=message), code

    return handler


def _server_error_page(exc):
    """An unexpected failure (e.g. the database connection lost): the LMS's own error page.

    The session is rolled back first, so the next request on this worker starts clean; if the
    page itself cannot be drawn (it reads the user from the database), a plain page is sent.
    """
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - the connection may be gone; the pool replaces it
        _discard_session()
    if request.blueprint == "lrs" or request.path.startswith("/xapi/"):
        from lms.lrs.protocol import LrsError, error_response

        return error_response(LrsError(500, "internal error"))
    try:
        message = _("Something went wrong on our side and nothing was changed. Please try "
                    "again in a few minutes; if it keeps happening, contact the secretariat.")
        return render_template("error.html", code=500, message=message), 500
    except Exception:  # noqa: BLE001 - the locale and the page read the user from the database
        _discard_session()
        return SERVER_ERROR_FALLBACK, 500


def _discard_session() -> None:
    """Drop this request's session even when its connection is dead (SQLAlchemy has then
    invalidated the connection; the pool opens a fresh one for the next request)."""
    try:
        db.session.remove()
    except Exception as error:  # noqa: BLE001
        current_app.logger.warning("closing the database session failed: %s", error)
        db.session.registry.clear()


#: the error page when even the error page cannot be drawn (both languages, no database)
SERVER_ERROR_FALLBACK = (
    '<!doctype html><html lang="ja"><meta charset="utf-8"><title>500</title>'
    "<p>システムで問題が発生したため、処理を完了できませんでした（変更は行われていません）。"
    "しばらくしてからもう一度お試しください。繰り返し発生する場合は事務局にお問い合わせください。</p>"
    "<p lang=\"en\">A temporary problem on our side stopped this request. Please try again in a "
    "moment; if it happens again, tell the secretariat.</p></html>")


def _wrap_wsgi(app: Flask) -> None:
    from lms.lrs.alternate import AlternateRequestSyntax

    wsgi: WSGIApplication = AlternateRequestSyntax(app.wsgi_app, app)
    hops = app.config["PROXY_HOPS"]
    if hops:
        wsgi = ProxyFix(wsgi, x_for=hops, x_proto=hops, x_host=hops, x_port=hops, x_prefix=hops)
    prefix = app.config["URL_PREFIX"].rstrip("/")
    if prefix:
        wsgi = PrefixMiddleware(wsgi, prefix)
    # Flask's documented way to add middleware, though its stubs type wsgi_app as a method
    app.wsgi_app = wsgi  # type: ignore[method-assign,assignment]


class PrefixMiddleware:
    """Serve the app under a fixed path prefix (e.g. ``/lms`` inside an existing portal)."""

    def __init__(self, wsgi_app, prefix: str):
        self.wsgi_app, self.prefix = wsgi_app, prefix

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == self.prefix or path.startswith(self.prefix + "/"):
            environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + self.prefix
            environ["PATH_INFO"] = path[len(self.prefix):] or "/"
            return self.wsgi_app(environ, start_response)
        start_response("404 Not Found", [("Content-Type", "text/plain; charset=utf-8")])
        return [b"Not Found"]

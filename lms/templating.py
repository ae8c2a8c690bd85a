"""Template helpers: navigation per role, Tokyo dates, the language switch."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import Flask, current_app, g, request
from flask_babel import format_date, format_datetime, get_locale, get_translations
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from jinja2.ext import _make_new_gettext, _make_new_ngettext
from markupsafe import Markup

from lms.caches import app_cache
from lms.extensions import db
from lms.i18n import N_  # noqa: F401  (re-exported: features import it from here)
from lms.progression import registry, versions
from lms.progression.messages import reasons
from lms.progression.services import lock_for, satisfied_units
from lms.security import Role
from lms.timeutil import TOKYO, today_tokyo

#: (role, [(endpoint, label)]) — the sections of the navigation bar, in order
NAVIGATION = [
    (Role.TRAINEE, [("home.trainee", _l("My page")), ("course.overview", _l("Lectures")),
                    ("quiz.index", _l("Tests")), ("practice.overview", _l("Practice")),
                    ("booking.index", _l("Course 2")),
                    ("certificates.mine", _l("Certificate")),
                    ("certification.declaration", _l("Declaration"))]),
    (Role.INSTRUCTOR, [("home.instructor", _l("Instructor")),
                       ("preview.index", _l("Content status and preview")),
                       ("quiz_staff.index", _l("Test results")),
                       ("practice_staff.queue", _l("Practice reports")),
                       ("sessions_staff.index", _l("Course 2 sessions"))]),
    (Role.COMMITTEE, [("home.committee", _l("Committee")),
                      ("certification.readiness", _l("Certification readiness")),
                      ("certification.tests", _l("Certification test results")),
                      ("certification.items", _l("Item review"))]),
    (Role.ADMIN, [
        ("admin.dashboard", _l("Administration")),
        ("admin.users", _l("Users")),
        ("cohorts.index", _l("Cohorts")),
        ("applications_admin.index", _l("Applications")),
        ("office.trainees", _l("Who needs a nudge")),
        ("admin.audit_log", _l("Audit log")),
        ("quiz_staff.index", _l("Test results")),
        ("practice_staff.queue", _l("Practice reports")),
        ("sessions_staff.index", _l("Course 2 sessions")),
        ("certification.readiness", _l("Certification readiness")),
        ("certificates_admin.registry_list", _l("Registry")),
        ("lrs_admin.statements", _l("Learning records")),
        ("preview.index", _l("Content status and preview")),
    ]),
]

ROLE_LABELS = {
    Role.TRAINEE: _l("Trainee"),
    Role.INSTRUCTOR: _l("Instructor"),
    Role.COMMITTEE: _l("Committee member"),
    Role.ADMIN: _l("Administrator"),
}


def nav_locks() -> dict[str, list[str]]:
    """The reasons each gated menu entry is still closed to the trainee (none if open)."""
    if not current_user.is_authenticated or not current_user.has_role(Role.TRAINEE):
        return {}
    satisfied = satisfied_units(current_user)
    # trainee pages behind a gate (registered by their stages): the menu shows them locked,
    # with the reason, until they open
    locks = {endpoint: lock_for(current_user, unit, satisfied)
             for endpoint, unit in registry.gated_pages().items()}
    return {endpoint: reasons(lock) for endpoint, lock in locks.items() if not lock.open}


def main_nav() -> Markup:
    """The navigation bar for this person and page (empty for someone not logged in).

    Kept per person, progress version, Tokyo date, language, page and roles: the locks it
    shows derive from the programme state, which that key covers.
    """
    if not current_user.is_authenticated:
        return Markup("")
    user = current_user._get_current_object()
    page = request.endpoint
    if versions.has_changes(db.session):
        return Markup(_draw_nav(page))
    key = (*versions.version_key(user, today_tokyo()), _locale(), page,
           frozenset(user.roles))
    cache = app_cache("main_nav", 4000)  # ~2 kB each
    html = cache.get(key)
    if html is None:
        html = _draw_nav(page)
        cache.put(key, html)
    return Markup(html)


def _draw_nav(page: str | None) -> str:
    return current_app.jinja_env.get_template(NAV_TEMPLATE).render(
        **gettext_callables(), page=page, nav_items=navigation(),
        nav_locks=nav_locks() if page != "static" else {})


NAV_TEMPLATE = "_nav.html"


def navigation() -> list[tuple[str, str]]:
    if not current_user.is_authenticated:
        return []
    items = [item for role, entries in NAVIGATION if current_user.has_role(role)
             for item in entries]
    first: dict[str, str] = {}  # a person with two roles sees a shared page once
    for endpoint, label in items:
        first.setdefault(endpoint, label)
    return list(first.items())


#: strftime patterns for the two locales' most used styles (Babel's own, precomputed: the
#: home pages format many dates and Babel's general formatter is slow)
_FAST = {
    ("ja", "medium", "date"): "%Y/%m/%d",
    ("ja", "short", "datetime"): "%Y/%m/%d %H:%M",
    ("ja", "medium", "datetime"): "%Y/%m/%d %H:%M:%S",
}


#: the language the programme's content files are written in (marked with lang= for 3.1.2)
CONTENT_LANG = "ja"


STAGE_LABELS = {
    "course1": N_("Course 1 (online)"),
    "practice": N_("Practice"),
    "course2": N_("Course 2 (in person)"),
    "before": N_("Not started"),
    "between": N_("Between stages"),
    "after": N_("Finished"),
}

DATE_LABELS = {
    "training_start": N_("Training start"),
    "course1_start": N_("Course 1 opens"),
    "course1_end": N_("Course 1 closes"),
    "practice_start": N_("Practice starts"),
    "practice_end": N_("Practice ends"),
    "progress_report_opens": N_("Progress report opens"),
    "progress_report_due": N_("Progress report due"),
    "final_report_due": N_("Final report due"),
    "course2_start": N_("Course 2 starts"),
    "course2_end": N_("Course 2 ends"),
}


N_("%(s)d s")
N_("%(m)d min %(s)02d s")

GROUP_LABELS = {
    "A": N_("Group A: the significance of coordinators"),
    "B": N_("Group B: immigration and residence"),
    "C": N_("Group C: diversity and intercultural understanding"),
    "D": N_("Group D: consultation practice"),
    "E": N_("Group E: coexistence policy and partners"),
}


ATTENDANCE_LABELS = {
    "present": N_("Present"),
    "late": N_("Late"),
    "absent": N_("Absent"),
    "left_early": N_("Left early"),
}


def attendance_label(status: str) -> str:
    return _translate(ATTENDANCE_LABELS.get(status, status))


def group_label(letter: str) -> str:
    return _translate(GROUP_LABELS[letter]) if letter in GROUP_LABELS else letter


def _locale() -> str:
    if "lms_locale" not in g:
        g.lms_locale = str(get_locale() or "ja")
    return g.lms_locale


def _translations():
    if "lms_translations" not in g:
        g.lms_translations = get_translations()
    return g.lms_translations


def gettext_callables() -> dict:
    """``gettext``/``ngettext`` bound to this request's catalog, for a template drawn directly
    (Flask-Babel's own look the catalog up through several context-locals on every string)."""
    translations = _translations()
    return {"gettext": _make_new_gettext(translations.ugettext),
            "ngettext": _make_new_ngettext(translations.ungettext)}


def _translate(message: str) -> str:
    return _translations().ugettext(message)


def stage_label(key: str) -> str:
    return _translate(STAGE_LABELS[key]) if key in STAGE_LABELS else key


def date_label(key: str) -> str:
    return _translate(DATE_LABELS[key]) if key in DATE_LABELS else key


def jst(value: datetime | date | None, style: str = "medium") -> str:
    """Format a stored UTC time (or a date) for display in Tokyo, in the user's language."""
    if value is None:
        return "—"
    kind = "datetime" if isinstance(value, datetime) else "date"
    pattern = _FAST.get((_locale(), style, kind))
    if pattern:
        return (value.astimezone(TOKYO) if isinstance(value, datetime) else value).strftime(pattern)
    if kind == "datetime":
        return format_datetime(value, style)
    return format_date(value, style)


def until(value: datetime | None) -> str:
    """The end of a half-open window: 00:00 Tokyo is shown as 24:00 of the day before
    (「5月9日 24:00まで」), so nobody reads it as the start of the day it names."""
    if value is None:
        return "—"
    local = value.astimezone(TOKYO)
    if local.time() == datetime.min.time():
        return jst((local - timedelta(days=1)).date()) + " 24:00"
    return jst(value, "short")


def length(seconds: float | int) -> str:
    """A video's length as minutes and seconds (「12分05秒」), never a decimal of minutes."""
    minutes, rest = divmod(round(seconds), 60)
    if not minutes:
        return _translate("%(s)d s") % {"s": rest}
    return _translate("%(m)d min %(s)02d s") % {"m": minutes, "s": rest}


def init_app(app: Flask) -> None:
    app.add_template_filter(jst, "jst")
    app.add_template_filter(length, "minsec")
    app.add_template_filter(until, "until")
    app.add_template_global(stage_label, "stage_label")
    app.add_template_global(date_label, "date_label")
    app.add_template_global(group_label, "group_label")
    app.add_template_global(attendance_label, "attendance_label")
    app.add_template_global(timedelta, "timedelta")
    # lectures, tests and report forms are written in Japanese whatever the interface language
    app.jinja_env.globals["content_lang"] = CONTENT_LANG
    from lms.progression.messages import reasons, unit_title

    app.add_template_global(unit_title, "unit_title")
    app.add_template_global(reasons, "lock_reasons")

    @app.context_processor
    def inject():
        g.lms_translations = get_translations()
        return {
            **gettext_callables(),
            "main_nav": main_nav,
            "role_labels": ROLE_LABELS,
            "current_locale": _locale(),
            "current_path": request.full_path.rstrip("?") if request else "/",
        }

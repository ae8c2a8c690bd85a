"""What the audit log shows people: a label per action, names for targets, readable details.

Features register their own actions and target kinds here (one line each), so the log
never shows a raw code such as ``practice.extension`` or ``Enrolment 12``::

    from lms.audit.labels import register_action, register_target
    register_action("certification.decide", N_("Certification decision"))
    register_target("CertificationDecision", lambda ident: (name, url_or_None))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import url_for
from flask_babel import gettext

from lms.extensions import db


def N_(message: str) -> str:
    """Mark *message* for extraction; it is translated where it is shown."""
    return message


#: action code → English label (translated when shown)
ACTION_LABELS: dict[str, str] = {
    "user.create": N_("Account created"),
    "user.update": N_("Account changed"),
    "user.invite": N_("Invitation sent"),
    "cohort.create": N_("Cohort created"),
    "cohort.update": N_("Cohort changed"),
    "cohort.enrol": N_("Trainee enrolled"),
    "quiz.sync": N_("Tests loaded from files"),
    "quiz.override": N_("Test attempt granted"),
    "quiz.paper_score": N_("Paper test score entered"),
    "content.sync": N_("Lectures loaded from files"),
    "content.publish": N_("Content published from the web"),
    "venue.create": N_("Venue created"),
    "venue.update": N_("Venue changed"),
    "session.create": N_("Course 2 session created"),
    "session.update": N_("Course 2 session changed"),
    "session.delete": N_("Course 2 session deleted"),
    "booking.attendance": N_("Attendance recorded"),
    "lrs_client.create": N_("LRS client created"),
    "lrs_client.revoke": N_("LRS client revoked"),
    "practice.review": N_("Report reviewed"),
    # a return was recorded twice before December 2026 (now one practice.review)
    "practice.return": N_("Returned for revision"),
    "practice.extension": N_("Deadline extended"),
    "practice.withdraw": N_("Treated as withdrawn"),
    "practice.reinstate": N_("Withdrawal undone"),
    "export.download": N_("Data exported"),
}

#: detail key → English label (translated when shown); unknown keys are shown as they are
DETAIL_LABELS: dict[str, str] = {
    "name": N_("Name"), "roles": N_("Roles"), "before": N_("Before"), "after": N_("After"),
    "changes": N_("Changes"), "changed": N_("Changes"), "user": N_("Person"),
    "cohort": N_("Cohort"), "title": N_("Title"), "reason": N_("Reason"),
    "kind": N_("Report"), "until": N_("Until"), "missed": N_("Missed"),
    "decision": N_("Decision"), "comment": N_("Comment"), "new_due_on": N_("New due date"),
    "status": N_("Status"), "day": N_("Day"), "method": N_("Method"),
    "format": N_("Format"), "table": N_("Table"), "filters": N_("Filters"),
    "added": N_("Added"), "updated": N_("Updated"), "unpublished": N_("Unpublished"),
    "key": N_("Key"), "read": N_("Read"), "write": N_("Write"), "active": N_("Active"),
    "deactivated": N_("Deactivated"),
}


#: coded values stored in details → English label (translated when shown)
VALUE_LABELS: dict[str, str] = {
    "accepted": N_("Accepted"), "returned": N_("Returned for revision"),
    "present": N_("Present"), "late": N_("Late"), "absent": N_("Absent"),
    "left_early": N_("Left early"), "roster": N_("Roster"),
    "progress": N_("Progress report"), "final": N_("Final report"), "goal": N_("Goal sheet"),
    "trainee": N_("Trainee"), "instructor": N_("Instructor"),
    "committee": N_("Committee member"), "admin": N_("Administrator"),
}

#: targets recorded by a plain name (no id) → English label
TARGET_NAMES: dict[str, str] = {
    "Quiz": N_("Tests"), "LectureModule": N_("Lectures"), "Content": N_("Lectures and tests"),
}


def register_action(action: str, label: str) -> None:
    """Give *action* its English label (mark it with ``N_`` for translation)."""
    ACTION_LABELS[action] = label


def action_label(action: str) -> str:
    label = ACTION_LABELS.get(action)
    return gettext(label) if label else action


def action_choices() -> list[tuple[str, str]]:
    return sorted(((code, action_label(code)) for code in ACTION_LABELS), key=lambda c: c[0])


@dataclass(frozen=True)
class TargetView:
    label: str
    url: str | None = None


#: target type → function(id) returning (name, url or None), or None when the row is gone
_TARGETS: dict[str, Callable[[str], tuple[str, str | None] | None]] = {}


def register_target(target_type: str,
                    describe: Callable[[str], tuple[str, str | None] | None]) -> None:
    """Name the records of *target_type* in the log (a function of the stored id)."""
    _TARGETS[target_type] = describe


def target_view(target_type: str, target_id: str) -> TargetView:
    describe = _TARGETS.get(target_type)
    if describe is not None and target_id:
        try:
            found = describe(target_id)
        except (ValueError, LookupError):
            found = None
        if found is not None:
            return TargetView(*found)
    if not target_id and target_type in TARGET_NAMES:
        return TargetView(gettext(TARGET_NAMES[target_type]))
    return TargetView(f"{target_type} {target_id}".strip())


def _get(model, ident: str):
    return db.session.get(model, int(ident))


def _user(ident: str):
    from lms.auth.models import User

    user = _get(User, ident)
    return (user.name, url_for("admin.edit_user", user_id=user.id)) if user else None


def _enrolment(ident: str):
    from lms.cohorts.models import Enrolment

    row = _get(Enrolment, ident)
    if row is None:
        return None
    return (f"{row.user.name}（{row.cohort.name}）",
            url_for("office.trainee", enrolment_id=row.id))


def _cohort(ident: str):
    from lms.cohorts.models import Cohort

    row = _get(Cohort, ident)
    return (row.name, url_for("cohorts.detail", cohort_id=row.id)) if row else None


def _report(ident: str):
    from lms.auth.models import User
    from lms.practice.forms_cache import report_forms
    from lms.practice.models import PracticeReport

    row = _get(PracticeReport, ident)
    if row is None:
        return None
    forms = report_forms()
    title = forms[row.kind].title if row.kind in forms else row.kind
    return (f"{db.session.get(User, row.user_id).name}: {title}",
            url_for("practice_staff.report", report_id=row.id))


def _session(ident: str):
    from lms.booking.models import CourseSession

    row = _get(CourseSession, ident)
    return (row.title, url_for("sessions_staff.edit_session", session_id=row.id)) if row else None


def _attendance(ident: str):
    from lms.auth.models import User
    from lms.booking.models import Attendance, SessionDay

    row = _get(Attendance, ident)
    if row is None:
        return None
    day = db.session.get(SessionDay, row.day_id)
    return (f"{db.session.get(User, row.user_id).name}: {day.session.title} "
            f"{day.day:%Y/%m/%d}", url_for("sessions_staff.roster", day_id=day.id))


def _venue(ident: str):
    from lms.booking.models import Venue

    row = _get(Venue, ident)
    return (row.name, None) if row else None


def _lrs_client(ident: str):
    from lms.lrs.models import LrsClient

    row = _get(LrsClient, ident)
    return (f"{row.name}（{row.key}）", url_for("xapi_admin.lrs_clients")) if row else None


for _type, _fn in (("LrsClient", _lrs_client), ("User", _user), ("Enrolment", _enrolment),
                   ("Cohort", _cohort),
                   ("PracticeReport", _report), ("CourseSession", _session),
                   ("Attendance", _attendance), ("Venue", _venue)):
    register_target(_type, _fn)


def detail_label(key: str) -> str:
    label = DETAIL_LABELS.get(key)
    return gettext(label) if label else key


def detail_text(value, key: str = "") -> str:
    """One detail value as text: lists joined, the ``[before, after]`` pairs of a change
    as ``before → after``, mappings as ``key: value``; Japanese shown as it is, never escaped."""
    if isinstance(value, dict):
        return "; ".join(f"{detail_label(str(k))}: {detail_text(v, key)}"
                         for k, v in value.items())
    if isinstance(value, list | tuple):
        if key in CHANGE_KEYS and len(value) == 2:
            return f"{detail_text(value[0])} → {detail_text(value[1])}"
        return "、".join(detail_text(v) for v in value)
    if key in REFERENCE_KEYS and (type(value) is int or str(value).isdigit()):
        return target_view(REFERENCE_KEYS[key], str(value)).label
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if value is None:
        return "—"
    if isinstance(value, str) and value in VALUE_LABELS:
        return gettext(VALUE_LABELS[value])
    return str(value)


#: detail keys holding the id of a record, shown by its name
REFERENCE_KEYS = {"user": "User", "cohort": "Cohort"}

#: detail keys whose values map each field to ``[before, after]``
CHANGE_KEYS = {"changes", "changed"}


def details_rows(details: dict) -> list[tuple[str, str]]:
    """The details of an event as (label, text) rows."""
    return [(detail_label(str(k)), detail_text(v, str(k))) for k, v in (details or {}).items()]

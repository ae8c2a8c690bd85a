"""Applications in the office's pages: the exportable table and the programme view's
trainees by prefecture and desk type (registered with lms.exports and lms.office)."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import gettext as _
from sqlalchemy import func, select

from lms.applications import messages
from lms.applications.models import Application, ApplicationStatus
from lms.cohorts.models import Cohort
from lms.exports import Column, ExportTable, register
from lms.extensions import db
from lms.i18n import N_
from lms.office import rules as office_rules
from lms.office.programme import Section, register_section
from lms.office.services import register_organisations


def _rows(params: Mapping[str, str]):
    query = (select(Application, Cohort.name).join(Cohort, Cohort.id == Application.cohort_id)
             .where(Application.status != ApplicationStatus.DRAFT)
             .order_by(Cohort.training_start.desc(), Application.id))
    if params.get("cohort", "").isdigit():
        query = query.where(Application.cohort_id == int(params["cohort"]))
    desks = messages.post_desk_labels()
    for row, cohort in db.session.execute(query.execution_options(yield_per=500)):
        yield (cohort, row.full_name, row.furigana, row.organisation, row.prefecture,
               desks.get(row.post_desk or "", row.post_desk or ""),
               messages.status_label(row.status.value),
               "" if row.eligible is None else (_("Yes") if row.eligible else _("No")),
               row.days_in_post, row.days_worked, " / ".join(row.reasons or []),
               row.submitted_at, row.rules_version or "")


register(ExportTable("applications", N_("Applications"), (
    Column("cohort", N_("Cohort")), Column("name", N_("Name")),
    Column("furigana", N_("Name in kana (furigana)")), Column("organisation", N_("Organisation")),
    Column("prefecture", N_("Prefecture")), Column("post", N_("Current post")),
    Column("status", N_("Status")), Column("eligible", N_("Eligible by the rule")),
    Column("days_in_post", N_("Days in post")), Column("days_worked", N_("Days worked")),
    Column("reasons", N_("Reasons")), Column("submitted_at", N_("Submitted")),
    Column("rules_version", N_("Rules version"))), _rows))


def _accepted_by(column) -> list[tuple[str | None, int, int]]:
    """(value, accepted applications, first application id) per value of *column*."""
    return list(db.session.execute(
        select(column, func.count(), func.min(Application.id))
        .where(Application.status == ApplicationStatus.ACCEPTED).group_by(column)))


@register_section
def trainees_by_prefecture() -> Section | None:
    ordered = office_rules.most_common(
        (prefecture or _("Not stated"), n, first)
        for prefecture, n, first in _accepted_by(Application.prefecture))
    if not ordered:
        return None
    return Section(_("Trainees by prefecture (accepted applications)"), ordered,
                   [_("Prefecture"), _("Trainees")], ordered)


@register_section
def trainees_by_desk() -> Section | None:
    desks = messages.post_desk_labels()
    ordered = office_rules.most_common(
        (desks.get(desk or "", _("Not stated")), n, first)
        for desk, n, first in _accepted_by(Application.post_desk))
    if not ordered:
        return None
    return Section(_("Trainees by type of desk (current post)"), ordered,
                   [_("Desk"), _("Trainees")], ordered)


def organisations(user_ids: list[int]) -> dict[int, str]:
    """The organisation each person gave on their latest submitted application (one query)."""
    rows = db.session.execute(
        select(Application.user_id, Application.organisation)
        .where(Application.user_id.in_(user_ids), Application.status != ApplicationStatus.DRAFT,
               Application.organisation != "")
        .order_by(Application.submitted_at)).all()
    return dict(rows)  # later rows win: the latest application's organisation


register_organisations(organisations)

"""The audit log as an exportable table (with the page's filters)."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import gettext

from lms.audit.query import AuditFilter, export_rows
from lms.exports import Column, ExportTable, register
from lms.i18n import N_


def _rows(params: Mapping[str, str]):
    return export_rows(AuditFilter.from_args(params), gettext("System"))


register(ExportTable("audit", N_("Audit log"), (
    Column("at", N_("When")), Column("who", N_("Who")), Column("action", N_("Action")),
    Column("target", N_("Target")), Column("details", N_("Details"))), _rows))

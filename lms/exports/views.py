"""Export pages: the list of exportable tables and their downloads (every one audited)."""

from __future__ import annotations

from urllib.parse import quote

from flask import (
    Blueprint,
    Response,
    abort,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext
from flask_login import current_user

from lms import audit
from lms.audit.labels import register_target
from lms.exports.registry import tables
from lms.exports.writers import csv_chunks
from lms.exports.xlsx import xlsx_chunks
from lms.extensions import db
from lms.security import Role, roles_required
from lms.timeutil import TOKYO, today_tokyo

bp = Blueprint("exports", __name__, url_prefix="/admin/exports")

FORMATS = {"csv": "text/csv; charset=utf-8",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _describe_export(name: str):
    table = tables().get(name)
    return (gettext(table.title), url_for("exports.index")) if table else None


register_target("Export", _describe_export)


@bp.route("/")
@roles_required(Role.ADMIN)
def index():
    return render_template("exports/index.html", tables=tables().values())


@bp.route("/<name>.<fmt>")
@roles_required(Role.ADMIN)
def download(name: str, fmt: str):
    table = tables().get(name)
    if table is None or fmt not in FORMATS:
        abort(404)
    filters = {k: v for k, v in request.args.items() if v}
    details = {"table": gettext(table.title), "format": fmt.upper()}
    if filters:
        details["filters"] = filters
    audit.record(current_user, "export.download", ("Export", name), details)
    db.session.commit()
    headers = [gettext(c.header) for c in table.columns]
    rows = table.rows(filters)
    filename = f"{gettext(table.title)}_{today_tokyo():%Y%m%d}.{fmt}"
    disposition = f"attachment; filename*=UTF-8''{quote(filename)}"
    if fmt == "csv":
        body = stream_with_context(csv_chunks(headers, rows, TOKYO))
        return Response(body, mimetype=FORMATS[fmt],
                        headers={"Content-Disposition": disposition})
    body = stream_with_context(xlsx_chunks(gettext(table.title), headers, rows, TOKYO))
    return Response(body, mimetype=FORMATS[fmt], headers={"Content-Disposition": disposition})

"""Report forms as a kind of authored file: checked and previewed through :mod:`lms.authoring`
(they are read from their files at run time, so there is nothing to publish)."""

from __future__ import annotations

from pathlib import Path

from flask import abort, render_template

from lms import authoring
from lms.authoring.views import content_root
from lms.practice.formfile import load_report_forms
from lms.security import Role, roles_required


def check(root: Path) -> authoring.Checked:
    forms, problems = load_report_forms(root.parent)
    return authoring.Checked(forms, problems)


@roles_required(Role.INSTRUCTOR, Role.ADMIN)
def preview(kind: str):
    forms, _ = load_report_forms(content_root().parent)
    found = next((f for f in forms if f.kind == kind), None)
    if found is None:
        abort(404)
    return render_template("course/preview_report.html", form=found)


def register() -> None:
    authoring.register(authoring.FileKind(
        "report forms", check, order=30, listing="practice/preview_forms.html",
        previews=(authoring.Preview("/reports/<kind>", "report_form", preview),)))

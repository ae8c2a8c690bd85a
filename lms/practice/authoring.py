"""Report forms as a kind of authored file: checked and previewed through :mod:`lms.authoring`
(they are read from their files at run time, so there is nothing to publish)."""

from __future__ import annotations

from pathlib import Path

from flask import render_template

from lms import authoring
from lms.practice.formfile import ReportForm, load_report_forms


def check(root: Path) -> authoring.Checked:
    forms, problems = load_report_forms(root.parent)
    return authoring.Checked(forms, problems)


def preview(form: ReportForm):
    return render_template("course/preview_report.html", form=form)


def register() -> None:
    authoring.register(authoring.FileKind(
        "report forms", check, order=30, listing="practice/preview_forms.html",
        previews=(authoring.Preview("/reports/<kind>", "report_form", preview,
                                    key=lambda form: form.kind),)))

"""Why a unit is locked, in the trainee's language."""

from __future__ import annotations

from flask import current_app, g
from flask_babel import gettext as _

from lms.assessment.models import Quiz
from lms.extensions import db
from lms.progression.rules import Lock


def _quiz_titles() -> dict[str, str]:
    """Every quiz's title by id, read once per request (a home page names many units)."""
    if "lms_quiz_titles" not in g:
        g.lms_quiz_titles = dict(db.session.execute(db.select(Quiz.slug, Quiz.title)).all())
    return g.lms_quiz_titles


def unit_title(unit: str) -> str:
    kind, _sep, name = unit.partition(":")
    if kind == "lectures":
        return _("Group %(letter)s lectures", letter=name)
    if kind == "quiz":
        return _quiz_titles().get(name, name)
    return {"practice": _("Practice"), "course2": _("Course 2 (in person)"),
            "certification": _("Certification test"),
            "renewal": _("Renewal window")}.get(name, name)


def reasons(lock: Lock) -> list[str]:
    """One sentence per missing requirement (「グループBの講義をすべて視聴すると…」)."""
    if lock.withdrawn:
        return [_("You have been treated as withdrawn from the programme, so this is closed. "
                  "Please contact the secretariat.")]
    messages = []
    for requirement in lock.missing:
        kind, _sep, name = requirement.partition(":")
        if kind == "lectures":
            messages.append(_("Watch all lectures of group %(letter)s to unlock this.",
                              letter=name))
        elif requirement == "stage:renewal":
            messages.append(_("Renewal training is open to certificate holders from %(months)s "
                              "months before their certificate expires until the expiry date. "
                              "After expiry, renewal is no longer possible and a new "
                              "certification is needed.",
                              months=current_app.config["CERT_RENEWAL_WINDOW_MONTHS"]))
        elif kind == "quiz":
            messages.append(_("Pass “%(title)s” to unlock this.",
                              title=unit_title(requirement)))
        else:
            messages.append(_("Complete “%(title)s” to unlock this.",
                              title=unit_title(requirement)))
    return messages

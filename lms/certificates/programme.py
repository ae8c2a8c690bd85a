"""Renewal training's part in the programme (認証更新研修, §6(4)): the renewal test opens to a
holder whose current certificate is in its renewal window (``stage:renewal`` in
``content/program.yml``); passing it before the expiry issues a new certificate whose period
runs from the old expiry. After the expiry the stage is closed and the holder is told a new
certification is needed.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from flask import current_app
from flask_babel import gettext as _

from lms.assessment.models import Quiz, QuizAttempt
from lms.auth.models import User
from lms.certificates import services
from lms.certificates.models import Certificate, Revocation
from lms.extensions import db
from lms.progression import registry, versions
from lms.timeutil import today_tokyo

log = logging.getLogger(__name__)


UNIT = "stage:renewal"


def renewal_units(users: Sequence) -> dict[int, set[str]]:
    """``stage:renewal`` for each person whose current certificate is in its renewal window
    (the same queries for one person or many)."""
    due = services.renewal_due([u.id for u in users], today_tokyo())
    return {u.id: ({UNIT} if u.id in due else set()) for u in users}


def title(unit: str) -> str:
    return _("Renewal window")


def hint(unit: str) -> str:
    return _("Renewal training is open to certificate holders from %(months)s "
             "months before their certificate expires until the expiry date. "
             "After expiry, renewal is no longer possible and a new "
             "certification is needed.",
             months=current_app.config["CERT_RENEWAL_WINDOW_MONTHS"])


def renew_on_pass(attempt: QuizAttempt) -> None:
    """The renewal test was passed: issue the new certificate as of the day it was finished."""
    holder = db.session.get_one(User, attempt.user_id)
    cert = services.current_certificate(holder.id)
    if cert is None:
        return
    try:
        services.renew(holder, cert, today_tokyo(attempt.finished_at))
    except services.CertificateError as exc:
        # Gating closes the test after the expiry; a test finished late is refused here.
        log.info("renewal of %s refused: %s %s", cert.number, exc.code, exc.detail)


#: the renewal test (``kind: renewal``): passing it renews the holder's certificate
KIND = registry.QuizKind("renewal", "Renewal test", on_pass=renew_on_pass)


def renewal_test() -> str | None:
    """The slug of the active renewal test, for the holder's link to it."""
    return db.session.scalar(db.select(Quiz.slug).where(
        Quiz.kind == KIND.name, Quiz.active.is_(True)).order_by(Quiz.slug).limit(1))


def register() -> None:
    registry.register(registry.Stage("renewal", (UNIT,), renewal_units, title=title, hint=hint,
                                     hidden_until_open=(UNIT,), quiz_kinds=(KIND,)))
    versions.track(Certificate, Certificate.user_id)
    versions.track(Revocation, Revocation.certificate_id,
                   via=(Certificate.id, Certificate.user_id))

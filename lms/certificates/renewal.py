"""Renewal training (認証更新研修, §6(4)): the ``renewal`` quiz opens to a holder whose current
certificate is in its renewal window (``stage:renewal`` in ``content/program.yml``); passing it
before the expiry issues a new certificate whose period runs from the old expiry. After the
expiry the stage is closed and the holder is told a new certification is needed.
"""

from __future__ import annotations

import logging

from flask import current_app
from flask_babel import gettext as _

from lms.assessment.models import QuizAttempt
from lms.assessment.services import pass_listeners
from lms.auth.models import User
from lms.certificates import rules, services
from lms.certificates.models import Certificate, Revocation
from lms.extensions import db
from lms.progression import registry, versions
from lms.timeutil import today_tokyo

log = logging.getLogger(__name__)


UNIT = "stage:renewal"


def renewal_units(users) -> dict[int, set[str]]:
    """``stage:renewal`` for each person whose current certificate is in its renewal window."""
    today = today_tokyo()
    found = {}
    for user in users:
        cert = services.current_certificate(user.id)
        due = cert is not None and \
            services.status_of(cert, today) == rules.CertificateStatus.RENEWAL_DUE
        found[user.id] = {UNIT} if due else set()
    return found


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
    holder = db.session.get(User, attempt.user_id)
    cert = services.current_certificate(holder.id)
    if cert is None:
        return
    try:
        services.renew(holder, cert, today_tokyo(attempt.finished_at))
    except services.CertificateError as exc:
        # Gating closes the test after the expiry; a test finished late is refused here.
        log.info("renewal of %s refused: %s %s", cert.number, exc.code, exc.detail)


def register() -> None:
    registry.register(registry.Stage("renewal", (UNIT,), renewal_units, title=title, hint=hint,
                                     hidden_until_open=(UNIT,)))
    versions.track(Certificate, Certificate.user_id)
    versions.track(Revocation, Revocation.certificate_id,
                   via=(Certificate.id, Certificate.user_id))
    listeners = pass_listeners.setdefault("renewal", [])
    if renew_on_pass not in listeners:
        listeners.append(renew_on_pass)

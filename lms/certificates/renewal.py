"""Renewal training (認証更新研修, §6(4)): the ``renewal`` quiz opens to a holder whose current
certificate is in its renewal window (``stage:renewal`` in ``content/program.yml``); passing it
before the expiry issues a new certificate whose period runs from the old expiry. After the
expiry the stage is closed and the holder is told a new certification is needed.
"""

from __future__ import annotations

import logging

from lms.assessment.models import QuizAttempt
from lms.assessment.services import pass_listeners
from lms.auth.models import User
from lms.certificates import rules, services
from lms.extensions import db
from lms.progression.services import unit_providers
from lms.timeutil import today_tokyo

log = logging.getLogger(__name__)


def renewal_units(user) -> set[str]:
    """``stage:renewal`` while the person's current certificate is in its renewal window."""
    cert = services.current_certificate(user.id)
    if cert is not None and services.status_of(cert, today_tokyo()) == \
            rules.CertificateStatus.RENEWAL_DUE:
        return {"stage:renewal"}
    return set()


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
    if renewal_units not in unit_providers:
        unit_providers.append(renewal_units)
    listeners = pass_listeners.setdefault("renewal", [])
    if renew_on_pass not in listeners:
        listeners.append(renew_on_pass)

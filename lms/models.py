"""Imports every model module so that metadata (and Alembic) sees every table."""

from lms.audit.models import AuditEvent
from lms.auth.models import LoginThrottle, User, UserRole
from lms.cohorts.models import Cohort, Enrolment
from lms.content.models import LectureModule, ModuleProgress, PlaybackReport
from lms.mail.models import OutgoingMail
from lms.xapi.models import Statement

__all__ = [
    "AuditEvent", "Cohort", "Enrolment", "LectureModule", "LoginThrottle", "ModuleProgress",
    "OutgoingMail", "PlaybackReport", "Statement", "User", "UserRole",
]

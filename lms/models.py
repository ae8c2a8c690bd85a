"""Imports every model module so that metadata (and Alembic) sees every table."""

from lms.assessment.models import AttemptItem, Quiz, QuizAttempt, QuizOverride
from lms.audit.models import AuditEvent
from lms.auth.models import LoginThrottle, User, UserRole
from lms.booking.models import Attendance, CourseSession, SessionBooking, SessionDay, Venue
from lms.certification.models import CertificationDecision
from lms.cohorts.models import Cohort, Enrolment
from lms.content.models import LectureModule, ModuleProgress, PlaybackReport
from lms.lrs.models import LrsClient, XapiDocument
from lms.mail.models import OutgoingMail
from lms.notify.models import Notification
from lms.practice.models import (
    DeadlineExtension,
    DeadlineNotice,
    PracticeReport,
    Reflection,
    ReportReview,
    ReportVersion,
)
from lms.xapi.models import (
    ForwarderState,
    OutboxEntry,
    Statement,
    StatementAttachment,
    StatementRef,
)

__all__ = [
    "Attendance", "CourseSession", "SessionBooking", "SessionDay", "Venue",
    "DeadlineExtension", "DeadlineNotice", "PracticeReport", "Reflection", "ReportReview",
    "ReportVersion",
    "AttemptItem", "Quiz", "QuizAttempt", "QuizOverride",
    "AuditEvent", "CertificationDecision", "Cohort", "Enrolment", "LectureModule", "LoginThrottle",
    "ModuleProgress", "Notification",
    "OutgoingMail", "PlaybackReport", "Statement", "User", "UserRole",
    "ForwarderState", "LrsClient", "OutboxEntry", "StatementAttachment", "StatementRef",
    "XapiDocument",
]

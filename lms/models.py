"""Imports every model module so that metadata (and Alembic) sees every table."""

from lms.applications.models import (
    Application,
    ApplicationDecision,
    EvidenceFile,
    ExperiencePeriod,
    Qualification,
)
from lms.assessment.models import AttemptItem, Quiz, QuizAttempt, QuizOverride
from lms.audit.models import AuditEvent
from lms.auth.models import LoginThrottle, User, UserRole
from lms.booking.models import Attendance, CourseSession, SessionBooking, SessionDay, Venue
from lms.certificates.models import (  # noqa: F401
    Certificate,
    CertificateNotice,
    CertificateSerial,
    HolderProfile,
    Revocation,
    VerificationHit,
)
from lms.certification.models import CertificationDecision
from lms.cohorts.models import Cohort, Enrolment
from lms.content.models import (
    LectureModule,
    ModuleProgress,
    PlaybackReport,
    ViewingSession,
    WatchClock,
)
from lms.credentials.models import BadgeCredential  # noqa: F401
from lms.lrs.models import LrsClient, XapiDocument
from lms.lrs.ratelimit import RateLimitCounter
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
    "Application", "ApplicationDecision", "EvidenceFile", "ExperiencePeriod", "Qualification",
    "Attendance", "CourseSession", "SessionBooking", "SessionDay", "Venue",
    "DeadlineExtension", "DeadlineNotice", "PracticeReport", "Reflection", "ReportReview",
    "ReportVersion",
    "AttemptItem", "Quiz", "QuizAttempt", "QuizOverride",
    "AuditEvent", "CertificationDecision", "Cohort", "Enrolment", "LectureModule", "LoginThrottle",
    "ModuleProgress", "Notification",
    "OutgoingMail", "PlaybackReport", "ViewingSession", "Statement", "User", "UserRole",
    "WatchClock",
    "ForwarderState", "LrsClient", "OutboxEntry", "RateLimitCounter", "StatementAttachment",
    "StatementRef",
    "XapiDocument",
]

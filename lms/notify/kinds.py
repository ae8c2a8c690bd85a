"""Every kind of notification: its subject and body (English msgids, translated per reader).

A feature adds a kind with one line, e.g. the certificates feature::

    register_kind(Kind("certificate_issued", N_("Your certificate was issued"),
                       N_("%(name)s,\\n\\nCertificate %(number)s was issued on %(issued)s.\\n")))
"""

from __future__ import annotations

from dataclasses import dataclass

from lms.i18n import N_


@dataclass(frozen=True)
class Text:
    """A parameter that is itself a message (an English msgid marked with ``N_``): each reader
    sees it in their language, as they see the subject and body."""

    msgid: str


@dataclass(frozen=True)
class Kind:
    name: str
    subject: str
    #: may use %(name)s (the recipient) and the params given to notify(); the link is
    #: appended on its own line
    body: str


KINDS: dict[str, Kind] = {}


def register_kind(kind: Kind) -> Kind:
    KINDS[kind.name] = kind
    return kind


for _kind in (
    Kind("test_result_passed", N_("Test result: %(test)s passed"),
         N_("%(name)s,\n\nYou passed %(test)s with %(percent)s%% (%(when)s).\n")),
    Kind("test_result_failed", N_("Test result: %(test)s not passed"),
         N_("%(name)s,\n\nYou did not pass %(test)s this time: %(percent)s%% (%(when)s). "
            "Check when you may try again on the tests page.\n")),
    Kind("report_accepted", N_("Your %(title)s was accepted"),
         N_("%(name)s,\n\nYour %(title)s was accepted.\n\n%(comment)s\n")),
    Kind("report_returned", N_("Your %(title)s was returned for revision"),
         N_("%(name)s,\n\nYour %(title)s was returned for revision. Please revise it "
            "and submit it again by %(due)s.\n\n%(comment)s\n")),
    Kind("deadline_reminder", N_("Reminder: %(title)s is due in %(days)s days"),
         N_("%(name)s,\n\n%(title)s is due on %(due)s. Not submitting it means being treated "
            "as withdrawn.\n")),
    Kind("withdrawn", N_("You have been treated as withdrawn"),
         N_("%(name)s,\n\nThe following was not submitted by its due date: %(missed)s.\n"
            "Under the programme rules you are treated as withdrawn and cannot go on to "
            "course 2 or the certification test. If there was a reason, please contact the "
            "secretariat.\n")),
    Kind("trainee_withdrawn", N_("Trainee treated as withdrawn: %(trainee)s"),
         N_("%(name)s,\n\n%(trainee)s (%(cohort)s) was treated as withdrawn: not submitted "
            "by the due date: %(missed)s.\n")),
    Kind("withdrawal_received", N_("Your withdrawal notice was received"),
         N_("%(name)s,\n\nWe received your withdrawal notice (%(cohort)s). You have "
            "withdrawn from the programme. If this was a mistake, please contact the "
            "secretariat.\n")),
    Kind("withdrawn_by_office", N_("You have been withdrawn from the programme"),
         N_("%(name)s,\n\nThe secretariat withdrew you from %(cohort)s for this "
            "reason: %(reason)s\nIf you have questions, please contact the "
            "secretariat.\n")),
    Kind("trainee_withdrew", N_("Trainee withdrawn: %(trainee)s"),
         N_("%(name)s,\n\n%(trainee)s (%(cohort)s) has withdrawn: %(reason)s\n")),
    Kind("seat_offered", N_("A seat is available: %(title)s"),
         N_("%(name)s,\n\nA seat has become free in %(title)s. Confirm it by %(until)s or it "
            "passes to the next person on the waitlist.\n")),
    Kind("offer_expired", N_("Seat offer expired: %(title)s"),
         N_("%(name)s,\n\nThe seat offered to you in %(title)s was not confirmed in time and "
            "has passed to the next person on the waitlist. You may book another session "
            "while booking is open.\n")),
    # certificates (lms/certificates on main): their services call notify() with these
    Kind("certificate_issued", N_("Your certificate has been issued"),
         N_("%(name)s,\n\nYour Foreign Resident Support Coordinator certificate (No. %(number)s) "
            "has been issued. It is valid until %(until)s. You can download it from the page "
            "below.\n")),
    Kind("certificate_lapsed", N_("Your certification has lapsed"),
         N_("%(name)s,\n\nYour certificate No. %(number)s expired on %(until)s without "
            "renewal, so your certification has lapsed. Renewal is no longer possible; a new "
            "certification is needed.\n")),
    Kind("renewal_due", N_("Your certificate expires in %(months)s months"),
         N_("%(name)s,\n\nYour certificate No. %(number)s is valid until %(until)s. Complete "
            "the renewal training before then to receive a new certificate; after that date "
            "renewal is no longer possible.\n")),
    Kind("session_changed", N_("Course 2 session changed: %(title)s"),
         N_("%(name)s,\n\nThe secretariat changed the details of %(title)s "
            "(venue, times or seats). Please check them.\n")),
    # applications (lms/applications/review.py): the secretariat's decisions, and the lapse
    Kind("application_accepted", N_("Your application was accepted"),
         N_("%(name)s,\n\nYour application to %(cohort)s was accepted. Log in to start "
            "course 1 from %(start)s.\n")),
    Kind("application_rejected", N_("The result of your application"),
         N_("%(name)s,\n\nWe regret that your application to %(cohort)s could not be "
            "accepted.\nReason: %(reason)s\n%(note)s\n")),
    Kind("application_returned", N_("Your application needs correcting"),
         N_("%(name)s,\n\nThe secretariat returned your application to %(cohort)s for "
            "correction:\n\n%(note)s\n\nCorrect it and submit it again by %(due)s, or it "
            "lapses.\n")),
    Kind("application_lapsed", N_("Your application has lapsed"),
         N_("%(name)s,\n\nYour application to %(cohort)s was not corrected by %(due)s and "
            "has lapsed.\n")),
):
    register_kind(_kind)

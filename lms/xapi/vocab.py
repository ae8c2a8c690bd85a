"""Every verb, activity type and extension the LMS uses, from published vocabularies."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Verb:
    id: str
    en: str
    ja: str

    def as_dict(self) -> dict:
        return {"id": self.id, "display": {"en-US": self.en, "ja-JP": self.ja}}


ADL = "http://adlnet.gov/expapi/verbs/"
ADL_W3ID = "https://w3id.org/xapi/adl/verbs/"

LOGGED_IN = Verb(ADL_W3ID + "logged-in", "logged in", "ログインした")
LOGGED_OUT = Verb(ADL_W3ID + "logged-out", "logged out", "ログアウトした")
REGISTERED = Verb(ADL + "registered", "registered", "登録した")
VOIDED = Verb(ADL + "voided", "voided", "取り消した")

#: activity types
TYPE_LMS = "http://id.tincanapi.com/activitytype/lms"
TYPE_COURSE = "http://adlnet.gov/expapi/activities/course"

ATTEMPTED = Verb(ADL + "attempted", "attempted", "受験を開始した")
ANSWERED = Verb(ADL + "answered", "answered", "解答した")
PASSED = Verb(ADL + "passed", "passed", "合格した")
FAILED = Verb(ADL + "failed", "failed", "不合格となった")
COMPLETED = Verb(ADL + "completed", "completed", "完了した")

TYPE_ASSESSMENT = "http://adlnet.gov/expapi/activities/assessment"
TYPE_QUESTION = "http://adlnet.gov/expapi/activities/cmi.interaction"
TYPE_STAGE = "http://adlnet.gov/expapi/activities/module"

SUBMITTED = Verb("http://activitystrea.ms/schema/1.0/submit", "submitted", "提出した")
RETURNED = Verb("https://w3id.org/xapi/dod-isd/verbs/returned", "returned", "差し戻した")
ACCEPTED = Verb("http://activitystrea.ms/schema/1.0/accept", "accepted", "受理した")
REFLECTED = Verb("https://w3id.org/xapi/adl/verbs/reflected", "reflected", "振り返った")
SET_GOAL = Verb("https://w3id.org/xapi/adl/verbs/set", "set", "設定した")
WITHDREW = Verb("https://w3id.org/xapi/adl/verbs/abandoned", "abandoned", "辞退扱いとなった")

TYPE_REPORT = "http://id.tincanapi.com/activitytype/document"
TYPE_REFLECTION = "https://w3id.org/xapi/acrossx/activities/journal"
TYPE_GOAL = "https://w3id.org/xapi/adl/activity-types/goal"

WAITLISTED = Verb("https://w3id.org/xapi/acrossx/verbs/waitlisted", "waitlisted",
                  "キャンセル待ちに登録した")
PROMOTED = Verb("https://w3id.org/xapi/acrossx/verbs/promoted", "was offered a seat",
                "繰り上げの案内を受けた")
CANCELLED = Verb("http://activitystrea.ms/schema/1.0/cancel", "cancelled", "キャンセルした")
ATTENDED = Verb(ADL + "attended", "attended", "出席した")
TYPE_SESSION = "http://adlnet.gov/expapi/activities/meeting"

#: cmi5 (https://w3id.org/xapi/cmi5): each lecture module is an assignable unit, each subject
#: group a block; the LMS launches modules and says when their moveOn criterion is satisfied
CMI5 = "https://w3id.org/xapi/cmi5/context/"
LAUNCHED = Verb(ADL + "launched", "launched", "開始した")
SATISFIED = Verb(ADL_W3ID + "satisfied", "satisfied", "修了要件を満たした")
CMI5_CATEGORY = {"id": CMI5 + "categories/cmi5"}
MOVEON_CATEGORY = {"id": CMI5 + "categories/moveon"}
EXT_LAUNCH_MODE = CMI5 + "extensions/launchmode"
EXT_LAUNCH_URL = CMI5 + "extensions/launchurl"
EXT_MOVEON = CMI5 + "extensions/moveon"
EXT_CMI5_SESSION = CMI5 + "extensions/sessionid"
TYPE_BLOCK = "https://w3id.org/xapi/cmi5/activitytype/block"

#: the ADL Video Profile (https://w3id.org/xapi/video), for lecture playback
VIDEO = "https://w3id.org/xapi/video"
VIDEO_PLAYED = Verb(VIDEO + "/verbs/played", "played", "再生した")
VIDEO_PAUSED = Verb(VIDEO + "/verbs/paused", "paused", "一時停止した")
VIDEO_SEEKED = Verb(VIDEO + "/verbs/seeked", "seeked", "シークした")

TYPE_VIDEO = VIDEO + "/activity-type/video"

VIDEO_EXT_TIME = VIDEO + "/extensions/time"
VIDEO_EXT_TIME_FROM = VIDEO + "/extensions/time-from"
VIDEO_EXT_TIME_TO = VIDEO + "/extensions/time-to"
VIDEO_EXT_PLAYED_SEGMENTS = VIDEO + "/extensions/played-segments"
VIDEO_EXT_PROGRESS = VIDEO + "/extensions/progress"
VIDEO_EXT_LENGTH = VIDEO + "/extensions/length"
VIDEO_EXT_SESSION_ID = VIDEO + "/extensions/session-id"
VIDEO_EXT_COMPLETION_THRESHOLD = VIDEO + "/extensions/completion-threshold"

#: the LMS's own context extensions: ``xapi.activity_iri("extensions", EXT_…)``
EXT_ATTEMPT = "attempt"  #: the number of a test attempt
EXT_VERSION = "version"  #: the version number of a submitted report
EXT_DAY = "day"  #: the course ② day an attendance is for

#: applications (受講申込): the applicant submits, the office returns, accepts or rejects
REJECTED = Verb("http://activitystrea.ms/schema/1.0/reject", "rejected", "不受理とした")
TYPE_APPLICATION = "http://id.tincanapi.com/activitytype/document"
EXT_APPLICANT = "applicant"  #: the applicant an administrator's decision is about
#: certificates (認定証): actor = the administrator who decides; the holder in an extension
ACTIVITY_STREAMS = "http://activitystrea.ms/schema/1.0/"
CERTIFICATE_ISSUED = Verb(ACTIVITY_STREAMS + "give", "issued", "交付した")
CERTIFICATE_RENEWED = Verb(ACTIVITY_STREAMS + "qualify", "renewed", "更新した")
CERTIFICATE_LAPSED = Verb(ACTIVITY_STREAMS + "lose", "lapsed", "失効した")
CERTIFICATE_REVOKED = Verb(ACTIVITY_STREAMS + "retract", "revoked", "取り消した")
TYPE_CERTIFICATE = "https://w3id.org/xapi/acrossx/activities/certificate"
EXT_HOLDER = "holder"  #: the certificate holder's public id (when the actor is staff)
#: certification committee (認定審査委員会, §6(2)): a member is the actor of each decision
SCORED = Verb(ADL + "scored", "scored", "得点を得た")  #: a certification test, before the decision
APPROVED = Verb("http://activitystrea.ms/schema/1.0/approve", "approved", "承認した")
DECIDED = Verb("http://activitystrea.ms/schema/1.0/confirm", "decided", "決定した")
TYPE_DECLARATION = "http://id.tincanapi.com/activitytype/document"

"""Every verb, activity type and extension the LMS uses.

Most come from published vocabularies (ADL, Activity Streams, cmi5, the ADL Video Profile).
Where none says what the LMS means, the term is the LMS's own (:class:`LmsTerm`): its IRI lies
under the configured base URL, at ``<base>/vocab/<kind>/<name>``, where a public page defines
it in Japanese and English (:mod:`lms.xapi.vocab_views`).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app


def vocab_base() -> str:
    """Where the LMS's own terms are defined: ``<base>/vocab``."""
    return current_app.config["BASE_URL"].rstrip("/") + "/vocab"


@dataclass(frozen=True)
class LmsTerm:
    """A term of the LMS's own vocabulary: ``kind`` is ``verbs``, ``activity-types`` or
    ``extensions``; the IRI follows the configured base URL."""

    kind: str
    name: str
    en: str
    ja: str
    definition_en: str
    definition_ja: str
    #: the xAPI Profiles concept type (Verb, ActivityType, ContextExtension, ResultExtension)
    concept: str = ""

    @property
    def iri(self) -> str:
        return f"{vocab_base()}/{self.kind}/{self.name}"

    def __str__(self) -> str:
        return self.iri


@dataclass(frozen=True)
class Verb:
    """A verb: a published IRI, or one of the LMS's own terms."""

    ref: str | LmsTerm
    en: str
    ja: str

    @property
    def id(self) -> str:
        return iri(self.ref)

    def as_dict(self) -> dict:
        return {"id": self.id, "display": {"en-US": self.en, "ja-JP": self.ja}}


def iri(term: str | LmsTerm) -> str:
    """The IRI of a published term (a string) or of one of the LMS's own."""
    return term.iri if isinstance(term, LmsTerm) else term


LMS_TERMS: dict[tuple[str, str], LmsTerm] = {}


CONCEPTS = {"verbs": "Verb", "activity-types": "ActivityType",
            "extensions": "ContextExtension"}


def _term(kind: str, name: str, en: str, ja: str, definition_en: str,
          definition_ja: str, concept: str = "") -> LmsTerm:
    term = LmsTerm(kind, name, en, ja, definition_en, definition_ja,
                   concept or CONCEPTS[kind])
    LMS_TERMS[(kind, name)] = term
    return term


def _verb(name: str, en: str, ja: str, definition_en: str, definition_ja: str) -> Verb:
    return Verb(_term("verbs", name, en, ja, definition_en, definition_ja), en, ja)


ADL = "http://adlnet.gov/expapi/verbs/"
ADL_W3ID = "https://w3id.org/xapi/adl/verbs/"
AS = "http://activitystrea.ms/schema/1.0/"

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

#: practice reports: the trainee submits, the reviewer (the actor) accepts or returns
SUBMITTED = Verb(AS + "submit", "submitted", "提出した")
ACCEPTED = Verb(AS + "accept", "accepted", "受理した")
RETURNED = Verb(AS + "reject", "returned for revision", "差し戻した")
REFLECTED = _verb(
    "reflected", "reflected", "振り返りを記録した",
    "The actor wrote a reflection on a day of practice (実践の日々の振り返り).",
    "実践期間中の一日について、振り返りを記録した。")
SET_GOAL = _verb(
    "set-goal", "set goals", "目標を設定した",
    "The actor submitted the goal sheet of the practice stage (目標設定シート).",
    "実践期間の目標設定シートを提出した。")
WITHDRAWN = _verb(
    "treated-as-withdrawn", "treated as withdrawn", "辞退扱いとした",
    "The secretariat treated the trainee named in the statement as withdrawn from the "
    "cohort, because a required report was not submitted by its due date (an administrative "
    "decision, not the trainee's own action).",
    "所定の期限までに報告書が提出されなかったため、事務局が記録中の受講者を当該期の辞退扱いとした"
    "（受講者本人の行為ではなく、事務局の処分）。")

#: the name this verb had when the trainee was wrongly its actor; kept for older callers
WITHDREW = WITHDRAWN

TYPE_REPORT = "http://id.tincanapi.com/activitytype/document"
TYPE_SUBJECT_GROUP = _term(
    "activity-types", "subject-group", "subject group", "科目群",
    "One of the subject groups A–E of course 1: its lectures and its test.",
    "養成課程①の科目群（A〜E）。講義とテストから成る。")
TYPE_COHORT = _term(
    "activity-types", "cohort", "cohort", "期",
    "One cohort (期) of the training programme: the trainees who study on the same dates.",
    "同じ日程で受講する受講者の集まりとしての、養成研修の各期。")
TYPE_REFLECTION = _term(
    "activity-types", "reflection", "daily reflection", "日々の振り返り",
    "A trainee's written reflection on one day of the practice stage.",
    "実践期間中の一日についての、受講者による振り返りの記録。")
TYPE_GOAL = _term(
    "activity-types", "goal-sheet", "goal sheet", "目標設定シート",
    "The practice stage's goal sheet, in which a trainee sets goals and how to measure them.",
    "実践期間の目標と達成指標を受講者が定める様式。")

WAITLISTED = _verb(
    "waitlisted", "joined the waitlist", "キャンセル待ちに登録した",
    "The actor asked for a seat in a full course 2 session and was put on its waitlist.",
    "満席の養成課程②の回に申し込み、キャンセル待ちに登録された。")
PROMOTED = _verb(
    "offered-seat", "was offered a seat", "繰り上げの案内を受けた",
    "A seat became free and the actor, first on the waitlist, was offered it for a "
    "limited time.",
    "空席が生じ、キャンセル待ちの先頭であったため、期限付きで座席の案内を受けた。")
CANCELLED = Verb(AS + "cancel", "cancelled", "キャンセルした")
ATTENDED = Verb(ADL + "attended", "attended", "出席した")
TYPE_SESSION = "http://adlnet.gov/expapi/activities/meeting"

#: cmi5 (https://w3id.org/xapi/cmi5): each lecture module is an assignable unit, each subject
#: group a block, the lectures of course ① a course; the LMS launches modules and says when
#: their moveOn criterion is satisfied
CMI5 = "https://w3id.org/xapi/cmi5/context/"
LAUNCHED = Verb(ADL + "launched", "launched", "開始した")
INITIALIZED = Verb(ADL + "initialized", "initialized", "視聴を開始した")
TERMINATED = Verb(ADL + "terminated", "terminated", "視聴を終了した")
ABANDONED = Verb(ADL_W3ID + "abandoned", "abandoned", "視聴が中断された")
SATISFIED = Verb(ADL_W3ID + "satisfied", "satisfied", "修了要件を満たした")
CMI5_CATEGORY_ID = CMI5 + "categories/cmi5"
MOVEON_CATEGORY_ID = CMI5 + "categories/moveon"
CMI5_CATEGORY = {"objectType": "Activity", "id": CMI5_CATEGORY_ID}
MOVEON_CATEGORY = {"objectType": "Activity", "id": MOVEON_CATEGORY_ID}
EXT_LAUNCH_MODE = CMI5 + "extensions/launchmode"
EXT_LAUNCH_URL = CMI5 + "extensions/launchurl"
EXT_MOVEON = CMI5 + "extensions/moveon"
EXT_CMI5_SESSION = CMI5 + "extensions/sessionid"
TYPE_BLOCK = "https://w3id.org/xapi/cmi5/activitytype/block"
TYPE_CMI5_COURSE = "https://w3id.org/xapi/cmi5/activitytype/course"
LAUNCH_DATA = "LMS.LaunchData"

#: the ADL Video Profile (https://w3id.org/xapi/video), for lecture playback
VIDEO = "https://w3id.org/xapi/video"
VIDEO_CATEGORY = {"objectType": "Activity", "id": VIDEO,
                  "definition": {"type": "http://adlnet.gov/expapi/activities/profile"}}
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

#: the LMS's own extensions
EXT_ATTEMPT = _term(
    "extensions", "attempt", "attempt number", "受験回数",
    "Context extension: the number of this attempt at a test (1 for the first).",
    "コンテキスト拡張：このテストの何回目の受験か（初回は1）。")
EXT_VERSION = _term(
    "extensions", "report-version", "report version", "報告書の版",
    "Result extension: the version number of a submitted practice report (1 for the first "
    "submission, 2 after one return for revision, and so on).",
    "結果拡張：提出された実践報告書の版番号（初回提出は1、差戻し後の再提出は2、以降同様）。",
    "ResultExtension")
EXT_DAY = _term(
    "extensions", "session-day", "session day", "受講日",
    "Context extension: the date (YYYY-MM-DD) of the course 2 day an attendance is for.",
    "コンテキスト拡張：出席の対象となる養成課程②の日付（YYYY-MM-DD）。")
EXT_TRAINEE = _term(
    "extensions", "trainee", "trainee", "受講者",
    "Context extension: the trainee (an xAPI Agent) a decision is about, when the actor is "
    "the member of staff who decided.",
    "コンテキスト拡張：職員が行為者である判断（受理・差戻し・辞退扱い）の対象となる受講者"
    "（xAPI の Agent）。")
EXT_REVISION_DUE = _term(
    "extensions", "revision-due", "revision due", "再提出期限",
    "Result extension: the date (YYYY-MM-DD) by which a report returned for revision must be "
    "submitted again.",
    "結果拡張：差し戻された報告書の再提出期限（YYYY-MM-DD）。",
    "ResultExtension")
EXT_REASON = _term(
    "extensions", "reason", "reason", "理由",
    "Result extension: why an administrative decision was taken, in words.",
    "結果拡張：事務局による処分の理由。",
    "ResultExtension")


#: applications (受講申込): the applicant submits, the office returns, accepts or rejects
# "deny", not "reject": the LMS says "reject" for a report returned for revision (RETURNED)
REJECTED = Verb(AS + "deny", "rejected", "不受理とした")
TYPE_APPLICATION = "http://id.tincanapi.com/activitytype/document"
EXT_APPLICANT = _term(
    "extensions", "applicant", "applicant", "申込者",
    "Context extension: the applicant (their account's public id) an administrator's decision "
    "on an application is about.",
    "コンテキスト拡張：事務局による受講申込の判断の対象となる申込者（アカウントの公開 ID）。")
#: certificates (認定証): actor = the administrator who decides; the holder in an extension
ACTIVITY_STREAMS = "http://activitystrea.ms/schema/1.0/"
CERTIFICATE_ISSUED = Verb(ACTIVITY_STREAMS + "give", "issued", "交付した")
CERTIFICATE_RENEWED = Verb(ACTIVITY_STREAMS + "qualify", "renewed", "更新した")
CERTIFICATE_LAPSED = Verb(ACTIVITY_STREAMS + "lose", "lapsed", "失効した")
CERTIFICATE_REVOKED = Verb(ACTIVITY_STREAMS + "retract", "revoked", "取り消した")
TYPE_CERTIFICATE = "https://w3id.org/xapi/acrossx/activities/certificate"
EXT_HOLDER = _term(
    "extensions", "holder", "certificate holder", "認定証の保有者",
    "Context extension: the certificate holder (their account's public id) when the actor is "
    "the member of staff who decided.",
    "コンテキスト拡張：職員が行為者である場合の認定証の保有者（アカウントの公開 ID）。")
#: certification committee (認定審査委員会, §6(2)): a member is the actor of each decision
SCORED = Verb(ADL + "scored", "scored", "得点を得た")  #: a certification test, before the decision
APPROVED = Verb("http://activitystrea.ms/schema/1.0/approve", "approved", "承認した")
DECIDED = Verb("http://activitystrea.ms/schema/1.0/confirm", "decided", "決定した")
TYPE_DECLARATION = "http://id.tincanapi.com/activitytype/document"

def _published() -> set[str]:
    return {v.id for v in globals().values() if isinstance(v, Verb) and isinstance(v.ref, str)} | {
        v for k, v in globals().items() if k.startswith("TYPE_") and isinstance(v, str)}


def undeclared(statement: dict) -> list[str]:
    """Verbs and activity types of *statement* (an LMS statement) that this module does not
    declare, and activities not named in both Japanese and English."""
    published = _published()
    # the LMS's own terms under whatever base URL made the statement
    own = {f"/vocab/{kind}/{name}" for kind, name in LMS_TERMS}

    def known(value: str) -> bool:
        return value in published or "/vocab/" + value.partition("/vocab/")[2] in own

    out = []
    if not known(statement["verb"]["id"]):
        out.append(f"verb {statement['verb']['id']}")
    ctx = statement.get("context") or {}
    activities = [statement["object"]] + [
        a for kind in ("parent", "grouping", "category", "other")
        for a in (ctx.get("contextActivities") or {}).get(kind, [])]
    for activity in activities:
        definition = activity.get("definition") or {}
        if activity.get("objectType", "Activity") != "Activity" or activity["id"] in (
                VIDEO, CMI5_CATEGORY_ID, MOVEON_CATEGORY_ID):
            continue
        if "type" in definition and not known(definition["type"]):
            out.append(f"activity type {definition['type']}")
        if not {"ja-JP", "en-US"} <= set(definition.get("name", {})):
            out.append(f"activity {activity['id']} is not named in Japanese and English")
    return out

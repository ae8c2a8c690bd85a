"""The ADL Video Profile's vocabulary (https://w3id.org/xapi/video)."""

from lms.xapi.vocab import Verb

PROFILE = "https://w3id.org/xapi/video"
PLAYED = Verb(PROFILE + "/verbs/played", "played", "再生した")
PAUSED = Verb(PROFILE + "/verbs/paused", "paused", "一時停止した")
SEEKED = Verb(PROFILE + "/verbs/seeked", "seeked", "シークした")
COMPLETED = Verb("http://adlnet.gov/expapi/verbs/completed", "completed", "完了した")

TYPE_VIDEO = PROFILE + "/activity-type/video"

EXT_TIME = PROFILE + "/extensions/time"
EXT_TIME_FROM = PROFILE + "/extensions/time-from"
EXT_TIME_TO = PROFILE + "/extensions/time-to"
EXT_PLAYED_SEGMENTS = PROFILE + "/extensions/played-segments"
EXT_PROGRESS = PROFILE + "/extensions/progress"
EXT_LENGTH = PROFILE + "/extensions/length"
EXT_SESSION_ID = PROFILE + "/extensions/session-id"
EXT_COMPLETION_THRESHOLD = PROFILE + "/extensions/completion-threshold"

"""The published rules of the ADL Video Profile and cmi5, as checks on statements (pure).

Sources: the Video Profile 1.0.3 (``https://w3id.org/xapi/video``, its statement templates'
``included`` rules and §2 of the statement data model) and the cmi5 specification (quartz
edition, §9 Statement data model, §10 State data model). Each check returns the broken rules
as readable strings; an empty list means the statements conform. The tests run them over
every statement the LMS makes.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

VIDEO = "https://w3id.org/xapi/video"
VIDEO_TYPE = VIDEO + "/activity-type/video"
V_EXT = VIDEO + "/extensions/"
ADL = "http://adlnet.gov/expapi/verbs/"
ADL_W3ID = "https://w3id.org/xapi/adl/verbs/"
CMI5_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
MOVEON_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/moveon"
C_EXT = "https://w3id.org/xapi/cmi5/context/extensions/"
SESSION = C_EXT + "sessionid"

#: the Video Profile's session-id pattern (a version 4 UUID)
UUID4 = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-4[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}"
                   r"-[0-9a-fA-F]{12}$")
DURATION = re.compile(r"^P(?:\d+(?:\.\d+)?[YMWD])*(?:T(?:\d+(?:\.\d+)?[HMS])+)?$")

#: Video Profile templates: verb -> locations that must be included ("ctx:" context
#: extensions, "res:" result extensions, else result properties)
VIDEO_TEMPLATES: dict[str, tuple[str, ...]] = {
    ADL + "initialized": ("ctx:length",),
    VIDEO + "/verbs/played": ("res:time",),
    VIDEO + "/verbs/paused": ("ctx:length", "res:time", "res:progress", "res:played-segments"),
    VIDEO + "/verbs/seeked": ("res:time-from", "res:time-to"),
    ADL + "completed": ("duration", "completion", "ctx:length", "res:time", "res:progress",
                        "res:played-segments"),
    ADL + "terminated": ("ctx:length", "res:time", "res:progress", "res:played-segments"),
    ADL + "interacted": ("res:time",),
}
#: verbs whose statements must carry a completion threshold other than 1
THRESHOLD_VERBS = {ADL + "initialized", VIDEO + "/verbs/paused", ADL + "completed",
                   ADL + "terminated"}

LAUNCHED, INITIALIZED = ADL + "launched", ADL + "initialized"
COMPLETED, PASSED, FAILED = ADL + "completed", ADL + "passed", ADL + "failed"
TERMINATED = ADL + "terminated"
ABANDONED, WAIVED, SATISFIED = (ADL_W3ID + "abandoned", ADL_W3ID + "waived",
                                ADL_W3ID + "satisfied")
CMI5_VERBS = {LAUNCHED, INITIALIZED, COMPLETED, PASSED, FAILED, ABANDONED, WAIVED, TERMINATED,
              SATISFIED}
#: cmi5 §9.3: the verbs only the LMS uses
LMS_VERBS = {LAUNCHED, ABANDONED, WAIVED, SATISFIED}
#: cmi5 §9.5.4: statements that must state a duration
NEEDS_DURATION = {TERMINATED, COMPLETED, PASSED, FAILED, ABANDONED}
LAUNCH_MODES = {"Normal", "Browse", "Review"}
MOVE_ON = {"Passed", "Completed", "CompletedAndPassed", "CompletedOrPassed", "NotApplicable"}


def _ctx(s: dict) -> dict:
    return s.get("context") or {}


def _activities(s: dict, kind: str) -> list[dict]:
    value = _ctx(s).get("contextActivities", {}).get(kind) or []
    return [value] if isinstance(value, dict) else list(value)


def _ids(s: dict, kind: str) -> set[str]:
    return {a["id"] for a in _activities(s, kind) if a.get("id") is not None}


def _object_type(s: dict) -> str | None:
    return ((s.get("object") or {}).get("definition") or {}).get("type")


def is_video_statement(s: dict) -> bool:
    """A statement of the Video Profile: about a video, with one of its templates' verbs."""
    return _object_type(s) == VIDEO_TYPE and s["verb"]["id"] in VIDEO_TEMPLATES


def is_cmi5_defined(s: dict) -> bool:
    return CMI5_CATEGORY in _ids(s, "category")


def is_cmi5_allowed(s: dict) -> bool:
    """A statement in a cmi5 session that is not cmi5 defined (§7.1.3)."""
    return SESSION in (_ctx(s).get("extensions") or {}) and not is_cmi5_defined(s)


def _three_decimals(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) \
        and round(value, 3) == value and value >= 0


def video_problems(s: dict) -> list[str]:
    """The Video Profile's rules for one statement."""
    if _object_type(s) != VIDEO_TYPE:
        return []
    verb = s["verb"]["id"]
    if verb not in VIDEO_TEMPLATES:
        return [] if verb in LMS_VERBS else [f"video: no template for verb {verb}"]
    out = []
    if VIDEO not in _ids(s, "category"):
        out.append("video: context.contextActivities.category lacks " + VIDEO)
    result = s.get("result") or {}
    ctx_ext = _ctx(s).get("extensions") or {}
    res_ext = result.get("extensions") or {}
    for location in VIDEO_TEMPLATES[verb]:
        if location.startswith("ctx:"):
            found = V_EXT + location[4:] in ctx_ext
        elif location.startswith("res:"):
            found = V_EXT + location[4:] in res_ext
        else:
            found = location in result
        if not found:
            out.append(f"video: {verb.rsplit('/', 1)[-1]} lacks {location}")
    session = ctx_ext.get(V_EXT + "session-id")
    if session is None or not UUID4.match(str(session)):
        out.append(f"video: session-id {session!r} is not a UUID")
    if "completion" in result and verb != COMPLETED:
        out.append("video: only completed statements carry result.completion")
    if verb == COMPLETED and result.get("completion") is not True:
        out.append("video: completed needs result.completion true")
    for name in ("time", "time-from", "time-to"):
        if V_EXT + name in res_ext and not _three_decimals(res_ext[V_EXT + name]):
            out.append(f"video: {name} must be seconds with at most 3 decimals")
    progress = res_ext.get(V_EXT + "progress")
    if progress is not None and not (_three_decimals(progress) and progress <= 1):
        out.append("video: progress must be 0–1 with at most 3 decimals")
    segments = res_ext.get(V_EXT + "played-segments")
    if segments is not None and not re.fullmatch(
            r"(\d+(\.\d+)?\[\.\]\d+(\.\d+)?(\[,\]\d+(\.\d+)?\[\.\]\d+(\.\d+)?)*)?", segments):
        out.append(f"video: played-segments {segments!r} is malformed")
    threshold = ctx_ext.get(V_EXT + "completion-threshold")
    if threshold is not None and not (_three_decimals(threshold) and threshold <= 1):
        out.append("video: completion-threshold must be 0–1")
    return out


def cmi5_problems(s: dict) -> list[str]:
    """cmi5's rules (§9) for one statement, cmi5 defined or cmi5 allowed."""
    if not (is_cmi5_defined(s) or is_cmi5_allowed(s)):
        return []
    out = []
    verb = s["verb"]["id"]
    ctx = _ctx(s)
    extensions = ctx.get("extensions") or {}
    if not extensions.get(SESSION):
        out.append("cmi5 §9.6.3.1: no session id")
    if not ctx.get("registration"):
        out.append("cmi5 §9.6.1: no registration")
    if not _activities(s, "grouping"):
        out.append("cmi5 §9.6.2.3: no publisher id in grouping")
    result = s.get("result") or {}
    if MOVEON_CATEGORY in _ids(s, "category") and not (
            is_cmi5_defined(s) and ("success" in result or "completion" in result)):
        out.append("cmi5 §9.6.2.2: moveon category without success or completion")
    if not is_cmi5_defined(s):
        return out
    actor = s.get("actor") or {}
    if actor.get("objectType", "Agent") != "Agent" or "account" not in actor:
        out.append("cmi5 §9.2: the actor must be an Agent with an account")
    if verb not in CMI5_VERBS:
        out.append(f"cmi5 §9.3: {verb} is not a cmi5 verb")
    if ("success" in result or "completion" in result) and \
            MOVEON_CATEGORY not in _ids(s, "category"):
        out.append("cmi5 §9.6.2.2: success/completion without the moveon category")
    expected_success = {PASSED: True, WAIVED: True, FAILED: False}
    if verb in expected_success:
        if result.get("success") is not expected_success[verb]:
            out.append(f"cmi5 §9.5.2: {verb} needs success {expected_success[verb]}")
    elif "success" in result:
        out.append(f"cmi5 §9.5.2: {verb} must not carry success")
    if verb in (COMPLETED, WAIVED):
        if result.get("completion") is not True:
            out.append(f"cmi5 §9.5.3: {verb} needs completion true")
    elif "completion" in result:
        out.append(f"cmi5 §9.5.3: {verb} must not carry completion")
    if "score" in result and verb not in (PASSED, FAILED):
        out.append(f"cmi5 §9.5.1: {verb} must not carry a score")
    if verb in NEEDS_DURATION and not DURATION.match(str(result.get("duration", ""))):
        out.append(f"cmi5 §9.5.4: {verb} needs a duration")
    if verb == LAUNCHED:
        if extensions.get(C_EXT + "launchmode") not in LAUNCH_MODES:
            out.append("cmi5 §9.6.3.3: launched needs launchMode")
        if not str(extensions.get(C_EXT + "launchurl", "")).startswith(("http://", "https://")):
            out.append("cmi5 §9.6.3.4: launched needs launchURL")
        if extensions.get(C_EXT + "moveon") not in MOVE_ON:
            out.append("cmi5 §9.6.3.6: launched needs moveOn")
    if verb == SATISFIED and _object_type(s) not in (
            "https://w3id.org/xapi/cmi5/activitytype/block",
            "https://w3id.org/xapi/cmi5/activitytype/course"):
        out.append("cmi5 §9.3.9: satisfied is about a block or a course")
    if verb == SATISFIED and s["object"]["id"] in _ids(s, "grouping"):
        out.append("cmi5 §9.3.9: the block/course id must differ from the publisher id")
    return out


def template_problems(s: dict, launch_data: dict | None) -> list[str]:
    """cmi5 §10: statements about a launched AU follow the ``LMS.LaunchData`` context
    template (its grouping and session id), which must exist."""
    if s["verb"]["id"] == SATISFIED or not (is_cmi5_defined(s) or is_cmi5_allowed(s)):
        return []
    if launch_data is None:
        return ["cmi5 §10: no LMS.LaunchData state document for the AU and registration"]
    out = []
    template = launch_data.get("contextTemplate") or {}
    wanted = {a["id"] for a in (template.get("contextActivities") or {}).get("grouping", [])}
    if not wanted or not wanted <= _ids(s, "grouping"):
        out.append("cmi5 §9.6.2.3: grouping lacks the template's publisher id")
    if launch_data.get("launchMode") not in LAUNCH_MODES or \
            launch_data.get("moveOn") not in MOVE_ON:
        out.append("cmi5 §10: LMS.LaunchData needs launchMode and moveOn")
    if not (template.get("extensions") or {}).get(SESSION):
        out.append("cmi5 §10: the context template lacks the session id")
    return out


def session_problems(statements: Iterable[dict]) -> list[str]:
    """Order within sessions (cmi5 §9.3, Video Profile patterns), in store order."""
    sessions: dict[str, list[dict]] = defaultdict(list)
    completions: dict[tuple, int] = defaultdict(int)
    for s in statements:
        sid = (_ctx(s).get("extensions") or {}).get(SESSION)
        if sid and s["verb"]["id"] != SATISFIED:
            sessions[sid].append(s)
        if is_cmi5_defined(s) and s["verb"]["id"] == COMPLETED:
            completions[(_ctx(s).get("registration"), s["object"]["id"])] += 1
    out = [f"cmi5 §9.3.3: {n} completed statements for {key}"
           for key, n in completions.items() if n > 1]
    for sid, items in sessions.items():
        verbs = [s["verb"]["id"] for s in items]
        if verbs.count(LAUNCHED) != 1 or verbs[0] != LAUNCHED:
            out.append(f"session {sid}: must begin with one launched")
            continue
        au = verbs[1:]
        if au and au != [ABANDONED] and (au[0] != INITIALIZED or au.count(INITIALIZED) != 1):
            out.append(f"session {sid}: initialized must be first, once")
        for end in (TERMINATED, ABANDONED):
            if end in au and au.index(end) != len(au) - 1:
                out.append(f"session {sid}: nothing may follow {end.rsplit('/', 1)[-1]}")
        if TERMINATED in au and ABANDONED in au:
            out.append(f"session {sid}: both terminated and abandoned")
        playing = False
        for verb in au:
            if verb == VIDEO + "/verbs/played":
                playing = True
            elif verb == VIDEO + "/verbs/paused":
                playing = False
            elif verb == TERMINATED and playing:
                out.append(f"video: session {sid} terminated without a pause after playing")
        first = next((s for s in items if s["verb"]["id"] == INITIALIZED), None)
        threshold = ((_ctx(first).get("extensions") or {}).get(V_EXT + "completion-threshold")
                     if first else None)
        if threshold is not None and threshold != 1:
            for s in items:
                if s["verb"]["id"] in THRESHOLD_VERBS and is_video_statement(s) and \
                        V_EXT + "completion-threshold" not in (_ctx(s).get("extensions") or {}):
                    out.append(f"video: {s['verb']['id']} in {sid} lacks the "
                               "completion-threshold")
    return out


def problems(statements: list[dict],
             launch_data: Callable[[dict], dict | None] = lambda s: None) -> list[str]:
    """Every broken Video Profile and cmi5 rule in *statements* (in store order);
    *launch_data* finds the ``LMS.LaunchData`` document a statement's AU was launched with."""
    out: list[str] = []
    for s in statements:
        found = video_problems(s) + cmi5_problems(s) + template_problems(s, launch_data(s))
        out.extend(f"{s['id']} {s['verb']['id'].rsplit('/', 1)[-1]}: {p}" for p in found)
    return out + session_problems(statements)

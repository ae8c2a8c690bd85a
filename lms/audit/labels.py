"""What the audit log shows people: a label per action, names for targets, readable details.

The audit log imports no feature: each feature registers its own actions, coded values and
kinds of record (one module, ``lms/<feature>/audit_labels.py``, loaded by ``create_app``), so
the log never shows a raw code such as ``practice.extension`` or ``Enrolment 12``::

    from lms import audit
    audit.register_actions({"certification.decide": N_("Certification decision")})
    audit.register_target("CertificationDecision", lambda ident: (name, url_or_None))
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass

from flask_babel import gettext

from lms.i18n import N_

#: action code → English label (translated when shown), registered by the features
ACTION_LABELS: dict[str, str] = {}

#: detail key → English label (translated when shown); unknown keys are shown as they are
DETAIL_LABELS: dict[str, str] = {
    "name": N_("Name"), "roles": N_("Roles"), "before": N_("Before"), "after": N_("After"),
    "changes": N_("Changes"), "changed": N_("Changes"), "user": N_("Person"),
    "cohort": N_("Cohort"), "title": N_("Title"), "reason": N_("Reason"),
    "kind": N_("Report"), "until": N_("Until"), "missed": N_("Missed"),
    "decision": N_("Decision"), "comment": N_("Comment"), "new_due_on": N_("New due date"),
    "status": N_("Status"), "day": N_("Day"), "method": N_("Method"),
    "format": N_("Format"), "table": N_("Table"), "filters": N_("Filters"),
    "added": N_("Added"), "updated": N_("Updated"), "unpublished": N_("Unpublished"),
    "key": N_("Key"), "read": N_("Read"), "write": N_("Write"), "active": N_("Active"),
    "deactivated": N_("Deactivated"),
}


#: coded values stored in details → English label (translated when shown), registered
VALUE_LABELS: dict[str, str] = {}

#: targets recorded by a plain name (no id) → English label, registered
TARGET_NAMES: dict[str, str] = {}

#: "people" → a function of people's ids returning their names (the accounts package's)
_PEOPLE: dict[str, Callable[[Collection[int]], dict[int, str]]] = {}


def register_actions(labels: dict[str, str]) -> None:
    """Give actions their English labels (marked with ``N_`` for translation)."""
    ACTION_LABELS.update(labels)


def register_values(labels: dict[str, str]) -> None:
    """Give coded values stored in details their English labels (marked with ``N_``)."""
    VALUE_LABELS.update(labels)


def register_target_name(target_type: str, label: str) -> None:
    """Name the records of *target_type* recorded without an id (``"Quiz"``: all tests)."""
    TARGET_NAMES[target_type] = label


def register_people(names: Callable[[Collection[int]], dict[int, str]]) -> None:
    """Set how the log names the people who acted: a function of ids returning names."""
    _PEOPLE["people"] = names


def people_names(ids: Collection[int]) -> dict[int, str]:
    """The names of the people with *ids* (those unknown are left out)."""
    names = _PEOPLE.get("people")
    return names(ids) if names and ids else {}


def register_action(action: str, label: str) -> None:
    """Give *action* its English label (mark it with ``N_`` for translation)."""
    ACTION_LABELS[action] = label


def action_label(action: str) -> str:
    label = ACTION_LABELS.get(action)
    return gettext(label) if label else action


def action_choices() -> list[tuple[str, str]]:
    return sorted(((code, action_label(code)) for code in ACTION_LABELS), key=lambda c: c[0])


@dataclass(frozen=True)
class TargetView:
    label: str
    url: str | None = None


#: target type → function(id) returning (name, url or None), or None when the row is gone
_TARGETS: dict[str, Callable[[str], tuple[str, str | None] | None]] = {}


def register_target(target_type: str,
                    describe: Callable[[str], tuple[str, str | None] | None]) -> None:
    """Name the records of *target_type* in the log (a function of the stored id)."""
    _TARGETS[target_type] = describe


def target_view(target_type: str, target_id: str) -> TargetView:
    describe = _TARGETS.get(target_type)
    if describe is not None and target_id:
        try:
            found = describe(target_id)
        except (ValueError, LookupError):
            found = None
        if found is not None:
            return TargetView(*found)
    if not target_id and target_type in TARGET_NAMES:
        return TargetView(gettext(TARGET_NAMES[target_type]))
    return TargetView(f"{target_type} {target_id}".strip())


def detail_label(key: str) -> str:
    label = DETAIL_LABELS.get(key)
    return gettext(label) if label else key


def detail_text(value, key: str = "") -> str:
    """One detail value as text: lists joined, the ``[before, after]`` pairs of a change
    as ``before → after``, mappings as ``key: value``; Japanese shown as it is, never escaped."""
    if isinstance(value, dict):
        return "; ".join(f"{detail_label(str(k))}: {detail_text(v, key)}"
                         for k, v in value.items())
    if isinstance(value, list | tuple):
        if key in CHANGE_KEYS and len(value) == 2:
            return f"{detail_text(value[0])} → {detail_text(value[1])}"
        return "、".join(detail_text(v) for v in value)
    if key in REFERENCE_KEYS and (type(value) is int or str(value).isdigit()):
        return target_view(REFERENCE_KEYS[key], str(value)).label
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if value is None:
        return "—"
    if isinstance(value, str) and value in VALUE_LABELS:
        return gettext(VALUE_LABELS[value])
    return str(value)


#: detail keys holding the id of a record, shown by its name
REFERENCE_KEYS = {"user": "User", "cohort": "Cohort"}

#: detail keys whose values map each field to ``[before, after]``
CHANGE_KEYS = {"changes", "changed"}


def details_rows(details: dict) -> list[tuple[str, str]]:
    """The details of an event as (label, text) rows."""
    return [(detail_label(str(k)), detail_text(v, str(k))) for k, v in (details or {}).items()]

"""Why a unit is locked, in the trainee's language (titles and hints come from the registry)."""

from __future__ import annotations

from flask_babel import gettext as _

from lms.progression import registry
from lms.progression.rules import Lock


def unit_title(unit: str) -> str:
    return registry.title(unit) or unit.partition(":")[2]


def reasons(lock: Lock) -> list[str]:
    """One sentence per missing requirement (「グループBの講義をすべて視聴すると…」)."""
    if lock.withdrawn:
        return [_("You have been treated as withdrawn from the programme, so this is closed. "
                  "Please contact the secretariat.")]
    messages = []
    for requirement in lock.missing:
        hint = registry.hint(requirement)
        if hint is not None:
            messages.append(hint)
        else:
            messages.append(_("Complete “%(title)s” to unlock this.",
                              title=unit_title(requirement)))
    return messages

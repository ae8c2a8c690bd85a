"""The lectures' part in the programme: ``lectures:<A-E>`` is every published module of a
subject group watched to completion."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _

from lms.content.models import LectureModule, ModuleProgress, ProgressStatus
from lms.content.progress import course_progress
from lms.extensions import db
from lms.progression import registry, versions


def satisfied(users: Sequence) -> dict[int, set[str]]:
    if len(users) == 1:  # a trainee's own page: the request already holds their progress
        user = users[0]
        return {user.id: {f"lectures:{group.letter}" for group in course_progress(user)
                          if group.modules and group.complete == len(group.modules)}}
    groups: dict[str, set[int]] = {}
    for module_id, letter in db.session.execute(
            db.select(LectureModule.id, LectureModule.group_letter)
            .where(LectureModule.published.is_(True))):
        groups.setdefault(letter, set()).add(module_id)
    watched: dict[int, set[int]] = {u.id: set() for u in users}
    for user_id, module_id in db.session.execute(
            db.select(ModuleProgress.user_id, ModuleProgress.module_id).where(
                ModuleProgress.user_id.in_(list(watched)),
                ModuleProgress.status == ProgressStatus.COMPLETE)):
        watched[user_id].add(module_id)
    return {uid: {f"lectures:{letter}" for letter, ids in groups.items() if ids <= done}
            for uid, done in watched.items()}


def title(unit: str) -> str:
    return _("Group %(letter)s lectures", letter=unit.partition(":")[2])


def hint(unit: str) -> str:
    return _("Watch all lectures of group %(letter)s to unlock this.",
             letter=unit.partition(":")[2])


def register() -> None:
    registry.register(registry.Stage("lectures", ("lectures:*",), satisfied, title=title,
                                     hint=hint))
    versions.track(ModuleProgress, ModuleProgress.user_id, fields=("status",))
    versions.track(LectureModule, versions.EVERYONE)

"""Who may see which lecture module and which media file."""

from __future__ import annotations

from lms.cohorts.models import EnrolmentStatus
from lms.cohorts.services import current_enrolment
from lms.content.models import LectureModule
from lms.extensions import db
from lms.security import Role

#: who previews every module (lms.content.authoring), so may fetch its media; the committee
#: reviews evidence, not lecture material, and holds neither
STAFF = {Role.INSTRUCTOR, Role.ADMIN}


def is_staff(user) -> bool:
    return user.has_any_role(STAFF)


def trainee_may_study(user) -> bool:
    """A trainee studies course ① while enrolled and not withdrawn."""
    enrolment = current_enrolment(user)
    return enrolment is not None and enrolment.status != EnrolmentStatus.WITHDRAWN


def can_view_module(user, module: LectureModule) -> bool:
    """Staff see every module; an enrolled trainee sees published ones."""
    if is_staff(user):
        return True
    return module.published and user.has_role(Role.TRAINEE) and trainee_may_study(user)


def module_for_media(path: str) -> list[LectureModule]:
    """Return the modules whose video or captions are the media file at *path*."""
    rows = db.session.execute(db.select(LectureModule)).scalars()
    return [m for m in rows if m.video == path or path in m.captions.values()]


def can_fetch_media(user, path: str) -> bool:
    """Media follows the module's access: those who preview modules may fetch any file under
    the content root; anyone else (a trainee) only the media of a module they may view."""
    if is_staff(user):
        return True
    return any(can_view_module(user, module) for module in module_for_media(path))

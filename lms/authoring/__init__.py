"""Authored files in git (lecture modules, quizzes, report forms, the programme file): the
strict YAML reading that names file and line, and the registry through which each feature
adds its kind of file to ``flask content check``, the content status page and publishing.

This package knows no feature: features import it and register.
"""

from lms.authoring.problems import Problem
from lms.authoring.registry import (
    Checked,
    FileKind,
    Known,
    Preview,
    Shown,
    SyncResult,
    kinds,
    register,
    unregister,
)

__all__ = ["Checked", "FileKind", "Known", "Preview", "Problem", "Shown", "SyncResult", "kinds",
           "register", "unregister"]

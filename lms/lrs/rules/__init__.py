"""The rules xAPI 1.0.3 (Data §2.4, §4) and 2.0 (IEEE 9274.1.1) set for a statement (pure).

:class:`Validator` walks a statement and raises :class:`Invalid` naming the field at the first
broken rule. :mod:`lms.lrs.validation` runs it together with ralph-malph's models.

One module per part of a statement, each a class of rules that :class:`Validator` combines:
:mod:`.primitives` (IRIs, UUIDs, timestamps, language maps), :mod:`.actors`,
:mod:`.activities` (with StatementRefs), :mod:`.results`, :mod:`.context`,
:mod:`.attachments`, and :mod:`.statement` (the verb, the object, SubStatements).
"""

from lms.lrs.rules.primitives import (
    COMPONENT_LISTS,
    DURATION,
    INTERACTION_TYPES,
    IRI,
    LANGUAGE_TAG,
    MAX_IRI,
    MBOX,
    MEDIA_TYPE,
    RFC3339,
    SHA1,
    SHA2,
    UUID_FORM,
    VERSION_1,
    VERSION_2,
    Invalid,
    no_nul,
)
from lms.lrs.rules.statement import Validator

__all__ = [
    "COMPONENT_LISTS", "DURATION", "INTERACTION_TYPES", "IRI", "LANGUAGE_TAG", "MAX_IRI", "MBOX",
    "MEDIA_TYPE", "RFC3339", "SHA1", "SHA2", "UUID_FORM", "VERSION_1", "VERSION_2", "Invalid",
    "Validator", "no_nul",
]

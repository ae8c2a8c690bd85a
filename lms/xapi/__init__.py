"""xAPI learning records: every learning event becomes a statement, stored first.

``lms.xapi.record(user, verb, object, ...)`` is the one path for learning records.
"""

from lms.xapi.recorder import InvalidStatement, activity, activity_iri, latest, record, void

__all__ = ["InvalidStatement", "activity", "activity_iri", "latest", "record", "void"]

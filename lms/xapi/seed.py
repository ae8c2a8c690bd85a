"""Synthetic statements for benchmarks (``flask lms xapi-seed``): 2,000 agents, 50 activities.

Never used by the application itself. PostgreSQL builds the rows in one SQL statement;
other databases get them in chunks from Python.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import func, insert, select, text

from lms.extensions import db
from lms.timeutil import utcnow
from lms.xapi import index, tallies
from lms.xapi.index import RefKind
from lms.xapi.models import Statement, StatementRef

HOME = "http://bench.example"
VERBS = ("passed", "failed", "attempted", "answered")
AGENTS, ACTIVITIES = 2000, 50

_PG = """
WITH g AS (
  SELECT n, gen_random_uuid()::text AS id, n % :agents AS a, (n * 7) % :activities AS j,
         (ARRAY['passed','failed','attempted','answered'])[1 + (n / :agents) % 4] AS v,
         now() - make_interval(secs => (:count - n) / 100.0) AS t
  FROM generate_series(1, :count) AS n
), s AS (
  SELECT n, id, t, 'agent-' || a AS agent, :home || '/activities/' || j AS activity,
         'http://adlnet.gov/expapi/verbs/' || v AS verb, v,
         to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"') AS ts
  FROM g
)
INSERT INTO statement (statement_id, stored_at, timestamp, actor_key, verb_id, object_id,
                       voided, source, payload)
SELECT id, t, t, 'Agent|account|' || :home || '|' || agent, verb, activity, false, 'bench',
  jsonb_build_object(
    'id', id, 'version', '1.0.0', 'timestamp', ts, 'stored', ts,
    'actor', jsonb_build_object('objectType', 'Agent',
             'account', jsonb_build_object('homePage', :home, 'name', agent)),
    'verb', jsonb_build_object('id', verb, 'display', jsonb_build_object('en-US', v)),
    'object', jsonb_build_object('objectType', 'Activity', 'id', activity),
    'authority', jsonb_build_object('objectType', 'Agent',
             'account', jsonb_build_object('homePage', :home, 'name', 'bench')))
FROM s ORDER BY n
"""

_PG_REFS = """
INSERT INTO statement_ref (statement_seq, kind, key)
SELECT seq, :agent_kind, actor_key FROM statement WHERE seq > :after AND source = 'bench'
UNION ALL
SELECT seq, :activity_kind, object_id FROM statement WHERE seq > :after AND source = 'bench'
"""


def _statement(n: int, count: int) -> dict:
    verb = VERBS[(n // AGENTS) % 4]  # every agent gets every verb
    when = (utcnow() - timedelta(seconds=(count - n) / 100)).isoformat()
    return {
        "id": str(uuid.uuid4()), "version": "1.0.0", "timestamp": when, "stored": when,
        "actor": {"objectType": "Agent",
                  "account": {"homePage": HOME, "name": f"agent-{n % AGENTS}"}},
        "verb": {"id": f"http://adlnet.gov/expapi/verbs/{verb}", "display": {"en-US": verb}},
        "object": {"objectType": "Activity", "id": f"{HOME}/activities/{(n * 7) % ACTIVITIES}"},
        "authority": {"objectType": "Agent", "account": {"homePage": HOME, "name": "bench"}},
    }


def seed(count: int) -> None:
    """Add *count* statements with their index refs, and commit."""
    after = db.session.scalar(select(func.max(Statement.seq))) or 0
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text(_PG), {"count": count, "agents": AGENTS,
                                       "activities": ACTIVITIES, "home": HOME})
        db.session.execute(text(_PG_REFS), {"after": after, "agent_kind": int(RefKind.AGENT),
                                            "activity_kind": int(RefKind.ACTIVITY)})
        tallies.count_stored_after(after)
        db.session.commit()
        db.session.execute(text("ANALYZE statement"))
        db.session.execute(text("ANALYZE statement_ref"))
        db.session.commit()
        return
    from lms.xapi.store import row_for

    chunk = 5000
    for start in range(1, count + 1, chunk):
        statements = [_statement(n, count) for n in range(start, min(count, start + chunk - 1)
                                                           + 1)]
        seqs = db.session.execute(insert(Statement).returning(
            Statement.seq, sort_by_parameter_order=True),
            [row_for(s, "bench") for s in statements]).scalars().all()
        db.session.execute(insert(StatementRef), [
            {"statement_seq": seq, "kind": int(kind), "key": key}
            for seq, s in zip(seqs, statements, strict=True)
            for key, kind in index.refs(s).items()])
        tallies.count_stored_after(seqs[0] - 1)
        db.session.commit()

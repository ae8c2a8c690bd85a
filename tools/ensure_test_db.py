"""Create the PostgreSQL test database if missing. Exit 75 if no server answers."""

import sys

import psycopg
from psycopg import sql

url = sys.argv[1]
name = url.rsplit("/", 1)[1]
admin_url = url.rsplit("/", 1)[0] + "/postgres"
try:
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created database {name}")
except psycopg.OperationalError as exc:
    print(f"PostgreSQL not reachable at {admin_url}: {exc}", file=sys.stderr)
    sys.exit(75)

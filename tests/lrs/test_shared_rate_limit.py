"""The LRS request rate counted in the database (``RATE_LIMIT_STORAGE=database``): one
allowance per client across every process and instance (the gunicorn version of this is
``tests/faults/test_two_instances.py``)."""

from __future__ import annotations

import pytest

from lms import create_app
from lms.extensions import db
from lms.lrs import ratelimit
from lms.lrs.ratelimit import DatabaseStorage, RateLimitCounter
from tests.conftest import base_config
from tests.lrs.conftest import Lrs, make_client


@pytest.mark.parametrize(("setting", "production", "uri"), [
    ("", False, "memory://"),
    ("", True, "lmsdb://"),
    ("memory", True, "memory://"),
    ("database", False, "lmsdb://"),
    (" database ", False, "lmsdb://"),
    ("redis://127.0.0.1:6379", True, "redis://127.0.0.1:6379"),
])
def test_the_setting_names_a_storage(setting, production, uri):
    assert ratelimit.storage_uri(setting, production) == uri


def _instance(tmp_path, name: str, limit: str):
    config = base_config(str(tmp_path / name))
    config.update(RATE_LIMIT_STORAGE="database", XAPI_RATE_LIMIT=limit)
    return create_app(config)


def test_two_apps_share_one_allowance_per_client(app, tmp_path):
    make_client(app)
    make_client(app, key="other", secret="other-secret")
    a, b = _instance(tmp_path, "a", "4 per minute"), _instance(tmp_path, "b", "4 per minute")
    one, two = Lrs(a.test_client(), "tester", "tester-secret"), Lrs(b.test_client(), "tester",
                                                                     "tester-secret")
    codes = [(one, two)[i % 2].get().status_code for i in range(6)]
    assert codes == [200, 200, 200, 200, 429, 429]
    assert Lrs(b.test_client(), "other", "other-secret").get().status_code == 200
    with app.app_context():
        keys = db.session.scalars(db.select(RateLimitCounter.key)).all()
    assert len(keys) == 2 and all(len(k) == 64 for k in keys)  # hashed, no client key stored
    for made in (a, b):
        with made.app_context():
            db.engine.dispose()


def test_a_window_that_ended_starts_again(app, monkeypatch):
    now = [1_000_000.0]
    monkeypatch.setattr(ratelimit.time, "time", lambda: now[0])
    storage = DatabaseStorage(f"{ratelimit.SCHEME}://")
    with app.app_context():
        assert [storage.incr("k", 60) for _ in range(3)] == [1, 2, 3]
        assert storage.get("k") == 3 and storage.get_expiry("k") == 1_000_060.0
        now[0] += 61
        assert storage.get("k") == 0
        assert storage.incr("k", 60) == 1 and storage.get_expiry("k") == 1_000_121.0
        storage.clear("k")
        assert storage.get("k") == 0 and storage.check()
        storage.incr("j", 60, amount=5)
        assert storage.reset() == 1

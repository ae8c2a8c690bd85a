"""A live server in a thread and Playwright driving Debian's Chromium."""

from __future__ import annotations

import os
import shutil
import threading
from datetime import date, timedelta

import pytest
from werkzeug.serving import make_server

from lms import create_app
from lms.assessment.sync import sync_quizzes
from lms.auth.models import User
from lms.cohorts.models import Cohort
from lms.cohorts.services import enrol
from lms.content.sync import sync_modules
from lms.extensions import db
from lms.security import Role
from tests.conftest import _clean, authoring_copy, base_config, require, validate_all_statements

CHROMIUM = os.environ.get("LMS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
ARTIFACTS = os.path.join(os.path.dirname(__file__), "..", "..", "test-artifacts")


@pytest.fixture
def live_app(migrated_database, tmp_path):
    config = base_config(str(tmp_path))
    config["WTF_CSRF_ENABLED"] = True
    app = create_app(config)
    yield app
    validate_all_statements(app)
    _clean(app)


@pytest.fixture
def live_server(live_app):
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)


@pytest.fixture(scope="session")
def browser():
    require(os.path.exists(CHROMIUM) or shutil.which("chromium") is not None,
            f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "playwright is not installed")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                     headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo",
                                  viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def screenshot(page, name: str) -> None:
    os.makedirs(ARTIFACTS, exist_ok=True)
    page.screenshot(path=os.path.join(ARTIFACTS, f"{name}.png"), full_page=True)


@pytest.fixture
def enrolled_trainee(live_app, tmp_path, make_user, make_cohort):
    """A trainee enrolled in a cohort, on the small fixture programme (2 lectures, 3 tests)."""
    root = authoring_copy(tmp_path)
    live_app.config["CONTENT_DIR"] = str(root)
    uid = make_user("watcher@example.jp", Role.TRAINEE)
    cid = make_cohort(date.today() - timedelta(days=5))
    with live_app.app_context():
        sync_modules(root)
        sync_quizzes(root.parent)
        enrol(None, db.session.get(Cohort, cid), db.session.get(User, uid))
        db.session.commit()
    return "watcher@example.jp"


@pytest.fixture
def practising_trainee(live_app, enrolled_trainee):
    """The enrolled trainee's cohort moved so that the practice stage began ten days ago (its
    forms are open) and course ② is still ahead."""
    from lms.demo import cohort_dates

    with live_app.app_context():
        cohort = db.session.execute(db.select(Cohort)).scalar_one()
        for name, day in cohort_dates(date.today() - timedelta(days=70)).items():
            setattr(cohort, name, day)
        db.session.commit()
    return enrolled_trainee


def play_to_end(page, seek_to=None):
    """Play the lecture video muted until it ends, optionally jumping to *seek_to* on the way."""
    page.evaluate("""(seekTo) => new Promise((resolve) => {
        const v = document.getElementById('lecture-video');
        v.muted = true;
        v.addEventListener('ended', () => resolve(), {once: true});
        v.play().then(() => {
          if (seekTo !== null) setTimeout(() => { v.currentTime = seekTo; }, 600);
        });
    })""", seek_to)



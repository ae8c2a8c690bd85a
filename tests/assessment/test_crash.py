"""Killing the server mid-attempt loses no saved answer: a real server process, SIGKILLed."""

import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from datetime import date, timedelta

import pytest

from lms.assessment.models import QuizAttempt
from lms.assessment.sync import sync_quizzes
from lms.auth.models import User
from lms.cohorts.models import Cohort
from lms.cohorts.services import enrol
from lms.content.models import LectureModule
from lms.content.progress import apply_report, open_module
from lms.content.sync import sync_modules
from lms.extensions import db
from lms.security import Role
from lms.timeutil import utcnow
from tests.conftest import PASSWORD, authoring_copy, database_url

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``flask run`` in its own process on the test database."""

    def __init__(self, content_root, port: int):
        self.port = port
        self.env = {**os.environ, "LMS_DATABASE_URL": database_url(),
                    "LMS_CONTENT_DIR": str(content_root),
                    "LMS_SECRET_KEY": "crash-test-secret", "FLASK_APP": "lms"}
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "flask", "run", "--port", str(self.port), "--no-reload"],
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=1)
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("server did not start")

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)


@pytest.fixture
def seeded(app, tmp_path, make_user, make_cohort):
    root = authoring_copy(tmp_path)
    uid = make_user("crash@example.jp", Role.TRAINEE)
    cid = make_cohort(date.today() - timedelta(days=3))
    app.config["CONTENT_DIR"] = str(root)
    with app.app_context():
        sync_modules(root)
        sync_quizzes(root.parent)
        user = db.session.get(User, uid)
        enrol(None, db.session.get(Cohort, cid), user)
        module = db.session.execute(
            db.select(LectureModule).filter_by(slug="a01-short")).scalar_one()
        open_module(user, module).opened_at = utcnow() - timedelta(minutes=5)
        apply_report(user, module, "3f0c2a7e-1111-4222-8333-444455556666", [[0, 6]], [], 6, "s")
        db.session.commit()
    return root


def test_saved_answers_survive_a_killed_server(app, seeded):
    server = Server(seeded, free_port())
    base = f"http://127.0.0.1:{server.port}"
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def get(path):
        return opener.open(base + path).read().decode()

    def post(path, data=None, json_body=None, token=None):
        headers = {}
        if json_body is not None:
            body = json.dumps(json_body).encode()
            headers = {"Content-Type": "application/json", "X-CSRFToken": token}
        else:
            body = urllib.parse.urlencode(data).encode()
        return opener.open(urllib.request.Request(base + path, body, headers))

    server.start()
    try:
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', get("/auth/login")).group(1)
        post("/auth/login", {"csrf_token": token, "email": "crash@example.jp",
                             "password": PASSWORD})
        # logging in starts a fresh session, so take the token from a page after it
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', get("/trainee/")).group(1)
        response = post("/quizzes/group-a/start", {"csrf_token": token})
        attempt_id = int(re.search(r"/attempts/(\d+)", response.url).group(1))
        with app.app_context():
            items = db.session.get(QuizAttempt, attempt_id).items
            single = next(i for i in items if i.question["type"] == "single")
            wrong = next(o["id"] for o in single.question["options"] if not o.get("correct"))
        saved = post(f"/attempts/{attempt_id}/answers", token=token,
                     json_body={"question_id": single.question_id, "response": wrong})
        assert saved.status == 200
    finally:
        server.kill()  # no shutdown, no flush: as a crash or a power cut would

    server.start()
    try:
        page = get(f"/attempts/{attempt_id}")
        assert re.search(rf'value="{wrong}" checked', page), "the saved answer came back"
        # a second "start" resumes the same attempt rather than opening a new one
        resumed = post("/quizzes/group-a/start", {"csrf_token": token})
        assert resumed.url.endswith(f"/attempts/{attempt_id}")
    finally:
        server.kill()

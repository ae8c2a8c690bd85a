"""The trainee's pages against a bare route, same gunicorn configuration, same run.

Four pages as one trainee (trainee2 of the demo, in course ①) uses them: the home page, a
lecture page, a test's attempt page, and an answer autosave (a JSON POST whose answer
changes each time, so each one is stored and recorded). The bare route ``/livez`` is measured
before and after each page; a page's ratio is to the mean of its two neighbours, so a
neighbour's load on the shared machine weighs on both alike.

Target (2 cores, 32 connections): each page ≥ 30 % of the bare route's requests/s, p95 ≤ 50 ms
(issue #12). Prints figures and the load average; asserts nothing.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _harness import (  # noqa: E402
    gunicorn,
    lms_env,
    load,
    login_cookie,
    prepare_database,
    server_cpu_seconds,
)

SECONDS = int(os.environ.get("BENCH_SECONDS", 10))
WARM_UP = int(os.environ.get("BENCH_WARM_UP_SECONDS", 3))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", 32))
TRAINEE = os.environ.get("BENCH_TRAINEE", "trainee2@demo.example")
PASSWORD = "demo-pass-2026"
QUIZ = "group-a"  # open to trainee2 (group A watched), not yet attempted


def _get(host: str, path: str, cookie: str) -> tuple[str, str]:
    """The page, and the session cookie (a new one when the page stored a CSRF token)."""
    conn = http.client.HTTPConnection(host)
    conn.request("GET", path, headers={"Cookie": cookie})
    response = conn.getresponse()
    page = response.read().decode()
    if response.status != 200:
        raise RuntimeError(f"GET {path}: {response.status}")
    fresh = response.getheader("Set-Cookie")
    return page, fresh.split(";")[0] if fresh else cookie


def _start_attempt(host: str, cookie: str) -> str:
    """Start the test through its form; return the attempt page's path."""
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', _get(host, "/trainee/", cookie)[0])
    conn = http.client.HTTPConnection(host)
    conn.request("POST", f"/quizzes/{QUIZ}/start", body=f"csrf_token={token.group(1)}",
                 headers={"Cookie": cookie,
                          "Content-Type": "application/x-www-form-urlencoded"})
    response = conn.getresponse()
    response.read()
    location = response.getheader("Location") or ""
    if response.status != 302 or "/attempts/" not in location:
        raise RuntimeError(f"could not start {QUIZ}: {response.status} {location}")
    return "/attempts/" + location.split("/attempts/", 1)[1]


def _autosaves(page: str) -> tuple[str, list[str]]:
    """The CSRF token and two answers to one question of the attempt page, in turn."""
    csrf = re.search(r'data-csrf="([^"]+)"', page).group(1)
    for block in page.split("<fieldset")[1:]:
        question = re.search(r'data-question="([^"]+)" data-type="(\w+)"', block)
        if question and question.group(2) in ("single", "true_false"):
            values = re.findall(r'type="radio" name="[^"]+" value="([^"]+)"', block)[:2]
            if question.group(2) == "true_false":
                values = [True, False]
            return csrf, [json.dumps({"question_id": question.group(1), "response": v})
                          for v in values]
    raise RuntimeError("no single-choice or true/false question on the attempt page")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="lms-bench-") as workdir:
        env = lms_env(workdir)
        prepare_database(env)
        with gunicorn(env) as host:
            # the session holds its CSRF token from the first page on
            course, cookie = _get(host, "/course/", login_cookie(host, TRAINEE, PASSWORD))
            headers = {"Cookie": cookie}
            lecture = "/course/modules/" + re.search(
                r'href="/course/modules/([^"/]+)"', course).group(1)
            attempt = _start_attempt(host, cookie)
            csrf, bodies = _autosaves(_get(host, attempt, cookie)[0])
            save = dict(path=attempt + "/answers", method="POST", bodies=bodies,
                        headers={**headers, "Content-Type": "application/json",
                                 "X-CSRFToken": csrf})
            pages = [
                ("trainee home", dict(path="/trainee/", headers=headers)),
                ("lecture page", dict(path=lecture, headers=headers)),
                ("test attempt page", dict(path=attempt, headers=headers)),
                ("answer autosave", save),
            ]
            bare_spec = dict(path="/livez", headers={})
            # the server's figures settle over the first seconds of load (each worker's
            # first requests of a page, the machine's scheduler): warm every route first
            for _name, spec in [("bare", bare_spec), *pages]:
                load("warm-up", host, connections=CONNECTIONS, seconds=WARM_UP, **spec)
            bare = [_run("bare route /livez", host, bare_spec)]
            measured = []
            for name, spec in pages:
                page = _run(f"{name} {spec['path']}"[:28], host, spec)
                bare.append(_run("bare route /livez", host, bare_spec))
                measured.append((name, page, bare[-2], bare[-1]))
    load_average = "/".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"trainee_pages benchmark: {CONNECTIONS} connections, {SECONDS} s each, "
          f"{os.cpu_count()} cores, load average after the run {load_average}")
    for figures, _cpu in bare:
        print(figures.line() + _cpu_note(_cpu))
    for _name, (page, cpu), _before, _after in measured:
        print(page.line() + _cpu_note(cpu))
    print("ratio to the bare route (requests/s: to the mean of the runs before and after, "
          "target ≥ 30 %, p95 ≤ 50 ms;\n  server CPU: the bare route's CPU per request over "
          "the page's, what the ratio would be on an otherwise idle machine):")
    for name, (page, cpu), (before, cpu_before), (after, cpu_after) in measured:
        baseline = (before.requests_per_s + after.requests_per_s) / 2
        ratio = page.requests_per_s / baseline if baseline else 0.0
        line = f"  {name:<20} {ratio:>6.1%}   p95 {page.p95_ms:7.1f} ms"
        if cpu and cpu_before and cpu_after:
            line += f"   server CPU {(cpu_before + cpu_after) / 2 / cpu:6.1%}"
        print(line)


def _run(name: str, host, spec: dict):
    """Figures of one run, and the server's CPU milliseconds per request during it."""
    started = server_cpu_seconds(host)
    figures = load(name, host, connections=CONNECTIONS, seconds=SECONDS, **spec)
    ended = server_cpu_seconds(host)
    requests = figures.requests_per_s * SECONDS
    cpu = (ended - started) * 1000 / requests if started is not None and requests else None
    return figures, cpu


def _cpu_note(cpu: float | None) -> str:
    return f"   server CPU {cpu:.2f} ms/request" if cpu else ""


if __name__ == "__main__":
    main()

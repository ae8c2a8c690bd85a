"""axe-core on every page of every role's navigation, at 1280 px and at 320 px (WCAG 2.1 AA).

axe-core comes from the npm registry (``tools/ensure_axe.py``, run by ``make test``), never from a
CDN. Each role walks its main navigation and, one step further, one page of each kind linked from
there (``/cohorts/3`` and ``/cohorts/7`` are one kind); every page is checked wide, then narrow.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from urllib.parse import urljoin, urlsplit

import pytest

from lms.demo import DEMO_PASSWORD
from tests.conftest import SAMPLE_AND_DEMO, require, sample_and_demo, seeded

pytestmark = pytest.mark.browser

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = (1280, 320)
#: two animation frames: resize observers (the scroll regions' script) have run
SETTLE = "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
#: axe 4 no longer reports duplicate ids (4.1.1 is "always satisfied" since the WCAG 2.1 errata),
#: but a label's `for` or an aria-describedby must still find exactly one element. Hidden inputs
#: (each small form's CSRF token) are never referenced.
DUPLICATE_IDS = """() => {
    const seen = {};
    document.querySelectorAll('[id]:not(input[type=hidden])')
        .forEach(e => { seen[e.id] = (seen[e.id] || 0) + 1; });
    return Object.keys(seen).filter(id => seen[id] > 1).map(id => 'duplicate id: ' + id);
}"""
ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
#: links not worth a page view: downloads, media and the way out
SKIP = re.compile(r"^/(static|media)/|\.(csv|pdf|json|vtt|ics|mp4|png|jpe?g|zip)$"
                  r"|/logout|/download|/export")


@pytest.fixture(scope="module")
def axe_source() -> str:
    done = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "ensure_axe.py")],
                          capture_output=True, text=True)
    require(done.returncode == 0, f"axe-core unavailable: {done.stderr.strip()}")
    with open(done.stdout.strip(), encoding="utf-8") as fh:
        return fh.read()


@pytest.fixture
def demo(live_app):
    """The sample programme (lectures, tests, report forms) and the demo people, as `make demo`."""
    seeded(live_app, SAMPLE_AND_DEMO, lambda: sample_and_demo(live_app.test_cli_runner()))


def violations(page, axe_source: str) -> list[str]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source)
    found = page.evaluate("""(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags},
                                                         resultTypes: ['violations']})
        .then(r => r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' — '
              + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')))""", TAGS)
    return found


def shape(path: str) -> str:
    """One key for pages of one kind: ids and slugs (``a01-coordinator-significance``) become *."""
    return "/".join("*" if re.search(r"[\d-]", part) else part
                    for part in path.split("?")[0].split("/"))


def walk(page, base: str, axe_source: str, start: list[str]) -> dict[str, list[str]]:
    """Check each page of *start* and one page of every kind they link to; return problems."""
    problems: dict[str, list[str]] = {}
    seen_shapes: set[str] = set()
    queue = [(path, True) for path in start]
    while queue:
        path, follow = queue.pop(0)
        if shape(path) in seen_shapes:
            continue
        seen_shapes.add(shape(path))
        page.set_viewport_size({"width": WIDTHS[0], "height": 900})
        response = page.goto(base + path)
        if os.environ.get("LMS_A11Y_VERBOSE"):
            print("axe:", path)
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.evaluate(SETTLE)
            found = violations(page, axe_source)
            found += page.evaluate(DUPLICATE_IDS)
            overflow = page.evaluate("document.documentElement.scrollWidth")
            if overflow > width:
                found.append(f"reflow: the page is {overflow}px wide")
            if found:
                problems[f"{path} @{width}px"] = found
        if follow:
            for href in page.eval_on_selector_all("main a[href]", "els => els.map(e => e.href)"):
                url = urlsplit(urljoin(base + path, href))
                if url.netloc != urlsplit(base).netloc or SKIP.search(url.path):
                    continue
                queue.append((url.path + (f"?{url.query}" if url.query else ""), False))
    return problems


def log_in(page, base: str, email: str) -> None:
    page.goto(base + "/")
    page.get_by_label("メールアドレス").fill(email)
    page.get_by_label("パスワード").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.locator("nav.main-nav").wait_for()


#: trainees at three points of the programme (demo): in course 1 with tests taken, in practice
#: with a report returned, and booked on course 2 with practice done
ROLES = ["trainee3@demo.example", "trainee5@demo.example", "trainee6@demo.example",
         "instructor@demo.example", "committee@demo.example", "admin@demo.example", None]


@pytest.mark.parametrize("email", ROLES, ids=lambda e: (e or "anonymous").split("@")[0])
def test_every_page_passes_axe(browser, live_server, demo, axe_source, email):
    # the LMS sends a strict CSP (script-src 'self'): only the injected axe script may bypass it
    context = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    if email:
        log_in(page, live_server, email)
        start = page.eval_on_selector_all("nav.main-nav a[href]",
                                          "els => els.map(e => new URL(e.href).pathname)")
    else:
        page.goto(live_server + "/")
        start = [urlsplit(page.url).path]
    problems = walk(page, live_server, axe_source, start)
    context.close()
    assert not problems, "\n".join(f"{where}:\n  " + "\n  ".join(found)
                                   for where, found in problems.items())

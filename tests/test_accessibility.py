"""Accessibility rules that hold in the markup and the stylesheet, checked without a browser.

The browser checks (axe-core on every page, keyboard paths) are in tests/browser/.
"""

import os
import re

from lms.security import Role

CSS = os.path.join(os.path.dirname(__file__), "..", "lms", "static", "css", "app.css")


def css_var(name: str) -> str:
    with open(CSS, encoding="utf-8") as fh:
        return re.search(rf"--{name}:\s*(#[0-9a-fA-F]{{6}})", fh.read()).group(1)


def luminance(hex_colour: str) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_focus_ring_contrast_is_at_least_3_to_1():
    ring, header_ring = css_var("focus-ring"), css_var("focus")
    for background in ("#ffffff", css_var("bg")):  # cards are white
        assert contrast(ring, background) >= 3, background
    for background in (css_var("brand"), css_var("brand-dark")):  # the header and its menu
        assert contrast(header_ring, background) >= 3, background


def test_language_switch_has_a_button_and_no_inline_script(client):
    page = client.get("/auth/login").text
    assert 'id="site-locale"' in page and "onchange" not in page
    assert re.search(r'<button type="submit" class="link-button">言語切替</button>', page)


def test_new_account_form_ids_are_unique(client, make_user, auth):
    make_user("admin@example.jp", Role.ADMIN)
    auth.login("admin@example.jp")
    page = client.get("/admin/users/new").text
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert '<label for="locale">' in page


def test_chart_figures_are_also_a_table(app):
    with app.test_request_context():
        macro = app.jinja_env.get_template("macros.html").module.bar_chart
        html = str(macro([("第1期", 12), ("第2期", 7)], "期別の受講生数"))
    assert 'aria-hidden="true"' in html.split("<table")[0]  # the picture is not read twice
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th><td class="num">(\d+)</td></tr>', html)
    assert rows == [("第1期", "12"), ("第2期", "7")]
    assert '<caption class="visually-hidden">期別の受講生数</caption>' in html

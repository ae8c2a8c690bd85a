"""Keyboard alone: the language switch waits for its button, a report form's errors take focus,
cancelling a booking asks first."""

import pytest

from tests.browser.test_accessibility import demo, log_in  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser

FOCUSED = "document.activeElement"


def test_language_changes_only_with_its_button(page, live_server):
    page.goto(live_server + "/auth/login")
    url = page.url
    select = page.get_by_label("言語")
    select.focus()
    page.keyboard.press("ArrowDown")  # chooses English, and nothing else happens (3.2.2)
    page.wait_for_timeout(300)
    assert select.input_value() == "en"
    assert page.url == url and page.evaluate("document.documentElement.lang") == "ja"
    assert page.evaluate(f"{FOCUSED}.id") == "site-locale"
    page.keyboard.press("Tab")
    assert page.evaluate(f"{FOCUSED}.textContent.trim()") == "言語切替"
    page.keyboard.press("Enter")
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert page.get_by_role("heading", level=1).inner_text() == "Log in"
    assert page.get_by_label("Language").input_value() == "en"


def test_report_form_errors_take_focus_and_name_their_fields(browser, live_server, demo):  # noqa: F811
    context = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo")
    page = context.new_page()
    log_in(page, live_server, "trainee5@demo.example")  # a progress-report draft, half written
    page.goto(live_server + "/practice/reports/progress")
    page.get_by_label("内容を確認し、提出します。").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="提出する", exact=True).focus()
    page.keyboard.press("Enter")

    summary = page.locator(".error-summary")
    summary.wait_for()
    page.wait_for_function("document.activeElement.classList.contains('error-summary')")
    links = summary.get_by_role("link")
    invalid = page.locator("main [aria-invalid=true]:not([type=radio]):not([type=checkbox])")
    assert links.count() >= 1 and invalid.count() >= 1
    # every invalid field names its error through aria-describedby
    for i in range(invalid.count()):
        field = invalid.nth(i)
        described = field.get_attribute("aria-describedby").split()
        error_id = next(d for d in described if d.endswith("-error"))
        message = page.locator(f"#{error_id}").inner_text()
        assert message and message in summary.inner_text()
    # the summary's first link, followed with the keyboard, puts focus in that field
    page.keyboard.press("Tab")
    first = links.first
    target = first.get_attribute("href")[1:]
    assert page.evaluate(f"{FOCUSED}.getAttribute('href')") == "#" + target
    page.keyboard.press("Enter")
    page.wait_for_function(f"document.activeElement.id === '{target}' || "
                           f"document.getElementById('{target}').contains(document.activeElement)")
    context.close()


def test_cancelling_a_booking_asks_first_and_can_be_declined_by_keyboard(browser, live_server,
                                                                          demo):  # noqa: F811
    """3.3.4: the only seat of a full session is not given away by one key press."""
    context = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo")
    page = context.new_page()
    log_in(page, live_server, "trainee6@demo.example")  # holds the only seat of a full session
    page.goto(live_server + "/course2/")
    cancel = page.get_by_role("link", name="予約を取り消す…")
    cancel.focus()
    page.keyboard.press("Enter")
    page.get_by_role("button", name="はい、取り消します").wait_for()
    assert "/cancel" in page.url  # a confirmation page, nothing cancelled yet
    keep = page.get_by_role("link", name="いいえ、予約を残す")
    keep.focus()
    assert page.evaluate(f"{FOCUSED}.textContent.trim()") == "いいえ、予約を残す"
    page.keyboard.press("Enter")
    page.get_by_role("link", name="予約を取り消す…").wait_for()  # still booked
    page.get_by_role("link", name="予約を取り消す…").focus()
    page.keyboard.press("Enter")
    page.get_by_role("button", name="はい、取り消します").focus()
    page.keyboard.press("Enter")
    page.get_by_text("予約をキャンセルしました。").wait_for()
    context.close()

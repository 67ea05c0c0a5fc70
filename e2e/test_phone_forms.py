"""Forms and toolbars on a 360 px phone: link-buttons centre their text like buttons, date pickers are not cut."""

from e2e.conftest import PHONE, assert_no_sideways_scroll, screenshot, sign_in
from huiwu.testing import PERSONA_PASSWORD

# How far (px) the middle of each link-button's text lies from the middle of its box.
_OFF_CENTRE = """() => [...document.querySelectorAll('main a.btn, main summary.btn')]
.filter(e => e.offsetHeight).map(e => {
  const box = e.getBoundingClientRect(), range = document.createRange();
  range.selectNodeContents(e);
  const text = range.getBoundingClientRect();
  return [e.innerText.trim(), Math.round((text.top + text.bottom - box.top - box.bottom) / 2)];
})"""


def test_it_centres_link_buttons_like_the_buttons_beside_them(page, live_server, manager):
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "manager", PERSONA_PASSWORD)
    for path in ("/meetings/", "/lost-and-found/", "/lost-and-found/new/"):
        page.goto(f"{live_server.url}{path}")
        offsets = page.evaluate(_OFF_CENTRE)
        assert offsets, path
        assert [name for name, off in offsets if abs(off) > 1] == [], path
    screenshot(page, "wording-link-buttons-phone")


def test_it_keeps_the_whole_date_in_view_in_a_row_of_three(page, live_server, hotline, room):
    # The recurrence row (interval, last day, count) is three columns: the last day needs more than a third.
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "hotline", PERSONA_PASSWORD)
    page.goto(f"{live_server.url}/meetings/new/?room=701")
    until = page.locator("input[name=until]")
    until.fill("2026-12-31")
    assert until.bounding_box()["width"] >= 144
    assert_no_sideways_scroll(page)
    until.scroll_into_view_if_needed()
    screenshot(page, "wording-booking-until-phone")

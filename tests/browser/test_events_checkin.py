"""Check-in on the day in a real browser, on a phone-sized screen (the issue's Done-when): the
bureau types a registrant's code (in lower case, with a space) and sees at once who it is, its
organisation and sessions; the same code again is refused as already checked in, saying when and
by whom; a code of another event says which. The QR scanner is driven by a camera that shows the
registrant's QR code (a canvas stream standing in for getUserMedia), read by jsQR. Without
JavaScript the form still works. Every state passes axe (WCAG 2.1 A/AA) and the Nu Html Checker."""


import pytest
import segno

from stedennet.site.services import home_page_ensure
from tests.browser.signing_in import sign_in_page

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}

# getUserMedia answered by a canvas that shows window.__qr (an image), as a phone's camera would.
FAKE_CAMERA = """
(() => {
  if (!navigator.mediaDevices) return;
  const canvas = document.createElement('canvas');
  canvas.width = 480; canvas.height = 480;
  const context = canvas.getContext('2d');
  const draw = () => {
    context.fillStyle = '#fff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    if (window.__qr && window.__qr.complete) context.drawImage(window.__qr, 60, 60, 360, 360);
    requestAnimationFrame(draw);
  };
  navigator.mediaDevices.getUserMedia = async () => { draw(); return canvas.captureStream(15); };
})();
"""


@pytest.fixture
def day(transactional_db, g40):
    from stedennet.events.constants import RegistrationStatus
    from stedennet.events.tests.test_checkin import make_event, register

    home_page_ensure()
    event = make_event("Kennisdag Wonen", slug="kennisdag-wonen")
    woningbouw = event.sessions.order_by("starts_at").first()
    people = {
        "anna": register(event, "Anna de Vries", organisation="Gemeente Zwolle", sessions=[woningbouw]),
        "bram": register(event, "Bram Jansen", organisation="Gemeente Deventer"),
        "carla": register(event, "Carla Smit", status=RegistrationStatus.CANCELLED),
    }
    other = make_event("Netwerkdag Economie", slug="netwerkdag-economie")
    people["dirk"] = register(other, "Dirk Bakker")
    return {"event": event, "other": other, "session": woningbouw, **people}


def log_in_as_bureau(page, make_user):
    from stedennet.accounts.constants import Role

    user = make_user("bureau", Role.BUREAU)
    user.first_name, user.last_name = "Balie", "Medewerker"
    user.save()
    sign_in_page(page, "bureau", "correct horse battery", next="/admin/")
    page.wait_for_url("**/admin/")
    return user


def fits_the_screen(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def outcome(page):
    return page.get_by_test_id("checkin-outcome")


def test_the_bureau_checks_someone_in_by_code_on_a_phone(day, page, check_page, make_user):
    from stedennet.events.models import Registration

    page.set_viewport_size(PHONE)
    user = log_in_as_bureau(page, make_user)
    anna, event = day["anna"], day["event"]
    url = f"/admin/events/{event.pk}/check-in/"
    check_page(url)
    assert fits_the_screen(page)
    attendance = page.get_by_test_id("attendance")
    assert attendance.get_attribute("data-checked-in") == "0"

    code = page.get_by_test_id("checkin-code")
    code.fill(f"{anna.code[:4].lower()} {anna.code[4:].lower()}")
    page.get_by_test_id("checkin-submit").click()
    page.wait_for_selector("[data-testid=checkin-outcome][data-outcome=checked_in]")
    assert page.get_by_test_id("checkin-name").inner_text().strip() == "Anna de Vries"
    assert page.get_by_test_id("checkin-organisation").inner_text().strip() == "Gemeente Zwolle"
    assert page.locator(f"[data-testid=checkin-sessions] [data-session='{day['session'].pk}']").count() == 1
    # Ready for the next one: the field is empty and has the focus; the counts went up.
    assert code.input_value() == "" and page.evaluate("() => document.activeElement.name") == "code"
    assert page.get_by_test_id("attendance").get_attribute("data-checked-in") == "1"
    assert page.url.endswith(url)  # htmx: the page stayed
    check_page()
    assert fits_the_screen(page)
    registration = Registration.objects.get(pk=anna.pk)
    assert registration.checked_in_at is not None and registration.checked_in_by == user

    # The same code again: refused, saying when and by whom.
    code.fill(anna.code)
    code.press("Enter")
    page.wait_for_selector("[data-testid=checkin-outcome][data-outcome=already]")
    assert "Balie Medewerker" in page.get_by_test_id("checkin-already").inner_text()
    assert page.get_by_test_id("checkin-name").inner_text().strip() == "Anna de Vries"
    check_page()

    # A code of another event says which; a cancelled one says so.
    code.fill(day["dirk"].code)
    code.press("Enter")
    page.wait_for_selector("[data-testid=checkin-outcome][data-outcome=other_event]")
    assert page.get_by_test_id("checkin-other-event").get_attribute("data-event") == str(day["other"].pk)
    assert "Netwerkdag Economie" in page.get_by_test_id("checkin-other-event").inner_text()
    code.fill(day["carla"].code)
    code.press("Enter")
    page.wait_for_selector("[data-testid=checkin-outcome][data-outcome=cancelled]")
    check_page()
    assert page.get_by_test_id("attendance").get_attribute("data-checked-in") == "1"


def test_the_camera_reads_the_qr_code(day, page, check_page, make_user):
    from stedennet.events.models import Registration

    page.set_viewport_size(PHONE)
    page.add_init_script(FAKE_CAMERA)
    log_in_as_bureau(page, make_user)
    bram = day["bram"]
    check_page(f"/admin/events/{day['event'].pk}/check-in/")
    scan = page.get_by_test_id("checkin-scan")
    assert scan.is_visible()  # the browser has a camera: the button shows
    qr = segno.make(bram.code, micro=False).png_data_uri(scale=8, border=4)
    page.evaluate("(src) => { window.__qr = new Image(); window.__qr.src = src; }", qr)
    scan.click()
    assert scan.get_attribute("aria-expanded") == "true"
    page.wait_for_selector("[data-testid=checkin-outcome][data-outcome=checked_in]", timeout=20_000)
    assert page.get_by_test_id("checkin-name").inner_text().strip() == "Bram Jansen"
    assert Registration.objects.get(pk=bram.pk).checked_in_at is not None
    check_page()
    scan.click()  # the camera off again
    assert scan.get_attribute("aria-expanded") == "false"
    assert page.locator("#checkin-camera").is_hidden()


def test_without_javascript_the_form_still_checks_in(day, browser, live_server, make_user):
    from stedennet.events.models import Registration

    context = browser.new_context(base_url=live_server.url, locale="nl-NL", viewport=PHONE,
                                  java_script_enabled=False)
    page = context.new_page()
    try:
        log_in_as_bureau(page, make_user)
        page.goto(f"/admin/events/{day['event'].pk}/check-in/")
        assert page.get_by_test_id("checkin-scan").is_hidden()  # no camera without JavaScript
        page.get_by_test_id("checkin-code").fill(day["bram"].code)
        page.get_by_test_id("checkin-submit").click()
        page.wait_for_selector("[data-testid=checkin-outcome][data-outcome=checked_in]")
        assert page.get_by_test_id("checkin-name").inner_text().strip() == "Bram Jansen"
        assert page.get_by_test_id("checkin-code").input_value() == ""
        assert Registration.objects.get(pk=day["bram"].pk).checked_in_at is not None
    finally:
        context.close()

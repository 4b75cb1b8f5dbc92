"""The bureau reads the outbox in a real browser: the listing and a failed mail's page (text, the
sandboxed HTML part, the attachment, the error) pass axe (WCAG 2.1 A/AA) and the Nu Html
Checker; "retry now" sends the mail once the SMTP server takes it."""

import socket

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives, send_mail

from tests.browser.signing_in import sign_in_page

pytestmark = pytest.mark.browser


@pytest.fixture
def outbox(transactional_db, g40, settings):
    """One mail sent, one that failed because nothing listens on the SMTP port."""
    from stedennet.mail.models import OutgoingMail

    send_mail("Welkom bij Stedennet", "Uw account is klaar.", None, ["nieuw@example.org"])
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.STEDENNET_MAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    message = EmailMultiAlternatives("Herinnering factuur 2024-0007", "Wij ontvingen uw betaling nog niet.",
                                     to=["crediteuren@almere.example"])
    message.attach_alternative("<!DOCTYPE html><html lang=\"nl\"><head><title>Herinnering</title></head>"
                               "<body><p>Wij ontvingen <b>uw betaling</b> nog niet.</p></body></html>", "text/html")
    message.attach("herinnering-2024-0007.pdf", b"%PDF-1.7 demo", "application/pdf")
    message.send()
    settings.STEDENNET_MAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return OutgoingMail.objects.get(subject__startswith="Herinnering")


def test_the_bureau_reads_the_outbox_and_retries_a_failed_mail(outbox, page, check_page, make_user):
    from stedennet.accounts.constants import Role
    from stedennet.mail.constants import MailStatus

    assert outbox.status == MailStatus.FAILED
    make_user("bureau", Role.BUREAU)
    sign_in_page(page, "bureau", "correct horse battery", next="/admin/")
    page.wait_for_url("**/admin/")

    check_page("/admin/mail/outbox/")
    listing = page.locator("main").inner_text()
    assert "Welkom bij Stedennet" in listing and "ConnectionRefusedError" in listing

    page.get_by_role("link", name="Herinnering factuur 2024-0007").click()
    page.wait_for_url(f"**/admin/mail/outbox/inspect/{outbox.pk}/")
    check_page()
    assert "Wij ontvingen uw betaling nog niet." in page.get_by_test_id("mail-text").inner_text()
    assert "herinnering-2024-0007.pdf" in page.get_by_test_id("mail-attachments").inner_text()
    frame = page.frame_locator("[data-testid='mail-html']")
    assert frame.locator("b").inner_text() == "uw betaling"

    page.get_by_test_id("mail-retry").get_by_role("button").click()
    page.wait_for_url(f"**/admin/mail/outbox/inspect/{outbox.pk}/")
    assert page.get_by_test_id("outgoing-mail").get_attribute("data-status") == MailStatus.SENT
    assert page.get_by_test_id("mail-retry").count() == 0
    outbox.refresh_from_db()
    assert outbox.status == MailStatus.SENT and [m.subject for m in mail.outbox][-1] == outbox.subject
    check_page(f"/admin/mail/outbox/inspect/{outbox.pk}/")  # the sent mail's page, without the message

"""The outbox in the back office: only the network bureau opens it; the listing shows status, to,
subject, attempts and the last error in a constant number of queries; a mail's page shows the
message safely and offers "retry now" for a failed one; nothing is ever edited. Password reset
mail goes through the outbox to a real SMTP server."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.mail import EmailMultiAlternatives, send_mail
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stedennet.accounts.constants import Role
from stedennet.mail.constants import MailStatus
from stedennet.mail.models import OutgoingMail
from stedennet.mail.tests.test_outbox import PDF, closed_port

INDEX = "/admin/mail/outbox/"


def committed():
    return TestCase.captureOnCommitCallbacks(execute=True)


def inspect_url(mail_row: OutgoingMail) -> str:
    return reverse("mail_outbox:inspect", args=[mail_row.pk])


@pytest.fixture
def bureau(back_office_login, client, make_user):
    back_office_login(client, make_user("bureau", Role.BUREAU))
    return client


@pytest.fixture
def failed_mail(db, settings):
    """A mail with a text and an HTML part and a PDF that the SMTP server (down) did not take."""
    settings.STEDENNET_MAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port(), 2
    message = EmailMultiAlternatives("Herinnering factuur 2024-0007", "Wij ontvingen uw betaling nog niet.",
                                     to=["crediteuren@almere.example"])
    message.attach_alternative('<p onclick="steal()">Wij ontvingen <b>uw betaling</b> nog niet.</p>'
                               '<script>alert("x")</script><img src="https://tracker.example/p.gif">', "text/html")
    message.attach("herinnering-2024-0007.pdf", PDF, "application/pdf")
    with committed():
        message.send()
    settings.STEDENNET_MAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return OutgoingMail.objects.get()


def test_the_url_names_other_apps_link_to():
    assert reverse("mail_outbox:index") == INDEX


def test_only_the_bureau_opens_the_outbox(back_office_login, failed_mail, client, make_user):
    pages = [INDEX, inspect_url(failed_mail), reverse("mail_outbox_html", args=[failed_mail.pk])]
    for url in pages:  # not signed in: to the back office's sign-in page
        response = client.get(url)
        assert response.status_code == 302 and "/inloggen/" in response["Location"]
    client.force_login(make_user("ambtenaar", Role.CIVIL_SERVANT))  # no back office at all
    for url in pages:
        response = client.get(url)
        assert response.status_code == 302 and "/inloggen/" in response["Location"], url
    editor = make_user("redacteur")  # in the back office, but not the bureau
    group = Group.objects.create(name="Redactie")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    editor.groups.add(group)
    back_office_login(client, editor)
    for url in pages[:2]:  # Wagtail's own refusal: back to the dashboard with "permission denied"
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == "/admin/", url
        assert "Herinnering" not in client.get(response["Location"]).content.decode()
    assert client.get(pages[2]).status_code == 403
    assert client.post(reverse("mail_outbox_retry", args=[failed_mail.pk])).status_code == 403
    back_office_login(client, make_user("bureau", Role.BUREAU))
    for url in pages:
        assert client.get(url).status_code == 200, url


def test_the_listing_shows_status_recipient_subject_attempts_and_the_error(failed_mail, bureau):
    with committed():
        send_mail("Welkom bij Stedennet", "tekst", None, ["nieuw@example.org"])
    html = bureau.get(INDEX).content.decode()
    assert "Herinnering factuur 2024-0007" in html and "crediteuren@almere.example" in html
    assert "ConnectionRefusedError" in html and "Welkom bij Stedennet" in html
    assert f'href="{inspect_url(failed_mail)}"' in html
    failed_only = bureau.get(INDEX, {"status": MailStatus.FAILED}).content.decode()
    assert "Herinnering factuur 2024-0007" in failed_only and "Welkom bij Stedennet" not in failed_only
    # Read-only: no way to add, change or delete a mail.
    assert "/admin/mail/outbox/new/" not in html and "/admin/mail/outbox/edit/" not in html
    for url in ("/admin/mail/outbox/new/", f"/admin/mail/outbox/edit/{failed_mail.pk}/",
                f"/admin/mail/outbox/delete/{failed_mail.pk}/"):
        assert bureau.get(url).status_code == 404, url
        assert bureau.post(url, {"subject": "anders"}).status_code == 404, url
    failed_mail.refresh_from_db()
    assert failed_mail.subject == "Herinnering factuur 2024-0007"


def test_the_listing_runs_a_constant_number_of_queries(db, bureau):
    def mails(n):
        with committed():
            for i in range(n):
                send_mail(f"Bericht {i}", "tekst", None, [f"lid{i}@example.org"])

    mails(2)
    bureau.get(INDEX)  # warm up (session, user, translations)
    with CaptureQueriesContext(connection) as few:
        assert bureau.get(INDEX).status_code == 200
    mails(30)
    with CaptureQueriesContext(connection) as many:
        response = bureau.get(INDEX)
    assert "Bericht 29" in response.content.decode()
    assert len(many) == len(few), (len(few), len(many))


def test_a_mails_page_shows_the_message_safely(failed_mail, bureau):
    response = bureau.get(inspect_url(failed_mail))
    html = response.content.decode()
    assert 'data-status="failed"' in html and "ConnectionRefusedError" in html
    assert re.search(r'<pre data-testid="mail-text">Wij ontvingen uw betaling nog niet.', html)
    assert 'data-filename="herinnering-2024-0007.pdf"' in html and "application/pdf" in html
    # The HTML part is never part of the back-office page; it is framed, sandboxed, and loads nothing.
    assert "<script>alert" not in html and "tracker.example" not in html and "steal()" not in html
    frame = re.search(r'<iframe src="([^"]+)" sandbox=""', html)
    assert frame is not None
    part = bureau.get(frame.group(1))
    assert part.status_code == 200 and part["Content-Type"].startswith("text/html")
    policy = part["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "sandbox" in policy  # no script runs, no image is fetched
    assert part["X-Frame-Options"] == "SAMEORIGIN"
    assert "<b>uw betaling</b>" in part.content.decode()


def test_retry_now_sends_a_failed_mail(failed_mail, bureau):
    url = reverse("mail_outbox_retry", args=[failed_mail.pk])
    assert f'action="{url}"' in bureau.get(inspect_url(failed_mail)).content.decode()
    assert bureau.get(url).status_code == 405  # a change is a POST
    with committed():
        response = bureau.post(url)
    assert response.status_code == 302 and response["Location"] == inspect_url(failed_mail)
    failed_mail.refresh_from_db()
    assert failed_mail.status == MailStatus.SENT and failed_mail.attempts == 2
    [delivered] = mail.outbox
    assert delivered.subject == "Herinnering factuur 2024-0007"
    page = bureau.get(inspect_url(failed_mail)).content.decode()
    assert f'action="{url}"' not in page  # a sent mail offers no retry
    with committed():
        bureau.post(url)  # a second click sends nothing again
    assert len(mail.outbox) == 1


def test_retry_now_is_in_the_audit_trail_with_who_asked(failed_mail, bureau):
    from wagtail.models import ModelLogEntry

    with committed():
        bureau.post(reverse("mail_outbox_retry", args=[failed_mail.pk]))
    [entry] = ModelLogEntry.objects.filter(action="mail.retry_now", object_id=str(failed_mail.pk))
    assert entry.user.username == "bureau"
    with committed():
        bureau.post(reverse("mail_outbox_retry", args=[failed_mail.pk]))  # refused: sent already
    assert ModelLogEntry.objects.filter(action="mail.retry_now").count() == 1


def test_password_reset_mail_reaches_a_real_smtp_server(db, client, make_user, smtp_server):
    user = make_user("bureau", Role.BUREAU)
    user.email = "bureau@g40.example"
    user.save()
    with committed():
        response = client.post(reverse("account_reset_password"), {"email": "bureau@g40.example"})
    assert response.status_code == 302
    [received] = smtp_server
    assert received["X-Envelope-To"] == "bureau@g40.example"
    assert re.search(r"/account/password/reset/key/[^/\s]+/", received.get_body(("plain",)).get_content())
    assert OutgoingMail.objects.get().status == MailStatus.SENT

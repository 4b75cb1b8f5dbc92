"""Invitations (``accounts.services``, for a person through ``governance.invitations``): the token
is stored hashed, expires after 14 days and works once; accepting it creates the account in the
group that matches the person and links it to the person; the mail carries the link; the page
lets the person choose a username and password and signs them in."""

import datetime
import hashlib
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import RequestFactory, TestCase
from django.urls import reverse
from django.utils import timezone

from stedennet.accounts.constants import Role as AccountRole
from stedennet.accounts.models import Invitation
from stedennet.accounts.services import (
    InvitationRefused,
    invitation_accept,
    invitation_check,
    invitation_send,
    invitation_url,
)
from stedennet.governance.invitations import invitation_create
from stedennet.governance.tests.factories import PersonFactory, person_with_account
from stedennet.mail.constants import MailStatus

PASSWORD = "Sterk wachtwoord voor de G40"


@pytest.fixture
def civil_servant(g40_bodies):
    return PersonFactory(name="Anna de Vries", email="anna@example.org", function="civil_servant")


def groups_of(user) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


class TestCreate:
    def test_only_the_hash_of_the_token_is_stored(self, civil_servant):
        invitation, token = invitation_create(person=civil_servant)
        assert len(token) >= 40
        assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
        stored = Invitation.objects.filter(pk=invitation.pk).values().get()
        assert token not in {str(value) for value in stored.values()}

    def test_it_expires_in_14_days(self, civil_servant):
        before = timezone.now()
        invitation, _token = invitation_create(person=civil_servant)
        fourteen_days = datetime.timedelta(days=14)
        assert before + fourteen_days <= invitation.expires_at <= timezone.now() + fourteen_days

    def test_a_new_invitation_ends_the_earlier_one(self, civil_servant):
        _first, old_token = invitation_create(person=civil_servant)
        _second, new_token = invitation_create(person=civil_servant)
        with pytest.raises(InvitationRefused):
            invitation_check(old_token)
        assert invitation_check(new_token).subject == civil_servant

    def test_someone_with_an_account_is_not_invited(self, g40_bodies):
        person = person_with_account(function="civil_servant")
        with pytest.raises(InvitationRefused):
            invitation_create(person=person)

    def test_someone_without_a_role_is_not_invited(self, g40_bodies):
        with pytest.raises(InvitationRefused):
            invitation_create(person=PersonFactory(function="other"))


class TestAccept:
    @pytest.mark.parametrize(("function", "partner", "group"), [
        ("mayor", False, AccountRole.ADMINISTRATOR),
        ("alderman", False, AccountRole.ADMINISTRATOR),
        ("civil_servant", False, AccountRole.CIVIL_SERVANT),
        ("other", True, AccountRole.PARTNER),
    ])
    def test_the_account_goes_in_the_group_of_the_function(self, g40_bodies, function, partner, group):
        fields = {"partner": g40_bodies.partners.first(), "municipality": None} if partner else {}
        person = PersonFactory(name="Piet Jansen", function=function, **fields)
        invitation, token = invitation_create(person=person)
        user = invitation_accept(token=token, username="piet", password=PASSWORD)
        person.refresh_from_db()
        invitation.refresh_from_db()
        assert person.user == user and user.email == person.email
        assert (user.first_name, user.last_name) == ("Piet", "Jansen")
        assert groups_of(user) == {group}
        assert user.check_password(PASSWORD) and not user.is_staff
        assert invitation.used_at is not None

    def test_it_works_once(self, civil_servant):
        _invitation, token = invitation_create(person=civil_servant)
        invitation_accept(token=token, username="anna", password=PASSWORD)
        with pytest.raises(InvitationRefused) as refused:
            invitation_accept(token=token, username="anna2", password=PASSWORD)
        assert refused.value.code == "used"
        assert get_user_model().objects.count() == 1

    def test_an_expired_invitation_is_refused(self, civil_servant):
        invitation, token = invitation_create(person=civil_servant)
        Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
        with pytest.raises(InvitationRefused) as refused:
            invitation_accept(token=token, username="anna", password=PASSWORD)
        assert refused.value.code == "expired"
        assert not get_user_model().objects.exists()

    def test_an_unknown_token_is_refused(self, civil_servant):
        invitation_create(person=civil_servant)
        with pytest.raises(InvitationRefused) as refused:
            invitation_check("not-a-token")
        assert refused.value.code == "unknown"

    def test_the_password_validators_apply(self, civil_servant):
        _invitation, token = invitation_create(person=civil_servant)
        with pytest.raises(ValidationError):
            invitation_accept(token=token, username="anna", password="12345678")
        assert not get_user_model().objects.exists()
        assert invitation_check(token)  # still usable

    def test_a_taken_username_is_refused(self, civil_servant, make_user):
        make_user("Anna")
        _invitation, token = invitation_create(person=civil_servant)
        with pytest.raises(InvitationRefused) as refused:
            invitation_accept(token=token, username="anna", password=PASSWORD)
        assert refused.value.code == "username"


class TestMail:
    def test_the_mail_carries_the_link_from_the_base_url(self, civil_servant, settings):
        settings.STEDENNET_BASE_URL = "https://g40.example.nl/"
        invitation, token = invitation_create(person=civil_servant)
        with TestCase.captureOnCommitCallbacks(execute=True):  # the mail leaves after the commit
            queued = invitation_send(invitation=invitation, token=token)
            assert queued.status == MailStatus.QUEUED and mail.outbox == []
        [message] = mail.outbox
        assert message.to == ["anna@example.org"]
        assert f"https://g40.example.nl/uitnodiging/{token}/" in message.body
        assert "Anna de Vries" in message.body

    def test_without_a_base_url_the_request_gives_the_host(self, civil_servant, settings):
        if hasattr(settings, "STEDENNET_BASE_URL"):
            del settings.STEDENNET_BASE_URL
        request = RequestFactory().get("/", HTTP_HOST="localhost")
        assert invitation_url("abc", request) == "http://localhost/uitnodiging/abc/"

    def test_over_smtp(self, civil_servant, smtp_server):
        invitation, token = invitation_create(person=civil_servant)
        with TestCase.captureOnCommitCallbacks(execute=True):
            sent = invitation_send(invitation=invitation, token=token)
        [message] = smtp_server
        sent.refresh_from_db()
        assert sent.status == MailStatus.SENT and sent.to == "anna@example.org"
        assert message["To"] == "anna@example.org"
        assert token in message.get_content()


class TestPage:
    def test_accept_and_be_signed_in(self, client, civil_servant):
        _invitation, token = invitation_create(person=civil_servant)
        page = reverse("accounts:invitation", kwargs={"token": token})
        response = client.get(page)
        assert response.status_code == 200 and "Anna de Vries" in response.content.decode()
        response = client.post(page, {"username": "anna", "password1": PASSWORD, "password2": PASSWORD})
        assert response.status_code == 302 and response.url == reverse("governance:my_groups")
        user = get_user_model().objects.get(username="anna")
        assert int(client.session["_auth_user_id"]) == user.pk
        assert client.get(reverse("governance:my_groups")).status_code == 200
        assert client.get(page).status_code == 410  # used

    def test_errors_name_the_field(self, client, civil_servant, make_user):
        make_user("bezet")
        _invitation, token = invitation_create(person=civil_servant)
        page = reverse("accounts:invitation", kwargs={"token": token})
        response = client.post(page, {"username": "bezet", "password1": PASSWORD, "password2": PASSWORD + "x"})
        assert response.status_code == 200
        html = response.content.decode()
        assert 'href="#id_username"' in html and 'href="#id_password2"' in html
        assert re.search(r'id="id_password2"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="id_password2"', html)
        response = client.post(page, {"username": "anna", "password1": "anna", "password2": "anna"})
        assert 'href="#id_password1"' in response.content.decode()
        assert not get_user_model().objects.filter(username="anna").exists()

    def test_unknown_and_expired_links_say_why(self, client, civil_servant):
        assert client.get(reverse("accounts:invitation", kwargs={"token": "nope"})).status_code == 404
        invitation, token = invitation_create(person=civil_servant)
        Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(days=1))
        response = client.get(reverse("accounts:invitation", kwargs={"token": token}))
        assert response.status_code == 410
        assert 'data-testid="invitation-refused"' in response.content.decode()


class TestInvitingWhileTheMailServerIsDown:
    """Nothing listens on the SMTP port: the invitation is still made, its link shown, and the mail
    waits in the outbox with the reason until the server takes it."""

    @pytest.fixture
    def dead_smtp(self, settings):
        import socket

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        # Before the outbox, EMAIL_BACKEND was the SMTP backend itself; now the outbox hands over to it.
        settings.STEDENNET_MAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
        return settings

    def test_the_invite_page_succeeds_shows_the_link_and_says_the_mail_is_pending(
            self, back_office_login, civil_servant, dead_smtp, client, make_user, django_capture_on_commit_callbacks):
        from stedennet.mail.models import OutgoingMail

        back_office_login(client, make_user("bureau", AccountRole.BUREAU))
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"/admin/governance/people/{civil_servant.pk}/invite/", {"send": "on"})
        assert response.status_code == 200
        html = response.content.decode()
        link = re.search(r'data-testid="invitation-url" value="([^"]+)"', html) or re.search(
            r'value="([^"]+)"[^>]*data-testid="invitation-url"', html)
        assert link is not None and "/uitnodiging/" in link.group(1)
        assert re.search(r'data-testid="invitation-mail" data-status="queued"', html)
        invitation = Invitation.objects.get(person=civil_servant)
        assert invitation.token_hash == hashlib.sha256(link.group(1).rstrip("/").rsplit("/", 1)[1]
                                                       .encode()).hexdigest()
        queued = OutgoingMail.objects.get()
        assert f'href="/admin/mail/outbox/inspect/{queued.pk}/"' in html
        # After the commit the delivery was tried: failed, with the reason, to be tried again.
        assert queued.to == "anna@example.org" and queued.status == MailStatus.FAILED
        assert "ConnectionRefusedError" in queued.last_error and queued.next_attempt_at is not None
        assert mail.outbox == []

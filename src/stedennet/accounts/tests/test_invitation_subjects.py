"""Invitations know nothing of what they are for: any model instance can be the subject (or none),
higher apps hear of an acceptance through ``signals.invitation_accepted``, and the sign-in lands
where a registered finder says, else on ``settings.LOGIN_REDIRECT_URL``."""

import pytest
from django.contrib.auth.models import Group

from stedennet.accounts import landing
from stedennet.accounts.constants import Role
from stedennet.accounts.models import Invitation
from stedennet.accounts.services import InvitationRefused, invitation_accept, invitation_check, invitation_create
from stedennet.accounts.signals import invitation_accepted

PASSWORD = "Sterk wachtwoord voor de G40"


@pytest.fixture
def heard():
    calls = []

    def receiver(sender, *, invitation, user, **kwargs):
        calls.append((invitation.pk, user.username))

    invitation_accepted.connect(receiver, dispatch_uid="test-heard")
    yield calls
    invitation_accepted.disconnect(dispatch_uid="test-heard")


def test_any_subject_and_the_signal(db, heard):
    subject = Group.objects.create(name="Iets")
    invitation, token = invitation_create(email="kees@example.org", name="Kees de Boer", role=Role.PARTNER,
                                          subject=subject)
    assert invitation.subject == subject and list(Invitation.objects.for_subject(subject)) == [invitation]
    user = invitation_accept(token=token, username="kees", password=PASSWORD)
    invitation.refresh_from_db()
    assert invitation.user == user and invitation.used_at is not None
    assert heard == [(invitation.pk, "kees")]
    assert (user.email, user.first_name, user.last_name) == ("kees@example.org", "Kees", "de Boer")
    assert set(user.groups.values_list("name", flat=True)) == {Role.PARTNER}


def test_without_a_subject_a_new_invitation_ends_the_earlier_one_for_the_address(db):
    _first, old = invitation_create(email="kees@example.org", name="Kees", role="")
    _other, other = invitation_create(email="els@example.org", name="Els", role="")
    _second, new = invitation_create(email="KEES@example.org", name="Kees", role="")
    with pytest.raises(InvitationRefused) as refused:
        invitation_check(old)
    assert refused.value.code == "expired"
    assert invitation_check(new) and invitation_check(other)


def test_a_subject_that_is_gone_makes_the_link_unknown(db):
    subject = Group.objects.create(name="Weg")
    _invitation, token = invitation_create(email="kees@example.org", name="Kees", role="", subject=subject)
    subject.delete()
    with pytest.raises(InvitationRefused) as refused:
        invitation_check(token)
    assert refused.value.code == "unknown"


def test_an_unknown_role_is_a_programming_error(db):
    with pytest.raises(ValueError):
        invitation_create(email="kees@example.org", name="Kees", role="Koning")


def test_a_persons_invitations_go_with_the_person(g40_bodies):
    from stedennet.governance.invitations import invitation_create as person_invitation_create
    from stedennet.governance.tests.factories import PersonFactory

    person = PersonFactory(function="civil_servant")
    invitation, _token = person_invitation_create(person=person)
    assert list(person.invitations.all()) == [invitation]
    person.delete()
    assert not Invitation.objects.exists()


def test_without_a_finder_the_sign_in_lands_on_the_setting(db, monkeypatch, settings, make_user):
    settings.LOGIN_REDIRECT_URL = "/ergens/"
    monkeypatch.setattr(landing, "_finders", [])
    assert landing.landing_url(make_user("iemand")) == "/ergens/"
    monkeypatch.setattr(landing, "_finders", [lambda user: None, lambda user: landing.Landing("/hier/", "Hier")])
    assert landing.landing_url(make_user("nog-iemand")) == "/hier/"

"""The demo: distribution addresses for the members under example.org (a few members without a
griffie or college address, so the send step warns), two subscribers and one sent letter of
last year in the archive; all flagged demo; a second run adds nothing; nothing is mailed."""

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from stedennet.letters.constants import LetterStatus
from stedennet.letters.models import DistributionAddress, Letter, Subscriber
from stedennet.letters.selectors import published_letters, send_plan


def test_the_demo_letters(g40, client):
    out = io.StringIO()
    call_command("load_demo_letters", stdout=out)
    assert "demo" in out.getvalue().lower()
    assert DistributionAddress.objects.count() == 41 * 2 - 4
    assert not DistributionAddress.objects.filter(is_demo=False).exists()
    assert all(a.email.split("@")[1].endswith(".example.org") for a in DistributionAddress.objects.all())
    plan = send_plan(network=g40)
    assert (len(plan.without_griffie), len(plan.without_college), plan.subscribers, plan.refusal) == (3, 1, 2, None)
    letter = published_letters().get()
    assert (letter.is_demo, letter.status, letter.year) == (True, LetterStatus.SENT, timezone.localdate().year - 1)
    assert letter.reference.endswith("/001")
    assert client.get(letter.get_absolute_url()).status_code == 200
    assert mail.outbox == []
    call_command("load_demo_letters", stdout=io.StringIO())
    assert (DistributionAddress.objects.count(), Subscriber.objects.count(), Letter.objects.count()) == (78, 2, 1)


@pytest.mark.django_db
def test_the_demo_needs_a_network():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("load_demo_letters", stdout=io.StringIO())

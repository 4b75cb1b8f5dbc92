"""Lockout after failed sign-ins (django-axes): per account from any address, per address for any
account, the client address behind the proxy, our 429 page, the bureau's unlock, and a successful
sign-in that clears the account's count."""

from datetime import datetime, timedelta

import pytest
from allauth.account.models import EmailAddress
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from stedennet.accounts.constants import Role
from stedennet.accounts.lockout import ACCOUNT, ADDRESS, _lock_ends, locked_sign_ins

PASSWORD = "correct horse battery"  # make_user's
LIMIT = 5


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    settings.STEDENNET_BEHIND_TLS_PROXY = False


@pytest.fixture
def behind_proxy(settings):
    settings.STEDENNET_BEHIND_TLS_PROXY = True
    settings.STEDENNET_TRUSTED_PROXY_COUNT = 1


@pytest.fixture
def account(make_user):
    """An account as an accepted invitation leaves it: its e-mail address confirmed."""
    user = make_user("jan")
    user.email = "jan@example.org"
    user.save(update_fields=["email"])
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def sign_in(client, login, password, *, forwarded=None, peer="127.0.0.1"):
    extra = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(reverse("account_login"), {"login": login, "password": password}, **extra)


def is_locked_out(response) -> bool:
    return response.status_code == 429 and 'data-code="locked_out"' in response.content.decode()


def signed_in(client, user) -> bool:
    return client.session.get("_auth_user_id") == str(user.pk)


def fail(client, login, times, **kwargs):
    return [sign_in(client, login, "wrong", **kwargs) for _ in range(times)]


# --- what is counted ------------------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_account_from_any_address(client, account, behind_proxy):
    responses = [sign_in(client, "jan", "wrong", forwarded=f"203.0.113.{n}") for n in range(1, LIMIT + 1)]
    assert [r.status_code for r in responses] == [200] * (LIMIT - 1) + [429]
    assert is_locked_out(responses[-1])
    # From yet another address, with the right password: still locked.
    response = sign_in(client, "jan", PASSWORD, forwarded="198.51.100.20")
    assert is_locked_out(response)
    assert not signed_in(client, account)


def test_signing_in_by_e_mail_counts_for_the_same_account(client, account):
    fail(client, "jan", LIMIT - 2)
    responses = fail(client, "Jan@Example.org", 2)
    assert is_locked_out(responses[-1])
    assert is_locked_out(sign_in(client, "JAN", PASSWORD, peer="192.0.2.50"))


def test_failures_on_different_accounts_from_one_address_lock_the_address(client, account, make_user):
    for n in range(LIMIT - 1):
        assert sign_in(client, f"guess{n}", "wrong", peer="192.0.2.9").status_code == 200
    assert is_locked_out(sign_in(client, "someone-else", "wrong", peer="192.0.2.9"))
    # The address is locked, for every account: jan cannot sign in from there ...
    assert is_locked_out(sign_in(client, "jan", PASSWORD, peer="192.0.2.9"))
    assert not signed_in(client, account)
    # ... but from another address jan can.
    response = sign_in(client, "jan", PASSWORD, peer="192.0.2.10")
    assert response.status_code == 302
    assert signed_in(client, account)


def test_behind_the_proxy_the_right_most_entry_counts_and_a_spoofed_one_is_ignored(client, account, behind_proxy):
    # The client makes up a new left-most address each time; our proxy appends the real one.
    for n in range(LIMIT):
        response = sign_in(client, f"guess{n}", "wrong", forwarded=f"10.9.9.{n}, 203.0.113.7", peer="10.0.0.1")
    assert is_locked_out(response)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}
    # Another client behind the same proxy is not locked.
    response = sign_in(client, "jan", PASSWORD, forwarded="203.0.113.8", peer="10.0.0.1")
    assert response.status_code == 302 and signed_in(client, account)


def test_without_the_proxy_x_forwarded_for_is_ignored(client, account):
    for n in range(LIMIT):
        response = sign_in(client, f"guess{n}", "wrong", forwarded=f"203.0.113.{n}", peer="192.0.2.9")
    assert is_locked_out(response)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"192.0.2.9"}
    # A made-up header does not get the locked address out of its lock.
    assert is_locked_out(sign_in(client, "jan", PASSWORD, forwarded="198.51.100.1", peer="192.0.2.9"))


def test_a_successful_sign_in_clears_the_accounts_count(client, account):
    fail(client, "jan", LIMIT - 1)
    assert sign_in(client, "jan", PASSWORD).status_code == 302 and signed_in(client, account)
    client.logout()
    responses = fail(client, "jan", LIMIT - 1)
    assert [r.status_code for r in responses] == [200] * (LIMIT - 1)
    assert sign_in(client, "jan", PASSWORD).status_code == 302 and signed_in(client, account)


def test_a_successful_sign_in_keeps_the_addresss_failures_on_other_accounts(client, account):
    fail(client, "piet", LIMIT - 2, peer="192.0.2.9")
    assert sign_in(client, "jan", PASSWORD, peer="192.0.2.9").status_code == 302
    client.logout()
    responses = fail(client, "klaas", 2, peer="192.0.2.9")
    assert is_locked_out(responses[-1])


# --- the lockout page -------------------------------------------------------------------------------


def test_the_lockout_page_says_when_and_is_no_cache(client, account):
    before = timezone.now()
    response = fail(client, "jan", LIMIT)[-1]
    assert is_locked_out(response)
    assert "no-store" in response["Cache-Control"]
    retry_after = int(response["Retry-After"])
    assert 14 * 60 <= retry_after <= 15 * 60
    html = response.content.decode()
    retry_at = html.split('data-retry-at="', 1)[1].split('"', 1)[0]
    when = datetime.fromisoformat(retry_at)
    assert before + timedelta(minutes=15) <= when <= before + timedelta(minutes=16)
    assert when.second == 0


def test_the_lockout_page_does_not_tell_whether_the_account_exists(client, account):
    existing = fail(client, "jan", LIMIT, peer="192.0.2.1")[-1]
    unknown = fail(client, "nobody", LIMIT, peer="192.0.2.2")[-1]
    assert is_locked_out(existing) and is_locked_out(unknown)

    def main(response):
        html = response.content.decode()
        return html[html.index("<main"):html.index("</main>")]

    assert main(existing) == main(unknown)
    assert "jan" not in main(existing)


def test_the_correct_password_during_the_lockout_is_refused(client, account):
    fail(client, "jan", LIMIT)
    response = sign_in(client, "jan", PASSWORD)
    assert is_locked_out(response)
    assert not signed_in(client, account)


def test_the_lock_ends_after_the_cool_off(client, account):
    fail(client, "jan", LIMIT)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert sign_in(client, "jan", PASSWORD).status_code == 302 and signed_in(client, account)


# --- the bureau's page ------------------------------------------------------------------------------


@pytest.fixture
def bureau(client, make_user, back_office_login):
    return back_office_login(client, make_user("bureau", Role.BUREAU))


URL = "/admin/accounts/locked-sign-ins/"
UNLOCK = "/admin/accounts/locked-sign-ins/unlock/"


def test_the_bureau_unlocks_an_account(client, account, bureau):
    visitor = Client()
    fail(visitor, "jan", LIMIT, peer="192.0.2.1")
    fail(visitor, "nobody", 2, peer="192.0.2.2")  # not locked: not listed
    html = bureau.get(URL).content.decode()
    assert 'data-kind="account" data-value="jan" data-account-exists="true"' in html
    assert 'data-value="nobody"' not in html
    assert 'data-kind="address"' in html and 'data-value="192.0.2.1"' in html
    assert 'data-testid="no-locked-accounts"' not in html

    response = bureau.post(UNLOCK, {"kind": ACCOUNT, "value": "jan"})
    assert response.status_code == 302 and response.url == URL
    assert sign_in(visitor, "jan", PASSWORD, peer="192.0.2.3").status_code == 302
    assert signed_in(visitor, account)
    html = bureau.get(URL).content.decode()
    assert 'data-testid="no-locked-accounts"' in html


def test_the_bureau_unlocks_an_address(client, account, bureau):
    visitor = Client()
    for n in range(LIMIT):
        sign_in(visitor, f"guess{n}", "wrong", peer="192.0.2.9")
    html = bureau.get(URL).content.decode()
    assert 'data-kind="address" data-value="192.0.2.9"' in html
    assert 'data-account-exists="false"' not in html  # no account is locked: each name failed once
    bureau.post(UNLOCK, {"kind": ADDRESS, "value": "192.0.2.9"})
    assert sign_in(visitor, "jan", PASSWORD, peer="192.0.2.9").status_code == 302
    assert 'data-testid="no-locked-addresses"' in bureau.get(URL).content.decode()


def test_unlocking_needs_a_kind_and_a_value(bureau):
    assert bureau.post(UNLOCK, {"kind": "everything", "value": "x"}).status_code == 400
    assert bureau.post(UNLOCK, {"kind": ACCOUNT, "value": ""}).status_code == 400
    assert bureau.get(UNLOCK).status_code == 405


def test_others_do_not_reach_locked_sign_ins(client, make_user, back_office_login):
    assert client.get(URL)["Location"].startswith(reverse("account_login"))  # anonymous: sign in first
    back_office_login(client, make_user("member", Role.ADMINISTRATOR))  # no back office at all
    assert client.get(URL)["Location"].startswith(reverse("account_login"))
    assert client.post(UNLOCK, {"kind": ACCOUNT, "value": "jan"})["Location"].startswith(reverse("account_login"))


def test_back_office_users_outside_the_bureau_are_refused(client, make_user, back_office_login):
    from django.contrib.auth.models import Permission

    editor = make_user("editor")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    back_office_login(client, editor)
    assert client.get(URL).status_code == 403
    AccessAttempt.objects.create(username="jan", ip_address="192.0.2.1", user_agent="a", failures_since_start=LIMIT,
                                 get_data="", post_data="", http_accept="", path_info="/")
    assert client.post(UNLOCK, {"kind": ACCOUNT, "value": "jan"}).status_code == 403
    assert AccessAttempt.objects.filter(username="jan").exists()


# --- the computation of a lock's end ----------------------------------------------------------------


def test_a_lock_ends_when_enough_failures_are_older_than_the_cool_off():
    t = timezone.now()
    cool_off = timedelta(minutes=15)
    assert _lock_ends([(t, 4)], 5, cool_off) is None
    assert _lock_ends([(t, 5)], 5, cool_off) == t + cool_off
    # 3 failures from one address at t, 2 from another at t+5: the lock ends with the older row.
    assert _lock_ends([(t + timedelta(minutes=5), 2), (t, 3)], 5, cool_off) == t + cool_off
    # 4 at t and 3 at t+5: without the older row 3 < 5 remain, so it ends at t + 15 too;
    # 2 at t and 6 at t+5: the newer row alone keeps it locked until t+20.
    assert _lock_ends([(t, 4), (t + timedelta(minutes=5), 3)], 5, cool_off) == t + cool_off
    assert _lock_ends([(t, 2), (t + timedelta(minutes=5), 6)], 5, cool_off) == t + timedelta(minutes=20)


def test_locked_sign_ins_lists_only_what_is_locked_now(account):
    now = timezone.now()
    for username, address, failures, minutes_ago in [("jan", "192.0.2.1", 5, 1), ("old", "192.0.2.2", 9, 20)]:
        attempt = AccessAttempt.objects.create(username=username, ip_address=address, user_agent="a",
                                               failures_since_start=failures, get_data="", post_data="",
                                               http_accept="", path_info="/")
        AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=now - timedelta(minutes=minutes_ago))
    locks = locked_sign_ins(now=now)
    assert [(lock.kind, lock.value, lock.failures, lock.account_exists) for lock in locks] == [
        (ACCOUNT, "jan", 5, True), (ADDRESS, "192.0.2.1", 5, None)]
    assert locks[0].ends_at == now + timedelta(minutes=14)

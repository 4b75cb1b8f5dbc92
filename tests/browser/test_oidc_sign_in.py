"""Sign-in with the organisation's account in a real browser, through the local OpenID Connect
provider (its own process, Entra-shaped): a civil servant of a connected tenant signs in on the
provider's page and lands on "my groups"; someone of a tenant that is not connected sees the
refusal naming their tenant, and no account is made. Our pages pass axe and the Nu Html Checker
(the provider's page is not ours)."""

import pytest
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model

from tests.oidc_provider import config

pytestmark = pytest.mark.browser


@pytest.fixture
def connected(entra, oidc, live_server):
    # The browser's host: the callback must come back to the host the session cookie belongs to.
    oidc.control(redirect_uri=f"{live_server.url}/account/oidc/{entra.slug}/login/callback/")
    return entra


def through_the_provider(page, check_page, oidc, user: str) -> None:
    """Start on our page, continue to the provider, pick ``user`` there."""
    check_page("/account/oidc/entra/login/")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{oidc.base_url}/**")
    page.locator(f"button[name=user][value={user}]").click()


def test_a_civil_servant_of_a_connected_tenant_lands_on_my_groups(connected, oidc, page, check_page, live_server):
    through_the_provider(page, check_page, oidc, "civil-servant-amstelveen")
    page.wait_for_url(f"{live_server.url}/mijn/groepen/")
    check_page()
    user = get_user_model().objects.get(email="anne.ambtenaar@amstelveen.example")
    assert SocialAccount.objects.get(user=user).provider == "entra"


def test_someone_of_a_tenant_not_connected_is_refused(connected, oidc, page, check_page, live_server):
    through_the_provider(page, check_page, oidc, "civil-servant-elsewhere")
    page.wait_for_url(f"{live_server.url}/account/oidc/entra/login/callback/**")
    refusal = page.get_by_test_id("refusal")
    assert refusal.get_attribute("data-code") == "tenant_not_connected"
    assert config.ELSEWHERE in refusal.inner_text()
    # axe checks the page as shown; the HTML checker gets it fetched again, when the state is
    # spent: the same page with another code, and still nothing created.
    check_page()
    assert get_user_model().objects.count() == 0
    assert SocialAccount.objects.count() == 0

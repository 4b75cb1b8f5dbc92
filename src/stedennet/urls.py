from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from stedennet.accounts import urls as accounts_urls
from stedennet.accounts import urls_tokens as accounts_tokens_urls
from stedennet.accounts.views import back_office_logout, back_office_sign_in, remove_passkey, sign_in, sign_out
from stedennet.advocacy import urls as advocacy_urls
from stedennet.advocacy import urls_alerts as advocacy_alerts_urls
from stedennet.api import urls as api_urls
from stedennet.events import urls as events_urls
from stedennet.governance import urls as governance_urls
from stedennet.knowledge import urls as knowledge_urls
from stedennet.letters import urls as letters_urls
from stedennet.meetings import urls as meetings_urls
from stedennet.membership import urls as membership_urls
from stedennet.programmes import urls as programmes_urls
from stedennet.registry import urls as registry_urls
from stedennet.search import urls as search_urls
from stedennet.site import urls as site_urls

urlpatterns = [
    # Before Wagtail's own: its logout would also sign out on a plain GET.
    path("admin/logout/", back_office_logout, name="wagtailadmin_logout"),
    # One sign-in page for everyone (/inloggen/): the admins' own doors lead there.
    path("admin/login/", back_office_sign_in),
    path("django-admin/login/", back_office_sign_in),
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),  # superusers only
    path("documenten/", include(wagtaildocs_urls)),
    # Sign-in, two factors, e-mail, password and sessions (django-allauth); staff keep their last passkey.
    path("account/2fa/webauthn/keys/<int:pk>/remove/", remove_passkey, name="mfa_remove_webauthn"),
    path("account/", include("allauth.urls")),
    # After allauth's own: `reverse` takes the last pattern of a name, so allauth's links and
    # redirects lead to our sign-in and sign-out pages.
    path("inloggen/", sign_in, name="account_login"),
    path("uitloggen/", sign_out, name="account_logout"),
    # The open API: NL API Design Rules, problem+json, served without trailing slashes.
    path("api/v1/", include(api_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include(site_urls)),
    path("", include(accounts_urls)),
    path("", include(accounts_tokens_urls)),  # /mijn/api-tokens/
    path("", include(registry_urls)),
    path("", include(membership_urls)),
    path("", include(programmes_urls)),
    path("", include(meetings_urls)),
    path("", include(governance_urls)),
    path("", include(knowledge_urls)),
    path("", include(advocacy_urls)),
    path("", include(advocacy_alerts_urls)),
    path("", include(events_urls)),
    path("", include(letters_urls)),
    path("", include(search_urls)),
    # Wagtail serves every other path from its page tree (the home page among them).
    path("", include(wagtail_urls)),
]

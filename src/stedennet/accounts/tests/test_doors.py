"""Small doors closed: one sign-in page for everyone (the admins' own sign-in pages lead to it), the
Django admin for superusers only, no sign-in that lands on a 404, no sign-out by a plain GET."""

from urllib.parse import urlencode

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from stedennet.accounts.constants import Role

PASSWORD = "correct horse battery"


@pytest.fixture
def bureau(db, make_user):
    return make_user("bureau", Role.BUREAU)


@pytest.fixture
def superuser(db, make_user):
    return make_user("beheer", superuser=True)


@pytest.mark.parametrize("path", ["/django-admin/", "/django-admin/auth/user/", "/django-admin/auth/group/add/"])
def test_the_bureau_stays_out_of_the_django_admin(client, bureau, back_office_login, path):
    back_office_login(client, bureau)
    response = client.get(path)
    assert response.status_code == 302 and response["Location"].startswith("/django-admin/login/")
    again = client.get(response["Location"])
    assert again.status_code == 302 and again["Location"].startswith("/inloggen/?next=")


@pytest.mark.parametrize(("door", "next_url"), [
    ("/admin/login/", "/admin/"), ("/admin/login/?next=/admin/pages/", "/admin/pages/"),
    ("/django-admin/login/", "/django-admin/"), ("/django-admin/login/?next=https://evil.example/", "/django-admin/"),
])
def test_the_admins_own_sign_in_pages_lead_to_the_one_sign_in_page(client, db, door, next_url):
    for method in (client.get, client.post):
        response = method(door)
        assert response.status_code == 302
        assert response["Location"] == "/inloggen/?" + urlencode({"next": next_url})


def test_allauths_own_links_lead_to_the_one_sign_in_page():
    assert reverse("account_login") == "/inloggen/"
    assert reverse("account_logout") == "/uitloggen/"
    assert reverse("accounts:login") == "/inloggen/"


def test_a_superuser_works_in_the_django_admin(client, superuser, back_office_login):
    back_office_login(client, superuser)
    assert client.get("/django-admin/").status_code == 200
    assert client.get("/django-admin/auth/user/").status_code == 200


@pytest.mark.parametrize("who", ["member", "bureau", "superuser"])
def test_signing_in_without_next_lands_on_a_real_page(client, make_user, who):
    user = {"member": lambda: make_user("lid", Role.CIVIL_SERVANT), "bureau": lambda: make_user("bureau", Role.BUREAU),
            "superuser": lambda: make_user("beheer", superuser=True)}[who]()
    response = client.post("/inloggen/", {"login": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    assert client.session[SESSION_KEY] == str(user.pk)
    landing = client.get(response["Location"], follow=True)
    assert landing.status_code == 200
    assert "/accounts/profile/" not in [url for url, _ in landing.redirect_chain] + [response["Location"]]


def test_a_get_on_the_back_office_logout_signs_nobody_out(client, bureau, back_office_login):
    back_office_login(client, bureau)
    response = client.get("/admin/logout/")
    assert response.status_code == 405
    assert "sessionid" not in response.cookies  # Wagtail's view deleted the session cookie here
    assert client.session[SESSION_KEY] == str(bureau.pk)
    assert client.get("/admin/").status_code == 200


def test_a_post_on_the_back_office_logout_signs_out(client, bureau, back_office_login):
    back_office_login(client, bureau)
    response = client.post("/admin/logout/")
    assert response.status_code == 302
    assert SESSION_KEY not in client.session
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/inloggen/")  # back to the sign-in page


def test_every_django_admin_list_and_add_form_opens_for_a_superuser(client, superuser, back_office_login):
    from django.contrib import admin

    back_office_login(client, superuser)
    opened = []
    for model in admin.site._registry:
        info = model._meta.app_label, model._meta.model_name
        for view in ("changelist", "add"):
            response = client.get(reverse("admin:{}_{}_{}".format(*info, view)))
            assert response.status_code in (200, 403), f"{info} {view}: {response.status_code}"
            opened.append((info, view, response.status_code))
    assert (("auth", "user"), "changelist", 200) in opened

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import Group
from django.test import RequestFactory

from stedennet.accounts.constants import Role
from stedennet.accounts.services import DEMO_ACCOUNTS, demo_accounts_create


def test_roles_exist_after_migrate(db):
    assert set(Group.objects.values_list("name", flat=True)) >= {r.value for r in Role}


def test_the_bureau_manages_the_registry_and_others_do_not(db):
    bureau = Group.objects.get(name=Role.BUREAU)
    codenames = set(bureau.permissions.values_list("codename", flat=True))
    assert {"access_admin", "change_municipality", "add_populationfigure", "change_membershipperiod"} <= codenames
    for role in (Role.ADMINISTRATOR, Role.CIVIL_SERVANT, Role.PARTNER):
        assert not Group.objects.get(name=role).permissions.filter(codename="access_admin").exists()


def test_demo_accounts_log_in_and_are_idempotent(db, client):
    demo_accounts_create()
    demo_accounts_create()
    for account in DEMO_ACCOUNTS:
        user = authenticate(RequestFactory().post("/inloggen/"), username=account.username, password=account.password)
        assert user is not None and user.username == account.username, account.username


BACK_OFFICE_PAGES = [
    "/admin/snippets/registry/municipality/",
    "/admin/snippets/registry/municipality/?province=PV27",
    "/admin/snippets/registry/municipality/?q=amstel",
    "/admin/snippets/registry/populationfigure/?source=municipal",
    "/admin/snippets/membership/membershipperiod/",
    "/admin/snippets/registry/partnerorganisation/",
]


@pytest.mark.parametrize("url", BACK_OFFICE_PAGES)
def test_the_bureau_works_in_the_back_office(back_office_login, g40, make_user, client, url):
    back_office_login(client, make_user("bureau", Role.BUREAU))
    response = client.get(url)
    assert response.status_code == 200


def test_back_office_search_and_filter_find_the_right_rows(back_office_login, g40, make_user, client):
    back_office_login(client, make_user("bureau", Role.BUREAU))
    found = client.get("/admin/snippets/registry/municipality/?q=amstel").content.decode()
    assert "Amstelveen" in found and "Ouder-Amstel" in found and "Zwolle" not in found
    own_counts = client.get("/admin/snippets/registry/populationfigure/?source=municipal").content.decode()
    assert own_counts.count("Amstelveen") >= 4 and "Zwolle" not in own_counts


def test_back_office_keeps_change_history(back_office_login, g40, make_user, client):
    from stedennet.registry.models import Municipality

    back_office_login(client, make_user("bureau", Role.BUREAU))
    amstelveen = Municipality.objects.get(cbs_code="GM0362")
    edit_url = f"/admin/snippets/registry/municipality/edit/{amstelveen.pk}/"
    response = client.post(edit_url, {"cbs_code": "GM0362", "name": "Amstelveen", "common_name": "",
                                      "slug": "amstelveen", "province": amstelveen.province_id})
    assert response.status_code == 302
    history = client.get(f"/admin/snippets/registry/municipality/history/{amstelveen.pk}/").content.decode()
    assert "bureau" in history


def test_the_back_office_refuses_a_bad_cbs_code(back_office_login, g40, make_user, client):
    from stedennet.registry.models import Municipality

    back_office_login(client, make_user("bureau", Role.BUREAU))
    amstelveen = Municipality.objects.get(cbs_code="GM0362")
    response = client.post(f"/admin/snippets/registry/municipality/edit/{amstelveen.pk}/",
                           {"cbs_code": "GM362", "name": "Amstelveen", "common_name": "", "slug": "amstelveen",
                            "province": amstelveen.province_id})
    assert response.status_code == 200
    assert Municipality.objects.get(pk=amstelveen.pk).cbs_code == "GM0362"


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.CIVIL_SERVANT, Role.PARTNER, None])
def test_everyone_else_stays_out_of_the_back_office(g40, make_user, client, role):
    if role:
        client.force_login(make_user("someone", role))
    response = client.get("/admin/snippets/registry/municipality/")
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response["Location"].startswith(("/inloggen/", "/admin/"))
    assert client.get("/django-admin/").status_code == 302
